/**
 * A notice's delivery as its sender reads it, per chat (a long notice is several messages to one
 * chat: the chat counts once): delivered (every message sent), unreachable (blocked the bot, left
 * the group, chat gone), failed with the reason (refused by the platform, retries used up, no such
 * channel here), and those still on their way. Read from the bulk send's rows at any time.
 */
import type { PrismaClient } from '../../../db/prisma-types.js';

export type FailureReason = 'rejected' | 'exhausted' | 'no_channel';

export interface DeliveryReport {
  noticeId: string;
  number: string;
  /** The notice's status (draft, held, scheduled, sent, cancelled). */
  status: string;
  /** Chats written to. */
  total: number;
  delivered: number;
  unreachable: number;
  /** Failed for another reason than the recipient: what a retry may mend. */
  failed: Record<FailureReason, number>;
  /** Not finished yet. */
  pending: number;
  /** Every chat finished one way or the other. */
  done: boolean;
}

export async function deliveryReport(prisma: PrismaClient, notice: { id: string; number: string; status: string; bulkSendId: string | null }): Promise<DeliveryReport> {
  const report: DeliveryReport = {
    noticeId: notice.id,
    number: notice.number,
    status: notice.status,
    total: 0,
    delivered: 0,
    unreachable: 0,
    failed: { rejected: 0, exhausted: 0, no_channel: 0 },
    pending: 0,
    done: false,
  };
  if (!notice.bulkSendId) return report;
  const rows = await prisma.outboxMessage.groupBy({
    by: ['channel', 'chatId', 'status', 'failureKind'],
    where: { bulkSendId: notice.bulkSendId },
    _count: { _all: true },
  });
  const chats = new Map<string, { sent: boolean; unfinished: boolean; failure: string | null }>();
  for (const row of rows) {
    const key = `${row.channel}\u0000${row.chatId}`;
    const chat = chats.get(key) ?? { sent: true, unfinished: false, failure: null };
    if (row.status === 'failed') chat.failure = chat.failure === 'unreachable' ? 'unreachable' : (row.failureKind ?? 'exhausted');
    else if (row.status !== 'sent') chat.unfinished = true;
    chat.sent = chat.sent && row.status === 'sent';
    chats.set(key, chat);
  }
  for (const chat of chats.values()) {
    report.total += 1;
    if (chat.failure === 'unreachable') report.unreachable += 1;
    else if (chat.failure) report.failed[chat.failure as FailureReason] = (report.failed[chat.failure as FailureReason] ?? 0) + 1;
    else if (chat.unfinished) report.pending += 1;
    else report.delivered += 1;
  }
  report.done = report.pending === 0;
  return report;
}

/** Failed chats that are not unreachable: what "retry the failures" would send again (besides the unreachable who came back). */
export function failedCount(report: DeliveryReport): number {
  return report.failed.rejected + report.failed.exhausted + report.failed.no_channel;
}
