/**
 * One archived notice as a message to the person who opened it, in their private chat: its
 * words in their language (the version the author wrote for it, else the notice's own), its
 * number and day, its title marked by its kind (【公开】 a disclosure), its photo, its file (a file
 * where the channel carries files, a download link in the text elsewhere), and — when it
 * asks for an answer — its answer buttons (`noticeAnswerItems`; pressed through the roll-call's
 * handler like those under the notice as it was sent). Where a channel has no buttons the answers are numbered lines pressed by typing the
 * number, kept as the account's numbered actions. Written in the turn's transaction and queued
 * after its commit, so it goes ahead of the turn's own reply.
 */
import type { ButtonMaker } from '../../../buttons/button-registry.js';
import { numberedText } from '../../../buttons/numbered-choices.js';
import type { ChannelName, OutboundMessage } from '../../../channels/types.js';
import { queueAfterCommit } from '../../../db/after-commit.js';
import type { Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { ChannelAbilities } from '../../../modules/feature-module.js';
import { keepNumberedActions } from '../../../notify/numbered-actions.js';
import { PRIORITY_REPLY, writeOutbox } from '../../../outbox/outbox.js';
import { splitText } from '../../../util/split-text.js';
import { localParts } from '../../tickets/rules/local-time.js';
import { noticeAnswerButton, noticeAnswerItems } from '../answers/answer-button.js';
import type { ArchivedNotice } from './archive-query.js';
import { markedTitle } from './notice-marks.js';
import type { DocumentLink } from '../../../channels/media/document-links.js';
import { attachFile, attachmentLinkVars, carriesFile } from '../send/notice-attachment.js';

export interface NoticeMessageDeps {
  translator: Translator;
  buttons: ButtonMaker;
  channels: ChannelAbilities;
  /** The file's download address, for a channel that cannot carry it. */
  documentLink: DocumentLink;
}

/** Writes the notice to the account's private chat; false when the account is gone. */
export async function writeNoticeMessage(
  tx: Tx,
  deps: NoticeMessageDeps,
  chatAccountId: string,
  notice: ArchivedNotice,
  view: { locale: string; timezone: string; now: Date },
): Promise<boolean> {
  const account = await tx.chatAccount.findUnique({ where: { id: chatAccountId }, select: { id: true, communityId: true, channel: true, externalId: true } });
  if (!account) return false;
  const { translator } = deps;
  const { locale } = view;
  const channel = account.channel as ChannelName;
  const { year, month, day } = localParts(notice.sentAt, view.timezone);
  const vars = { title: markedTitle(translator, locale, notice, 'full'), body: notice.body, number: notice.number, year, month, day };
  let text = notice.kind === 'disclosure' ? translator.t(locale, 'notices.archive.full.disclosure', vars) : translator.t(locale, 'notices.archive.full.sent', vars);
  const capabilities = deps.channels.capabilitiesIfHere(channel);
  const attachment = notice.attachment;
  const asFile = attachment !== null && carriesFile(capabilities, attachment);
  if (attachment && !asFile) text = `${text}\n\n${translator.t(locale, 'notices.send.message.attachment_link', attachmentLinkVars(attachment, deps.documentLink))}`;
  const limit = deps.channels.textLimitOf(channel);
  const pieces = splitText(text, limit);
  const items = noticeAnswerItems(notice, translator, locale);
  let choices: OutboundMessage['choices'];
  if (items.length > 0 && capabilities?.buttons) {
    choices = deps.buttons.buttons(noticeAnswerButton, capabilities, items);
  } else if (items.length > 0) {
    // No buttons here: the answers as numbered lines, "1" presses the first.
    const numbered = deps.buttons.forNumbers(noticeAnswerButton, items);
    const last = numberedText(pieces.pop()!, numbered.map((choice) => choice.label), (key, vars) => translator.t(locale, key, vars));
    pieces.push(...splitText(last, limit));
    await keepNumberedActions(tx, { id: account.id, chatId: account.externalId }, numbered, view.now);
  }
  let messages: OutboundMessage[] = pieces.map((piece, index) => (index === pieces.length - 1 && choices?.length ? { text: piece, choices } : { text: piece }));
  if (notice.photoRef) messages[0] = { ...messages[0]!, photo: { ref: notice.photoRef } };
  if (asFile) messages = attachFile(messages, attachment);
  const rows = await writeOutbox(
    tx,
    messages.map((message) => ({ communityId: account.communityId, channel, chatId: account.externalId, chatAccountId: account.id, message, priority: PRIORITY_REPLY })),
  );
  queueAfterCommit(tx, rows);
  return true;
}
