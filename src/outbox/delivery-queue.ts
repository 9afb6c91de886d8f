/**
 * The delivery workers: one per enabled channel, each on its channel's queue, pacing its
 * platform account; unpaced channels (the web chat, a channel without a queue of its own) share
 * the unpaced queue and its one worker.
 *
 * - The account's overall budget is an {@link AccountGate}: a cell shared by every process, whose
 *   slots this process hands to its most urgent waiting message when each slot begins, so a bulk
 *   send delays a reply by one send slot at most. Jobs are taken most urgent first (BullMQ
 *   priorities), and wait at the gate right before they claim their row.
 * - A chat's own budget (a person, a group) is a {@link SendPacer} cell; a job whose chat is not
 *   ready is delayed to the chat's next slot without using an attempt.
 * - An account paced with jitter (WeChat) sends one message at a time and then holds its queue
 *   for a random gap (BullMQ's limiter on that queue).
 * - A 429 holds the account for the time the platform asked (its gate's cell, or its queue: every
 *   worker, every process; in this process also the jobs already taken), without using an
 *   attempt; other channels go on.
 * - A message waiting for an earlier one to its chat is parked and woken when that one finishes.
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Channel, ChannelName, ChannelPacing } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';
import type { LinliWorker, QueueBackend } from '../queue/backend.js';
import { parseJobPayload, type JobPayload } from '../queue/jobs.js';
import { QueueNames } from '../queue/names.js';
import {
  deliverClaimedMessage,
  deliverOutboxMessage,
  markFailed,
  RetryableDeliveryError,
  waitsForEarlierMessage,
  type ClaimedOutboxRow,
  type DeliveryDeps,
  type DeliveryOptions,
} from './delivery.js';
import type { DirectRow } from './outbox.js';
import { DeliveryScheduler, deliveryJobOptions, deliveryQueueFor, jobPriority, PARK_MS } from './delivery-scheduler.js';
import { AccountGate } from './account-gate.js';
import { DirectLine, directLineLength, directSlots } from './direct-line.js';
import { jobsInHand, limiterFor, TARGET_LIMITER_WINDOW_MS, pacingAccount, pacingOf } from './platform-pacing.js';
import { accountPaceKey, chatPaceKey, gcraParams, type SendPacer } from './send-pacer.js';

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_CAP_MS = 5 * 60_000;
/** BullMQ's default lock: a job whose worker stops renewing it for this long is run again. */
const DEFAULT_LOCK_MS = 30_000;
/**
 * A chat whose next slot is this close is waited for in place: cheaper and more punctual than
 * a trip through the delayed set (and a second token of the account's budget).
 */
const WAIT_IN_PLACE_MS = 25;
/**
 * A chat whose reply could not go straight out (its budget, an earlier message queued) is taken
 * for busy this long: its next replies are queued at once, instead of taking a place in line and
 * a slot of the account's budget only to be handed back (measured with Telegram's limits on the
 * embedded database: a quarter more statements per message without it).
 */
const BUSY_CHAT_MS = 1_000;
/** Busy chats remembered at most (a hint: forgetting one costs a slot, nothing more). */
const MAX_BUSY_CHATS = 10_000;
/** Chat pacing cells idle this long are forgotten, looked for this often. */
const PACE_IDLE_MS = 60 * 60_000;
const PACE_PRUNE_EVERY_MS = 10 * 60_000;

type DeliveryJob = JobPayload<'deliveries'>;

/** 2 s, 4 s, 8 s … capped at 5 minutes, with ±20 % jitter so retries do not arrive in step. */
export function deliveryBackoff(attemptsMade: number): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface DeliveryWorkerOptions {
  /**
   * Jobs in flight per worker (an account paced with jitter always sends one at a time; one whose
   * rate needs more to be kept busy holds more: `jobsInHand`).
   */
  concurrency: number;
  /** Pacing of channels that declare none, by platform (`defaultPacing(config)`). */
  defaultPacing?: Partial<Record<ChannelName, ChannelPacing>>;
  /** Where chat budgets live (`createSendPacer`); needed when a channel paces its chats. */
  pacer?: SendPacer;
  /** Wakes a chat's next message; by default one over the same queues. */
  scheduler?: DeliveryScheduler;
  /** BullMQ lock duration (default 30 s): after a crash, messages in flight resume this much later. */
  lockDurationMs?: number;
  /** How often stalled jobs (their worker died) are looked for (default: the lock duration). */
  stalledIntervalMs?: number;
  /** One-at-a-time accounts: the limiter window aimed at (default {@link TARGET_LIMITER_WINDOW_MS}). */
  limiterWindowMs?: number;
}

/** What one channel's worker did since it started (for metrics and benchmarks). */
export interface DeliveryCounts {
  sent: number;
  failed: number;
  skipped: number;
  /** Parked behind an earlier message to the same chat. */
  waited: number;
  /** Put off to the chat's next slot, or to the end of a 429 pause. */
  paced: number;
  /** 429s received. */
  platformPauses: number;
  /** Of those sent or failed, how many went straight from the writer (`deliverNow`), not as a job. */
  direct: number;
}

/** The running delivery workers. */
export interface DeliveryWorkers {
  readonly workers: ReadonlyMap<ChannelName, LinliWorker<DeliveryJob>>;
  readonly counts: ReadonlyMap<ChannelName, Readonly<DeliveryCounts>>;
  /**
   * Sends replies straight from the process that wrote them, skipping the queue's round trips:
   * the same gate, claim, pacing and record as a job; a chat's rows one after another, in the
   * order given. Chats go side by side, as many as the channel's {@link DirectLine} has slots
   * (its account's rate decides, the worker's concurrency at least); the next ones wait in its
   * line for a slot. Returns the rows it did not take (one at a time accounts', chats finding the
   * line full, or still in line at `close`) or could not send yet (an earlier message to the
   * chat, the chat's budget) with the rest of their chat: queue those as usual (rows handed back
   * still `claimed` were never tried, and are let go of as they are queued). A row taken here is
   * `pending` until claimed, or `sending` since it was written (`claimsOnWrite`); if the process
   * dies first, the outbox sweep queues it (a claimed one once its claim is old).
   */
  deliverNow(rows: readonly DirectRow[]): Promise<DirectRow[]>;
  /**
   * Whether a reply to `channel` may be claimed by the statement that writes it, for
   * `deliverNow` to send with no claim of its own: a channel sent from here with no budget to
   * wait for (a claim held while waiting would grow old, and the sweep takes old claims over).
   * Such replies are sent as they come, beyond the line's slots: as many at once as the turns that
   * write them (queued instead, each would cost a job and three statements more).
   */
  claimsOnWrite(channel: string): boolean;
  /** Stops taking jobs and waits for those in flight (`force`: does not wait). */
  close(force?: boolean): Promise<void>;
}

/** A row as `deliverNow` needs it. */
export type { DirectRow } from './outbox.js';

/**
 * Sends one row from this process (`claimed`: held `sending` already, since it was written).
 * `finished`: sent, failed for good, or nobody's to send; `handed on`: to a job, to be tried again
 * later (what follows to its chat waits behind it); `not yet`: still to send. `wakeNext`: wake
 * the chat's next message.
 */
type DirectSend = (outboxId: string, priority: number, wakeNext: boolean, claimed?: ClaimedOutboxRow) => Promise<DirectOutcome>;
type DirectOutcome = 'finished' | 'handed on' | 'not yet';

type DeliveryWorkerDeps = DeliveryDeps & { prisma: PrismaClient; logger: Logger };

/**
 * Starts a worker per channel in `deps.channels` on that channel's queue.
 *
 * @example
 * const pacer = createSendPacer({ kind: queues.kind, redisUrl: config.REDIS_URL, prisma, logger });
 * startDeliveryWorkers(queues, { prisma, channels, logger }, { concurrency: 10, pacer, defaultPacing: defaultPacing(config) });
 */
export function startDeliveryWorkers(queues: QueueBackend, deps: DeliveryWorkerDeps, options: DeliveryWorkerOptions): DeliveryWorkers {
  const scheduler = options.scheduler ?? new DeliveryScheduler(queues, deps.prisma, deps.logger);
  const workers = new Map<ChannelName, LinliWorker<DeliveryJob>>();
  const counts = new Map<ChannelName, DeliveryCounts>();
  const queueNames = new Set<string>();
  const gates: AccountGate[] = [];
  const direct = new Map<string, DirectSend>();
  /** Each channel's direct sends at once, and the line of those waiting (unpaced channels share one). */
  const lines = new Map<string, DirectLine>();
  /** Channels whose replies may be claimed as they are written (see `claimsOnWrite`). */
  const claimable = new Set<string>();
  const inFlight = new Set<Promise<unknown>>();
  /**
   * Chats seen busy here, until when (see {@link BUSY_CHAT_MS}). Only a hint for what to queue at
   * once: the claim and the pacers keep order and pace whatever it says.
   */
  const busyUntil = new Map<string, number>();
  const isBusy = (key: string) => {
    const until = busyUntil.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    busyUntil.delete(key);
    return false;
  };
  const markBusy = (key: string) => {
    if (busyUntil.size >= MAX_BUSY_CHATS) busyUntil.clear();
    busyUntil.set(key, Date.now() + BUSY_CHAT_MS);
  };
  /** The unpaced channel whose worker serves the shared unpaced queue. */
  let unpacedOwner: ChannelName | undefined;
  for (const channel of deps.channels.values()) {
    const name = deliveryQueueFor(channel.name);
    const unpaced = name === QueueNames.deliveries && !pacingOf(channel, options.defaultPacing);
    if (queueNames.has(name)) {
      // Unpaced channels (the web chat, a channel added without a queue of its own) share the
      // unpaced queue: its one worker sends each row through the row's own channel.
      if (unpaced && unpacedOwner !== undefined) {
        counts.set(channel.name, counts.get(unpacedOwner)!);
        workers.set(channel.name, workers.get(unpacedOwner)!);
        const deliverNow = direct.get(unpacedOwner);
        if (deliverNow) direct.set(channel.name, deliverNow);
        const line = lines.get(unpacedOwner);
        if (line) lines.set(channel.name, line);
        if (claimable.has(unpacedOwner)) claimable.add(channel.name);
        continue;
      }
      // Two paced channels on one queue would run two workers with different pacing on it.
      throw new Error(`channels share the delivery queue ${name}`);
    }
    queueNames.add(name);
    if (unpaced) unpacedOwner = channel.name;
    const channelCounts: DeliveryCounts = { sent: 0, failed: 0, skipped: 0, waited: 0, paced: 0, platformPauses: 0, direct: 0 };
    counts.set(channel.name, channelCounts);
    const started = startChannelWorker(queues, deps, scheduler, channel, options, channelCounts);
    workers.set(channel.name, started.worker);
    if (started.gate) gates.push(started.gate);
    if (started.deliverNow) direct.set(channel.name, started.deliverNow);
    if (started.line) lines.set(channel.name, started.line);
    if (started.deliverNow && started.claimable) claimable.add(channel.name);
  }
  const pacer = options.pacer;
  const pruner = pacer
    ? setInterval(() => {
        pacer.prune(PACE_IDLE_MS).catch((error: unknown) => deps.logger.warn({ err: String(error) }, 'could not prune send pacing'));
      }, PACE_PRUNE_EVERY_MS)
    : undefined;
  pruner?.unref();
  return {
    workers,
    counts,
    async deliverNow(rows) {
      // A chat's replies go one after another, in order; chats go side by side, as many as the
      // channel's line has slots, the next waiting in line.
      const chains = new Map<string, DirectRow[]>();
      const left: DirectRow[] = [];
      for (const row of rows) {
        const key = `${row.channel}\u0000${row.chatId}`;
        const chain = chains.get(key);
        if (chain) chain.push(row);
        // A row claimed when written is sent now whatever the room: queued, it would cost more.
        else if (direct.has(row.channel) && (row.claimed || (!isBusy(key) && lines.get(row.channel)!.hasRoom()))) chains.set(key, [row]);
        else left.push(row);
      }
      const sendChain = async (chain: DirectRow[]): Promise<DirectRow[]> => {
        if (chain[0]!.claimed) return sendInOrder(chain);
        // Closed before a slot came: nothing was tried, the whole chain is queued.
        return (await lines.get(chain[0]!.channel)!.run(() => sendInOrder(chain))) ?? chain;
      };
      const sendInOrder = async (chain: DirectRow[]): Promise<DirectRow[]> => {
        const send = direct.get(chain[0]!.channel)!;
        for (let i = 0; i < chain.length; i += 1) {
          const row = chain[i]!;
          const outcome = await send(row.id, row.priority, i === chain.length - 1, row.claimed).catch((error: unknown): DirectOutcome => {
            deps.logger.warn({ outboxId: row.id, err: String(error) }, 'direct delivery failed: queued instead');
            return 'not yet';
          });
          if (outcome !== 'finished') markBusy(`${row.channel}\u0000${row.chatId}`);
          // The rest wait for this one: queued, in order (the queue parks them behind it).
          if (outcome === 'handed on') return chain.slice(i + 1);
          if (outcome === 'not yet') {
            // This one is no longer as it was written (it may even have gone out): only the rest,
            // never tried, are let go of as claimed.
            const { claimed: _tried, ...stopped } = row;
            return [stopped, ...chain.slice(i + 1)];
          }
        }
        return [];
      };
      const sending = [...chains.values()].map((chain) => {
        const promise = sendChain(chain);
        inFlight.add(promise);
        void promise.finally(() => inFlight.delete(promise));
        return promise;
      });
      for (const rest of await Promise.all(sending)) left.push(...rest);
      return left;
    },
    claimsOnWrite(channel) {
      return claimable.has(channel);
    },
    async close(force = false) {
      if (pruner) clearInterval(pruner);
      // Chats still in line are handed back to their writers, who queue them.
      for (const line of new Set(lines.values())) line.close();
      // Forced: jobs waiting for a slot are let go (their rows are taken over later).
      if (force) for (const gate of gates) gate.close();
      await Promise.all([...workers.values()].map((worker) => worker.close(force)));
      if (!force) await Promise.allSettled([...inFlight]);
      for (const gate of gates) gate.close();
    },
  };
}

interface StartedChannelWorker {
  worker: LinliWorker<DeliveryJob>;
  gate: AccountGate | undefined;
  deliverNow: DirectSend | undefined;
  /** Its direct sends at once and their line (none when only jobs may send). */
  line: DirectLine | undefined;
  /** Nothing holds a send back (no account or chat budget): replies may be claimed as written. */
  claimable: boolean;
}

function startChannelWorker(
  queues: QueueBackend,
  deps: DeliveryWorkerDeps,
  scheduler: DeliveryScheduler,
  channel: Channel,
  options: DeliveryWorkerOptions,
  counts: DeliveryCounts,
): StartedChannelWorker {
  const { prisma, logger } = deps;
  const queueName = deliveryQueueFor(channel.name);
  const queue = queues.queue<DeliveryJob>(queueName);
  const pacing = pacingOf(channel, options.defaultPacing);
  const account = pacingAccount(channel, pacing);
  const perAccount = pacing?.perAccount;
  const oneAtATime = Boolean(perAccount?.jitterMs);
  const lockDuration = options.lockDurationMs ?? DEFAULT_LOCK_MS;

  const perChat = pacing?.perChat;
  const pacer = options.pacer;
  if (perChat && !pacer) throw new Error(`channel ${channel.name} paces its chats: the delivery workers need a pacer`);
  if (perAccount && !oneAtATime && !pacer) throw new Error(`channel ${channel.name} paces its account: the delivery workers need a pacer`);
  const gate = perAccount && !oneAtATime && pacer ? new AccountGate(pacer, accountPaceKey(account), perAccount) : undefined;
  /**
   * Until when this account is paused after a 429. The queue's limiter holds every process; this
   * also holds the jobs this process had already taken, checked right before each send.
   */
  let pausedUntil = 0;
  const deliveryOptions: DeliveryOptions = {
    // Half the lock: a rerun of the job comes only after its previous holder lost the lock.
    reclaimAfterMs: lockDuration / 2,
    pace: async (chatId: string) => {
      const now = Date.now();
      if (pausedUntil > now) return { granted: false, waitMs: pausedUntil - now, startsInMs: 0, slots: 0 };
      const rate = perChat?.(chatId);
      if (!rate || !pacer) return undefined;
      const key = chatPaceKey(account, chatId);
      const decision = await pacer.take(key, rate);
      if (decision.granted || decision.waitMs > WAIT_IN_PLACE_MS) return decision;
      // A little over: the pacer's clock (Redis's, the database's) and this timer round differently.
      await new Promise((resolve) => setTimeout(resolve, decision.waitMs + 2));
      return pacer.take(key, rate);
    },
    onPlatformPause: async (retryAfterMs: number) => {
      counts.platformPauses += 1;
      const ms = Math.max(1, Math.ceil(retryAfterMs));
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
      if (gate) await gate.hold(ms);
      else await queue.rateLimit(ms);
      logger.info({ channel: channel.name, retryAfterMs: ms }, 'delivery paused by the platform');
    },
  };
  /** After a send attempt on a one-at-a-time account: hold the queue for a fresh random gap (never shortening a 429 pause). */
  const holdGap = async () => {
    if (!oneAtATime || !perAccount) return;
    await queue.rateLimit(Math.max(Math.ceil(gcraParams(perAccount).emissionUs / 1000), pausedUntil - Date.now()));
  };

  const park = async (job: Job<DeliveryJob>, token: string | undefined, outboxId: string) => {
    await job.moveToDelayed(Date.now() + PARK_MS, token);
    // The earlier message may have finished after the check, while its wake-up found this job
    // still running: look again now that the job is parked.
    if (!(await waitsForEarlierMessage(prisma, outboxId))) await job.promote().catch(() => undefined);
  };

  const processJob = async (job: Job<DeliveryJob>, token?: string) => {
    const { outboxId } = parseJobPayload(QueueNames.deliveries, job.data);
    let result;
    try {
      await gate?.acquire(job.opts.priority ?? 0);
      result = await deliverOutboxMessage(deps, outboxId, deliveryOptions);
    } catch (error) {
      if (error instanceof RetryableDeliveryError) {
        await holdGap();
        // The platform asked this account to wait (its queue is held already): no attempt used.
        if (error.retryAfterMs !== undefined) throw Worker.RateLimitError();
      }
      throw error;
    }
    switch (result.outcome) {
      case 'wait':
        counts.waited += 1;
        await park(job, token, outboxId);
        throw new DelayedError();
      case 'paced':
        counts.paced += 1;
        await job.moveToDelayed(Date.now() + result.waitMs, token);
        throw new DelayedError();
      case 'sent':
      case 'failed':
        counts[result.outcome] += 1;
        if (result.outcome === 'sent' || result.attempted) await holdGap();
        if (result.chatHasMore) {
          await scheduler.wakeChat(result.chat, result.nextSlotAt).catch((error: unknown) =>
            logger.warn({ outboxId, err: String(error) }, 'could not wake the next message of a chat'),
          );
        }
        return result.outcome;
      case 'skipped':
        counts.skipped += 1;
        return result.outcome;
    }
  };

  /**
   * Sends one row from this process without a job (see {@link DeliveryWorkers.deliverNow}).
   * Returns false when the row is still to send: the caller queues it as usual.
   */
  const deliverNow = async (outboxId: string, priority: number, wakeNext: boolean, claimed?: ClaimedOutboxRow): Promise<DirectOutcome> => {
    await gate?.acquire(jobPriority(priority, false));
    let result;
    try {
      result = claimed ? await deliverClaimedMessage(deps, outboxId, claimed, deliveryOptions) : await deliverOutboxMessage(deps, outboxId, deliveryOptions);
    } catch (error) {
      if (!(error instanceof RetryableDeliveryError)) throw error;
      // The row says "retrying" now: it goes on as a job, after the platform's pause or a backoff.
      await queue.add('deliver', { outboxId }, deliveryJobOptions({ id: outboxId, priority }, error.retryAfterMs ?? deliveryBackoff(1)));
      return 'handed on';
    }
    switch (result.outcome) {
      case 'wait':
      case 'paced':
        return 'not yet';
      case 'sent':
      case 'failed':
        counts[result.outcome] += 1;
        counts.direct += 1;
        // Not when the caller sends the chat's next message itself (a wake-up would queue a job for it).
        if (result.chatHasMore && wakeNext) {
          await scheduler.wakeChat(result.chat, result.nextSlotAt).catch((error: unknown) =>
            logger.warn({ outboxId, err: String(error) }, 'could not wake the next message of a chat'),
          );
        }
        return 'finished';
      case 'skipped':
        counts.skipped += 1;
        return 'finished';
    }
  };

  const limiter =
    perAccount && oneAtATime
      ? limiterFor({ max: perAccount.max, perMs: perAccount.perMs }, options.limiterWindowMs ?? TARGET_LIMITER_WINDOW_MS)
      : undefined;
  const worker = queues.worker<DeliveryJob>(queueName, processJob, {
    // A fast account's worker holds more jobs than configured: enough to keep its budget busy.
    concurrency: oneAtATime ? 1 : jobsInHand(options.concurrency, perAccount),
    lockDuration,
    ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    ...(limiter ? { limiter } : {}),
    settings: { backoffStrategy: (attemptsMade: number) => deliveryBackoff(attemptsMade) },
  });
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    void markFailed(prisma, job.data.outboxId, error.message, 'exhausted')
      .then((chat) => (chat ? scheduler.wakeChat(chat) : undefined))
      .catch((markError: unknown) => logger.error({ outboxId: job.data.outboxId, err: String(markError) }, 'could not record a failed delivery'));
  });
  // One at a time (WeChat) is held by the queue's limiter: only jobs may send there.
  const line = oneAtATime ? undefined : new DirectLine(directSlots(options.concurrency, perAccount), directLineLength(perAccount));
  return { worker, gate, deliverNow: oneAtATime ? undefined : deliverNow, line, claimable: !perAccount && !perChat };
}
