/**
 * Writes messages to a staff chat as outbox rows in the caller's transaction: a ticket's card,
 * lines and prompts (tagged with the ticket, so the Telegram sender finds the ticket's topic or
 * card at send time and a staff reply to any of them reaches that ticket), and plain answers to
 * a staff member (refusals, usage hints), which belong to no ticket.
 */
import type { TextLimitOf } from '../channels/text-limit.js';
import type { ChannelName, OutboundChoice } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxEntry, type QueuedOutboxRow } from '../outbox/outbox.js';
import { splitText } from '../util/split-text.js';
import type { InboxOutbound, InboxTag } from './inbox-payload.js';

/** A staff chat as stored. */
export interface StaffChatRef {
  channel: ChannelName;
  chatId: string;
  isForum: boolean;
}

/** The community's bound staff chats, the earliest bound first: where every staff post goes. */
export async function staffChatsOf(tx: Tx, communityId: string): Promise<StaffChatRef[]> {
  const rows = await tx.staffChat.findMany({ where: { communityId }, orderBy: { boundAt: 'asc' } });
  return rows.map((row) => ({ channel: row.channel as ChannelName, chatId: row.chatId, isForum: row.isForum }));
}

/** One message of a ticket's thread. */
export interface TicketPost {
  chat: StaffChatRef;
  ticketId: string;
  part: InboxTag['part'];
  topicName: string;
  text: string;
  choices?: OutboundChoice[];
  topicOpen?: boolean;
  prompt?: InboxTag['prompt'];
}

/** Text limits per channel (longer texts are split; the buttons go under the last piece). */
export type { TextLimitOf };

/** Writes a ticket's posts, in order, and marks every row as the ticket's. */
export async function writeTicketPosts(tx: Tx, communityId: string, posts: readonly TicketPost[], textLimitOf: TextLimitOf): Promise<QueuedOutboxRow[]> {
  const byTicket = new Map<string, QueuedOutboxRow[]>();
  const written: QueuedOutboxRow[] = [];
  for (const post of posts) {
    const forum = post.chat.channel === 'telegram' && post.chat.isForum;
    const pieces = post.part === 'topic' ? [''] : splitText(post.text, textLimitOf(post.chat.channel));
    const entries: OutboxEntry[] = pieces.map((piece, index) => {
      const last = index === pieces.length - 1;
      const tag: InboxTag = {
        ticketId: post.ticketId,
        // Only the first piece opens the thread; only the last one carries the prompt and the buttons.
        part: index === 0 ? post.part : 'line',
        forum,
        topicName: post.topicName,
        ...(post.topicOpen !== undefined ? { topicOpen: post.topicOpen } : {}),
        ...(post.prompt && last ? { prompt: post.prompt } : {}),
      };
      const message: InboxOutbound = {
        text: piece,
        ...(last && post.choices && post.choices.length > 0 ? { choices: post.choices } : {}),
        ...(last && post.prompt && post.chat.channel === 'telegram' ? { forceReply: true } : {}),
        inbox: tag,
      };
      return { communityId, channel: post.chat.channel, chatId: post.chat.chatId, message, priority: PRIORITY_REPLY };
    });
    const rows = await writeOutbox(tx, entries);
    written.push(...rows);
    byTicket.set(post.ticketId, [...(byTicket.get(post.ticketId) ?? []), ...rows]);
  }
  for (const [ticketId, rows] of byTicket) {
    await tx.outboxMessage.updateMany({ where: { id: { in: rows.map((row) => row.id) } }, data: { ticketId } });
  }
  return written;
}

/** A plain answer in a staff chat (or a private chat): in the topic it came from, if any. */
export async function writeAnswer(
  tx: Tx,
  communityId: string,
  to: { channel: ChannelName; chatId: string; threadId?: string | undefined; chatAccountId?: string | null },
  text: string,
  textLimitOf: TextLimitOf,
): Promise<QueuedOutboxRow[]> {
  return writeOutbox(
    tx,
    splitText(text, textLimitOf(to.channel)).map((piece) => ({
      communityId,
      channel: to.channel,
      chatId: to.chatId,
      chatAccountId: to.chatAccountId ?? null,
      message: { text: piece, ...(to.threadId ? { threadId: to.threadId } : {}) },
      priority: PRIORITY_REPLY,
    })),
  );
}
