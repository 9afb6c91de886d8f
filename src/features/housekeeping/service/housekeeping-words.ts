/**
 * Housekeeping facts in a person's language: a service's name (the locales' for the usual ones, a
 * community's own `names` otherwise), a day and a visit's time on the community's calendar.
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { Translator } from '../../../i18n/translator.js';
import { parseLocalDate } from '../rules/slot-times.js';

/** The services the locales name; a community's others need `names`. */
export const NAMED_SERVICES: Readonly<Record<string, string>> = {
  cleaning: 'housekeeping.service.cleaning',
  deep_cleaning: 'housekeeping.service.deep_cleaning',
  elderly_visit: 'housekeeping.service.elderly_visit',
  laundry: 'housekeeping.service.laundry',
  cooking: 'housekeeping.service.cooking',
};

/** Sunday first, as `Date.getUTCDay` counts. */
const WEEKDAY_KEYS = [
  'housekeeping.weekday.sun',
  'housekeeping.weekday.mon',
  'housekeeping.weekday.tue',
  'housekeeping.weekday.wed',
  'housekeeping.weekday.thu',
  'housekeeping.weekday.fri',
  'housekeeping.weekday.sat',
] as const;

export interface ServiceNaming {
  code: string;
  names: unknown;
}

export class HousekeepingWords {
  constructor(
    private readonly translator: Translator,
    readonly locale: string,
    private readonly timezone: string,
  ) {}

  t(key: string, vars?: Record<string, string | number>): string {
    return this.translator.t(this.locale, key, vars);
  }

  service(service: ServiceNaming): string {
    const names = service.names !== null && typeof service.names === 'object' ? (service.names as Record<string, unknown>) : {};
    const own = names[this.locale] ?? names[this.locale.split('-')[0]!];
    if (typeof own === 'string' && own.trim() !== '') return own;
    const key = NAMED_SERVICES[service.code];
    if (key) return this.t(key);
    const any = Object.values(names).find((name): name is string => typeof name === 'string' && name.trim() !== '');
    return any ?? service.code;
  }

  /** `12月11日 周五` for a local date `2026-12-11`. */
  day(date: string): string {
    const parts = parseLocalDate(date);
    if (!parts) return date;
    // The calendar date itself, read in UTC: its weekday does not depend on any zone.
    const noon = new Date(Date.UTC(parts.year, parts.month - 1, parts.day, 12));
    const weekday = WEEKDAY_KEYS[noon.getUTCDay()]!;
    return this.t('housekeeping.format.day', { date: format(noon, this.t('tickets.format.date'), { in: tz('UTC') }), weekday: this.t(weekday) });
  }

  /** `12月11日 周五 09:00–11:00`. */
  visit(slot: { date: string; startTime: string; endTime: string }): string {
    return this.t('housekeeping.format.visit', { day: this.day(slot.date), start: slot.startTime, end: slot.endTime });
  }

  /** `12月10日 21:00`: an instant on the community's clock. */
  moment(instant: Date): string {
    return format(instant, this.t('tickets.format.date_time'), { in: tz(this.timezone) });
  }
}
