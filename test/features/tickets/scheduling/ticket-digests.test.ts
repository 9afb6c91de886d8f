/**
 * The daily and weekly digests on a real database and queues, with the clock standing at a chosen
 * Monday morning: the figures for a seeded set of tickets, the week-over-week change, one message
 * per period however often it is asked for, the schedulers and the catch-up at start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueNames } from '../../../../src/queue/names.js';
import { localParts } from '../../../../src/features/tickets/rules/local-time.js';
import { digestSchedulerId } from '../../../../src/features/tickets/scheduling/ticket-digests.js';
import { databaseTargets } from '../../../support/database.js';
import { openSchedulingHarness, type SchedulingHarness } from './harness.js';
import { createTicket, outboxTexts, seedTicketCommunity, STAFF_CHAT_ID, type SeededCommunity } from './seed.js';
import { waitFor } from '../../../support/wait-for.js';

const at = (local: string) => new Date(`${local}+08:00`);
/** Monday 9 March 2026, half a minute after the digest hour. */
const MONDAY_MORNING = at('2026-03-09T08:00:30');

describe.each(databaseTargets())('ticket digests on %s', (target) => {
  let h: SchedulingHarness;
  let c: SeededCommunity;
  let clock = MONDAY_MORNING;
  const prisma = () => h.db.prisma;
  const staffChat = async (community = c) => (await outboxTexts(prisma(), STAFF_CHAT_ID, community.communityId)).map((m) => m.text);

  beforeAll(async () => {
    h = await openSchedulingHarness(target, { now: () => clock, digestHour: 8 });
    c = await seedTicketCommunity(prisma());
    const id = c.communityId;
    // Sunday 8 March: two new tickets (one answered in time, one not), one resolved and rated.
    await createTicket(prisma(), id, {
      category: 'fast',
      areaId: c.laneId,
      createdAt: at('2026-03-08T10:00:00'),
      firstResponseDueAt: at('2026-03-08T11:00:00'),
      firstRespondedAt: at('2026-03-08T10:30:00'),
      resolutionDueAt: at('2026-03-20T10:00:00'),
      status: 'in_progress',
    });
    await createTicket(prisma(), id, {
      category: 'other',
      createdAt: at('2026-03-08T12:00:00'),
      firstResponseDueAt: at('2026-03-08T13:00:00'),
      resolutionDueAt: at('2026-03-15T12:00:00'),
    });
    await createTicket(prisma(), id, {
      category: 'other',
      areaId: c.laneId,
      createdAt: at('2026-03-05T09:00:00'),
      firstResponseDueAt: at('2026-03-05T13:00:00'),
      firstRespondedAt: at('2026-03-05T12:00:00'),
      resolutionDueAt: at('2026-03-12T09:00:00'),
      status: 'resolved',
      resolvedAt: at('2026-03-08T15:00:00'),
      finishedAt: at('2026-03-08T15:00:00'),
      rating: 5,
      ratedAt: at('2026-03-08T16:00:00'),
      solved: true,
    });
    // The week before: one still open and now past its resolution deadline, one resolved and rated low.
    await createTicket(prisma(), id, {
      category: 'fast',
      areaId: c.laneId,
      createdAt: at('2026-03-01T09:00:00'),
      firstResponseDueAt: at('2026-03-01T12:00:00'),
      firstRespondedAt: at('2026-03-01T11:00:00'),
      resolutionDueAt: at('2026-03-07T09:00:00'),
      status: 'in_progress',
    });
    await createTicket(prisma(), id, {
      category: 'other',
      areaId: c.zoneId,
      createdAt: at('2026-02-25T09:00:00'),
      firstResponseDueAt: at('2026-02-26T09:00:00'),
      firstRespondedAt: at('2026-02-25T10:00:00'),
      resolutionDueAt: at('2026-03-04T09:00:00'),
      status: 'resolved',
      resolvedAt: at('2026-02-27T09:00:00'),
      finishedAt: at('2026-02-27T09:00:00'),
      rating: 2,
      ratedAt: at('2026-02-27T10:00:00'),
      solved: false,
    });
  });
  afterAll(() => h?.close());

  it('sends the daily digest of yesterday once, however often it is asked for', async () => {
    clock = MONDAY_MORNING;
    const first = await h.scheduling.digests.send(c.communityId, 'daily');
    expect(first.sent).toBe(true);
    expect(first.period.from).toEqual(at('2026-03-08T00:00:00'));
    const [text, ...rest] = await staffChat();
    expect(rest).toEqual([]);
    expect(text!.split('\n')).toEqual([
      '【民情日报】2026-03-08',
      '新增2件，已办结1件，在办3件，超时2件（首次响应超时1，办理超时1）',
      '响应率50%（1/2），解决率100%（1/1），满意率100%（1/1）',
      '按片区（新增 / 在办）：',
      '· 平房区：1 / 2',
      '· 未注明片区：1 / 1',
      '按类别（新增 / 在办）：',
      '· 快办：1 / 2',
      '· 其他：1 / 1',
    ]);

    // Again, and twice at once (a restart, a second worker): nothing more.
    clock = at('2026-03-09T23:59:00');
    const again = await Promise.all([h.scheduling.digests.send(c.communityId, 'daily'), h.scheduling.digests.send(c.communityId, 'daily')]);
    expect(again.map((o) => o.sent)).toEqual([false, false]);
    expect(await staffChat()).toHaveLength(1);
    expect(await prisma().digestRun.count({ where: { communityId: c.communityId, kind: 'daily' } })).toBe(1);
  });

  it('sends the weekly digest with the change from the week before, once', async () => {
    clock = MONDAY_MORNING;
    const before = (await staffChat()).length;
    const outcomes = await Promise.all([h.scheduling.digests.send(c.communityId, 'weekly'), h.scheduling.digests.send(c.communityId, 'weekly')]);
    expect(outcomes.map((o) => o.sent).sort()).toEqual([false, true]);
    const texts = (await staffChat()).slice(before);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.split('\n')).toEqual([
      '【民情周报】2026-03-02至2026-03-08',
      '新增3件（较上周+1，+50%）',
      '已办结1件（与上周持平）',
      '在办3件（较上周+2，+200%）',
      '超时2件（较上周+2，上周为0）',
      '响应率66.7%（2/3）（较上周-33.3个百分点）',
      '解决率100%（1/1）（较上周+100个百分点）',
      '满意率100%（1/1）（较上周+100个百分点）',
      '按片区（新增 / 在办）：',
      '· 平房区：2 / 2',
      '· 未注明片区：1 / 1',
      '按类别（新增 / 在办）：',
      '· 其他：2 / 1',
      '· 快办：1 / 2',
    ]);
  });

  it('says there is nothing to judge rather than 0 % for a quiet community', async () => {
    const quiet = await seedTicketCommunity(prisma());
    clock = MONDAY_MORNING;
    await h.scheduling.digests.send(quiet.communityId, 'daily');
    expect((await staffChat(quiet))[0]!.split('\n')).toEqual([
      '【民情日报】2026-03-08',
      '新增0件，已办结0件，在办0件，超时0件（首次响应超时0，办理超时0）',
      '响应率无数据，解决率无数据，满意率无数据',
    ]);
  });

  it('installs a daily and a Monday scheduler at the digest hour in the community time zone', async () => {
    await h.scheduling.digests.install(c.communityId);
    await h.scheduling.digests.install(c.communityId);
    const queue = h.queues.queue(QueueNames.ticketDigests);
    const schedulers = (await queue.getJobSchedulers()).filter((s) => s.key.endsWith(c.communityId));
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz]).sort()).toEqual([
      [digestSchedulerId(c.communityId, 'daily'), '0 8 * * *', 'Asia/Shanghai'],
      [digestSchedulerId(c.communityId, 'weekly'), '0 8 * * 1', 'Asia/Shanghai'],
    ]);
    for (const s of schedulers) {
      const next = localParts(new Date(s.next!), 'Asia/Shanghai');
      expect([next.hour, next.minute]).toEqual([8, 0]);
      if (s.key.includes('weekly')) expect(next.isoWeekday).toBe(1);
      expect(s.next!).toBeGreaterThan(Date.now());
    }
    await queue.removeJobScheduler(digestSchedulerId(c.communityId, 'daily'));
    await queue.removeJobScheduler(digestSchedulerId(c.communityId, 'weekly'));
  });

  it('catches up today’s digests at start through the queue, never sending one twice', async () => {
    const fresh = await seedTicketCommunity(prisma());
    const queue = h.queues.queue(QueueNames.ticketDigests);
    const drained = async () => {
      await waitFor(async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      }, 'the digest queue to drain');
    };
    clock = at('2026-03-09T07:59:00');
    expect(await h.scheduling.digests.catchUp(fresh.communityId)).toEqual([]);
    clock = at('2026-03-10T09:00:00');
    expect(await h.scheduling.digests.catchUp(fresh.communityId)).toEqual(['daily']);
    await waitFor(async () => (await staffChat(fresh)).length === 1, 'the caught-up daily digest');
    await drained();
    clock = at('2026-03-09T10:00:00');
    expect(await h.scheduling.digests.catchUp(fresh.communityId)).toEqual(['daily', 'weekly']);
    await waitFor(async () => (await prisma().digestRun.count({ where: { communityId: fresh.communityId } })) === 3, 'three digest runs');
    await waitFor(async () => (await staffChat(fresh)).length === 3, 'the Monday digests');
    // A restart the same morning: the jobs run again and send nothing.
    await drained();
    await h.scheduling.digests.catchUp(fresh.communityId);
    await drained();
    expect(await staffChat(fresh)).toHaveLength(3);
    expect((await staffChat(fresh)).map((t) => t.split('\n')[0]).sort()).toEqual(['【民情周报】2026-03-02至2026-03-08', '【民情日报】2026-03-08', '【民情日报】2026-03-09']);
  });
});
