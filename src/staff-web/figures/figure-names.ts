/**
 * The words the figures are labelled with on the page, in the charts and in the workbook: a zone
 * by its path (no area: the digest's "no area" words), a category by its community label or its
 * default locale name (as the digest names it), a period by its first and last local day.
 */
import type { TicketCategory } from '../../features/tickets/rules/categories.js';
import { findCategory } from '../../features/tickets/rules/categories.js';
import { categoryName } from '../../features/tickets/rules/labels.js';
import type { Period } from '../../features/tickets/rules/ticket-facts.js';
import { localDay } from '../../features/tickets/scheduling/local-format.js';
import type { Translate } from '../shell/viewer.js';

/** A zone's name; "" is the tickets filed with no area. */
export function areaLabel(key: string, t: Translate): string {
  return key === '' ? t('tickets.digest.no_area') : key;
}

/** A category code's name in the viewer's language. */
export function categoryLabel(code: string, categories: readonly TicketCategory[], locale: string, t: Translate): string {
  const named = categoryName(findCategory(categories, code), locale);
  return 'text' in named ? named.text : t(named.key);
}

/** The first and the last local day of a period (`to` is exclusive: a period ending at midnight ends the day before). */
export function periodDays(period: Period, timezone: string): { first: string; last: string } {
  const lastInstant = new Date(period.to.getTime() - 1);
  return { first: localDay(period.from, timezone), last: localDay(lastInstant.getTime() < period.from.getTime() ? period.from : lastInstant, timezone) };
}

/** `12-07` for `2026-12-07`: the day on a chart's axis. */
export function shortDay(date: string): string {
  return date.slice(5);
}
