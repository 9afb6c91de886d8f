/**
 * Small pieces both inbox pages use: the names of kinds, categories and statuses in the viewer's
 * language, times in the community's zone as `<time datetime>`, lengths of time in words, and the
 * addresses of tickets and photos.
 */
import { uploadFileName } from '../../channels/media/photo-files.js';
import { findCategory, type TicketCategory } from '../../features/tickets/rules/categories.js';
import { categoryName, kindKey, statusKey } from '../../features/tickets/rules/labels.js';
import { isTicketKind } from '../../features/tickets/rules/kinds.js';
import { TICKET_STATUSES, type TicketStatus } from '../../features/tickets/rules/statuses.js';
import { localMinute } from '../../features/tickets/scheduling/local-format.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { Translate } from '../shell/viewer.js';

/** The ticket page's address. */
export function ticketHref(number: string): string {
  return `/staff/tickets/${encodeURIComponent(number)}`;
}

/** Where the form of an action on a ticket posts to. */
export function ticketActionHref(number: string, action: string): string {
  return `${ticketHref(number)}/actions/${encodeURIComponent(action)}`;
}

/**
 * Where the console serves a stored photo (`uploads/<file>` → `/staff/photos/<file>`, the shell's
 * route, which checks the viewer may see its ticket); null for a reference that is not a stored upload.
 */
export function staffPhotoHref(ref: string): string | null {
  const file = uploadFileName(ref);
  return file ? `/staff/photos/${encodeURIComponent(file)}` : null;
}

export function categoryText(t: Translate, locale: string, categories: readonly TicketCategory[], code: string): string {
  const name = categoryName(findCategory(categories, code), locale);
  return 'text' in name ? name.text : t(name.key);
}

export function kindText(t: Translate, kind: string): string {
  return isTicketKind(kind) ? t(kindKey(kind)) : kind;
}

export function statusText(t: Translate, status: string): string {
  return (TICKET_STATUSES as readonly string[]).includes(status) ? t(statusKey(status as TicketStatus)) : status;
}

/** `<time datetime="2026-06-01T04:00:00.000Z">2026-06-01 12:00</time>` in the community's zone. */
export function timeTag(instant: Date, timezone: string): SafeHtml {
  return html`<time datetime="${instant.toISOString()}">${localMinute(instant, timezone)}</time>`;
}

/** A length of time in words, to the minute: "2天3小时", "3 h 5 min", "under a minute". */
export function durationText(t: Translate, ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? t('staffweb.inbox.duration.days_hours', { days, hours }) : t('staffweb.inbox.duration.days', { days });
  if (hours > 0) return rest > 0 ? t('staffweb.inbox.duration.hours_minutes', { hours, minutes: rest }) : t('staffweb.inbox.duration.hours', { hours });
  if (rest > 0) return t('staffweb.inbox.duration.minutes', { minutes: rest });
  return t('staffweb.inbox.duration.under_a_minute');
}

/** The hidden field every POST form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
