/**
 * Binding requests in the staff chats (a listener of the identity feature's
 * `binding_request.changed`, features/identity/identity-events.ts): when a visitor's request commits, each bound
 * staff chat gets a post — the request's number, the name, the phone masked, the address given,
 * and the household on the roster it probably is (one person there with that name and phone) —
 * with Approve / Reject buttons where the channel has buttons, else the words to type. A decision, however
 * taken (a button, `/approve`, `linli approve`), adds one line saying who decided, in reply to the
 * post where its message id is known (no edits, like a ticket's lines). Each row has a message
 * ref to the request (role `post` or `line`), so a reply to it is about the request. Written
 * through the one poster (bound-chat-poster.ts): every chat bound for `staff`, in its language,
 * queued after the change's transaction commits; written by the command line, the server's
 * outbox sweep sends them. With no staff chat bound nothing is written.
 */
import { declaredCapabilities, type CapabilitiesOf } from '../channels/known-channels.js';
import type { Tx } from '../db/prisma-types.js';
import type { BindingRequestChange } from '../features/identity/identity-events.js';
import { rosterMatch } from '../features/identity/roster-match.js';
import type { Actor } from '../features/policy/actor.js';
import { maskPhone } from '../features/privacy/mask.js';
import type { Translator } from '../i18n/translator.js';
import { sentMessageAbout, writeMessageRefs } from '../outbox/message-refs.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxEntry, type QueuedOutboxRow } from '../outbox/outbox.js';
import type { ButtonMaker } from '../buttons/button-registry.js';
import type { OutboundMessage } from '../channels/types.js';
import { splitText } from '../util/split-text.js';
import { BoundChatPoster, type PostPlace } from './bound-chat-poster.js';
import { requestChoices, type RequestDecision } from './card-buttons.js';
import type { StaffChatRef, TextLimitOf } from './staff-posts.js';
import { staffPlaceOf } from './staff-place.js';

export interface BindingRequestPostsDeps {
  translator: Translator;
  /** Makes the post's buttons; without it (the command line, which only decides) posts carry none. */
  buttons?: ButtonMaker;
  textLimitOf: TextLimitOf;
  /** What each channel can do (default: what the known adapters declare). */
  capabilitiesOf?: CapabilitiesOf;
}

const BUTTON_KEYS: Record<RequestDecision, string> = {
  approve: 'inbox.button.approve',
  reject: 'inbox.button.reject',
};

export class BindingRequestPosts {
  private readonly poster: BoundChatPoster;

  constructor(private readonly deps: BindingRequestPostsDeps) {
    this.poster = new BoundChatPoster(deps.capabilitiesOf ?? declaredCapabilities);
  }

  async bindingRequestChanged(tx: Tx, change: BindingRequestChange): Promise<void> {
    await this.write(tx, change);
  }

  /** Writes the staff chats' messages for one change, queued after commit; returns the rows. */
  async write(tx: Tx, change: BindingRequestChange): Promise<QueuedOutboxRow[]> {
    const request = await tx.bindingRequest.findUnique({
      where: { id: change.requestId },
      select: { id: true, number: true, name: true, phone: true, address: true },
    });
    if (!request) return [];
    const to = { communityId: change.communityId, purpose: 'staff' as const };
    if (change.kind === 'filed') {
      const factsIn = new Map<string, string[]>();
      return this.poster.post(tx, to, async (place) => {
        const facts = factsIn.get(place.locale) ?? (await this.postFacts(tx, change.communityId, request, place.locale));
        factsIn.set(place.locale, facts);
        return this.post(tx, change.communityId, place, request, facts);
      });
    }
    const key = change.kind === 'approved' ? 'inbox.request.approved' : 'inbox.request.rejected';
    return this.poster.post(tx, to, async ({ chat, locale }) => {
      const staff = await this.deciderName(tx, change.decidedBy, locale);
      const text = this.deps.translator.t(locale, key, { number: request.number, name: request.name, staff });
      const replyTo = await sentMessageAbout(tx, { subjectKind: 'binding_request', subjectId: request.id, role: 'post' }, chat);
      return this.writeTo(tx, change.communityId, chat, text, { requestId: request.id, role: 'line' }, { ...(replyTo ? { replyToMessageId: replyTo } : {}) });
    });
  }

  /** The post's lines in a chat's language (the hint at its foot differs by chat). */
  private async postFacts(tx: Tx, communityId: string, request: { number: number; name: string; phone: string; address: string }, locale: string): Promise<string[]> {
    const t = (key: string, vars?: Record<string, string | number>) => this.deps.translator.t(locale, key, vars);
    const lines = [
      t('inbox.request.title', { number: request.number }),
      t('inbox.request.name', { name: request.name }),
      // Masked like every staff view: the full number is `/phone`'s, and audited.
      t('inbox.request.phone', { phone: maskPhone(request.phone) }),
      t('inbox.request.address', { address: request.address }),
    ];
    const match = await rosterMatch(tx, communityId, request);
    if (!match) lines.push(t('inbox.request.no_match'));
    else if (match.household) lines.push(t('inbox.request.match', { code: match.household.code, address: match.household.address }));
    else lines.push(t('inbox.request.match_no_household'));
    return lines;
  }

  private async post(tx: Tx, communityId: string, { chat, capabilities, locale }: PostPlace, request: { id: string; number: number }, facts: string[]): Promise<QueuedOutboxRow[]> {
    const { translator, buttons } = this.deps;
    const choices = buttons ? requestChoices(buttons, capabilities, request.id, (decision) => translator.t(locale, BUTTON_KEYS[decision])) : undefined;
    const typed = staffPlaceOf(capabilities, chat) === 'numbered';
    const hint = choices ? 'inbox.request.hint_buttons' : typed ? 'inbox.request.hint_numbered' : 'inbox.request.hint_replies';
    const text = [...facts, '', translator.t(locale, hint, { number: request.number })].join('\n');
    return this.writeTo(tx, communityId, chat, text, { requestId: request.id, role: 'post' }, choices ? { choices } : {});
  }

  private async writeTo(
    tx: Tx,
    communityId: string,
    chat: StaffChatRef,
    text: string,
    about: { requestId: string; role: 'post' | 'line' },
    extra: Pick<OutboundMessage, 'choices' | 'replyToMessageId'>,
  ): Promise<QueuedOutboxRow[]> {
    const pieces = splitText(text, this.deps.textLimitOf(chat.channel));
    const entries: OutboxEntry[] = pieces.map((piece, index) => {
      const first = index === 0;
      const last = index === pieces.length - 1;
      const message: OutboundMessage = {
        text: piece,
        // The buttons under the last piece; a reply to any piece finds the request (its ref).
        ...(last && extra.choices ? { choices: extra.choices } : {}),
        ...(first && extra.replyToMessageId ? { replyToMessageId: extra.replyToMessageId } : {}),
      };
      // In a group the row is the group's: a failed send says nothing about any person.
      return { communityId, channel: chat.channel, chatId: chat.chatId, message, priority: PRIORITY_REPLY };
    });
    const rows = await writeOutbox(tx, entries);
    await writeMessageRefs(tx, rows, (index) => ({ subjectKind: 'binding_request', subjectId: about.requestId, role: index === 0 ? about.role : 'line' }));
    return rows;
  }

  /** The decider as the line names them: the staff member's name, or the office for the command line. */
  private async deciderName(tx: Tx, actor: Actor | undefined, locale: string): Promise<string> {
    if (actor?.kind === 'person') {
      const person = await tx.resident.findUnique({ where: { id: actor.residentId }, select: { name: true } });
      if (person) return person.name;
    }
    return this.deps.translator.t(locale, actor?.kind === 'person' ? 'inbox.line.someone' : 'inbox.request.by_office');
  }
}
