/**
 * The buttons under a notice that asks for an answer: an alert's "收到 / 平安" and "需要帮助", a
 * plain notice's "收到" when its author asked for a confirmation (bots get no read receipts; a
 * press is what "read" means). Written by whoever renders a notice for a recipient (the sending
 * side), pressed by anyone who sees it — in a private chat or a bound group chat, so the button is
 * not tied to one account: the press is recorded for the presser's own household, once per
 * household (src/features/notices/answers/, registered by the roll-call module). On a channel
 * without buttons the same answers are numbered lines (`ButtonMaker.forNumbers`): "1" is 收到.
 */
import type { ButtonKind } from '../../../buttons/button-kind.js';
import type { Translator } from '../../../i18n/translator.js';

/** What a press answers: ok (收到 / 平安, an alert), help (需要帮助, an alert), confirmed (收到, a plain notice). */
export const PRESSED_ANSWERS = ['ok', 'help', 'confirmed'] as const;
export type PressedAnswer = (typeof PRESSED_ANSWERS)[number];

export interface NoticeAnswerFields {
  noticeId: string;
  answer: PressedAnswer;
}

/** `n|<notice id>|<answer>|<tag>`. */
export const noticeAnswerButton: ButtonKind<NoticeAnswerFields> = {
  prefix: 'n',
  write: ({ noticeId, answer }) => [noticeId, answer],
  read: (parts) => {
    if (parts.length !== 2 || !parts[0]) return null;
    const answer = PRESSED_ANSWERS.find((known) => known === parts[1]);
    return answer ? { noticeId: parts[0], answer } : null;
  },
};

/** The notice as far as its answer buttons go. */
export interface AnsweredNotice {
  id: string;
  kind: string;
  asksConfirmation: boolean;
}

/** The label keys of the answers. */
const ANSWER_LABELS: Record<PressedAnswer, string> = { ok: 'notices.answer.ok', help: 'notices.answer.help', confirmed: 'notices.answer.confirmed' };

/**
 * The answer buttons of `notice` in `locale`, in order (the first is what "1" presses where they
 * are numbered); none for a notice that asks for no answer.
 *
 * @example
 * const items = noticeAnswerItems(notice, translator, 'zh-CN');
 * const choices = items.length ? buttons.buttons(noticeAnswerButton, capabilities, items) : undefined;
 */
export function noticeAnswerItems(notice: AnsweredNotice, translator: Translator, locale: string): { label: string; fields: NoticeAnswerFields }[] {
  const item = (answer: PressedAnswer) => ({ label: translator.t(locale, ANSWER_LABELS[answer]), fields: { noticeId: notice.id, answer } });
  if (notice.kind === 'alert') return [item('ok'), item('help')];
  return notice.asksConfirmation ? [item('confirmed')] : [];
}
