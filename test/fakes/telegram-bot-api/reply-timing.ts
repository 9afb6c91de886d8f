/**
 * Which of the bot's messages answer which update, and how long they took: what benchmarks
 * comparing bots measure. Telegram links no reply to the update it answers, so replies are
 * attributed per chat, in order: a chat's updates are answered in the order they were handed
 * out, each by as many messages as the caller says it causes (one for an echo bot; a flow step
 * may send two). A bot that answers a chat out of order, or sends more or fewer messages than
 * expected, shows up as unanswered updates or extra messages rather than as wrong timings.
 */
import type { SentMessage } from './sent-log.js';
import type { HandOut } from './update-feed.js';

/** One update and the messages attributed to it. */
export interface AnsweredUpdate {
  updateId: number;
  chatId: number;
  /** Its place among its chat's updates that were attributed (0 first). */
  nthOfChat: number;
  /** When the fake handed the update to the bot (epoch ms). */
  handedOutAt: number;
  /** When the fake accepted the first and the last of its replies (epoch ms). */
  firstReplyAt: number;
  lastReplyAt: number;
  replies: SentMessage[];
}

export interface ReplyAttribution {
  /** Updates with all their expected replies, in hand-out order. */
  answered: AnsweredUpdate[];
  /** Updates handed out whose replies did not all arrive. */
  unanswered: number;
  /** Messages to the chats concerned beyond what their updates account for. */
  extraReplies: number;
}

/**
 * Attributes the messages sent to each chat to that chat's updates, in order.
 *
 * @param handOuts the updates to attribute (e.g. `fake.handOuts` filtered to one phase), in hand-out order
 * @param sentTo the bot's messages to a chat, oldest first, from `sinceIndex` on (earlier ones answered earlier updates)
 * @param expectedReplies how many messages answer an update; `nth`: its place among its chat's updates here (0 first)
 * @param sinceIndex per chat, how many of its messages belong to updates before these
 */
export function attributeReplies(
  handOuts: readonly HandOut[],
  sentTo: (chatId: number) => readonly SentMessage[],
  expectedReplies: (handOut: HandOut, nth: number) => number,
  sinceIndex: (chatId: number) => number = () => 0,
): ReplyAttribution {
  const cursor = new Map<number, number>();
  const updatesSoFar = new Map<number, number>();
  const answered: AnsweredUpdate[] = [];
  let unanswered = 0;
  const sentCache = new Map<number, readonly SentMessage[]>();
  const messagesOf = (chatId: number) => {
    let messages = sentCache.get(chatId);
    if (!messages) {
      messages = sentTo(chatId);
      sentCache.set(chatId, messages);
    }
    return messages;
  };
  for (const handOut of handOuts) {
    if (handOut.chatId === undefined) continue;
    const chatId = handOut.chatId;
    const messages = messagesOf(chatId);
    const from = cursor.get(chatId) ?? sinceIndex(chatId);
    const nth = updatesSoFar.get(chatId) ?? 0;
    updatesSoFar.set(chatId, nth + 1);
    const count = Math.max(0, expectedReplies(handOut, nth));
    const replies = messages.slice(from, from + count);
    cursor.set(chatId, from + replies.length);
    if (replies.length < count || count === 0) {
      if (count > 0) unanswered += 1;
      continue;
    }
    answered.push({
      updateId: handOut.updateId,
      chatId,
      nthOfChat: nth,
      handedOutAt: handOut.at,
      firstReplyAt: replies[0]!.at,
      lastReplyAt: replies[replies.length - 1]!.at,
      replies,
    });
  }
  let extraReplies = 0;
  for (const [chatId, used] of cursor) extraReplies += Math.max(0, messagesOf(chatId).length - used);
  return { answered, unanswered, extraReplies };
}
