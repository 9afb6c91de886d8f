/**
 * One embedded PGlite shared by Prisma and BullMQ under load: Prisma interactive transactions
 * (some rolled back on purpose) write outbox rows and enqueue a job per row after commit, while a
 * worker (concurrency 5, retries with backoff, delayed jobs, a job scheduler) claims them through
 * the same database. Nothing may fail unexpectedly, no job may be lost, none may run twice.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueueBackend, type QueueBackend } from '../../src/queue/backend.js';
import { jobIds, parseJobPayload } from '../../src/queue/jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Rounds each producer runs at least, and on until the sweep scheduler has run a few times: the
 * load is a count, not a time, so a slow machine produces as much of it as a fast one.
 */
const ROUNDS = 15;
const PRODUCERS = 3;

class PlannedRollback extends Error {}

describe('PGlite shared by Prisma transactions and a BullMQ worker', () => {
  let database: TestDatabase;
  let backend: QueueBackend;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    backend = await createQueueBackend({ database });
  });
  afterAll(async () => {
    await backend?.close();
    await database?.close();
  });

  it('loses no job, runs none twice and raises no error', { timeout: 60_000 }, async () => {
    const { prisma } = database;
    const community = await seedCommunity(prisma);
    const queue = backend.queue('deliveries');
    const unexpected: unknown[] = [];
    const successes = new Map<string, number>();
    const attempts = new Map<string, number>();
    const duplicateClaims: string[] = [];
    let schedulerRuns = 0;

    // Every fifth row fails its first attempt: the retry must deliver it, once.
    const failsFirst = (outboxId: string) => outboxId.charCodeAt(outboxId.length - 1) % 5 === 0;

    const worker = backend.worker(
      'deliveries',
      async (job) => {
        const { outboxId } = parseJobPayload('deliveries', job.data);
        attempts.set(outboxId, (attempts.get(outboxId) ?? 0) + 1);
        if (failsFirst(outboxId) && job.attemptsMade === 0) throw new Error('planned first-attempt failure');
        const claimed = await prisma.outboxMessage.updateMany({
          where: { id: outboxId, status: 'queued' },
          data: { status: 'sent', sentAt: new Date(), attempts: { increment: 1 } },
        });
        if (claimed.count !== 1) duplicateClaims.push(outboxId);
        successes.set(outboxId, (successes.get(outboxId) ?? 0) + 1);
      },
      { concurrency: 5 },
    );
    worker.on('error', (error) => unexpected.push(error));
    worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) unexpected.push(error);
    });
    // A periodic job on the same database, like the outbox sweep.
    const sweeps = backend.queue<Record<string, never>>('stress-sweeps');
    const sweeper = backend.worker<Record<string, never>>('stress-sweeps', async () => {
      schedulerRuns += 1;
      await prisma.outboxMessage.count({ where: { status: 'queued' } });
    });
    sweeper.on('error', (error) => unexpected.push(error));
    await sweeps.upsertJobScheduler('sweep', { every: 250 }, { name: 'sweep', data: {} });

    const committed: string[] = [];
    const rolledBack: string[] = [];
    let delayed = 0;

    const produce = async (producer: number) => {
      for (let round = 0; round < ROUNDS || schedulerRuns <= 2; round++) {
        const rollback = round % 5 === 4;
        let created: string[] = [];
        try {
          created = await prisma.$transaction(async (tx) => {
            const ids: string[] = [];
            for (let i = 0; i <= round % 3; i++) {
              const row = await tx.outboxMessage.create({
                data: { communityId: community.id, channel: 'web', chatId: `chat-${producer}`, payload: { kind: 'stress' }, status: 'queued' },
              });
              ids.push(row.id);
            }
            await tx.outboxMessage.count({ where: { chatId: `chat-${producer}` } });
            if (rollback) {
              rolledBack.push(...ids);
              throw new PlannedRollback();
            }
            return ids;
          });
        } catch (error) {
          if (!(error instanceof PlannedRollback)) unexpected.push(error);
          continue;
        }
        committed.push(...created);
        // After commit, never inside the transaction (see STACK-NOTES hazard 2).
        for (const [index, outboxId] of created.entries()) {
          const delay = index === 1 ? 50 + (round % 4) * 100 : 0;
          if (delay > 0) delayed += 1;
          await queue.add(
            'deliver',
            { outboxId },
            { jobId: jobIds.deliveries({ outboxId }), delay, attempts: 3, backoff: { type: 'fixed', delay: 50 } },
          );
        }
        await yieldToEventLoop();
      }
    };

    await Promise.all(Array.from({ length: PRODUCERS }, (_, producer) => produce(producer)));
    await waitFor(() => committed.every((id) => successes.has(id)), 'every committed row to be delivered');
    await sweeps.removeJobScheduler('sweep');
    await Promise.all([worker.close(), sweeper.close()]);

    expect(unexpected).toEqual([]);
    expect(duplicateClaims).toEqual([]);
    // The load really had every ingredient.
    expect(committed.length).toBeGreaterThan(30);
    expect(rolledBack.length).toBeGreaterThan(0);
    expect(delayed).toBeGreaterThan(0);
    expect(committed.filter(failsFirst).length).toBeGreaterThan(0);
    expect(schedulerRuns).toBeGreaterThan(2);

    for (const id of committed) {
      expect(successes.get(id), `successes of ${id}`).toBe(1);
      expect(attempts.get(id), `attempts of ${id}`).toBe(failsFirst(id) ? 2 : 1);
    }
    const rows = await prisma.outboxMessage.findMany({ where: { communityId: community.id } });
    expect(rows.map((row) => row.id).sort()).toEqual([...committed].sort());
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    expect(await prisma.outboxMessage.count({ where: { id: { in: rolledBack } } })).toBe(0);
    const counts = await queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
    expect(counts).toMatchObject({ failed: 0, active: 0, waiting: 0, delayed: 0 });
    expect(counts.completed).toBeGreaterThanOrEqual(committed.length);
  });
});
