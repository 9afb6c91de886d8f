/**
 * A notice's title as the archive shows it, marked by its kind (rules/notice-marks.ts) in the
 * reader's language.
 */
import type { Translator } from '../../../i18n/translator.js';
import { needsMark } from './rules/notice-marks.js';

const MARKED_KEYS: Record<string, string> = {
  notice: 'notices.archive.marked.notice',
  disclosure: 'notices.archive.marked.disclosure',
  alert: 'notices.archive.marked.alert',
};

export function markedTitle(translator: Translator, locale: string, notice: { kind: string; title: string }, where: 'list' | 'full'): string {
  if (!needsMark(notice.kind, notice.title, where)) return notice.title;
  return translator.t(locale, MARKED_KEYS[notice.kind] ?? 'notices.archive.marked.notice', { title: notice.title });
}
