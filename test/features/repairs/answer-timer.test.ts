/**
 * The resident's days to answer once the work is done, on real queues: a job per round keyed by
 * the work order and its returns, removed when the resident answers; when it fires it confirms
 * only a job still done in its round and only once its time has come (a fake clock moves); the
 * resident then hears the ticket's rating question. A worker takes a job due now.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { fileRepair } from '../../../src/features/repairs/filing/file-repair.js';
import { AnswerNotDueError, RepairAnswerTimer, type AnswerJob } from '../../../src/features/repairs/resident/answer-timer.js';
import { sendRepairBack } from '../../../src/features/repairs/resident/resident-repairs.js';
import { listenForDoneWork } from '../../../src/features/repairs/resident/ticket-resolution.js';
import { listenForReopenedRepairs } from '../../../src/features/repairs/resident/send-back.js';
import { createLogger } from '../../../src/log/logger.js';
import { DeliveryScheduler } from '../../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher } from '../../../src/outbox/outbox.js';
import { createQueueBackend, type LinliQueue, type QueueBackend } from '../../../src/queue/backend.js';
import { jobIds, parseJobPayload } from '../../../src/queue/jobs.js';
import { QueueNames } from '../../../src/queue/names.js';
import { queueTargetFor } from '../../support/app.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { waitFor } from '../../support/wait-for.js';
import { seedPolicyCommunity, type SeededCommunity } from '../policy/support/seed-community.js';
import { DAY, testDeps, type TestDeps } from '../tickets/service/support.js';
import { StandInDispatch } from './support/stand-in-dispatch.js';

type Person = Actor & { kind: 'person' };

describe.each(databaseTargets())('the resident’s days to answer on %s', (target) => {
  let db: TestDatabase;
  let queues: QueueBackend;
  let queue: LinliQueue<AnswerJob>;
  let c: SeededCommunity;
  let deps: TestDeps;
  let team: StandInDispatch;
  let timer: RepairAnswerTimer;
  const prisma = () => db.prisma;
  const logger = createLogger('silent');
  const person = async (residentId: string) => (await loadActor(prisma(), { residentId }, { now: c.now }))! as Person;
  const order = (id: string) => prisma().workOrder.findUniqueOrThrow({ where: { id }, include: { ticket: true } });
  const jobOf = (workOrderId: string, round: number) => queue.getJob(jobIds['repair-confirmations']({ workOrderId, round }));

  /** A repair of Zhang's taken by the plumber and done now. */
  async function doneRepair(): Promise<string> {
    const zhang = await person(c.residents.zhang);
    const filed = await prisma().$transaction((tx) => fileRepair(tx, deps, { communityId: c.communityId, actor: zhang, job: 'water_leak', description: '水龙头关不紧' }));
    await team.offer(filed.workOrderId, c.residents.plumber);
    await team.accept(filed.workOrderId, c.residents.plumber);
    await team.done(filed.workOrderId, c.residents.plumber, { workDone: '换了阀芯' });
    return filed.workOrderId;
  }

  beforeAll(async () => {
    db = await createTestDatabase(target);
    const redisUrl = queueTargetFor(target) === 'redis' ? process.env['TEST_REDIS_URL'] : undefined;
    queues = await createQueueBackend({ ...(redisUrl ? { redisUrl } : {}), database: db, prefix: `t${randomBytes(5).toString('hex')}`, logger });
    queue = queues.queue(QueueNames.repairConfirmations);
  }, 60_000);
  afterAll(async () => {
    await queues?.close();
    await db?.close();
  });
  beforeEach(async () => {
    c = await seedPolicyCommunity(prisma());
    deps = testDeps(c.now);
    listenForDoneWork(deps.events, deps);
    listenForReopenedRepairs(deps.events);
    team = new StandInDispatch(prisma(), deps.events, () => deps.clock.now);
    const outbox = new OutboxDispatcher(prisma(), new DeliveryScheduler(queues, prisma(), logger), logger);
    timer = new RepairAnswerTimer({ prisma: prisma(), queue, service: deps, outbox, logger });
  });

  it('sets a job three days out; before its time it waits, at its time the clock confirms and the ticket asks for the rating', async () => {
    const workOrderId = await doneRepair();
    expect(await timer.schedule(workOrderId)).toBe(true);
    const job = await jobOf(workOrderId, 0);
    expect(job?.data).toEqual({ workOrderId, round: 0 });
    expect(job?.opts.delay).toBe(3 * DAY);

    deps.clock.now = new Date(c.now.getTime() + 3 * DAY - 1);
    await expect(timer.handle({ workOrderId, round: 0 })).rejects.toThrow(AnswerNotDueError);
    expect((await order(workOrderId)).status).toBe('done');

    deps.clock.now = new Date(c.now.getTime() + 3 * DAY);
    expect(await timer.handle({ workOrderId, round: 0 })).toBe('confirmed');
    const confirmed = await order(workOrderId);
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedAt: deps.clock.now });
    // The ticket was resolved when the work was done; now the resident gets its rating question, once.
    expect(confirmed.ticket).toMatchObject({ status: 'resolved', resolvedById: c.residents.plumber });
    const texts = (await prisma().outboxMessage.findMany({ where: { refs: { some: { subjectId: confirmed.ticketId } } }, orderBy: { seq: 'asc' } })).map((m) => (m.payload as { text: string }).text);
    expect(texts.at(-1)).toContain(`回复“评价 ${confirmed.ticket.number}”`);
    expect(texts.filter((text) => text.includes('评价'))).toHaveLength(1);
    // Once only.
    expect(await timer.handle({ workOrderId, round: 0 })).toBe('stale');
  });

  it('“not fixed” removes the round’s job; the next done sets the next round’s; an old round’s job confirms nothing', async () => {
    const workOrderId = await doneRepair();
    await timer.schedule(workOrderId);
    const zhang = await person(c.residents.zhang);
    await prisma().$transaction((tx) => sendRepairBack(tx, deps, { actor: zhang, number: '', text: '还在漏', at: deps.clock.now }));
    await timer.changed({ communityId: c.communityId, workOrderId, ticketId: (await order(workOrderId)).ticketId, kind: 'not_fixed' });
    expect(await jobOf(workOrderId, 0)).toBeUndefined();
    await team.done(workOrderId, c.residents.plumber, { workDone: '换了整个龙头' });
    await timer.schedule(workOrderId);
    expect((await jobOf(workOrderId, 1))?.data).toEqual({ workOrderId, round: 1 });
    deps.clock.now = new Date(c.now.getTime() + 10 * DAY);
    expect(await timer.handle({ workOrderId, round: 0 })).toBe('stale');
    expect((await order(workOrderId)).status).toBe('done');
    expect(await timer.handle({ workOrderId, round: 1 })).toBe('confirmed');
  });

  it('a worker takes a job whose time has come; the start-up sweep adds one job per work order still done', async () => {
    const workOrderId = await doneRepair();
    // Four days later, the job is due at once.
    deps.clock.now = new Date(c.now.getTime() + 4 * DAY);
    const worker = queues.worker(QueueNames.repairConfirmations, async (job) => timer.handle(parseJobPayload(QueueNames.repairConfirmations, job.data)));
    try {
      expect(await timer.sweep(c.communityId)).toBe(1);
      expect(await timer.sweep(c.communityId)).toBeGreaterThanOrEqual(0);
      await waitFor(async () => ((await order(workOrderId)).status === 'confirmed' ? true : undefined), 'the clock to confirm the repair');
    } finally {
      await worker.close();
    }
    expect(await timer.sweep(c.communityId)).toBe(0);
  });
});
