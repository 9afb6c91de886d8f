/**
 * The one way the inbox posts to bound chats: "post this to the chats bound for purpose P of
 * community C, each in its language, inside this transaction, queued after commit". The caller
 * says what to write in one chat, knowing that chat's capabilities and language (a ticket's card
 * is a forum topic, a card to reply to, or lines naming `#123`, chosen from them); the poster
 * finds the chats, writes, and hands the rows to the queue when the transaction commits
 * (`queueAfterCommit`, src/db/after-commit.ts; written by the command line, the outbox sweep
 * sends them). No chat bound: nothing is written.
 */
import type { CapabilitiesOf } from '../channels/known-channels.js';
import type { ChannelCapabilities } from '../channels/types.js';
import { queueAfterCommit } from '../db/after-commit.js';
import type { Tx } from '../db/prisma-types.js';
import type { QueuedOutboxRow } from '../outbox/outbox.js';
import { boundChatsFor, type BoundChatRef, type ChatPurpose } from './bound-chats.js';

/** One chat to write to: the chat, what its channel can do, and the language to write in. */
export interface PostPlace {
  chat: BoundChatRef;
  capabilities: ChannelCapabilities;
  locale: string;
}

/** Writes one chat's messages in `tx` and returns their rows. */
export type WritePosts = (place: PostPlace) => Promise<QueuedOutboxRow[]>;

export class BoundChatPoster {
  constructor(private readonly capabilitiesOf: CapabilitiesOf) {}

  /**
   * Writes to every chat bound for `purpose` (the earliest bound first) and queues the rows after
   * the transaction commits; returns them.
   *
   * @example
   * await poster.post(tx, { communityId, purpose: 'staff' }, ({ chat, locale }) =>
   *   writeAnswer(tx, communityId, chat, translator.t(locale, 'inbox.binding_closed.title'), textLimitOf));
   */
  async post(tx: Tx, to: { communityId: string; purpose: ChatPurpose; targetId?: string }, write: WritePosts): Promise<QueuedOutboxRow[]> {
    const chats = await boundChatsFor(tx, to.communityId, to.purpose, to.targetId);
    if (chats.length === 0) return [];
    const community = await tx.community.findUniqueOrThrow({ where: { id: to.communityId }, select: { defaultLocale: true } });
    const rows: QueuedOutboxRow[] = [];
    for (const chat of chats) {
      // A shared chat reads its own language, else the community's.
      rows.push(...(await write({ chat, capabilities: this.capabilitiesOf(chat.channel), locale: chat.locale ?? community.defaultLocale })));
    }
    queueAfterCommit(tx, rows);
    return rows;
  }
}
