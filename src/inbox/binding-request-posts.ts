/**
 * Binding requests in the staff chats (a listener of the identity feature's
 * `binding_request.changed`, features/identity/identity-events.ts): when a visitor's request commits, each bound
 * staff chat gets a post — the request's number, the name, the phone masked, the address given,
 * and the household on the roster it probably is (one person there with that name and phone) —
 * with Approve / Reject buttons on Telegram and the words to type on WeChat. A decision, however
 * taken (a button, `/approve`, `linli approve`), adds one line saying who decided, in reply to the
 * post where its message id is known (no edits, like a ticket's lines). With no staff chat bound
 * nothing is written. Each row has a message ref to the request (role `post` or `line`), so a
 * reply to it is about the request. The rows go to the queue right after the change's
 * transaction commits (`queueAfterCommit`); written by the command line, the server's outbox
 * sweep sends them.
 */
import { queueAfterCommit } from '../db/after-commit.js';
import type { Tx } from '../db/prisma-types.js';
import type { BindingRequestChange } from '../features/identity/identity-events.js';
import { rosterMatch } from '../features/identity/roster-match.js';
import type { Actor } from '../features/policy/actor.js';
import { maskPhone } from '../features/privacy/mask.js';
import type { Translator } from '../i18n/translator.js';
import { sentMessageAbout, writeMessageRefs } from '../outbox/message-refs.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxEntry, type QueuedOutboxRow } from '../outbox/outbox.js';
import type { ButtonMaker } from '../buttons/button-registry.js';
import type { ChannelCapabilities, ChannelName, OutboundMessage } from '../channels/types.js';
import { splitText } from '../util/split-text.js';
import { requestChoices, type RequestDecision } from './card-buttons.js';
import { staffChatsOf, type StaffChatRef, type TextLimitOf } from './staff-posts.js';

export interface BindingRequestPostsDeps {
  translator: Translator;
  /** Makes the post's buttons; without it (the command line, which only decides) posts carry none. */
  buttons?: ButtonMaker;
  /** What a channel can show (undefined for one this process does not have: no buttons). */
  capabilitiesOf?: (channel: ChannelName) => ChannelCapabilities | undefined;
  textLimitOf: TextLimitOf;
}

const BUTTON_KEYS: Record<RequestDecision, string> = {
  approve: 'inbox.button.approve',
  reject: 'inbox.button.reject',
};

export class BindingRequestPosts {
  constructor(private readonly deps: BindingRequestPostsDeps) {}

  async bindingRequestChanged(tx: Tx, change: BindingRequestChange): Promise<void> {
    queueAfterCommit(tx, await this.write(tx, change));
  }

  /** Writes the staff chats' messages for one change; returns the rows (dispatch them after commit). */
  async write(tx: Tx, change: BindingRequestChange): Promise<QueuedOutboxRow[]> {
    const chats = await staffChatsOf(tx, change.communityId);
    if (chats.length === 0) return [];
    const request = await tx.bindingRequest.findUnique({
      where: { id: change.requestId },
      select: { id: true, number: true, name: true, phone: true, address: true },
    });
    if (!request) return [];
    const community = await tx.community.findUniqueOrThrow({ where: { id: change.communityId }, select: { defaultLocale: true } });
    // The staff chat is shared: it reads the community's language.
    const locale = community.defaultLocale;
    const rows: QueuedOutboxRow[] = [];
    if (change.kind === 'filed') {
      const facts = await this.postFacts(tx, change.communityId, request, locale);
      for (const chat of chats) {
        rows.push(...(await this.post(tx, change.communityId, chat, request, facts, locale)));
      }
      return rows;
    }
    const staff = await this.deciderName(tx, change.decidedBy, locale);
    const key = change.kind === 'approved' ? 'inbox.request.approved' : 'inbox.request.rejected';
    const text = this.deps.translator.t(locale, key, { number: request.number, name: request.name, staff });
    for (const chat of chats) {
      const replyTo = await sentMessageAbout(tx, { subjectKind: 'binding_request', subjectId: request.id, role: 'post' }, chat);
      rows.push(...(await this.writeTo(tx, change.communityId, chat, text, { requestId: request.id, role: 'line' }, { ...(replyTo ? { replyToMessageId: replyTo } : {}) })));
    }
    return rows;
  }

  /** The post's lines, the same for every chat (the hint at its foot differs). */
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

  private async post(
    tx: Tx,
    communityId: string,
    chat: StaffChatRef,
    request: { id: string; number: number },
    facts: string[],
    locale: string,
  ): Promise<QueuedOutboxRow[]> {
    const { translator, buttons, capabilitiesOf } = this.deps;
    const choices = buttons
      ? requestChoices(buttons, capabilitiesOf?.(chat.channel), request.id, (decision) => translator.t(locale, BUTTON_KEYS[decision]))
      : undefined;
    const hint = choices ? 'inbox.request.hint_buttons' : chat.channel === 'telegram' ? 'inbox.request.hint_telegram' : 'inbox.request.hint_wechat';
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
