/**
 * A meeting's reminders as real delayed jobs on real queues, in a zone without DST (Shanghai) and
 * one with it (New York, the meeting two days after the spring change): one job per meeting,
 * version and offset, due at exactly the offset (not a millisecond early) on a fake clock; none
 * to someone who declined; a person's own offsets get jobs of their own; a move re-keys them (the
 * old version's job does nothing) and reminds again; a job run twice, or after a restart, reminds
 * nobody twice; a cancellation removes the jobs and tells everyone invited.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCommitted, transactionWithAfterCommit } from '../../../src/db/after-commit.js';
import type { Tx } from '../../../src/db/prisma-types.js';
import { answerInvitation, setOwnOffsets } from '../../../src/features/meetings/invite/answers.js';
import { MeetingReminders } from '../../../src/features/meetings/reminders/meeting-reminders.js';
import { localToInstant } from '../../../src/features/meetings/rules/recurrence.js';
import { callMeeting, changeMeeting } from '../../../src/features/meetings/schedule/call-meeting.js';
import type { MeetingsDeps } from '../../../src/features/meetings/schedule/meetings-deps.js';
import { createLogger } from '../../../src/log/logger.js';
import { createQueueBackend, type QueueBackend } from '../../../src/queue/backend.js';
import { jobIds } from '../../../src/queue/jobs.js';
import { QueueNames } from '../../../src/queue/names.js';
import { queueTargetFor } from '../../support/app.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { meetingsDeps, OPERATOR, seedMeetingsCommunity, TestClock, type MeetingsCommunity } from './support.js';

const MINUTE = 60_000;
const logger = createLogger('silent');
const noDelivery = { dispatch: async () => {} };

const ZONES = [
  // No DST: 19:00 local is 11:00 UTC.
  { timeZone: 'Asia/Shanghai', now: '2026-03-07T09:00', starts: '2026-03-10T19:00', movedTo: '2026-03-11T19:00', expectStartUtc: '2026-03-10T11:00:00.000Z' },
  // DST began on 8 March: 19:00 on 10 March is EDT (UTC-4), 23:00 UTC; the clock was on EST when it was called.
  { timeZone: 'America/New_York', now: '2026-03-07T09:00', starts: '2026-03-10T19:00', movedTo: '2026-03-11T19:00', expectStartUtc: '2026-03-10T23:00:00.000Z' },
] as const;

describe.each(databaseTargets())('meeting reminders on %s', (target) => {
  describe.each(ZONES)('in $timeZone', (zone) => {
    let db: TestDatabase;
    let c: MeetingsCommunity;
    let queues: QueueBackend;
    const prefix = `t${randomBytes(5).toString('hex')}`;
    const clock = new TestClock(localToInstant(zone.now, zone.timeZone)!);
    let reminders: MeetingReminders;
    let deps: MeetingsDeps;
    let meetingId = '';
    let number = '';
    let startsAt = new Date(0);

    const connect = () =>
      createQueueBackend({ ...(queueTargetFor(target) === 'redis' ? { redisUrl: process.env['TEST_REDIS_URL']! } : {}), database: db, prefix, logger });
    const remindersOn = (backend: QueueBackend) =>
      new MeetingReminders({ prisma: db.prisma, queue: backend.queue(QueueNames.meetingReminders), notices: meetingsDeps(db.prisma, clock, { meetingChanged: () => undefined }).notices, outbox: noDelivery, logger, now: clock.now });
    const jobId = (version: number, offset: number) => jobIds['meeting-reminders']({ meetingId, version, offset });
    const jobsNow = async () => (await queues.queue(QueueNames.meetingReminders).getJobs(['delayed', 'waiting', 'active'])).map((job) => job.id).sort();
    const textsTo = async (accountId: string) =>
      (await db.prisma.outboxMessage.findMany({ where: { chatAccountId: accountId }, orderBy: { createdAt: 'asc' } })).map((row) => (row.payload as { text: string }).text);
    const reminderTexts = async (accountId: string) => (await textsTo(accountId)).filter((text) => text.startsWith('⏰'));

    async function change<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      const committed = await transactionWithAfterCommit(db.prisma, work);
      await finishCommitted(committed, noDelivery);
      return committed.value;
    }

    beforeAll(async () => {
      db = await createTestDatabase(target);
      c = await seedMeetingsCommunity(db.prisma, zone.timeZone, 4, clock.at);
      queues = await connect();
      reminders = remindersOn(queues);
      deps = meetingsDeps(db.prisma, clock, reminders);
    }, 120_000);
    afterAll(async () => {
      await queues?.close();
      await db?.close();
    });

    it('calling a meeting invites its audience in chat and sets one delayed job per offset, at exactly the offset', async () => {
      startsAt = localToInstant(zone.starts, zone.timeZone)!;
      expect(startsAt.toISOString()).toBe(zone.expectStartUtc);
      const called = await change((tx) => callMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, type: 'residents', title: '居民会议', startsAt, durationMinutes: 90, place: '活动室', agenda: ['春季绿化'] }));
      if (called.status !== 'called') throw new Error(called.status);
      ({ meetingId, number } = called);
      expect(called.invited).toBeGreaterThanOrEqual(c.people.length);
      const invitation = (await textsTo(c.people[0]!.accountId))[0]!;
      expect(invitation).toContain(number);
      expect(invitation).toContain('1. 春季绿化');
      expect(await jobsNow()).toEqual([jobId(0, 1440), jobId(0, 120)].sort());
      const day = await queues.queue(QueueNames.meetingReminders).getJob(jobId(0, 1440));
      expect(day!.opts.delay).toBe(startsAt.getTime() - 1440 * MINUTE - clock.at.getTime());
    });

    it("a decliner gets no reminder; a person's own offset gets a job of its own", async () => {
      const declined = await change((tx) => answerInvitation(tx, reminders, { communityId: c.communityId, residentId: c.people[1]!.residentId, number, answer: 'cannot', reason: '出差', now: clock.at }));
      expect(declined.status).toBe('recorded');
      expect(await change((tx) => setOwnOffsets(tx, reminders, c.people[2]!.residentId, [30], clock.at))).toBe(1);
      expect(await jobsNow()).toEqual([jobId(0, 1440), jobId(0, 120), jobId(0, 30)].sort());
    });

    it('a job run a millisecond early is tried again later; at its moment it reminds everyone due at once, and only once', async () => {
      clock.at = new Date(startsAt.getTime() - 1440 * MINUTE - 1);
      await expect(reminders.handle({ meetingId, version: 0, offset: 1440 })).rejects.toThrow('ran early');
      expect(await reminderTexts(c.people[0]!.accountId)).toHaveLength(0);
      clock.at = new Date(startsAt.getTime() - 1440 * MINUTE);
      const first = await reminders.handle({ meetingId, version: 0, offset: 1440 });
      expect(first.outcome).toBe('sent');
      expect(await reminderTexts(c.people[0]!.accountId)).toHaveLength(1);
      expect(await reminderTexts(c.people[3]!.accountId)).toHaveLength(1);
      expect(await reminderTexts(c.people[1]!.accountId)).toHaveLength(0);
      expect(await reminderTexts(c.people[2]!.accountId)).toHaveLength(0);
      expect(await reminders.handle({ meetingId, version: 0, offset: 1440 })).toEqual({ outcome: 'sent', reminded: 0 });
      expect(await reminderTexts(c.people[0]!.accountId)).toHaveLength(1);
    });

    it('a restart loses none and adds none: the sweep on a new connection asks for the jobs still to come', async () => {
      await queues.close();
      queues = await connect();
      reminders = remindersOn(queues);
      deps = meetingsDeps(db.prisma, clock, reminders);
      expect(await reminders.sweep(c.communityId)).toBe(2);
      expect(await jobsNow()).toEqual([jobId(0, 1440), jobId(0, 120), jobId(0, 30)].sort());
    });

    it('moving re-keys the jobs (the old version does nothing) and everyone invited is told, the decliner too', async () => {
      const movedTo = localToInstant(zone.movedTo, zone.timeZone)!;
      const moved = await change((tx) => changeMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, number, startsAt: movedTo }));
      expect(moved).toMatchObject({ status: 'moved' });
      expect((await jobsNow()).filter((id) => id!.includes('-v0-'))).toEqual([]);
      expect(await jobsNow()).toEqual([jobId(1, 1440), jobId(1, 120), jobId(1, 30)].sort());
      expect((await textsTo(c.people[1]!.accountId)).some((text) => text.startsWith('📅 会议改期'))).toBe(true);
      clock.at = new Date(startsAt.getTime() - 120 * MINUTE);
      expect((await reminders.handle({ meetingId, version: 0, offset: 120 })).outcome).toBe('stale');
      // The new time: the day's reminder is due again for the new version.
      clock.at = new Date(movedTo.getTime() - 1440 * MINUTE);
      expect((await reminders.handle({ meetingId, version: 1, offset: 1440 })).reminded).toBeGreaterThanOrEqual(2);
      expect(await reminderTexts(c.people[0]!.accountId)).toHaveLength(2);
      clock.at = new Date(movedTo.getTime() - 30 * MINUTE);
      await reminders.handle({ meetingId, version: 1, offset: 30 });
      expect(await reminderTexts(c.people[2]!.accountId)).toHaveLength(1);
      expect(await reminderTexts(c.people[1]!.accountId)).toHaveLength(0);
      clock.at = movedTo;
      expect((await reminders.handle({ meetingId, version: 1, offset: 120 })).outcome).toBe('late');
    });

    it('cancelling removes the jobs and tells everyone invited', async () => {
      clock.at = localToInstant(zone.now, zone.timeZone)!;
      const cancelled = await change((tx) => changeMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, number, reason: '场地维修' }));
      expect(cancelled).toMatchObject({ status: 'cancelled' });
      expect(await jobsNow()).toEqual([]);
      for (const person of c.people) expect((await textsTo(person.accountId)).at(-1)).toContain('❌');
      expect((await reminders.handle({ meetingId, version: 2, offset: 120 })).outcome).toBe('stale');
    });
  });
});
