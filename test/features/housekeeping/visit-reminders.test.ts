/**
 * The reminders of a booked visit as real delayed jobs on real queues: the day before and an hour
 * before, keyed by booking and version; a move replaces them and a cancellation removes them; a
 * restart (a new queue connection and the start-up sweep) loses none and adds none; a job run
 * twice sends once; a stale job (older version) or one after the visit began sends nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCommitted, transactionWithAfterCommit } from '../../../src/db/after-commit.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { bookVisit } from '../../../src/features/housekeeping/service/book-visit.js';
import { cancelVisit, moveVisit } from '../../../src/features/housekeeping/service/change-visit.js';
import { VisitReminders, type ReminderJob } from '../../../src/features/housekeeping/service/visit-reminders.js';
import { AccountNotifier } from '../../../src/notify/account-notifier.js';
import { createLogger } from '../../../src/log/logger.js';
import { createQueueBackend, type QueueBackend } from '../../../src/queue/backend.js';
import { jobIds } from '../../../src/queue/jobs.js';
import { QueueNames } from '../../../src/queue/names.js';
import { queueTargetFor } from '../../support/app.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { housekeepingDeps, offerPlaces, seedHousekeepingCommunity, slotAt, TestClock, translator, type HousekeepingCommunity } from './support.js';

const NOW = new Date('2026-12-09T02:00:00Z');
/** The visit: 2026-12-11 09:00 in Asia/Shanghai. */
const VISIT = new Date('2026-12-11T01:00:00Z');
const HOUR = 3_600_000;
const logger = createLogger('silent');
const noDelivery = { dispatch: async () => {} };

describe.each(databaseTargets())('housekeeping reminders on %s', (target) => {
  let db: TestDatabase;
  let c: HousekeepingCommunity;
  let queues: QueueBackend;
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const clock = new TestClock(NOW);
  let actor: Actor;
  let accountId = '';
  let bookingId = '';

  const connect = () =>
    createQueueBackend({ ...(queueTargetFor(target) === 'redis' ? { redisUrl: process.env['TEST_REDIS_URL']! } : {}), database: db, prefix, logger });
  const remindersOn = (backend: QueueBackend) =>
    new VisitReminders({
      prisma: db.prisma,
      queue: backend.queue(QueueNames.housekeepingReminders),
      tickets: { translator, notifier: new AccountNotifier({ translator }) },
      outbox: noDelivery,
      logger,
      now: clock.now,
    });
  let reminders: VisitReminders;
  const jobId = (version: number, kind: ReminderJob['kind']) => jobIds['housekeeping-reminders']({ bookingId, version, kind });
  const jobsNow = async () => {
    const jobs = await queues.queue(QueueNames.housekeepingReminders).getJobs(['delayed', 'waiting', 'active']);
    return jobs.map((job) => job.id).sort();
  };
  const remindersSent = () => db.prisma.outboxMessage.findMany({ where: { chatAccountId: accountId }, orderBy: { createdAt: 'asc' } });

  /** Runs a booking change as a chat turn does: the jobs follow right after the commit. */
  async function change<T>(work: (deps: ReturnType<typeof housekeepingDeps>, tx: Parameters<Parameters<typeof db.prisma.$transaction>[0]>[0]) => Promise<T>): Promise<T> {
    const deps = housekeepingDeps(clock, reminders);
    const committed = await transactionWithAfterCommit(db.prisma, (tx) => work(deps, tx));
    await finishCommitted(committed, noDelivery);
    return committed.value;
  }

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedHousekeepingCommunity(db.prisma, 6, NOW);
    await offerPlaces(db.prisma, c.communityId, '2026-12-11', ['09:00-11:00', '14:00-16:00'], 3, NOW);
    queues = await connect();
    reminders = remindersOn(queues);
    actor = await c.person(0);
    accountId = (
      await db.prisma.chatAccount.create({
        data: { communityId: c.communityId, channel: 'web', externalId: randomBytes(16).toString('hex'), residentId: c.residents[0]!.residentId, boundAt: NOW, locale: 'zh-CN' },
      })
    ).id;
  }, 120_000);
  afterAll(async () => {
    await queues?.close();
    await db?.close();
  });

  it('booking adds a delayed job for the day before and one for the hour before, keyed by booking and version', async () => {
    const slot = await slotAt(db.prisma, c.communityId, '2026-12-11', '09:00');
    const booked = await change((deps, tx) => bookVisit(tx, deps, { communityId: c.communityId, actor, slotId: slot.id }));
    if (booked.status !== 'booked') throw new Error(booked.status);
    bookingId = booked.bookingId;
    expect(await jobsNow()).toEqual([jobId(0, 'day_before'), jobId(0, 'hour_before')].sort());
    const dayBefore = await queues.queue(QueueNames.housekeepingReminders).getJob(jobId(0, 'day_before'));
    expect(dayBefore!.opts.delay).toBe(VISIT.getTime() - 24 * HOUR - NOW.getTime());
  });

  it('a restart loses none and adds none: the sweep on a new connection finds the same two jobs', async () => {
    await queues.close();
    queues = await connect();
    reminders = remindersOn(queues);
    expect(await reminders.sweep(c.communityId)).toBe(2);
    expect(await jobsNow()).toEqual([jobId(0, 'day_before'), jobId(0, 'hour_before')].sort());
  });

  it('moving replaces the jobs with the new version’s; the old version’s job does nothing if it still runs', async () => {
    const afternoon = await slotAt(db.prisma, c.communityId, '2026-12-11', '14:00');
    const moved = await change((deps, tx) => moveVisit(tx, deps, { communityId: c.communityId, actor, bookingId, slotId: afternoon.id }));
    expect(moved.status).toBe('moved');
    expect(await jobsNow()).toEqual([jobId(1, 'day_before'), jobId(1, 'hour_before')].sort());
    clock.at = new Date(afternoon.startsAt.getTime() - 24 * HOUR);
    expect(await reminders.handle({ bookingId, version: 0, kind: 'day_before' })).toBe('stale');
    expect(await remindersSent()).toHaveLength(0);
  });

  it('a job run before its moment is tried again later; at its moment it reminds once, however often it runs', async () => {
    const afternoon = await slotAt(db.prisma, c.communityId, '2026-12-11', '14:00');
    clock.at = new Date(afternoon.startsAt.getTime() - 24 * HOUR - 1);
    await expect(reminders.handle({ bookingId, version: 1, kind: 'day_before' })).rejects.toThrow('ran early');
    clock.at = new Date(afternoon.startsAt.getTime() - 24 * HOUR);
    expect(await reminders.handle({ bookingId, version: 1, kind: 'day_before' })).toBe('sent');
    expect(await reminders.handle({ bookingId, version: 1, kind: 'day_before' })).toBe('already_sent');
    const sent = await remindersSent();
    expect(sent).toHaveLength(1);
    expect((sent[0]!.payload as { text: string }).text).toBe(
      '温馨提醒：您预约的日常保洁（JZ-2026-00001）将在12月11日周五 14:00–16:00上门，请届时家里留人。需要改约或取消，请发送“家政”。',
    );
    // After a restart the sweep does not bring the sent reminder back.
    expect(await reminders.sweep(c.communityId)).toBe(1);
  });

  it('an hour before it reminds again; once the visit has begun nothing more is sent', async () => {
    const afternoon = await slotAt(db.prisma, c.communityId, '2026-12-11', '14:00');
    clock.at = afternoon.startsAt;
    expect(await reminders.handle({ bookingId, version: 1, kind: 'hour_before' })).toBe('late');
    clock.at = new Date(afternoon.startsAt.getTime() - HOUR);
    expect(await reminders.handle({ bookingId, version: 1, kind: 'hour_before' })).toBe('sent');
    expect((await remindersSent()).map((row) => (row.payload as { text: string }).text)[1]).toContain('将在1小时后上门（12月11日周五 14:00–16:00）');
  });

  it('cancelling removes the jobs', async () => {
    clock.at = NOW;
    // A fresh booking, so it has jobs to remove.
    const slot = await slotAt(db.prisma, c.communityId, '2026-12-11', '09:00');
    const booked = await change((deps, tx) => bookVisit(tx, deps, { communityId: c.communityId, actor, slotId: slot.id }));
    if (booked.status !== 'booked') throw new Error(booked.status);
    bookingId = booked.bookingId;
    expect(await jobsNow()).toContain(jobId(0, 'day_before'));
    const cancelled = await change((deps, tx) => cancelVisit(tx, deps, { communityId: c.communityId, actor, bookingId }));
    expect(cancelled.status).toBe('cancelled');
    expect((await jobsNow()).filter((id) => id!.includes(bookingId))).toEqual([]);
    expect(await reminders.handle({ bookingId, version: 0, kind: 'day_before' })).toBe('stale');
  });
});
