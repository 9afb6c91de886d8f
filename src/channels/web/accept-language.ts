/**
 * Chooses the page language from the browser's Accept-Language header, in the browser's order
 * of preference, among the locales the translator has.
 */
import type { Translator } from '../../i18n/translator.js';

/** Language tags from an Accept-Language header, most preferred first (q=0 dropped). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  const entries: { tag: string; q: number; index: number }[] = [];
  header.split(',').forEach((part, index) => {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag?.trim();
    if (!tag || tag === '*') return;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(param);
      if (match?.[1]) q = Number(match[1]);
    }
    if (Number.isFinite(q) && q > 0) entries.push({ tag, q, index });
  });
  // Stable: equal weights keep the header's order.
  entries.sort((a, b) => b.q - a.q || a.index - b.index);
  return entries.map((e) => e.tag);
}

/** The first supported locale the browser asks for, else `fallback`. */
export function pickLocale(header: string | undefined, translator: Translator, fallback: string): string {
  for (const tag of parseAcceptLanguage(header)) {
    const locale = translator.match(tag);
    if (locale) return locale;
  }
  return fallback;
}
