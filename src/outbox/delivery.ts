/**
 * Delivers one outbox row: claim it (a guarded update, so a repeated job does nothing),
 * send it through its channel, record the result. Failures the platform calls permanent
 * (bot blocked, chat gone) mark the row failed and the account unreachable; others are
 * thrown so the queue retries them with backoff.
 */
import { ChannelSendError, type Channel, type ChannelName, type OutboundMessage } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';

/** `wait`: an earlier message to the same chat is still on its way; try again shortly. */
export type DeliveryOutcome = 'sent' | 'failed' | 'skipped' | 'wait';

const UNFINISHED = ['pending', 'queued', 'sending', 'retrying'];

export interface DeliveryDeps {
  prisma: PrismaClient;
  channels: ReadonlyMap<ChannelName, Channel>;
  logger: Logger;
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

export async function deliverOutboxMessage(deps: DeliveryDeps, outboxId: string): Promise<DeliveryOutcome> {
  const { prisma, logger } = deps;
  if (await waitsForEarlierMessage(prisma, outboxId)) return 'wait';
  const claimed = await prisma.outboxMessage.updateMany({
    where: { id: outboxId, status: { in: ['pending', 'queued', 'retrying'] } },
    data: { status: 'sending', claimedAt: new Date(), attempts: { increment: 1 } },
  });
  if (claimed.count === 0) return 'skipped';

  const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: outboxId } });
  const channel = deps.channels.get(row.channel as ChannelName);
  if (!channel) {
    await markFailed(prisma, outboxId, `channel ${row.channel} is not enabled`);
    logger.warn({ outboxId, channel: row.channel }, 'delivery failed: channel not enabled');
    return 'failed';
  }

  try {
    const result = await channel.send(row.chatId, row.payload as unknown as OutboundMessage);
    await prisma.outboxMessage.update({
      where: { id: outboxId },
      data: { status: 'sent', sentAt: new Date(), externalMessageId: result.externalMessageId, lastError: null },
    });
    return 'sent';
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof ChannelSendError && !error.retryable) {
      await markFailed(prisma, outboxId, reason);
      if (row.chatAccountId) {
        await prisma.chatAccount.updateMany({
          where: { id: row.chatAccountId, unreachableAt: null },
          data: { unreachableAt: new Date() },
        });
      }
      logger.warn({ outboxId, channel: row.channel }, 'delivery failed permanently');
      return 'failed';
    }
    await prisma.outboxMessage.update({ where: { id: outboxId }, data: { status: 'retrying', lastError: reason } });
    const retryAfterMs = error instanceof ChannelSendError ? error.retryAfterMs : undefined;
    throw new RetryableDeliveryError(reason, retryAfterMs);
  }
}

/**
 * A chat's messages arrive in the order they were written, though many workers send at once:
 * a message waits while an earlier one to the same chat, at least as urgent, is unfinished.
 * A reply does not wait behind an earlier bulk message (its priority number is higher).
 */
async function waitsForEarlierMessage(prisma: PrismaClient, outboxId: string): Promise<boolean> {
  const row = await prisma.outboxMessage.findUnique({
    where: { id: outboxId },
    select: { channel: true, chatId: true, seq: true, priority: true, status: true },
  });
  if (!row || !UNFINISHED.includes(row.status)) return false;
  const earlier = await prisma.outboxMessage.findFirst({
    where: {
      channel: row.channel,
      chatId: row.chatId,
      seq: { lt: row.seq },
      priority: { lte: row.priority },
      status: { in: UNFINISHED },
    },
    select: { id: true },
  });
  return earlier !== null;
}

/** Called when the queue gives up retrying. */
export async function markFailed(prisma: PrismaClient, outboxId: string, reason: string): Promise<void> {
  await prisma.outboxMessage.updateMany({
    where: { id: outboxId, status: { not: 'sent' } },
    data: { status: 'failed', lastError: reason.slice(0, 500) },
  });
}
