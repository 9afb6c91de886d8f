/**
 * Bulk sends: one message to many recipients (a notice to every household, a meeting reminder).
 * A bulk send is a record plus one outbox row per recipient, written in the caller's transaction;
 * each row is claimed before sending and marked after, like any other message. So progress is a
 * count of rows, and after a crash the send resumes where it stopped: what is recorded as sent is
 * not sent again, nothing is lost, only messages in flight at the crash can go twice.
 */
import type { ChannelName, OutboundMessage } from '../channels/types.js';
import type { PrismaClient, Tx } from '../db/prisma-types.js';
import { OUTBOX_WRITE_CHUNK, PRIORITY_BULK, writeOutbox, type QueuedOutboxRow } from './outbox.js';

export interface BulkRecipient {
  channel: ChannelName;
  chatId: string;
  chatAccountId?: string | null;
  /** This recipient's own rendering (their language); default: the send's message. */
  message?: OutboundMessage;
}

export interface NewBulkSend {
  communityId: string;
  /** What it is for (e.g. "broadcast", "meeting_reminder"): kept for reports, never shown. */
  purpose: string;
  recipients: readonly BulkRecipient[];
  message: OutboundMessage;
  /** Default {@link PRIORITY_BULK}: behind every reply. */
  priority?: number;
}

export interface CreatedBulkSend {
  bulkSendId: string;
  /** Hand these to `OutboxDispatcher.dispatch` after the transaction commits. */
  rows: QueuedOutboxRow[];
}

/** How far writing a bulk send has come: "written 4,000 / 12,000". */
export interface BulkWriteProgress {
  written: number;
  total: number;
}

export interface BulkWriteOptions {
  /**
   * Called after each chunk of rows ({@link OUTBOX_WRITE_CHUNK}) is written. It runs inside the
   * caller's transaction: report (log, a progress bar, a message to another process), but use
   * the database only through that transaction.
   */
  onProgress?: (progress: BulkWriteProgress) => void | Promise<void>;
}

/**
 * Writes a bulk send inside the caller's transaction, {@link OUTBOX_WRITE_CHUNK} rows per
 * statement. Touches nothing outside it. For tens of thousands of recipients give the
 * transaction time (`{ timeout }`): on the embedded database 12,000 rows take a few seconds.
 *
 * @example
 * const { bulkSendId, rows } = await prisma.$transaction(
 *   (tx) => createBulkSend(tx, { communityId, purpose: 'broadcast', recipients, message: { text } }, {
 *     onProgress: ({ written, total }) => logger.info({ written, total }, 'bulk send written'),
 *   }),
 *   { timeout: 60_000 },
 * );
 * await outbox.dispatch(rows);
 */
export async function createBulkSend(tx: Tx, send: NewBulkSend, options: BulkWriteOptions = {}): Promise<CreatedBulkSend> {
  const priority = send.priority ?? PRIORITY_BULK;
  const bulk = await tx.bulkSend.create({
    data: { communityId: send.communityId, purpose: send.purpose, recipients: send.recipients.length, priority },
    select: { id: true },
  });
  const rows = await writeOutbox(
    tx,
    send.recipients.map((recipient) => ({
      communityId: send.communityId,
      channel: recipient.channel,
      chatId: recipient.chatId,
      chatAccountId: recipient.chatAccountId ?? null,
      message: recipient.message ?? send.message,
      priority,
      bulkSendId: bulk.id,
    })),
    { onWritten: (written, total) => options.onProgress?.({ written, total }) },
  );
  return { bulkSendId: bulk.id, rows };
}

/** Where a bulk send stands: "sent 1,200 / 3,076". */
export interface BulkSendProgress {
  bulkSendId: string;
  total: number;
  sent: number;
  /** Given up on (recipient unreachable, retries exhausted, channel not enabled). */
  failed: number;
  /** Not yet sent nor given up on. */
  unfinished: number;
  /** Nothing left to do. */
  done: boolean;
}

/** Counts a bulk send's rows by outcome; readable at any time, from any process. */
export async function bulkSendProgress(prisma: PrismaClient, bulkSendId: string): Promise<BulkSendProgress> {
  const bulk = await prisma.bulkSend.findUniqueOrThrow({ where: { id: bulkSendId }, select: { recipients: true } });
  const counts = await prisma.outboxMessage.groupBy({ by: ['status'], where: { bulkSendId }, _count: { _all: true } });
  const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
  const sent = count('sent');
  const failed = count('failed');
  const unfinished = counts.reduce((sum, c) => sum + c._count._all, 0) - sent - failed;
  return { bulkSendId, total: bulk.recipients, sent, failed, unfinished, done: unfinished === 0 };
}
