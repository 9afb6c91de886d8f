/**
 * A notice as one recipient sees it: the version in their language (else the one it was written
 * in), its number and title, the body, its photo, its file (as a file where the channel carries
 * files, else a download link in the text: `notice-attachment.ts`), and — under a notice that asks for an answer —
 * the answer buttons (`noticeAnswerItems`): buttons on a channel with buttons, numbered lines
 * elsewhere, whose signed data a private chat keeps to be pressed by the number (a group chat
 * without buttons gets none: nobody's number could press them there, and its members answer
 * under their private copy).
 */
import type { ButtonMaker } from '../../../buttons/button-registry.js';
import { numberedText } from '../../../buttons/numbered-choices.js';
import type { ChannelCapabilities, OutboundChoice, OutboundMessage } from '../../../channels/types.js';
import type { Translator } from '../../../i18n/translator.js';
import { splitText } from '../../../util/split-text.js';
import { noticeAnswerButton, noticeAnswerItems } from '../answers/answer-button.js';
import type { DocumentLink } from '../../../channels/media/document-links.js';
import { attachFile, attachmentLinkVars, carriesFile, type NoticeAttachment } from './notice-attachment.js';

/** What rendering reads of a notice. */
export interface RenderableNotice {
  id: string;
  number: string;
  kind: string;
  asksConfirmation: boolean;
  locale: string;
  title: string;
  body: string;
  /** Other languages' versions: `{ en: { title, body } }`. */
  versions: Record<string, { title: string; body: string }>;
  photoRef: string | null;
  /** The file sent with it (`Notice.attachment`), if any. */
  attachment: NoticeAttachment | null;
}

export interface RenderedNotice {
  /** The messages in order; the last carries the buttons. */
  messages: OutboundMessage[];
  /** Answers shown as numbered lines (no buttons here): what the number presses, kept by the writer for a private chat. */
  numbered: OutboundChoice[];
}

export interface RenderDeps {
  translator: Translator;
  buttons: ButtonMaker;
  /** The file's download address, for a channel that cannot carry it. */
  documentLink: DocumentLink;
}

/** The version of `notice` written for `locale`, else its own. */
export function versionFor(notice: RenderableNotice, locale: string): { title: string; body: string } {
  return notice.versions[locale] ?? { title: notice.title, body: notice.body };
}

/** Parses `Notice.versions` as stored, dropping anything that is not a title and body. */
export function storedVersions(stored: unknown): Record<string, { title: string; body: string }> {
  const versions: Record<string, { title: string; body: string }> = {};
  if (!stored || typeof stored !== 'object') return versions;
  for (const [locale, value] of Object.entries(stored as Record<string, unknown>)) {
    const v = value as { title?: unknown; body?: unknown } | null;
    if (v && typeof v.title === 'string' && typeof v.body === 'string') versions[locale] = { title: v.title, body: v.body };
  }
  return versions;
}

/**
 * The messages for one recipient in `locale` on a channel with `capabilities` (undefined: a
 * channel this process does not have — plain text, no buttons). `textLimit` splits long bodies.
 */
export function renderNotice(notice: RenderableNotice, locale: string, capabilities: ChannelCapabilities | undefined, textLimit: number, deps: RenderDeps, place: 'private' | 'group' = 'private'): RenderedNotice {
  const { translator } = deps;
  const version = versionFor(notice, locale);
  const key = notice.kind === 'alert' ? 'notices.send.message.alert' : 'notices.send.message.notice';
  let text = translator.t(locale, key, { number: notice.number, title: version.title, body: version.body });
  const attachment = notice.attachment;
  const asFile = attachment !== null && carriesFile(capabilities, attachment);
  if (attachment && !asFile) text = `${text}\n\n${translator.t(locale, 'notices.send.message.attachment_link', attachmentLinkVars(attachment, deps.documentLink))}`;
  const items = noticeAnswerItems(notice, translator, locale);
  let choices: OutboundChoice[] = [];
  let numbered: OutboundChoice[] = [];
  if (items.length > 0 && capabilities?.buttons) {
    choices = deps.buttons.buttons(noticeAnswerButton, capabilities, items) ?? [];
  } else if (items.length > 0 && place === 'private') {
    // Numbers are pressed by the account they were kept for: only in a private chat. In a group
    // without buttons the members answer under their own private copy.
    numbered = deps.buttons.forNumbers(noticeAnswerButton, items);
    text = numberedText(text, items.map((item) => item.label), (k, vars) => translator.t(locale, k, vars));
  }
  const pieces = splitText(text, textLimit);
  const messages: OutboundMessage[] = pieces.map((piece, index) => (index === pieces.length - 1 && choices.length > 0 ? { text: piece, choices } : { text: piece }));
  if (notice.photoRef && capabilities?.photos !== false) messages[0] = { ...messages[0]!, photo: { ref: notice.photoRef } };
  return { messages: asFile ? attachFile(messages, attachment) : messages, numbered };
}
