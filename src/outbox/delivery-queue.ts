/**
 * Wires the outbox to BullMQ: how a row is put on the `deliveries` queue (job id = row id,
 * priority from the row, capped exponential backoff) and the worker that delivers it.
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';
import type { LinliQueue, LinliWorker, QueueBackend } from '../queue/backend.js';
import { jobIds, parseJobPayload, type JobPayload } from '../queue/jobs.js';
import { QueueNames } from '../queue/names.js';
import { deliverOutboxMessage, markFailed, RetryableDeliveryError, type DeliveryDeps } from './delivery.js';
import type { EnqueueDelivery } from './outbox.js';

const ATTEMPTS = 8;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_CAP_MS = 5 * 60_000;
/** How long a message waits before looking again whether the one before it has gone. */
const ORDER_WAIT_MS = 100;

/** 2 s, 4 s, 8 s … capped at 5 minutes, with ±20 % jitter so retries do not arrive in step. */
export function deliveryBackoff(attemptsMade: number): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function deliveryEnqueuer(queue: LinliQueue<JobPayload<'deliveries'>>): EnqueueDelivery {
  return async ({ id, priority }) => {
    const payload = { outboxId: id };
    await queue.add('deliver', payload, {
      jobId: jobIds.deliveries(payload),
      priority,
      attempts: ATTEMPTS,
      backoff: { type: 'capped' },
    });
  };
}

export function startDeliveryWorker(
  queues: QueueBackend,
  deps: DeliveryDeps & { prisma: PrismaClient; logger: Logger },
  concurrency: number,
): LinliWorker<JobPayload<'deliveries'>> {
  let worker: LinliWorker<JobPayload<'deliveries'>>;
  const process = async (job: Job<JobPayload<'deliveries'>>, token?: string) => {
    const { outboxId } = parseJobPayload(QueueNames.deliveries, job.data);
    try {
      const outcome = await deliverOutboxMessage(deps, outboxId);
      if (outcome === 'wait') {
        // Step aside (no attempt used) so the earlier message can go first.
        await job.moveToDelayed(Date.now() + ORDER_WAIT_MS, token);
        throw new DelayedError();
      }
      return outcome;
    } catch (error) {
      if (error instanceof RetryableDeliveryError && error.retryAfterMs !== undefined) {
        // The platform asked us to wait: pause this worker's sending without using up an attempt.
        await worker.rateLimit(error.retryAfterMs);
        throw Worker.RateLimitError();
      }
      throw error;
    }
  };
  worker = queues.worker(QueueNames.deliveries, process, {
    concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => deliveryBackoff(attemptsMade) },
  });
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    void markFailed(deps.prisma, job.data.outboxId, error.message).catch((markError: unknown) =>
      deps.logger.error({ outboxId: job.data.outboxId, err: String(markError) }, 'could not record a failed delivery'),
    );
  });
  return worker;
}
