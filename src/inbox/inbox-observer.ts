/**
 * The staff inbox's listener of `ticket.changed` (features/tickets/service/ticket-change.ts):
 * called in the transaction that changed a ticket, it writes what the staff chats should see —
 * the card when a ticket is filed (and its StaffThread row), afterwards one line per change, and
 * for forum topics the close / reopen that follows the ticket's status — through the one poster
 * (bound-chat-poster.ts), to every chat bound for `staff`, in its language; each card is rendered
 * for its place (a forum topic, a card to reply to, lines naming `#123`) from the channel's
 * capabilities. The rows go to the queue right after the change's transaction commits.
 */
import type { CapabilitiesOf } from '../channels/known-channels.js';
import type { Tx } from '../db/prisma-types.js';
import type { TicketChange } from '../features/tickets/service/ticket-change.js';
import { isOpenStatus, type TicketStatus } from '../features/tickets/rules/statuses.js';
import type { Translator } from '../i18n/translator.js';
import type { QueuedOutboxRow } from '../outbox/outbox.js';
import type { ButtonMaker } from '../buttons/button-registry.js';
import { cardChoices } from './card-buttons.js';
import { BoundChatPoster, type PostPlace } from './bound-chat-poster.js';
import { writeTicketPosts, type StaffChatRef, type TextLimitOf, type TicketPost } from './staff-posts.js';
import type { StaffActionName } from './staff-commands.js';
import { staffPlaceOf } from './staff-place.js';
import { loadCardFacts, renderCard, topicName, type CardFacts } from './ticket-card.js';
import { loadInboxCommunity, shortReference, type InboxCommunity } from './ticket-context.js';
import { mergedInLine, renderLine, type LineEvent } from './ticket-lines.js';

export interface InboxObserverDeps {
  translator: Translator;
  /** Makes the card's buttons. */
  buttons: ButtonMaker;
  textLimitOf: TextLimitOf;
  /** What each channel can do: the card's place, its buttons. */
  capabilitiesOf: CapabilitiesOf;
  now?: () => Date;
}

/** The change's event: its line, and for a merge the other ticket. */
type ChangeEvent = LineEvent & { details: unknown };

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
  private readonly poster: BoundChatPoster;

  constructor(private readonly deps: InboxObserverDeps) {
    this.poster = new BoundChatPoster(deps.capabilitiesOf);
  }

  async ticketChanged(tx: Tx, change: TicketChange): Promise<void> {
    await this.write(tx, change);
  }

  /** Writes the staff chats' messages for one change, queued after commit; returns the rows. */
  async write(tx: Tx, change: TicketChange): Promise<QueuedOutboxRow[]> {
    let loaded: { facts: CardFacts; community: InboxCommunity; event: ChangeEvent | null } | null | undefined;
    return this.poster.post(tx, { communityId: change.communityId, purpose: 'staff' }, async (place) => {
      // Read once, on the first chat (nothing at all when no staff chat is bound).
      if (loaded === undefined) {
        const facts = await loadCardFacts(tx, change.ticketId);
        const community = await loadInboxCommunity(tx, change.communityId);
        const event = change.kind === 'filed' ? null : await tx.ticketEvent.findUnique({ where: { id: change.eventId } });
        loaded = facts ? { facts, community, event } : null;
      }
      if (!loaded) return [];
      const posts = await this.postsFor(tx, place, loaded.community, loaded.facts, loaded.event);
      return writeTicketPosts(tx, change.communityId, posts, this.deps.textLimitOf, this.deps.capabilitiesOf);
    });
  }

  /** One staff chat's card, or its lines for the change. */
  private async postsFor(tx: Tx, place: PostPlace, community: InboxCommunity, facts: CardFacts, event: ChangeEvent | null): Promise<TicketPost[]> {
    const { chat, locale } = place;
    const name = topicName(this.deps.translator, community, facts, locale);
    const open = isOpenStatus(facts.status as TicketStatus);
    const posts: TicketPost[] = [];
    const thread = await tx.staffThread.findUnique({ where: { ticketId_channel: { ticketId: facts.ticketId, channel: chat.channel } } });
    if (!thread || thread.chatId !== chat.chatId) {
      // A new ticket, or one from before the staff chat was (re)bound: its card shows where it stands.
      await tx.staffThread.upsert({
        where: { ticketId_channel: { ticketId: facts.ticketId, channel: chat.channel } },
        create: { ticketId: facts.ticketId, channel: chat.channel, chatId: chat.chatId, closed: !open },
        update: { chatId: chat.chatId, topicId: null, cardMessageId: null, closed: !open },
      });
      posts.push(this.card(community, facts, place, name));
      if (!open) posts.push({ chat, ticketId: facts.ticketId, part: 'topic', topicName: name, text: '', topicOpen: false });
      return posts;
    }
    if (!event) return posts;
    if (open && thread.closed) {
      posts.push({ chat, ticketId: facts.ticketId, part: 'topic', topicName: name, text: '', topicOpen: true });
      await tx.staffThread.update({ where: { id: thread.id }, data: { closed: false } });
    }
    const line = await renderLine(tx, this.deps.translator, community, { ...facts, id: facts.ticketId }, event, locale, chat.channel);
    if (line) posts.push({ chat, ticketId: facts.ticketId, part: 'line', topicName: name, text: line });
    if (!open && !thread.closed) {
      posts.push({ chat, ticketId: facts.ticketId, part: 'topic', topicName: name, text: '', topicOpen: false });
      await tx.staffThread.update({ where: { id: thread.id }, data: { closed: true } });
    }
    if (event.kind === 'merged') posts.push(...(await this.mergedIn(tx, community, chat, facts, event.details, locale)));
    return posts;
  }

  private card(community: InboxCommunity, facts: CardFacts, { chat, capabilities, locale }: PostPlace, name: string): TicketPost {
    const { translator, buttons } = this.deps;
    const ref = shortReference(community, facts, this.deps.now?.() ?? new Date());
    const text = renderCard(translator, community, facts, locale, staffPlaceOf(capabilities, chat), ref);
    // Where the channel shows no buttons, the card names the commands to type.
    const choices = cardChoices(buttons, capabilities, facts.ticketId, (action) => translator.t(locale, BUTTON_KEYS[action]));
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
