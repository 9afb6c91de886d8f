/**
 * Delivers one outbox row: claim it (a guarded update, so a repeated job does nothing),
 * send it through its channel, record the result. Failures the platform calls permanent
 * mark the row failed: for the recipient (bot blocked, chat gone) also the account unreachable,
 * for the message itself (too long, malformed: "rejected") not. Others are thrown so the queue
 * retries them with backoff.
 */
import { ChannelSendError, type Channel, type ChannelName, type OutboundMessage, type SendResult } from '../channels/types.js';
import { Prisma, type PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';
import type { PaceDecision } from './send-pacer.js';

/** Row statuses of a message not yet sent nor given up on. */
export const UNFINISHED_STATUSES = ['pending', 'queued', 'sending', 'retrying'];
const CLAIMABLE_STATUSES = ['pending', 'queued', 'retrying'];

/** A chat on a channel: where the next message may now be due. */
export interface ChatRef {
  channel: string;
  chatId: string;
}

/**
 * What one delivery attempt did.
 * - `sent` / `failed`: finished; the chat's next message may go at `nextSlotAt` (epoch ms), and
 *   `chatHasMore` says whether the chat has other messages still to go (to wake).
 * - `skipped`: nothing to do (already finished, or another run holds it).
 * - `wait`: an earlier message to the same chat is still on its way.
 * - `paced`: the chat's send budget is used up; try again in `waitMs`.
 */
export type DeliveryResult =
  | { outcome: 'sent'; chat: ChatRef; nextSlotAt: number; chatHasMore: boolean }
  | { outcome: 'failed'; chat: ChatRef; nextSlotAt: number; chatHasMore: boolean; attempted: boolean }
  | { outcome: 'skipped' }
  | { outcome: 'wait' }
  | { outcome: 'paced'; waitMs: number };

export interface DeliveryDeps {
  prisma: PrismaClient;
  channels: ReadonlyMap<ChannelName, Channel>;
  logger: Logger;
}

export interface DeliveryOptions {
  /**
   * Asked right before the claim: may this chat receive a message now? Undefined: the chat has
   * no budget of its own. Nothing is claimed when refused.
   */
  pace?: (chatId: string) => Promise<PaceDecision | undefined>;
  /**
   * A row left `sending` longer ago than this was abandoned by a worker that died mid-send (the
   * queue only runs a job again once its previous holder lost the lock): take it over. It may
   * have reached the person already — the one case a message can go twice. Unset: never.
   */
  reclaimAfterMs?: number;
  /**
   * Called as soon as the platform says "too many requests, retry after N ms", before anything
   * is recorded, so the account's other sends stop as early as possible.
   */
  onPlatformPause?: (retryAfterMs: number) => Promise<void>;
}

/** Thrown for a send that should be tried again; `retryAfterMs` when the platform said when. */
export class RetryableDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableDeliveryError';
  }
}

export async function deliverOutboxMessage(deps: DeliveryDeps, outboxId: string, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const { prisma, logger } = deps;
  const reclaimBefore = options.reclaimAfterMs === undefined ? undefined : new Date(Date.now() - options.reclaimAfterMs);
  const row = await claim(prisma, outboxId, reclaimBefore);
  if (!row) return (await stillClaimable(prisma, outboxId, reclaimBefore)) ? { outcome: 'wait' } : { outcome: 'skipped' };
  const chat = { channel: row.channel, chatId: row.chatId };

  const channel = deps.channels.get(row.channel as ChannelName);
  if (!channel) {
    await markFailed(prisma, outboxId, `channel ${row.channel} is not enabled`);
    logger.warn({ outboxId, channel: row.channel }, 'delivery failed: channel not enabled');
    return { outcome: 'failed', chat, nextSlotAt: Date.now(), chatHasMore: true, attempted: false };
  }

  // The chat's slot is asked for after the claim, so the send follows its slot at once.
  let pace: PaceDecision | undefined;
  try {
    pace = await options.pace?.(row.chatId);
  } catch (error) {
    await unclaim(prisma, outboxId);
    throw error;
  }
  if (pace && !pace.granted) {
    await unclaim(prisma, outboxId);
    return { outcome: 'paced', waitMs: pace.waitMs };
  }
  // A grant's wait counts from the moment it was given, which is (about) now.
  const nextSlotAt = Date.now() + (pace?.waitMs ?? 0);

  let result: SendResult;
  try {
    result = await channel.send(row.chatId, row.payload as unknown as OutboundMessage);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const retryAfterMs = error instanceof ChannelSendError && error.retryable ? error.retryAfterMs : undefined;
    if (retryAfterMs !== undefined) await options.onPlatformPause?.(retryAfterMs);
    if (error instanceof ChannelSendError && !error.retryable) {
      await markFailed(prisma, outboxId, reason);
      // A message the platform refused (too long, malformed) says nothing about the person.
      if (error.kind === 'unreachable' && row.chatAccountId) {
        await prisma.chatAccount.updateMany({
          where: { id: row.chatAccountId, unreachableAt: null },
          data: { unreachableAt: new Date() },
        });
      }
      logger.warn(
        { outboxId, channel: row.channel, kind: error.kind },
        error.kind === 'rejected' ? 'delivery rejected by the platform' : 'delivery failed permanently: recipient unreachable',
      );
      return { outcome: 'failed', chat, nextSlotAt, chatHasMore: true, attempted: true };
    }
    await prisma.outboxMessage.update({ where: { id: outboxId }, data: { status: 'retrying', lastError: reason.slice(0, 500) } });
    throw new RetryableDeliveryError(reason, retryAfterMs);
  }
  // Outside the catch: a failure to record a send that happened must not count as a failed send
  // (it would be retried at once); the row stays "sending" and is taken over later, if at all.
  const chatHasMore = await markSent(prisma, outboxId, result.externalMessageId);
  return { outcome: 'sent', chat, nextSlotAt, chatHasMore };
}

/**
 * Records a send, and in the same statement says whether the chat has other messages still to
 * go: the common bulk case (one message per chat) then needs no further look to wake the next.
 */
async function markSent(prisma: PrismaClient, outboxId: string, externalMessageId: string): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ chatHasMore: boolean }[]>`
    UPDATE "OutboxMessage" o
       SET status = 'sent', "sentAt" = ${new Date()}, "externalMessageId" = ${externalMessageId}, "lastError" = NULL
     WHERE o.id = ${outboxId}
    RETURNING EXISTS (
      SELECT 1 FROM "OutboxMessage" e
       WHERE e.channel = o.channel AND e."chatId" = o."chatId" AND e.id <> o.id
         AND e.status IN (${Prisma.join(UNFINISHED_STATUSES)})) AS "chatHasMore"`;
  return rows[0]?.chatHasMore ?? true;
}

interface ClaimedRow {
  channel: string;
  chatId: string;
  chatAccountId: string | null;
  payload: unknown;
}

/**
 * Marks the row `sending` if it may go now — claimable, and no earlier message to its chat at
 * least as urgent is unfinished — in one statement, so the send follows with no further look.
 */
async function claim(prisma: PrismaClient, outboxId: string, reclaimBefore: Date | undefined): Promise<ClaimedRow | undefined> {
  const reclaim = reclaimBefore ? Prisma.sql`OR (o.status = 'sending' AND o."claimedAt" < ${reclaimBefore})` : Prisma.empty;
  const rows = await prisma.$queryRaw<ClaimedRow[]>`
    UPDATE "OutboxMessage" o
       SET status = 'sending', "claimedAt" = ${new Date()}, attempts = o.attempts + 1
     WHERE o.id = ${outboxId}
       AND (o.status IN (${Prisma.join(CLAIMABLE_STATUSES)}) ${reclaim})
       AND NOT EXISTS (
         SELECT 1 FROM "OutboxMessage" e
          WHERE e.channel = o.channel AND e."chatId" = o."chatId" AND e.seq < o.seq
            AND e.priority <= o.priority AND e.status IN (${Prisma.join(UNFINISHED_STATUSES)}))
    RETURNING o.channel, o."chatId", o."chatAccountId", o.payload`;
  return rows[0];
}

/**
 * After a refused claim: true when the row could still be claimed, so what stopped it was an
 * earlier message to its chat (which may have finished since: the caller parks and looks again).
 */
async function stillClaimable(prisma: PrismaClient, outboxId: string, reclaimBefore: Date | undefined): Promise<boolean> {
  const row = await prisma.outboxMessage.findUnique({ where: { id: outboxId }, select: { status: true, claimedAt: true } });
  if (!row) return false;
  if (CLAIMABLE_STATUSES.includes(row.status)) return true;
  return row.status === 'sending' && Boolean(reclaimBefore && row.claimedAt && row.claimedAt < reclaimBefore);
}

/** Gives a claim back (the chat's budget said "not yet"): the row was never sent. */
async function unclaim(prisma: PrismaClient, outboxId: string): Promise<void> {
  await prisma.outboxMessage.updateMany({
    where: { id: outboxId, status: 'sending' },
    data: { status: 'queued', claimedAt: null, attempts: { decrement: 1 } },
  });
}

interface OrderedRow {
  channel: string;
  chatId: string;
  seq: bigint;
  priority: number;
}

/**
 * A chat's messages arrive in the order they were written, though many workers send at once:
 * a message waits while an earlier one to the same chat, at least as urgent, is unfinished.
 * A reply does not wait behind an earlier bulk message (its priority number is higher).
 */
async function hasEarlierUnfinished(prisma: PrismaClient, row: OrderedRow): Promise<boolean> {
  const earlier = await prisma.outboxMessage.findFirst({
    where: {
      channel: row.channel,
      chatId: row.chatId,
      seq: { lt: row.seq },
      priority: { lte: row.priority },
      status: { in: UNFINISHED_STATUSES },
    },
    select: { id: true },
  });
  return earlier !== null;
}

/**
 * Whether the row must still wait for an earlier message to its chat: false once it is finished,
 * and while another run holds it `sending` (unless that claim is older than `reclaimBefore`).
 */
export async function waitsForEarlierMessage(prisma: PrismaClient, outboxId: string, reclaimBefore?: Date): Promise<boolean> {
  const row = await prisma.outboxMessage.findUnique({
    where: { id: outboxId },
    select: { channel: true, chatId: true, seq: true, priority: true, status: true, claimedAt: true },
  });
  if (!row || !UNFINISHED_STATUSES.includes(row.status)) return false;
  if (row.status === 'sending' && !(reclaimBefore && row.claimedAt && row.claimedAt < reclaimBefore)) return false;
  return hasEarlierUnfinished(prisma, row);
}

/** Records that a message will not be sent. Returns its chat, or null when it had been sent or was gone. */
export async function markFailed(prisma: PrismaClient, outboxId: string, reason: string): Promise<ChatRef | null> {
  const [row] = await prisma.outboxMessage.updateManyAndReturn({
    where: { id: outboxId, status: { not: 'sent' } },
    data: { status: 'failed', lastError: reason.slice(0, 500) },
    select: { channel: true, chatId: true },
  });
  return row ?? null;
}
