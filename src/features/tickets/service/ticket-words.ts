/**
 * Ticket facts in a person's language: category, kind and status names, a local date and time,
 * and a promised answer time in words ("4 小时内（最晚 6月1日 16:00）"). Everything comes from
 * locale keys under `tickets.*`; a community's own category may carry its own name.
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { Translator } from '../../../i18n/translator.js';
import { findCategory, type TicketCategory } from '../rules/categories.js';
import type { Duration } from '../rules/duration.js';
import { isTicketKind, type TicketKind } from '../rules/kinds.js';
import { categoryName, kindKey, statusKey } from '../rules/labels.js';
import { TICKET_STATUSES, type TicketStatus } from '../rules/statuses.js';

/** Renders ticket words in one locale. */
export class TicketWords {
  constructor(
    readonly translator: Translator,
    readonly locale: string,
    private readonly timezone: string,
  ) {}

  t(key: string, vars?: Record<string, string | number>): string {
    return this.translator.t(this.locale, key, vars);
  }

  category(categories: readonly TicketCategory[], code: string): string {
    const name = categoryName(findCategory(categories, code), this.locale);
    return 'text' in name ? name.text : this.t(name.key);
  }

  kind(kind: string): string {
    return isTicketKind(kind) ? this.t(kindKey(kind as TicketKind)) : kind;
  }

  status(status: string): string {
    return (TICKET_STATUSES as readonly string[]).includes(status) ? this.t(statusKey(status as TicketStatus)) : status;
  }

  /** `6月1日 16:00` in the community's time zone. */
  dateTime(instant: Date): string {
    return format(instant, this.t('tickets.format.date_time'), { in: tz(this.timezone) });
  }

  /** `6月1日`. */
  date(instant: Date): string {
    return format(instant, this.t('tickets.format.date'), { in: tz(this.timezone) });
  }

  /** `4 小时` / `1 个工作日`: the length as promised, on the clock it runs on. */
  duration(duration: Duration, businessHours: boolean): string {
    const key = `tickets.duration.${businessHours ? 'business_' : ''}${duration.unit}`;
    return this.t(key, { count: duration.amount });
  }

  /** The promise of a first answer: the length and the latest time. */
  expectedAnswer(duration: Duration, businessHours: boolean, due: Date): string {
    return this.t('tickets.expect.first_response', { within: this.duration(duration, businessHours), due: this.dateTime(due) });
  }
}

/** Keys used by `duration` (listed so the locale check sees them). */
export const DURATION_KEYS = [
  'tickets.duration.m',
  'tickets.duration.h',
  'tickets.duration.d',
  'tickets.duration.business_m',
  'tickets.duration.business_h',
  'tickets.duration.business_d',
] as const;
