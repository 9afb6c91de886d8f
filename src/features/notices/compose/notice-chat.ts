/**
 * Sending a notice from a chat: the staff chat, or a private chat (a group head for their own
 * group; staff as well). Takes the notice commands (notice-commands.ts) and the draft's buttons
 * before the staff inbox and the flows; every other message goes on unchanged. Each command goes
 * through the notice service with the sender's own roles (policy, audit): a head naming another
 * group, or pressing a button of a draft they may not send, is refused there and audited.
 *
 * A draft is answered with its preview (how many people, households and chats) and Send / Cancel
 * buttons — on a channel without buttons the words to type (`/send_notice TZ-…`). The send's
 * status message then follows in the same chat (notice-progress.ts). A file (PDF, Word, Excel, a
 * photo) goes with a notice sent as its caption, or — where files carry no caption (WeChat) —
 * sent on its own within half an hour of the draft: it is put on the sender's newest draft
 * (`NoticeService.attach`), and a file the intake refused is answered with why.
 *
 * The service runs its own transactions; the answer is written in one of its own that also marks
 * the message handled. A crash in between hands the message to the router again: a second draft
 * (harmless, never sent unless confirmed) or a confirmation the service answers as `already`.
 */
import type { ButtonKind } from '../../../buttons/button-kind.js';
import { MAX_ATTACHMENT_BYTES, type DocumentRefusal } from '../../../channels/media/document-intake.js';
import { megabytes } from '../../../channels/media/photo-refusal-answer.js';
import type { ChannelCapabilities, InboundMessage, OutboundChoice, OutboundMessage } from '../../../channels/types.js';
import type { ChatButtonPress, ChatButtons } from '../../../conversation/button-presses.js';
import type { Speaker } from '../../../conversation/conversation-service.js';
import { markSettled, settleInboundIn, type InboundReceipt } from '../../../conversation/inbound-records.js';
import type { MessageHandler } from '../../../conversation/router.js';
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { Translator, Vars } from '../../../i18n/translator.js';
import type { Logger } from '../../../log/logger.js';
import { PRIORITY_REPLY, writeOutbox, type QueuedOutboxRow } from '../../../outbox/outbox.js';
import { splitText } from '../../../util/split-text.js';
import type { Actor } from '../../policy/actor.js';
import { denialMessageKey, DENIAL_REASONS, type DenialReason } from '../../policy/denials.js';
import { loadActor } from '../../policy/load-actor.js';
import { localDateTime, localParts } from '../../tickets/rules/local-time.js';
import type { Audience } from '../rules/audience.js';
import { noticeRetryButton, progressText, reportText } from '../send/notice-progress.js';
import type { NoticeService, Refusal } from '../send/notice-service.js';
import { isHelpCommand, noticeHelpKeys } from './notice-help.js';
import { parseNoticeCommand, type NoticeCommand, type NoticeTarget, type WallTime } from './notice-commands.js';

/** `nd|<notice id>|send|<tag>` / `…|cancel|…`: a draft's buttons. Who may press is the policy's. */
export const noticeDraftButton: ButtonKind<{ noticeId: string; action: 'send' | 'cancel' }> = {
  prefix: 'nd',
  write: ({ noticeId, action }) => [noticeId, action],
  read: (parts) => (parts.length === 2 && parts[0] && (parts[1] === 'send' || parts[1] === 'cancel') ? { noticeId: parts[0], action: parts[1] } : null),
};

export interface NoticeChatDeps {
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  buttons: ChatButtons;
  service: NoticeService;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  capabilitiesOf: (channel: string) => ChannelCapabilities | undefined;
  textLimitOf: (channel: string) => number;
  logger: Logger;
  now: () => Date;
}

interface Where {
  speaker: Speaker;
  inbound: InboundMessage;
  receipt: InboundReceipt | undefined;
}

/** The handler in front of the inbox, and the draft and retry buttons registered with the app's registry. */
export function noticeChat(deps: NoticeChatDeps): { handler(next: MessageHandler): MessageHandler } {
  const chat = new NoticeChat(deps);
  deps.buttons.register(noticeDraftButton, { handle: (fields, press) => chat.pressDraft(fields, press), refuse: (press) => chat.refuse(press) });
  deps.buttons.register(noticeRetryButton, { handle: (fields, press) => chat.pressRetry(fields, press), refuse: (press) => chat.refuse(press) });
  return {
    handler: (next) => ({
      async handleMessage(speaker, inbound, receipt) {
        if (inbound.kind === 'text' && isHelpCommand(inbound.text)) {
          // The usual help first (the staff chat's, or the flows'), then the notices' commands this person may use.
          await next.handleMessage(speaker, inbound, receipt);
          return chat.helpLines({ speaker, inbound, receipt: undefined });
        }
        // A photo's or a file's caption may be a notice too: the photo or file goes with it.
        const command = CAPTIONED_KINDS.includes(inbound.kind) ? parseNoticeCommand(inbound.text) : null;
        if (command) return chat.run({ speaker, inbound, receipt }, command);
        // A file sent on its own after /notice goes on the sender's newest draft.
        if ((inbound.kind === 'document' || inbound.kind === 'document_refused') && (await chat.attachToDraft({ speaker, inbound, receipt }))) return;
        return next.handleMessage(speaker, inbound, receipt);
      },
    }),
  };
}

/** Kinds whose text is a caption that may be a notice command. */
const CAPTIONED_KINDS: readonly InboundMessage['kind'][] = ['text', 'photo', 'document', 'document_refused'];

/** How long after writing a draft a file sent on its own is taken as that draft's. */
const ATTACH_WINDOW_MS = 30 * 60_000;

class NoticeChat {
  constructor(private readonly deps: NoticeChatDeps) {}

  /**
   * A file sent on its own: attached to the newest draft the sender wrote in the last half hour
   * (then true: answered here), refused with the reason if the intake did not take it. false
   * when the sender has no such draft (the message goes on as any other file would).
   */
  async attachToDraft(where: Where): Promise<boolean> {
    if (where.inbound.chatType === 'group' && !(await this.isStaffChat(where.inbound))) return false;
    const actor = await loadActor(this.deps.prisma, { chatAccountId: where.speaker.chatAccountId }, { now: this.deps.now() });
    if (!actor || actor.kind !== 'person') return false;
    const draft = await this.deps.service.latestDraftOf(actor.residentId, new Date(this.deps.now().getTime() - ATTACH_WINDOW_MS));
    if (!draft) return false;
    const { inbound } = where;
    if (inbound.kind === 'document_refused' || !inbound.document) {
      await this.refusedFile(where);
      return true;
    }
    const outcome = await this.deps.service.attach(actor, draft.id, { ref: inbound.document.ref, name: inbound.document.name });
    switch (outcome.status) {
      case 'attached': {
        const vars = { name: outcome.attachment.name, number: outcome.number, title: outcome.title, people: outcome.counts.people, households: outcome.counts.households, chats: outcome.counts.chats };
        await this.answer(where, 'notices.send.attachment.attached', vars, await this.draftChoices(where, draft.id));
        return true;
      }
      case 'not_draft':
        await this.answer(where, 'notices.send.attachment.not_draft', { number: outcome.number });
        return true;
      case 'denied':
        await this.refused(where, outcome);
        return true;
      case 'invalid':
      case 'not_found':
        await this.answer(where, 'notices.send.attachment.download_failed');
        return true;
    }
  }

  /** `/help`'s notices part: the commands this person may use, each with where; nothing for anyone else. */
  async helpLines(where: Where): Promise<void> {
    if (where.inbound.chatType === 'group' && !(await this.isStaffChat(where.inbound))) return;
    const keys = await this.deps.prisma.$transaction(async (tx) => {
      const actor = await loadActor(tx, { chatAccountId: where.speaker.chatAccountId }, { now: this.deps.now() });
      return actor ? noticeHelpKeys(tx, actor, this.deps.communityId, this.deps.now()) : [];
    });
    if (keys.length === 0) return;
    const locale = await this.localeOf(where);
    const text = keys.map((key) => this.deps.translator.t(locale, key, { max: megabytes(MAX_ATTACHMENT_BYTES) })).join('\n');
    return this.writeReply(where, splitText(text, this.deps.textLimitOf(where.inbound.channel)).map((piece) => ({ text: piece })));
  }

  /** Why a file was not taken, in the person's words. */
  private async refusedFile(where: Where): Promise<void> {
    const refusal = where.inbound.documentRefused;
    const reason = refusal?.reason ?? 'download_failed';
    return this.answer(where, FILE_REFUSAL_KEYS[reason], { max: megabytes(refusal?.maxBytes ?? MAX_ATTACHMENT_BYTES) });
  }

  private async draftChoices(where: Where, noticeId: string): Promise<OutboundChoice[] | undefined> {
    const locale = await this.localeOf(where);
    const capabilities = this.deps.capabilitiesOf(where.inbound.channel);
    const items = (['send', 'cancel'] as const).map((action) => ({ label: this.deps.translator.t(locale, DRAFT_BUTTON_KEYS[action]), fields: { noticeId, action } }));
    return this.deps.buttons.buttons(noticeDraftButton, capabilities, items);
  }

  async run(where: Where, command: NoticeCommand): Promise<void> {
    if (where.inbound.chatType === 'group' && !(await this.isStaffChat(where.inbound))) return this.answer(where, 'notices.send.command.where');
    const actor = await loadActor(this.deps.prisma, { chatAccountId: where.speaker.chatAccountId }, { now: this.deps.now() });
    if (!actor || actor.kind !== 'person') return this.answer(where, denialMessageKey('not_bound'));
    if (command.name === 'usage') return this.answer(where, USAGE_KEYS[command.problem]);
    if (command.name === 'compose') return this.compose(where, actor, command);
    const notice = await this.deps.prisma.notice.findFirst({ where: { communityId: this.deps.communityId, number: command.number }, select: { id: true, number: true } });
    if (!notice) return this.answer(where, 'notices.send.command.not_found', { number: command.number });
    if (command.name === 'send') return this.confirm(where, actor, notice.id);
    if (command.name === 'cancel') return this.cancel(where, actor, notice.id, notice.number);
    if (command.name === 'retry') return this.retry(where, actor, notice.id, notice.number);
    return this.report(where, actor, notice.id);
  }

  async pressDraft(fields: { noticeId: string; action: 'send' | 'cancel' }, press: ChatButtonPress): Promise<void> {
    const where = { speaker: press.speaker, inbound: press.inbound, receipt: press.receipt };
    const actor = await loadActor(this.deps.prisma, { chatAccountId: press.speaker.chatAccountId }, { now: this.deps.now() });
    if (!actor || actor.kind !== 'person') return this.answer(where, denialMessageKey('not_bound'));
    const notice = await this.deps.prisma.notice.findFirst({ where: { id: fields.noticeId, communityId: this.deps.communityId }, select: { number: true } });
    if (!notice) return this.answer(where, 'conversation.button_invalid');
    return fields.action === 'send' ? this.confirm(where, actor, fields.noticeId) : this.cancel(where, actor, fields.noticeId, notice.number);
  }

  async pressRetry(fields: { noticeId: string }, press: ChatButtonPress): Promise<void> {
    const where = { speaker: press.speaker, inbound: press.inbound, receipt: press.receipt };
    const actor = await loadActor(this.deps.prisma, { chatAccountId: press.speaker.chatAccountId }, { now: this.deps.now() });
    if (!actor || actor.kind !== 'person') return this.answer(where, denialMessageKey('not_bound'));
    const notice = await this.deps.prisma.notice.findFirst({ where: { id: fields.noticeId, communityId: this.deps.communityId }, select: { number: true } });
    if (!notice) return this.answer(where, 'conversation.button_invalid');
    return this.retry(where, actor, fields.noticeId, notice.number);
  }

  async refuse(press: ChatButtonPress): Promise<void> {
    return this.answer({ speaker: press.speaker, inbound: press.inbound, receipt: press.receipt }, 'conversation.button_invalid');
  }

  private async compose(where: Where, actor: Extract<Actor, { kind: 'person' }>, command: Extract<NoticeCommand, { name: 'compose' }>): Promise<void> {
    const audience = await this.audienceOf(where, actor, command.target);
    if (!audience) return;
    const sendAt = command.at ? await this.instantOf(command.at) : null;
    if (sendAt && sendAt.getTime() <= this.deps.now().getTime()) return this.answer(where, 'notices.send.command.time_past');
    const { inbound } = where;
    // A file the intake refused, sent with the command as its caption: no draft without it.
    if (inbound.kind === 'document_refused') return this.refusedFile(where);
    const photoRef = inbound.kind === 'photo' ? (inbound.photo?.ref ?? null) : null;
    const attachment = inbound.kind === 'document' && inbound.document ? { ref: inbound.document.ref, name: inbound.document.name } : null;
    const created = await this.deps.service.create(actor, { kind: command.kind, title: command.title, body: command.body, versions: command.versions, photoRef, attachment, sendAt, audience, via: 'both', perHousehold: true });
    if (created.status === 'denied') return this.refused(where, created);
    if (created.status === 'invalid') return this.answer(where, created.problem === 'title' ? 'notices.send.command.usage_title' : created.problem === 'attachment' ? 'notices.send.attachment.download_failed' : 'notices.send.command.usage_body');
    const key = command.kind === 'alert' ? 'notices.send.preview.alert' : 'notices.send.preview.notice';
    const vars = { number: created.number, title: command.title, people: created.counts.people, households: created.counts.households, chats: created.counts.chats, unreachable: created.counts.unreachable };
    const locale = await this.localeOf(where);
    const { translator } = this.deps;
    // Below the preview: the file it carries, or how to add one.
    const fileLine = inbound.kind === 'document' && inbound.document
      ? translator.t(locale, 'notices.send.attachment.line', { name: inbound.document.name, size: megabytes(inbound.document.bytes) })
      : translator.t(locale, 'notices.send.attachment.hint', { max: megabytes(MAX_ATTACHMENT_BYTES) });
    const text = `${translator.t(locale, key, vars)}\n${fileLine}`;
    const pieces = splitText(text, this.deps.textLimitOf(inbound.channel));
    const choices = await this.draftChoices(where, created.noticeId);
    return this.writeReply(where, pieces.map((piece, index) => (index === pieces.length - 1 && choices && choices.length > 0 ? { text: piece, choices } : { text: piece })));
  }

  /** The audience a target names, or null when it was answered already (not found, ambiguous, no group). */
  private async audienceOf(where: Where, actor: Extract<Actor, { kind: 'person' }>, target: NoticeTarget): Promise<Audience | null> {
    const { prisma, communityId } = this.deps;
    switch (target.to) {
      case 'all':
        return { everyone: true };
      case 'priority':
        return { priority: true };
      case 'role':
        return { roles: [target.role] };
      case 'own_group':
        if (actor.headOfGroupId) return { groupIds: [actor.headOfGroupId] };
        await this.answer(where, 'notices.send.command.usage_target');
        return null;
      case 'group': {
        const group = await prisma.householdGroup.findUnique({ where: { communityId_code: { communityId, code: target.code } }, select: { id: true } });
        if (group) return { groupIds: [group.id] };
        await this.answer(where, 'notices.send.command.group_not_found', { code: target.code });
        return null;
      }
      case 'area': {
        const areas = await prisma.area.findMany({ where: { communityId, OR: [{ path: target.words }, { name: target.words }] }, select: { id: true, path: true } });
        const exact = areas.find((area) => area.path === target.words);
        if (exact || areas.length === 1) return { areaIds: [(exact ?? areas[0]!).id] };
        await this.answer(where, areas.length === 0 ? 'notices.send.command.area_not_found' : 'notices.send.command.area_ambiguous', { area: target.words, count: areas.length });
        return null;
      }
    }
  }

  private async confirm(where: Where, actor: Actor, noticeId: string): Promise<void> {
    const locale = await this.localeOf(where);
    const statusChat = { channel: where.inbound.channel, chatId: where.inbound.chatId, chatAccountId: where.inbound.chatType === 'group' ? null : where.speaker.chatAccountId, locale };
    const outcome = await this.deps.service.confirm(actor, noticeId, { statusChat });
    switch (outcome.status) {
      case 'sent':
        // The status message, written with the notice's messages, says it.
        return this.settleOnly(where);
      case 'held':
        return this.answer(where, 'notices.send.confirm.held', { number: outcome.number, time: await this.timeText(outcome.until, locale) });
      case 'scheduled':
        return this.answer(where, 'notices.send.confirm.scheduled', { number: outcome.number, time: await this.timeText(outcome.sendAt, locale) });
      case 'already':
        return this.answer(where, 'notices.send.confirm.already', { number: outcome.number });
      case 'not_found':
        return this.answer(where, 'conversation.button_invalid');
      case 'denied':
        return this.refused(where, outcome);
    }
  }

  private async cancel(where: Where, actor: Actor, noticeId: string, number: string): Promise<void> {
    const outcome = await this.deps.service.cancel(actor, noticeId);
    if (outcome.status === 'denied') return this.refused(where, outcome);
    if (outcome.status === 'not_found') return this.answer(where, 'conversation.button_invalid');
    return this.answer(where, outcome.status === 'cancelled' ? 'notices.send.cancel.done' : 'notices.send.cancel.too_late', { number });
  }

  private async retry(where: Where, actor: Actor, noticeId: string, number: string): Promise<void> {
    const outcome = await this.deps.service.retryFailures(actor, noticeId);
    if (outcome.status === 'denied') return this.refused(where, outcome);
    if (outcome.status === 'not_found') return this.answer(where, 'conversation.button_invalid');
    if (outcome.status === 'nothing') return this.answer(where, 'notices.send.retry.nothing', { number });
    return this.answer(where, 'notices.send.retry.done', { number, count: outcome.count });
  }

  private async report(where: Where, actor: Actor, noticeId: string): Promise<void> {
    const outcome = await this.deps.service.report(actor, noticeId);
    if (outcome.status === 'denied') return this.refused(where, outcome);
    if (outcome.status === 'not_found') return this.answer(where, 'conversation.button_invalid');
    const { report } = outcome;
    const locale = await this.localeOf(where);
    if (report.total === 0 && report.status !== 'sent') return this.answer(where, 'notices.send.report.not_sent', { number: report.number, status: this.deps.translator.t(locale, STATUS_KEYS[statusKey(report.status)]) });
    const text = report.done ? reportText(this.deps.translator, locale, report) : progressText(this.deps.translator, locale, report.number, report);
    return this.writeReply(where, [{ text }]);
  }

  private async refused(where: Where, refusal: Refusal): Promise<void> {
    const reason = refusal.reason;
    return this.answer(where, isDenialReason(reason) ? denialMessageKey(reason) : 'notices.send.command.unknown_target');
  }

  private async isStaffChat(inbound: InboundMessage): Promise<boolean> {
    const chat = await this.deps.prisma.boundChat.findFirst({ where: { communityId: this.deps.communityId, channel: inbound.channel, chatId: inbound.chatId, purpose: 'staff' }, select: { id: true } });
    return chat !== null;
  }

  private async localeOf(where: Where): Promise<string> {
    if (where.speaker.locale) return where.speaker.locale;
    const community = await this.deps.prisma.community.findUniqueOrThrow({ where: { id: this.deps.communityId }, select: { defaultLocale: true } });
    return community.defaultLocale;
  }

  /** The instant of a wall-clock time in the community's zone; a time without a date is the next such time. */
  private async instantOf(at: WallTime): Promise<Date> {
    const { timezone } = await this.deps.prisma.community.findUniqueOrThrow({ where: { id: this.deps.communityId }, select: { timezone: true } });
    if (at.date) return localDateTime(at.date.year, at.date.month, at.date.day, at.hour, at.minute, timezone);
    const today = localParts(this.deps.now(), timezone);
    const instant = localDateTime(today.year, today.month, today.day, at.hour, at.minute, timezone);
    return instant.getTime() > this.deps.now().getTime() ? instant : localDateTime(today.year, today.month, today.day + 1, at.hour, at.minute, timezone);
  }

  private async timeText(at: Date, locale: string): Promise<string> {
    const community = await this.deps.prisma.community.findUniqueOrThrow({ where: { id: this.deps.communityId }, select: { timezone: true } });
    const local = localParts(at, community.timezone);
    const pad = (n: number) => String(n).padStart(2, '0');
    return this.deps.translator.t(locale, 'notices.send.time', { month: local.month, day: local.day, hour: pad(local.hour), minute: pad(local.minute) });
  }

  private async answer(where: Where, key: string, vars: Vars = {}, choices?: OutboundChoice[]): Promise<void> {
    const locale = await this.localeOf(where);
    const pieces = splitText(this.deps.translator.t(locale, key, vars), this.deps.textLimitOf(where.inbound.channel));
    const messages: OutboundMessage[] = pieces.map((text, index) => (index === pieces.length - 1 && choices && choices.length > 0 ? { text, choices } : { text }));
    return this.writeReply(where, messages);
  }

  /** Writes the reply and marks the message handled, in one transaction. */
  private async writeReply(where: Where, messages: readonly OutboundMessage[]): Promise<void> {
    const { inbound, speaker, receipt } = where;
    const rows = await this.deps.prisma.$transaction(async (tx) => {
      if (receipt) await settleInboundIn(tx, receipt);
      return writeOutbox(
        tx,
        messages.map((message) => ({
          communityId: this.deps.communityId,
          channel: inbound.channel,
          chatId: inbound.chatId,
          chatAccountId: inbound.chatType === 'group' ? null : speaker.chatAccountId,
          message: inbound.threadId ? { ...message, threadId: inbound.threadId } : message,
          priority: PRIORITY_REPLY,
        })),
      );
    });
    markSettled(receipt);
    await this.deps.outbox.dispatch(rows);
  }

  private async settleOnly(where: Where): Promise<void> {
    if (!where.receipt) return;
    await this.deps.prisma.$transaction((tx) => settleInboundIn(tx, where.receipt!));
    markSettled(where.receipt);
  }
}

const USAGE_KEYS: Record<Extract<NoticeCommand, { name: 'usage' }>['problem'], string> = {
  empty: 'notices.send.command.usage_empty',
  target: 'notices.send.command.usage_target',
  title: 'notices.send.command.usage_title',
  body: 'notices.send.command.usage_body',
  role: 'notices.send.command.usage_role',
  number: 'notices.send.command.usage_number',
  time: 'notices.send.command.usage_time',
};

const FILE_REFUSAL_KEYS: Record<DocumentRefusal, string> = {
  too_large: 'notices.send.attachment.too_large',
  not_allowed: 'notices.send.attachment.not_allowed',
  download_failed: 'notices.send.attachment.download_failed',
};

const DRAFT_BUTTON_KEYS = { send: 'notices.send.preview.send', cancel: 'notices.send.preview.cancel' } as const;

const STATUS_KEYS = {
  draft: 'notices.send.status.draft',
  held: 'notices.send.status.held',
  scheduled: 'notices.send.status.scheduled',
  sent: 'notices.send.status.sent',
  cancelled: 'notices.send.status.cancelled',
} as const;

function isDenialReason(reason: string): reason is DenialReason {
  return (DENIAL_REASONS as readonly string[]).includes(reason);
}

/** The status words' keys (draft, held, scheduled, sent, cancelled). */
function statusKey(status: string): 'draft' | 'held' | 'scheduled' | 'sent' | 'cancelled' {
  return (['draft', 'held', 'scheduled', 'sent', 'cancelled'] as const).find((known) => known === status) ?? 'draft';
}
