/**
 * Delivers one outbox row: claim it (a guarded update, so a repeated job does nothing),
 * send it through its channel, record the result. Failures the platform calls permanent
 * mark the row failed: for the recipient (bot blocked, chat gone) also the account unreachable,
 * for the message itself (too long, malformed: "rejected") not. Others are thrown so the queue
 * retries them with backoff.
 */
import { ChannelSendError, type Channel, type ChannelName, type SendResult } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import { sqlRunnerFor, sqlTimestamp, utcTimestamp, type SqlRunner } from '../db/sql.js';
import type { Logger } from '../log/logger.js';
import type { PaceDecision } from './send-pacer.js';
import { claimRow } from './claim-batch.js';
import { recordSent } from './mark-sent.js';
import { payloadParts } from './stored-payload.js';

/** Row statuses of a message not yet sent nor given up on. */
export const UNFINISHED_STATUSES = ['pending', 'queued', 'sending', 'retrying'];
const CLAIMABLE_STATUSES = ['pending', 'queued', 'retrying'];

/** The statuses above as SQL lists (constants: the hot statements carry no list parameters). */
export const UNFINISHED_SQL = sqlList(UNFINISHED_STATUSES);
const CLAIMABLE_SQL = sqlList(CLAIMABLE_STATUSES);

/**
 * For the row aliased `o`: an earlier message to its chat, at least as urgent, is unfinished —
 * the one rule of per-chat order (see `hasEarlierUnfinished`), as SQL for every statement that
 * claims, parks or releases a message.
 */
export const EARLIER_UNFINISHED_SQL = `EXISTS (SELECT 1 FROM "OutboxMessage" e
  WHERE e.channel = o.channel AND e."chatId" = o."chatId" AND e.seq < o.seq
    AND e.priority <= o.priority AND e.status IN (${UNFINISHED_SQL}))`;

/** What the claim's statement is made of (claim-batch.ts). */
const CLAIM_SQL_PARTS = { claimable: CLAIMABLE_SQL, earlierUnfinished: EARLIER_UNFINISHED_SQL };

function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ');
}

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
  const sql = sqlRunnerFor(deps.prisma);
  // With the claims of other sends asked for meanwhile (claim-batch.ts).
  const row = await claimRow(sql, CLAIM_SQL_PARTS, outboxId, options.reclaimAfterMs);
  if (!row) {
    const reclaimBefore = options.reclaimAfterMs === undefined ? undefined : new Date(Date.now() - options.reclaimAfterMs);
    return (await stillClaimable(sql, outboxId, reclaimBefore)) ? { outcome: 'wait' } : { outcome: 'skipped' };
  }
  return deliverClaimedMessage(deps, outboxId, row, options);
}

/**
 * Sends a row this process holds `sending` already — claimed above, or by the statement that
 * wrote it (`OutboxDispatcher.claimsOnWrite`) — and records the result, as
 * {@link deliverOutboxMessage} does after its claim.
 */
export async function deliverClaimedMessage(deps: DeliveryDeps, outboxId: string, row: ClaimedOutboxRow, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const { prisma, logger } = deps;
  const sql = sqlRunnerFor(prisma);
  const chat = { channel: row.channel, chatId: row.chatId };

  const channel = deps.channels.get(row.channel as ChannelName);
  if (!channel) {
    await markFailed(prisma, outboxId, `channel ${row.channel} is not enabled`, 'no_channel');
    logger.warn({ outboxId, channel: row.channel }, 'delivery failed: channel not enabled');
    return { outcome: 'failed', chat, nextSlotAt: Date.now(), chatHasMore: true, attempted: false };
  }

  // The chat's slot is asked for after the claim, so the send follows its slot at once.
  let pace: PaceDecision | undefined;
  try {
    pace = await options.pace?.(row.chatId);
  } catch (error) {
    await unclaim(sql, outboxId);
    throw error;
  }
  if (pace && !pace.granted) {
    await unclaim(sql, outboxId);
    return { outcome: 'paced', waitMs: pace.waitMs };
  }
  // A grant's wait counts from the moment it was given, which is (about) now.
  const nextSlotAt = Date.now() + (pace?.waitMs ?? 0);

  let result: SendResult;
  try {
    const { message, chosenLocale } = payloadParts(row.payload);
    result = await channel.send(row.chatId, message, {
      outboxId,
      ...(row.hasRefs !== undefined ? { hasRefs: row.hasRefs } : {}),
      ...(chosenLocale !== undefined ? { chosenLocale } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const retryAfterMs = error instanceof ChannelSendError && error.retryable ? error.retryAfterMs : undefined;
    if (retryAfterMs !== undefined) await options.onPlatformPause?.(retryAfterMs);
    if (error instanceof ChannelSendError && !error.retryable) {
      await markFailed(prisma, outboxId, reason, error.kind === 'rejected' ? 'rejected' : 'unreachable');
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
  const chatHasMore = await markSent(sql, outboxId, result.externalMessageId);
  return { outcome: 'sent', chat, nextSlotAt, chatHasMore };
}

/**
 * Records a send, and in the same statement says whether the chat has other messages still to
 * go: the common bulk case (one message per chat) then needs no further look to wake the next.
 * Sends finishing together are recorded together (mark-sent.ts).
 */
function markSent(sql: SqlRunner, outboxId: string, externalMessageId: string): Promise<boolean> {
  return recordSent(sql, UNFINISHED_SQL, outboxId, externalMessageId);
}

/** A row held `sending` by this process, as its send needs it. */
export interface ClaimedOutboxRow {
  channel: string;
  chatId: string;
  chatAccountId: string | null;
  payload: unknown;
  /**
   * Some MessageRef says what the message is about (read in the claim, so a plain reply costs no
   * look more). Absent: not known (the channel looks, if it cares).
   */
  hasRefs?: boolean;
}

/**
 * After a refused claim: true when the row could still be claimed, so what stopped it was an
 * earlier message to its chat (which may have finished since: the caller parks and looks again).
 */
async function stillClaimable(sql: SqlRunner, outboxId: string, reclaimBefore: Date | undefined): Promise<boolean> {
  const values: unknown[] = [outboxId];
  const reclaim = reclaimBefore ? `OR (status = 'sending' AND "claimedAt" < ${utcTimestamp(`$${values.push(sqlTimestamp(reclaimBefore))}`)})` : '';
  const rows = await sql.query<{ claimable: boolean }>(
    `SELECT (status IN (${CLAIMABLE_SQL}) ${reclaim}) AS claimable FROM "OutboxMessage" WHERE id = $1`,
    values,
  );
  return rows[0]?.claimable === true;
}

/** Gives a claim back (the chat's budget said "not yet"): the row was never sent. */
async function unclaim(sql: SqlRunner, outboxId: string): Promise<void> {
  await sql.query(
    `UPDATE "OutboxMessage" SET status = 'queued', "claimedAt" = NULL, attempts = attempts - 1 WHERE id = $1 AND status = 'sending'`,
    [outboxId],
  );
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

/**
 * Why a row was given up (`OutboxMessage.failureKind`), for delivery reports: the recipient cannot
 * be reached (blocked the bot, left the group), the platform refused this message, the retries ran
 * out, or this deployment has no such channel.
 */
export type OutboxFailureKind = 'unreachable' | 'rejected' | 'exhausted' | 'no_channel';

/** Records that a message will not be sent, and why. Returns its chat, or null when it had been sent or was gone. */
export async function markFailed(prisma: PrismaClient, outboxId: string, reason: string, kind: OutboxFailureKind): Promise<ChatRef | null> {
  const [row] = await prisma.outboxMessage.updateManyAndReturn({
    where: { id: outboxId, status: { not: 'sent' } },
    data: { status: 'failed', lastError: reason.slice(0, 500), failureKind: kind },
    select: { channel: true, chatId: true },
  });
  return row ?? null;
}
