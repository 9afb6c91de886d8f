/**
 * Writes messages to a staff chat as outbox rows in the caller's transaction: a ticket's card,
 * lines and prompts, each with a message ref to the ticket (src/outbox/message-refs.ts: the
 * Telegram sender reads it to find the ticket's topic or card at send time, and a staff reply to
 * any of them reaches that ticket), and plain answers to a staff member (refusals, usage hints),
 * which belong to no ticket.
 */
import type { CapabilitiesOf } from '../channels/known-channels.js';
import type { TextLimitOf } from '../channels/text-limit.js';
import type { ChannelName, OutboundChoice, OutboundMessage } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';
import { writeMessageRefs, type MessageAbout } from '../outbox/message-refs.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxEntry, type QueuedOutboxRow } from '../outbox/outbox.js';
import { splitText } from '../util/split-text.js';
import type { StaffActionName } from './staff-commands.js';

/** Actions whose words are asked for with a prompt after a button press. */
export type PromptAction = Extract<StaffActionName, 'assign' | 'note' | 'resolve' | 'merge'>;

const PROMPT_ACTIONS: readonly string[] = ['assign', 'note', 'resolve', 'merge'] satisfies PromptAction[];

/** A stored prompt's action, if it is one. */
export function promptActionOf(action: string | null | undefined): PromptAction | undefined {
  return action && PROMPT_ACTIONS.includes(action) ? (action as PromptAction) : undefined;
}
import type { ChatRef } from './bound-chats.js';

/** A staff chat as the inbox writes to it. */
export type StaffChatRef = ChatRef;

/** One message of a ticket's thread. */
export interface TicketPost {
  chat: StaffChatRef;
  ticketId: string;
  /**
   * card: the ticket's first message (opens its topic in a forum); line: an event of the ticket;
   * prompt: asks staff for the words of an action; topic: closes or reopens the forum topic.
   */
  part: 'card' | 'line' | 'prompt' | 'topic';
  /** The topic's name, should this message have to open it. */
  topicName: string;
  text: string;
  choices?: OutboundChoice[];
  /** For part `topic`. */
  topicOpen?: boolean;
  /** For part `prompt`. */
  prompt?: PromptAction;
}

/** Text limits per channel (longer texts are split; the buttons go under the last piece). */
export type { TextLimitOf };

/**
 * Writes a ticket's posts, in order, each row with its ref to the ticket, and keeps the ticket's
 * thread in each chat up to date with what its send needs (is the chat a forum — on a channel
 * whose chats may have topics — the topic's name). A prompt asks for a reply where the channel
 * can (`forceReply`).
 */
export async function writeTicketPosts(
  tx: Tx,
  communityId: string,
  posts: readonly TicketPost[],
  textLimitOf: TextLimitOf,
  capabilitiesOf: CapabilitiesOf,
): Promise<QueuedOutboxRow[]> {
  const written: QueuedOutboxRow[] = [];
  const refs: MessageAbout[] = [];
  const threads = new Map<string, { ticketId: string; chat: StaffChatRef; forum: boolean; topicName: string }>();
  for (const post of posts) {
    const capabilities = capabilitiesOf(post.chat.channel);
    const forum = capabilities.threads === 'topics' && post.chat.isForum;
    const pieces = post.part === 'topic' ? [''] : splitText(post.text, textLimitOf(post.chat.channel));
    const entries: OutboxEntry[] = pieces.map((piece, index) => {
      const last = index === pieces.length - 1;
      const message: OutboundMessage = {
        text: piece,
        ...(last && post.choices && post.choices.length > 0 ? { choices: post.choices } : {}),
        ...(last && post.prompt && capabilities.forceReply === true ? { forceReply: true } : {}),
      };
      refs.push(pieceRef(post, index, last));
      return { communityId, channel: post.chat.channel, chatId: post.chat.chatId, message, priority: PRIORITY_REPLY };
    });
    written.push(...(await writeOutbox(tx, entries)));
    threads.set(`${post.ticketId}\u0000${post.chat.channel}\u0000${post.chat.chatId}`, { ticketId: post.ticketId, chat: post.chat, forum, topicName: post.topicName });
  }
  await writeMessageRefs(tx, written, (index) => refs[index]);
  for (const { ticketId, chat, forum, topicName } of threads.values()) {
    // A thread of another chat (the staff chat moved) is left alone: its messages post plainly.
    await tx.staffThread.updateMany({ where: { ticketId, channel: chat.channel, chatId: chat.chatId }, data: { forum, topicName } });
  }
  return written;
}

/** Only the first piece opens the thread; only the last one is the prompt (it carries the buttons and asks for the reply). */
function pieceRef(post: TicketPost, index: number, last: boolean): MessageAbout {
  const about = { subjectKind: 'ticket', subjectId: post.ticketId } as const;
  if (post.part === 'prompt') return last && post.prompt ? { ...about, role: 'prompt', action: post.prompt } : { ...about, role: 'line' };
  if (index > 0) return { ...about, role: 'line' };
  if (post.part === 'topic') return { ...about, role: 'topic', action: post.topicOpen ? 'open' : 'close' };
  return { ...about, role: post.part };
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
