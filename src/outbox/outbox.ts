/**
 * The transactional outbox. A message is written as an outbox row in the same transaction as
 * the change that caused it; after commit it is handed to the delivery queue. A sweep hands
 * over rows that never were (a crash between commit and enqueue) and rows left "sending" by a
 * worker that died mid-send.
 */
import type { OutboundMessage, ChannelName } from '../channels/types.js';
import type { PrismaClient, Tx } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';

/** Replies to someone talking to the bot go first; bulk sends wait behind them. */
export const PRIORITY_REPLY = 1;
export const PRIORITY_BULK = 10;

export interface OutboxEntry {
  communityId: string;
  channel: ChannelName;
  chatId: string;
  chatAccountId?: string | null;
  message: OutboundMessage;
  priority?: number;
}

export interface QueuedOutboxRow {
  id: string;
  priority: number;
}

/** Writes rows inside the caller's transaction. Touches nothing outside it. */
export async function writeOutbox(tx: Tx, entries: OutboxEntry[]): Promise<QueuedOutboxRow[]> {
  if (entries.length === 0) return [];
  return tx.outboxMessage.createManyAndReturn({
    data: entries.map((entry) => ({
      communityId: entry.communityId,
      channel: entry.channel,
      chatId: entry.chatId,
      chatAccountId: entry.chatAccountId ?? null,
      payload: entry.message as object,
      priority: entry.priority ?? PRIORITY_REPLY,
    })),
    select: { id: true, priority: true },
  });
}

/** Puts one outbox row on the delivery queue; the job id is the row id, so a repeat is harmless. */
export type EnqueueDelivery = (row: QueuedOutboxRow) => Promise<void>;

export class OutboxDispatcher {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly enqueue: EnqueueDelivery,
    private readonly logger: Logger,
  ) {}

  /** Call after the transaction that wrote `rows` has committed. */
  async dispatch(rows: QueuedOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    for (const row of rows) await this.enqueue(row);
    await this.prisma.outboxMessage.updateMany({
      where: { id: { in: rows.map((r) => r.id) }, status: 'pending' },
      data: { status: 'queued', enqueuedAt: new Date() },
    });
  }

  /**
   * Re-queues rows that were never queued (older than `pendingAgeMs`) and rows stuck in
   * "sending" longer than `stuckSendingMs` (their worker died). Returns how many it re-queued.
   * A stuck row may have reached the person before the crash: it can go twice, and only those.
   */
  async sweep(pendingAgeMs: number, stuckSendingMs: number): Promise<number> {
    const now = Date.now();
    await this.prisma.outboxMessage.updateMany({
      where: { status: 'sending', claimedAt: { lt: new Date(now - stuckSendingMs) } },
      data: { status: 'pending' },
    });
    const rows = await this.prisma.outboxMessage.findMany({
      where: {
        OR: [
          { status: 'pending', createdAt: { lt: new Date(now - pendingAgeMs) } },
          { status: 'queued', enqueuedAt: { lt: new Date(now - stuckSendingMs) } },
        ],
      },
      select: { id: true, priority: true },
      orderBy: { createdAt: 'asc' },
      take: 5_000,
    });
    if (rows.length > 0) {
      this.logger.info({ count: rows.length }, 'outbox sweep re-queued messages');
      for (const row of rows) await this.enqueue(row);
      await this.prisma.outboxMessage.updateMany({
        where: { id: { in: rows.map((r) => r.id) }, status: 'pending' },
        data: { status: 'queued', enqueuedAt: new Date() },
      });
    }
    return rows.length;
  }
}
