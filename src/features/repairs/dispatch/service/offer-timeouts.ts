/**
 * Offer timeouts as delayed queue jobs (`dispatch-offers`): one per offer, keyed by the offer's
 * id, due at its expiry. Answering or withdrawing an offer removes its job; one left behind (a
 * removal lost with a crash) finds the offer answered and does nothing. The job runs
 * `expireOffer` in a transaction of its own and sends what it wrote after commit. One that fires
 * early (clocks of two hosts apart) fails and is tried again. The sweep — at start — sets the
 * job of every open offer again (an existing job is left alone: same id) and offers the jobs
 * still waiting, so a restart loses and repeats none.
 */
import { finishCommitted, transactionWithAfterCommit } from '../../../../db/after-commit.js';
import type { PrismaClient } from '../../../../db/prisma-types.js';
import type { OutboxDispatcher } from '../../../../outbox/outbox.js';
import type { LinliQueue, LinliWorker, QueueBackend } from '../../../../queue/backend.js';
import { jobIds, parseJobPayload, type JobPayload } from '../../../../queue/jobs.js';
import { QueueNames } from '../../../../queue/names.js';
import type { DispatchDeps, OfferTimeoutJobs } from './dispatch-deps.js';
import { dispatchWaiting, expireOffer, type ExpiryOutcome } from './offer-engine.js';

export type OfferTimeoutJob = JobPayload<'dispatch-offers'>;

/** Thrown when a timeout runs before its offer's expiry: the queue tries again later. */
export class OfferNotDueError extends Error {
  constructor(readonly dueAt: Date) {
    super(`offer timeout ran before ${dueAt.toISOString()}`);
    this.name = 'OfferNotDueError';
  }
}

/** The queue side: scheduling and removing the delayed jobs. */
export function offerTimeoutJobs(queue: LinliQueue<OfferTimeoutJob>, now: () => Date): OfferTimeoutJobs {
  return {
    async schedule(offers) {
      for (const offer of offers) {
        const payload: OfferTimeoutJob = { offerId: offer.id };
        await queue.add('offer-timeout', payload, {
          jobId: jobIds['dispatch-offers'](payload),
          delay: Math.max(0, offer.expiresAt.getTime() - now().getTime()),
          attempts: 8,
          backoff: { type: 'exponential', delay: 5_000 },
          removeOnComplete: true,
          removeOnFail: true,
        });
      }
    },
    async cancel(offerIds) {
      for (const offerId of offerIds) await queue.remove(jobIds['dispatch-offers']({ offerId }));
    },
  };
}

/** Runs one timeout: the offer ends if still open and due, and the next member is asked. */
export async function runOfferTimeout(prisma: PrismaClient, deps: DispatchDeps, outbox: Pick<OutboxDispatcher, 'dispatch'>, job: OfferTimeoutJob): Promise<ExpiryOutcome> {
  const committed = await transactionWithAfterCommit(prisma, (tx) => expireOffer(tx, deps, job.offerId), { timeout: 20_000, maxWait: 20_000 });
  await finishCommitted(committed, outbox);
  const result = committed.value;
  if (result.outcome === 'not_due' && result.dueAt) throw new OfferNotDueError(result.dueAt);
  if (result.outcome === 'expired') deps.logger.info({ offerId: job.offerId }, 'dispatch offer ran out');
  return result.outcome;
}

export function startOfferTimeoutWorker(queues: QueueBackend, run: (job: OfferTimeoutJob) => Promise<unknown>): LinliWorker<OfferTimeoutJob> {
  return queues.worker(QueueNames.dispatchOffers, async (job) => run(parseJobPayload(QueueNames.dispatchOffers, job.data)), { concurrency: 5 });
}

/** At start: every open offer has its job again, and waiting jobs go out. */
export async function sweepOffers(prisma: PrismaClient, deps: DispatchDeps, outbox: Pick<OutboxDispatcher, 'dispatch'>, communityId: string): Promise<void> {
  const open = await prisma.dispatchOffer.findMany({ where: { status: 'open', workOrder: { communityId } }, select: { id: true, expiresAt: true } });
  await deps.timeouts.schedule(open);
  const committed = await transactionWithAfterCommit(prisma, (tx) => dispatchWaiting(tx, deps, communityId), { timeout: 20_000, maxWait: 20_000 });
  await finishCommitted(committed, outbox);
}
