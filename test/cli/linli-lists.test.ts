/**
 * `linli tickets list|show` and `linli binding list` on a real database: tickets filed through the
 * ticket service and handled through the inbox's action path, requests filed the way the request
 * flow files them. What the operator reads: each filter's edges, the count of how many are shown
 * of how many, phones masked, internal notes marked, and an unknown number told in one line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../src/cli/linli-run.js';
import { createBindingRequest } from '../../src/features/identity/binding-requests.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { act, file, HOUR, seedInboxWorld, type InboxWorld } from '../staff-web/inbox/support.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Non-empty lines. */
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe.each(databaseTargets())('linli lists on %s', (target) => {
  let db: TestDatabase;
  let w: InboxWorld;
  let slug: string;
  /** Filed an hour apart: a repair in zone A (open), one in zone B (open), and one resolved in zone A. */
  let leak: { ticketId: string; number: string };
  let noise: { ticketId: string; number: string };
  let done: { ticketId: string; number: string };
  /** The first deadline of an open ticket, and that ticket: nothing is late before it. */
  let firstDue: Date;
  let firstLate: { ticketId: string; number: string };

  const linli = async (args: string[], options: { locale?: string; now?: Date } = {}): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const now = options.now ?? new Date(firstDue.getTime() - 1);
    const code = await runLinli(args, {
      env: { LINLI_LOCALE: options.locale ?? 'zh-CN', COMMUNITY_SLUG: slug, COMMUNITY_TIMEZONE: 'Asia/Shanghai' },
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      database: db,
      clock: () => now,
    });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    db = await createTestDatabase(target);
    w = await seedInboxWorld(db.prisma);
    slug = (await db.prisma.community.findUniqueOrThrow({ where: { id: w.communityId }, select: { slug: true } })).slug;
    const at = (hours: number) => new Date(w.now.getTime() + hours * HOUR);
    leak = await file(db.prisma, w, w.residents.zhang, { at: at(0), description: '厨房水管漏水' });
    noise = await file(db.prisma, w, w.residents.zhao, { at: at(1), category: 'public_security', description: '夜里楼下很吵' });
    done = await file(db.prisma, w, w.residents.wang, { at: at(2), description: '楼道灯坏了' });
    await act(db.prisma, w, w.residents.committee, done.ticketId, 'claim', at(2.1));
    await act(db.prisma, w, w.residents.committee, done.ticketId, 'note', at(2.2), { text: '电工周三有空' });
    await act(db.prisma, w, w.residents.committee, done.ticketId, 'reply', at(2.3), { text: '周三来修' });
    await act(db.prisma, w, w.residents.committee, done.ticketId, 'resolve', at(2.4), { text: '已换灯泡' });
    const dueOf = async (t: { ticketId: string }) =>
      (await db.prisma.ticket.findUniqueOrThrow({ where: { id: t.ticketId }, select: { firstResponseDueAt: true } })).firstResponseDueAt;
    const [leakDue, noiseDue] = [await dueOf(leak), await dueOf(noise)];
    [firstDue, firstLate] = leakDue.getTime() <= noiseDue.getTime() ? [leakDue, leak] : [noiseDue, noise];
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lists the open tickets newest first, one line each, and says how many of how many', async () => {
    const run = await linli(['tickets', 'list']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const shown = lines(run.stdout);
    expect(shown).toHaveLength(3);
    // Routing gave each report to the steward of its area.
    expect(shown[0]).toMatch(new RegExp(`^${noise.number} {2}待受理 {2}治安 {2}楼寓/5号楼 {2}冯楼长 {2}时限\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`));
    expect(shown[1]).toMatch(new RegExp(`^${leak.number} {2}待受理 {2}其他 {2}平房区/团结巷/3号院 {2}钱包片 {2}时限\\S+ \\S+$`));
    expect(shown[2]).toBe('显示2条，共2条');

    const english = await linli(['tickets', 'list', '--state', 'all'], { locale: 'en' });
    const all = lines(english.stdout);
    expect(all.map((line) => line.split('  ')[0])).toEqual([done.number, noise.number, leak.number, 'showing 3 of 3']);
    // A resolved ticket has no deadline left and its holder is named.
    expect(all[0]).toBe(`${done.number}  Resolved  Other  平房区/团结巷/3号院  周主任`);
  });

  it('filters by state: one status, none, and a word that is no state refused as a usage error', async () => {
    const resolved = lines((await linli(['tickets', 'list', '--state', 'resolved'])).stdout);
    expect(resolved).toEqual([expect.stringMatching(new RegExp(`^${done.number} {2}已办结`)), '显示1条，共1条']);
    const inProgress = await linli(['tickets', 'list', '--state', 'in_progress']);
    expect(lines(inProgress.stdout)).toEqual(['没有符合条件的工单。']);
    const bad = await linli(['tickets', 'list', '--state', 'done'], { locale: 'en' });
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual(['"done" is not a ticket state; choose from: open, new, in_progress, resolved, closed, withdrawn, merged, all']);
  });

  it('filters by area, the area and everything below it; an unknown area is one line and exit code 1', async () => {
    const zoneA = lines((await linli(['tickets', 'list', '--area', '平房区', '--state', 'all'])).stdout);
    expect(zoneA.map((line) => line.split('  ')[0])).toEqual([done.number, leak.number, '显示2条，共2条']);
    const building = lines((await linli(['tickets', 'list', '--area', '楼寓/5号楼/'])).stdout);
    expect(building.map((line) => line.split('  ')[0])).toEqual([noise.number, '显示1条，共1条']);
    const otherCourt = await linli(['tickets', 'list', '--area', '平房区/团结巷/5号院']);
    expect(lines(otherCourt.stdout)).toEqual(['没有符合条件的工单。']);
    const unknown = await linli(['tickets', 'list', '--area', '平房区/幸福巷']);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual(['没有片区“平房区/幸福巷”，请先导入花名册，或检查路径（如 平房区/团结巷）']);
  });

  it('--overdue: a ticket is late at the very instant its deadline falls, not a moment before', async () => {
    const before = await linli(['tickets', 'list', '--overdue'], { now: new Date(firstDue.getTime() - 1) });
    expect(lines(before.stdout)).toEqual(['没有符合条件的工单。']);
    const plain = await linli(['tickets', 'list'], { now: new Date(firstDue.getTime() - 1) });
    expect(plain.stdout).not.toContain('已超时');

    const at = await linli(['tickets', 'list', '--overdue'], { now: firstDue });
    expect(lines(at.stdout)).toEqual([expect.stringMatching(new RegExp(`^${firstLate.number} .*【已超时】$`)), '显示1条，共1条']);
    const marked = await linli(['tickets', 'list', '--state', 'all'], { now: firstDue });
    expect(lines(marked.stdout).filter((line) => line.endsWith('【已超时】')).map((line) => line.split('  ')[0])).toEqual([firstLate.number]);
  });

  it('--limit shows the newest N and says how many there are in all; 0 and too many are usage errors', async () => {
    const one = lines((await linli(['tickets', 'list', '--limit', '1'])).stdout);
    expect(one.map((line) => line.split('  ')[0])).toEqual([noise.number, '显示1条，共2条']);
    const two = lines((await linli(['tickets', 'list', '--limit', '2'])).stdout);
    expect(two.at(-1)).toBe('显示2条，共2条');
    const most = await linli(['tickets', 'list', '--limit', '1000']);
    expect(most.code).toBe(0);
    for (const value of ['0', '1001', 'ten']) {
      const bad = await linli(['tickets', 'list', '--limit', value], { locale: 'en' });
      expect(bad.code).toBe(2);
      expect(lines(bad.stderr)).toEqual([`--limit "${value}" is not valid: it must be a whole number from 1 to 1000`]);
    }
  });

  it('shows one ticket: header, deadlines and history with the internal note marked, the reporter masked', async () => {
    const run = await linli(['tickets', 'show', done.number]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const shown = lines(run.stdout);
    expect(shown[0]).toBe(`${done.number}  已办结  投诉  其他`);
    expect(shown).toContain('负责人：周主任');
    expect(shown).toContain('反映人：王*，电话137****2222');
    expect(shown).toContain('住户：A2 团结巷3号院5号');
    expect(shown).toContain('内容：楼道灯坏了');
    expect(run.stdout).not.toContain('13700002222');
    expect(run.stdout).not.toContain('王五');
    expect(shown).toContainEqual(expect.stringMatching(/^ {2}首次响应：.*前，已完成于/));
    const history = shown.slice(shown.indexOf('办理记录：') + 1);
    expect(history).toEqual([
      expect.stringMatching(/^ {2}\S+ \S+ {2}登记 {2}王\* {2}楼道灯坏了$/),
      expect.stringMatching(/ {2}认领 {2}周主任$/),
      expect.stringMatching(/ {2}【内部备注，居民看不到】 {2}周主任 {2}电工周三有空$/),
      expect.stringMatching(/ {2}回复居民 {2}周主任 {2}周三来修$/),
      expect.stringMatching(/ {2}办结 {2}周主任 {2}已换灯泡$/),
    ]);

    const english = await linli(['tickets', 'show', leak.number], { locale: 'en', now: firstDue });
    expect(english.stdout).toContain('Reporter: 张**, phone 138****5678');
    expect(english.stdout).not.toContain('13812345678');
    const late = await linli(['tickets', 'show', firstLate.number], { locale: 'en', now: new Date(firstDue.getTime() + 5 * 60_000) });
    expect(late.stdout).toMatch(/\n {2}First response: due \S+ \S+, overdue by 5 min\n/);
  });

  it('an unknown ticket number is one line and exit code 1', async () => {
    const run = await linli(['tickets', 'show', 'MQ-2026-09999']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual(['没有编号为MQ-2026-09999的工单']);
    const english = await linli(['tickets', 'show', 'nonsense'], { locale: 'en' });
    expect(english.code).toBe(1);
    expect(lines(english.stderr)).toEqual(['There is no ticket nonsense']);
  });

  it('binding list: waiting requests oldest first, name as typed, phone masked, the likely household; --all adds the decided', async () => {
    const none = await linli(['binding', 'list']);
    expect(none.code).toBe(0);
    expect(lines(none.stdout)).toEqual(['没有待处理的绑定申请。']);

    const ask = async (externalId: string, name: string, address: string, phone: string) => {
      const account = await db.prisma.chatAccount.create({ data: { communityId: w.communityId, channel: 'web', externalId: `${externalId}-${slug}` } });
      const filed = await db.prisma.$transaction((tx) => createBindingRequest(tx, { communityId: w.communityId, chatAccountId: account.id, name, address, phone }));
      if (filed.status !== 'created') throw new Error('not filed');
      return filed.number;
    };
    const zhang = await ask('asks-zhang', '张三丰', '团结巷3号院2号', '13812345678');
    const stranger = await ask('asks-stranger', '路人甲', '不知道', '13000001234');

    const run = await linli(['binding', 'list']);
    expect(run.stderr).toBe('');
    expect(lines(run.stdout)).toEqual([
      expect.stringMatching(new RegExp(`^#${zhang} {2}张三丰 {2}团结巷3号院2号 {2}138\\*\\*\\*\\*5678 {2}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d {2}可能是A1 团结巷3号院2号（平房区/团结巷/3号院）$`)),
      expect.stringMatching(new RegExp(`^#${stranger} {2}路人甲 {2}不知道 {2}130\\*\\*\\*\\*1234 {2}\\S+ \\S+ {2}花名册中没有姓名、电话都相符的唯一一人$`)),
      '共2条待处理申请（用 linli approve <编号> 或 linli reject <编号> 处理）',
    ]);
    expect(run.stdout).not.toMatch(/13812345678|13000001234/);

    expect((await linli(['reject', String(stranger)])).code).toBe(0);
    const waiting = lines((await linli(['binding', 'list'], { locale: 'en' })).stdout);
    expect(waiting.map((line) => line.split('  ')[0])).toEqual([`#${zhang}`, '1 waiting (decide with linli approve <number> or linli reject <number>)']);
    const all = lines((await linli(['binding', 'list', '--all'], { locale: 'en' })).stdout);
    expect(all.map((line) => line.split('  ')[0])).toEqual([`#${zhang}`, `#${stranger}`, '2 requests']);
    expect(all[1]).toMatch(/ {2}rejected \(\d{4}-\d\d-\d\d \d\d:\d\d\)$/);
  });
});
