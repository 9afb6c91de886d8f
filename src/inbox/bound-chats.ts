/**
 * Group chats bound to a purpose (`BoundChat`): on any channel, a chat serves the staff inbox
 * (`staff`) or — for the features to come — a service team, a household group, an area or the
 * whole community, with the id of what it serves. A chat has one purpose at a time (unique per
 * community, channel and chat); a channel has at most one staff chat, as before bound chats: the
 * inbox's cards, threads and replies are kept per channel (`StaffThread`), and two staff chats on
 * one channel would each hold half of a ticket's history.
 */
import type { ChannelName } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';

/** What a chat can be bound for. Only `staff` is used today; the others can be bound and listed. */
export const CHAT_PURPOSES = ['staff', 'service_team', 'household_group', 'area', 'community'] as const;
export type ChatPurpose = (typeof CHAT_PURPOSES)[number];

/** Purposes that serve one thing of the community, named when binding (`service_team`: optional). */
export const TARGETED_PURPOSES: readonly ChatPurpose[] = ['service_team', 'household_group', 'area'];

export function isChatPurpose(word: string): word is ChatPurpose {
  return (CHAT_PURPOSES as readonly string[]).includes(word);
}

/** A chat as the inbox writes to it. */
export interface ChatRef {
  channel: ChannelName;
  chatId: string;
  /** A forum (on a channel whose chats may have topics): each ticket gets its own topic. */
  isForum: boolean;
}

/** A bound chat as stored. */
export interface BoundChatRef extends ChatRef {
  id: string;
  purpose: ChatPurpose;
  targetId: string | null;
  /** The language posts are written in; null: the community's. */
  locale: string | null;
  title: string | null;
}

type BoundChatRow = { id: string; channel: string; chatId: string; isForum: boolean; purpose: string; targetId: string | null; locale: string | null; title: string | null };

export function boundChatRef(row: BoundChatRow): BoundChatRef {
  return {
    id: row.id,
    channel: row.channel,
    chatId: row.chatId,
    isForum: row.isForum,
    purpose: row.purpose as ChatPurpose,
    targetId: row.targetId,
    locale: row.locale,
    title: row.title,
  };
}

/**
 * The community's chats bound for `purpose` (and `targetId`, when given), the earliest bound first.
 *
 * @example
 * const staffChats = await boundChatsFor(tx, communityId, 'staff');
 */
export async function boundChatsFor(tx: Pick<Tx, 'boundChat'>, communityId: string, purpose: ChatPurpose, targetId?: string): Promise<BoundChatRef[]> {
  const rows = await tx.boundChat.findMany({
    where: { communityId, purpose, ...(targetId !== undefined ? { targetId } : {}) },
    orderBy: [{ boundAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(boundChatRef);
}

/** The staff chat of one channel, if one is bound. */
export async function staffChatOn(tx: Pick<Tx, 'boundChat'>, communityId: string, channel: ChannelName): Promise<BoundChatRef | null> {
  const row = await tx.boundChat.findFirst({ where: { communityId, channel, purpose: 'staff' } });
  return row ? boundChatRef(row) : null;
}
