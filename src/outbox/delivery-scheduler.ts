/**
 * Puts outbox rows on the delivery queues. Every channel has its own queue (a paced platform
 * account's budget and 429 pauses hold one whole queue); a job's id is its row's id, so adding
 * the same row twice yields one job.
 *
 * A message that must wait for an earlier one to the same chat is added *parked* (delayed for
 * a long time) instead of ready, and the worker that finishes the earlier one wakes it for the
 * chat's next send slot. Polling instead would make every waiting message take a token of its
 * account's budget each time it looked.
 *
 * Job priorities are twice the row's (replies 2, bulk 20), less one for a message that waited
 * for an earlier one to its chat (replies 1, bulk 19): woken at its chat's slot, it goes next
 * within its kind instead of behind a backlog of the same kind, so a group receiving several
 * messages during a big bulk send still gets them at its own rate. Replies stay ahead of bulk.
 */
import type { KnownChannelName } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import { sqlRunnerFor, sqlTimestamp, utcTimestamp, type SqlRunner } from '../db/sql.js';
import type { Logger } from '../log/logger.js';
import type { LinliQueue, QueueBackend } from '../queue/backend.js';
import { jobIds, type JobPayload } from '../queue/jobs.js';
import { QueueNames, type QueueName } from '../queue/names.js';
import { EARLIER_UNFINISHED_SQL, markFailed, UNFINISHED_SQL, type ChatRef } from './delivery.js';
import type { DeliverySchedule, QueuedOutboxRow, RecoverableRow, RecoveryResult } from './outbox.js';

/** Attempts per message before it is recorded as failed (429 pauses do not count). */
export const DELIVERY_ATTEMPTS = 8;
/**
 * How long a message waiting behind an earlier one sleeps if nobody wakes it. Only a safety net:
 * a wake-up is lost only if a process dies between a send and the wake-up, and the outbox sweep
 * finds such messages ({@link DeliveryScheduler.wakeStranded}). Long, because every time a
 * parked message looks it takes a token of its account's budget.
 */
export const PARK_MS = 15 * 60_000;
/** Delayed jobs looked at per sweep, per queue. */
const STRANDED_LOOKAHEAD = 2_000;
/** Rows read or added per statement. */
const BATCH = 500;
/** Unfinished rows of one chat looked at when waking its next message. */
const WAKE_LOOKAHEAD = 20;
/**
 * A woken message is made ready this much before its chat's slot, so it has been picked up
 * (within a limiter window) when the slot opens; the worker waits out the rest in place.
 */
const WAKE_AHEAD_MS = 20;

/** The queue each channel's messages go to. */
export const deliveryQueues = {
  web: QueueNames.deliveries,
  telegram: QueueNames.telegramDeliveries,
  wechat: QueueNames.wechatDeliveries,
} as const satisfies Record<KnownChannelName, QueueName>;

type DeliveryQueueName = (typeof deliveryQueues)[KnownChannelName];
type DeliveryJob = JobPayload<'deliveries'>;

/** The queue a channel's messages go to (an unknown channel: the unpaced queue). */
export function deliveryQueueFor(channel: string): DeliveryQueueName {
  return (deliveryQueues as Record<string, DeliveryQueueName>)[channel] ?? QueueNames.deliveries;
}

/** The BullMQ priority of a row's job; `followUp`: it waited for an earlier message to its chat. */
export function jobPriority(rowPriority: number, followUp: boolean): number {
  return Math.max(1, rowPriority * 2 - (followUp ? 1 : 0));
}

/** BullMQ options of a row's job. */
export function deliveryJobOptions(row: { id: string; priority: number }, delayMs = 0, followUp = false) {
  return {
    jobId: jobIds.deliveries({ outboxId: row.id }),
    priority: jobPriority(row.priority, followUp),
    attempts: DELIVERY_ATTEMPTS,
    backoff: { type: 'capped' },
    // The row records the outcome, and a repeated job finds its row finished and does nothing:
    // a finished job is not needed, and keeping a count of them costs the database backend a
    // scan of every finished job at each completion.
    removeOnComplete: true,
    ...(delayMs > 0 ? { delay: Math.ceil(delayMs) } : {}),
  };
}

/** Job states in which a delivery job will still run. */
const ALIVE_STATES: ReadonlySet<string> = new Set(['waiting', 'prioritized', 'delayed', 'active', 'waiting-children']);

interface ScheduledRow {
  id: string;
  channel: string;
  priority: number;
  blocked: boolean;
}

/**
 * Puts rows on their channel's queue, wakes a chat's next message, and re-queues rows whose job
 * was lost. Holds no state: any number of them, in any process, may work on the same queues.
 */
export class DeliveryScheduler implements DeliverySchedule {
  private readonly sql: SqlRunner;

  constructor(
    private readonly queues: QueueBackend,
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {
    this.sql = sqlRunnerFor(prisma);
  }

  /** The queue a channel's messages go to. */
  queueFor(channel: string): LinliQueue<DeliveryJob> {
    return this.queues.queue<DeliveryJob>(deliveryQueueFor(channel));
  }

  /**
   * Queues freshly committed rows: ready, or parked when an earlier message to the chat is
   * unfinished. Each row is marked `queued` in the statement that looks whether it must wait,
   * before its job is added: a crash in between leaves it `queued` with no job, which the
   * outbox sweep hands over as it does any queued row whose job was lost.
   */
  async schedule(rows: readonly QueuedOutboxRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const ids = batch.map((row) => row.id);
      // Claimed by the statement that wrote them, for this process, and never sent: let go of.
      const released = batch.filter((row) => row.claimed).map((row) => row.id);
      const found = await this.sql.query<ScheduledRow>(
        `WITH marked AS (
           UPDATE "OutboxMessage" o
              SET status = 'queued', "enqueuedAt" = ${utcTimestamp('$2')},
                  "claimedAt" = CASE WHEN o.status = 'sending' THEN NULL ELSE o."claimedAt" END,
                  attempts = CASE WHEN o.status = 'sending' THEN o.attempts - 1 ELSE o.attempts END
            WHERE o.id = ANY($1::text[]) AND (o.status IN ('pending', 'queued') OR (o.status = 'sending' AND o.id = ANY($3::text[])))
           RETURNING o.id, o.seq, o.channel, o.priority, ${EARLIER_UNFINISHED_SQL} AS blocked)
         SELECT id, channel, priority, blocked FROM marked ORDER BY seq`,
        [ids, sqlTimestamp(new Date()), released],
      );
      const byQueue = new Map<DeliveryQueueName, ScheduledRow[]>();
      for (const row of found) {
        const name = deliveryQueueFor(row.channel);
        byQueue.set(name, [...(byQueue.get(name) ?? []), row]);
      }
      for (const [name, queued] of byQueue) {
        await this.queues.queue<DeliveryJob>(name).addBulk(
          queued.map((row) => ({
            name: 'deliver',
            data: { outboxId: row.id },
            opts: deliveryJobOptions(row, row.blocked ? PARK_MS : 0, row.blocked),
          })),
        );
      }
      await this.releaseIfFree(found.filter((row) => row.blocked));
    }
  }

  /** Of these rows, those still to send and no longer held by an earlier message to their chat. */
  private async freeToGo(ids: readonly string[]): Promise<Set<string>> {
    const free = await this.sql.query<{ id: string }>(
      `SELECT o.id FROM "OutboxMessage" o
        WHERE o.id = ANY($1::text[]) AND o.status IN ('pending', 'queued') AND NOT ${EARLIER_UNFINISHED_SQL}`,
      [[...ids]],
    );
    return new Set(free.map((row) => row.id));
  }

  /**
   * Looks again at rows just parked: the message they waited for may have finished between the
   * look above and the parking, and its worker's wake-up may have come before the job existed.
   * Either that wake-up found the job, or this look finds the way free: nobody is left parked.
   */
  private async releaseIfFree(parked: readonly ScheduledRow[]): Promise<void> {
    if (parked.length === 0) return;
    const freeIds = await this.freeToGo(parked.map((row) => row.id));
    for (const row of parked) {
      if (!freeIds.has(row.id)) continue;
      await this.runBy(row, 0).catch((error: unknown) =>
        this.logger.debug({ outboxId: row.id, err: String(error) }, 'releasing a parked delivery skipped'),
      );
    }
  }

  /**
   * Called when a message to `chat` finished (sent or given up): lets the chat's next message(s)
   * go, not before `notBefore` (the chat's next send slot, epoch ms). Looks only at messages no
   * longer held by an earlier one; a message in backoff keeps its backoff.
   */
  async wakeChat(chat: ChatRef, notBefore: number = Date.now()): Promise<void> {
    const rows = await this.sql.query<{ id: string; channel: string; priority: number; status: string }>(
      `SELECT id, channel, priority, status FROM "OutboxMessage"
        WHERE channel = $1 AND "chatId" = $2 AND status IN (${UNFINISHED_SQL})
        ORDER BY seq LIMIT ${WAKE_LOOKAHEAD}`,
      [chat.channel, chat.chatId],
    );
    let mostUrgentBefore = Number.POSITIVE_INFINITY;
    for (const row of rows) {
      const free = row.priority < mostUrgentBefore;
      mostUrgentBefore = Math.min(mostUrgentBefore, row.priority);
      if (!free || (row.status !== 'pending' && row.status !== 'queued')) continue;
      await this.runBy(row, Math.max(0, notBefore - WAKE_AHEAD_MS - Date.now())).catch((error: unknown) =>
        // The job moved on between the look and the change (it started, or finished): nothing to wake.
        this.logger.debug({ outboxId: row.id, err: String(error) }, 'delivery wake-up skipped'),
      );
    }
  }

  /**
   * Lets go of messages parked behind an earlier message that has finished but whose wake-up
   * was lost (a process died right after a send): delayed jobs whose row may go now. Messages in
   * backoff keep their backoff. Returns how many were let go.
   */
  async wakeStranded(): Promise<number> {
    let woken = 0;
    for (const name of new Set(Object.values(deliveryQueues))) {
      const queue = this.queues.queue<DeliveryJob>(name);
      for (let start = 0; start < STRANDED_LOOKAHEAD; start += BATCH) {
        const jobs = (await queue.getDelayed(start, start + BATCH - 1)).filter((job) => job?.data?.outboxId);
        if (jobs.length === 0) break;
        const freeIds = await this.freeToGo(jobs.map((job) => job.data.outboxId));
        for (const job of jobs) {
          if (!freeIds.has(job.data.outboxId)) continue;
          // A job delayed only to its chat's next slot is let go a little early: it looks, and waits again.
          await job.promote().then(
            () => (woken += 1),
            () => undefined,
          );
        }
        if (jobs.length < BATCH) break;
      }
    }
    return woken;
  }

  /**
   * Makes sure an unfinished row has a live job (the sweep's check). A job that finished while its
   * row did not (a worker died at the wrong moment, the queue lost it) is added again.
   */
  async recover(row: RecoverableRow): Promise<RecoveryResult> {
    const queue = this.queueFor(row.channel);
    const job = await queue.getJob(jobIds.deliveries({ outboxId: row.id }));
    const state = job ? await job.getState() : 'unknown';
    if (ALIVE_STATES.has(state)) return 'alive';
    if (job && state === 'failed' && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      // Retries ran out but the process died before recording it.
      const chat = await markFailed(this.prisma, row.id, job.failedReason ?? 'delivery failed', 'exhausted');
      if (chat) await this.wakeChat(chat);
      return 'failed';
    }
    if (job) {
      const removed = await job.remove().then(
        () => true,
        async (error: unknown) => {
          // A worker took it between the look and the removal (the stalled-job check had just
          // handed it back after a crash, or a retry came due): it runs, and its row with it.
          if (ALIVE_STATES.has(await job.getState())) return false;
          throw error;
        },
      );
      if (!removed) return 'alive';
    }
    if (row.status === 'sending') {
      await this.prisma.outboxMessage.updateMany({ where: { id: row.id, status: 'sending' }, data: { status: 'pending' } });
    }
    await queue.add('deliver', { outboxId: row.id }, deliveryJobOptions(row));
    return 'requeued';
  }

  /** Ensures the row's job runs in `delayMs` at the latest. */
  private async runBy(row: { id: string; channel: string; priority: number }, delayMs: number): Promise<void> {
    const queue = this.queueFor(row.channel);
    const job = await queue.getJob(jobIds.deliveries({ outboxId: row.id }));
    if (!job) {
      await queue.add('deliver', { outboxId: row.id }, deliveryJobOptions(row, delayMs, true));
      return;
    }
    const state = await job.getState();
    if (state !== 'delayed') return;
    if (delayMs > 0) await job.changeDelay(Math.ceil(delayMs));
    else await job.promote();
  }
}
