/**
 * `linli meetings` on a real database and a fixed clock: the operator calls a meeting (invited
 * residents get the invitation as outbox rows, with its answer buttons as numbered lines kept for
 * a channel without buttons), lists it with the answers, moves it (its version bumped, everyone
 * told) and cancels it; a wrong type or time is one line and exit 2, an unknown number exit 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../src/cli/linli-run.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedMeetingsCommunity, type MeetingsCommunity } from '../features/meetings/support.js';

const NOW = new Date('2026-12-01T02:00:00Z');

describe.each(databaseTargets())('linli meetings on %s', (target) => {
  let db: TestDatabase;
  let c: MeetingsCommunity;
  let slug = '';

  const linli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runLinli(args, {
      env: { LINLI_LOCALE: 'zh-CN', COMMUNITY_SLUG: slug, COMMUNITY_TIMEZONE: 'Asia/Shanghai', LINLI_SECRET: 'test-secret-test-secret-test-secret-42' },
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      database: db,
      clock: () => NOW,
    });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedMeetingsCommunity(db.prisma, 'Asia/Shanghai', 3, NOW);
    slug = (await db.prisma.community.findUniqueOrThrow({ where: { id: c.communityId }, select: { slug: true } })).slug;
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('calls, lists, moves and cancels a meeting, telling everyone invited each time', async () => {
    const called = await linli(['meetings', 'call', 'residents', '2026-12-08T19:00', '冬季供暖协调', '--place', '活动室', '--agenda', '供暖时间;费用', '--reminders', '24h,1h']);
    expect(called.stderr).toBe('');
    expect(called.code).toBe(0);
    const number = /(HY-2026-\d{5})/.exec(called.stdout)![1]!;
    expect(called.stdout).toContain(`已召集会议${number}`);
    const meeting = await db.prisma.meeting.findFirstOrThrow({ where: { number } });
    expect(meeting.startsAt.toISOString()).toBe('2026-12-08T11:00:00.000Z');
    expect(meeting.reminderOffsets).toEqual([1440, 60]);
    const first = await db.prisma.outboxMessage.findMany({ where: { chatAccountId: c.people[0]!.accountId } });
    expect((first[0]!.payload as { text: string }).text).toContain('1. 供暖时间\n2. 费用');

    await db.prisma.meetingInvitation.updateMany({ where: { meetingId: meeting.id, residentId: c.people[0]!.residentId }, data: { rsvp: 'attend' } });
    const listed = await linli(['meetings', 'list']);
    expect(listed.stdout).toContain(number);
    expect(listed.stdout).toContain('2026-12-08 19:00–21:00');
    expect(listed.stdout).toMatch(/参加1，不能参加0，待定0/);

    const moved = await linli(['meetings', 'move', number, '2026-12-09T19:00']);
    expect(moved.stdout).toContain(`会议${number}已改期`);
    expect((await db.prisma.meeting.findFirstOrThrow({ where: { number } })).version).toBe(1);
    const cancelled = await linli(['meetings', 'cancel', number, '--reason', '锅炉检修']);
    expect(cancelled.stdout).toContain(`会议${number}已取消`);
    const texts = (await db.prisma.outboxMessage.findMany({ where: { chatAccountId: c.people[1]!.accountId }, orderBy: { createdAt: 'asc' } })).map((row) => (row.payload as { text: string }).text);
    expect(texts.map((text) => text.split('：')[0])).toEqual(['📅 会议通知', '📅 会议改期', '❌ 会议取消']);
    expect(texts[2]).toContain('锅炉检修');
    expect((await linli(['meetings', 'list'])).stdout).toContain('没有即将召开的会议');
  });

  it('a wrong type or time is one line and exit 2; an unknown number exit 1', async () => {
    const type = await linli(['meetings', 'call', 'party', '2026-12-08T19:00', '聚会']);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('会议类型不对');
    const time = await linli(['meetings', 'call', 'residents', '12/08 19:00', '会']);
    expect(time.code).toBe(2);
    expect(time.stderr).toContain('时间格式不对');
    const unknown = await linli(['meetings', 'cancel', 'HY-2026-09999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('找不到会议HY-2026-09999');
  });
});
