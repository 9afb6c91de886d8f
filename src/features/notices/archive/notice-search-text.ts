/**
 * What full-text search reads of a notice (`Notice.searchText`): the title and body of every
 * version, normalized as queries are (full-width folded, lower case), so a resident asking in
 * English finds the English version and one asking in Chinese the Chinese. Whatever writes a
 * notice sets it; the archive fills it for a notice sent without it (`notice.sent`).
 */
import { normalizeForSearch } from './rules/search-terms.js';

export interface NoticeWords {
  title: string;
  body: string;
  /** `Notice.versions`: `{ "en": { "title": "…", "body": "…" } }`. */
  versions?: unknown;
}

/** The versions a notice holds besides its own language, as far as they are well formed. */
export function noticeVersions(versions: unknown): Record<string, { title: string; body: string }> {
  const found: Record<string, { title: string; body: string }> = {};
  if (!versions || typeof versions !== 'object' || Array.isArray(versions)) return found;
  for (const [locale, value] of Object.entries(versions as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const { title, body } = value as { title?: unknown; body?: unknown };
    if (typeof title === 'string' && typeof body === 'string') found[locale] = { title, body };
  }
  return found;
}

export function noticeSearchText(notice: NoticeWords): string {
  const parts = [notice.title, notice.body];
  for (const version of Object.values(noticeVersions(notice.versions))) parts.push(version.title, version.body);
  return normalizeForSearch(parts.join('\n'));
}

/** A notice's words in `locale`: that version when the author wrote one, else its own. */
export function noticeIn(notice: NoticeWords & { locale: string }, locale: string): { title: string; body: string } {
  if (locale === notice.locale) return { title: notice.title, body: notice.body };
  return noticeVersions(notice.versions)[locale] ?? { title: notice.title, body: notice.body };
}
