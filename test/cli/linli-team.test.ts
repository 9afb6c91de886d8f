/**
 * `linli team`: the operator lists the service team and sets a member's areas and working hours;
 * what cannot be read, a name nobody on the team has and an unknown area are refused with words
 * and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../src/cli/linli-run.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

function capture() {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true), isTTY: false }, text: () => text };
}

describe.each(databaseTargets())('linli team on %s', (target) => {
  let db: TestDatabase;
  const slug = `team-${Math.random().toString(36).slice(2, 8)}`;
  const linli = async (args: string[]) => {
    const out = capture();
    const err = capture();
    const code = await runLinli(args, { env: { LINLI_LOCALE: 'zh-CN', COMMUNITY_SLUG: slug }, stdout: out.stream, stderr: err.stream, database: db });
    return { code, stdout: out.text(), stderr: err.text() };
  };

  beforeAll(async () => {
    db = await createTestDatabase(target);
  });
  afterAll(() => db?.close());

  it('lists the team and sets a member’s areas and hours', async () => {
    expect((await linli(['team', 'list'])).stdout).toContain('服务队还没有队员');
    expect((await linli(['staff', 'add', '--name', '钱师傅', '--role', 'service_team', '--skills', 'plumbing,heating'])).code).toBe(0);
    const communityId = (await db.prisma.community.findUniqueOrThrow({ where: { slug } })).id;
    const zone = await db.prisma.area.create({ data: { communityId, name: '平房区', path: '平房区', depth: 1 } });
    await db.prisma.area.create({ data: { communityId, name: '团结巷', path: '平房区/团结巷', depth: 2, parentId: zone.id } });

    const before = await linli(['team', 'list']);
    expect(before.stdout).toContain('钱师傅｜技能：');
    expect(before.stdout).toContain('片区：全社区｜时间：any');

    const set = await linli(['team', 'terms', '钱师傅', '--areas', '团结巷', '--hours', '1-5 08:00-18:00; 6 09:00-12:00']);
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain('已更新钱师傅的负责片区和工作时间');
    const after = await linli(['team', 'list']);
    expect(after.stdout).toContain('片区：平房区/团结巷｜时间：1-5 08:00-18:00; 6 09:00-12:00');
    const audit = await db.prisma.auditLog.findFirst({ where: { communityId, action: 'service_member.terms' } });
    expect(audit?.details).toMatchObject({ areas: 1, hoursSet: true });
  });

  it('refuses hours it cannot read, a name nobody on the team has and an unknown area', async () => {
    const badHours = await linli(['team', 'terms', '钱师傅', '--hours', 'weekdays']);
    expect(badHours.code).toBe(2);
    expect(badHours.stderr).toContain('看不懂工作时间');
    const nobody = await linli(['team', 'terms', '孙师傅', '--areas', 'all']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('没有叫“孙师傅”的队员');
    const unknown = await linli(['team', 'terms', '钱师傅', '--areas', '幸福路']);
    expect(unknown.stderr).toContain('没有找到片区“幸福路”');
    expect((await linli(['team', 'terms', '钱师傅'])).stderr).toContain('请写 --areas 或 --hours');
    expect((await linli(['team', 'list'])).stdout).toContain('片区：平房区/团结巷｜时间：1-5 08:00-18:00; 6 09:00-12:00');
  });
});
