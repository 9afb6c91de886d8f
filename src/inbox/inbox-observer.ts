/**
 * The staff inbox's listener of `ticket.changed` (features/tickets/service/ticket-change.ts):
 * called in the transaction that changed a ticket, it writes what the staff chats should see —
 * the card when a ticket is filed (and its StaffThread row), afterwards one line per change, and
 * for forum topics the close / reopen that follows the ticket's status. The rows go to the queue
 * right after the change's transaction commits (`queueAfterCommit`, src/db/after-commit.ts).
 */
import { queueAfterCommit } from '../db/after-commit.js';
import type { Tx } from '../db/prisma-types.js';
import type { TicketChange } from '../features/tickets/service/ticket-change.js';
import { isOpenStatus, type TicketStatus } from '../features/tickets/rules/statuses.js';
import type { Translator } from '../i18n/translator.js';
import type { QueuedOutboxRow } from '../outbox/outbox.js';
import type { ButtonMaker } from '../buttons/button-registry.js';
import type { ChannelCapabilities, ChannelName } from '../channels/types.js';
import { cardChoices } from './card-buttons.js';
import { staffChatsOf, writeTicketPosts, type StaffChatRef, type TextLimitOf, type TicketPost } from './staff-posts.js';
import type { StaffActionName } from './staff-commands.js';
import { loadCardFacts, renderCard, topicName, type CardFacts, type CardPlace } from './ticket-card.js';
import { loadInboxCommunity, shortReference, type InboxCommunity } from './ticket-context.js';
import { mergedInLine, renderLine } from './ticket-lines.js';

export interface InboxObserverDeps {
  translator: Translator;
  /** Makes the card's buttons. */
  buttons: ButtonMaker;
  /** What a channel can show (undefined for one this process does not have: no buttons). */
  capabilitiesOf: (channel: ChannelName) => ChannelCapabilities | undefined;
  textLimitOf: TextLimitOf;
  now?: () => Date;
}

const BUTTON_KEYS: Record<StaffActionName, string> = {
  claim: 'inbox.button.claim',
  assign: 'inbox.button.assign',
  note: 'inbox.button.note',
  major: 'inbox.button.major',
  resolve: 'inbox.button.resolve',
  reopen: 'inbox.button.reopen',
  merge: 'inbox.button.merge',
};

export class InboxObserver {
  constructor(private readonly deps: InboxObserverDeps) {}

  async ticketChanged(tx: Tx, change: TicketChange): Promise<void> {
    queueAfterCommit(tx, await this.write(tx, change));
  }

  /** Writes the staff chats' messages for one change; returns the rows (dispatch them after commit). */
  async write(tx: Tx, change: TicketChange): Promise<QueuedOutboxRow[]> {
    const chats = await staffChatsOf(tx, change.communityId);
    if (chats.length === 0) return [];
    const facts = await loadCardFacts(tx, change.ticketId);
    if (!facts) return [];
    const community = await loadInboxCommunity(tx, change.communityId);
    const locale = community.defaultLocale;
    const name = topicName(this.deps.translator, community, facts, locale);
    const event = change.kind === 'filed' ? null : await tx.ticketEvent.findUnique({ where: { id: change.eventId } });
    const open = isOpenStatus(facts.status as TicketStatus);
    const posts: TicketPost[] = [];

    for (const chat of chats) {
      const thread = await tx.staffThread.findUnique({ where: { ticketId_channel: { ticketId: facts.ticketId, channel: chat.channel } } });
      if (!thread || thread.chatId !== chat.chatId) {
        // A new ticket, or one from before the staff chat was (re)bound: its card shows where it stands.
        await tx.staffThread.upsert({
          where: { ticketId_channel: { ticketId: facts.ticketId, channel: chat.channel } },
          create: { ticketId: facts.ticketId, channel: chat.channel, chatId: chat.chatId, closed: !open },
          update: { chatId: chat.chatId, topicId: null, cardMessageId: null, closed: !open },
        });
        posts.push(this.card(community, facts, chat, name, locale));
        if (!open) posts.push({ chat, ticketId: facts.ticketId, part: 'topic', topicName: name, text: '', topicOpen: false });
        continue;
      }
      if (!event) continue;
      if (open && thread.closed) {
        posts.push({ chat, ticketId: facts.ticketId, part: 'topic', topicName: name, text: '', topicOpen: true });
        await tx.staffThread.update({ where: { id: thread.id }, data: { closed: false } });
      }
      const line = await renderLine(tx, this.deps.translator, community, { ...facts, id: facts.ticketId }, event, locale);
      if (line) posts.push({ chat, ticketId: facts.ticketId, part: 'line', topicName: name, text: line });
      if (!open && !thread.closed) {
        posts.push({ chat, ticketId: facts.ticketId, part: 'topic', topicName: name, text: '', topicOpen: false });
        await tx.staffThread.update({ where: { id: thread.id }, data: { closed: true } });
      }
      if (event.kind === 'merged') posts.push(...(await this.mergedIn(tx, community, chat, facts, event.details, locale)));
    }
    return writeTicketPosts(tx, community.id, posts, this.deps.textLimitOf);
  }

  private card(community: InboxCommunity, facts: CardFacts, chat: StaffChatRef, name: string, locale: string): TicketPost {
    const { translator, buttons, capabilitiesOf } = this.deps;
    const place: CardPlace = chat.channel === 'wechat' ? 'wechat' : chat.isForum ? 'telegram_forum' : 'telegram_group';
    const ref = shortReference(community, facts, this.deps.now?.() ?? new Date());
    const text = renderCard(translator, community, facts, locale, place, ref);
    // Where the channel shows no buttons (WeChat), the card names the commands to type.
    const choices = cardChoices(buttons, capabilitiesOf(chat.channel), facts.ticketId, (action) => translator.t(locale, BUTTON_KEYS[action]));
    return { chat, ticketId: facts.ticketId, part: 'card', topicName: name, text, ...(choices ? { choices } : {}) };
  }

  /** The line in the other ticket's thread, when this one was merged into it. */
  private async mergedIn(tx: Tx, community: InboxCommunity, chat: StaffChatRef, facts: CardFacts, details: unknown, locale: string): Promise<TicketPost[]> {
    const intoId = typeof details === 'object' && details !== null ? (details as { mergedIntoId?: unknown }).mergedIntoId : undefined;
    if (typeof intoId !== 'string') return [];
    const into = await tx.ticket.findUnique({ where: { id: intoId }, select: { id: true, number: true, category: true, kind: true, status: true } });
    const thread = into ? await tx.staffThread.findUnique({ where: { ticketId_channel: { ticketId: intoId, channel: chat.channel } } }) : null;
    if (!into || !thread || thread.chatId !== chat.chatId) return [];
    const text = mergedInLine(this.deps.translator, locale, facts.number, into.number);
    return [{ chat, ticketId: into.id, part: 'line', topicName: topicName(this.deps.translator, community, into, locale), text }];
  }
}
