/**
 * Wall-clock arithmetic in the community's time zone (IANA name, e.g. `Asia/Shanghai`). Every
 * rule that speaks of "a day", "opening time" or "the year" means the community's local one, never
 * the server's: a server in UTC must still number a ticket filed at 00:30 on 1 January Beijing time
 * as the new year's.
 */
import { TZDate } from '@date-fns/tz';

/** The community's default time zone (China has one zone and no daylight saving). */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** True when the runtime knows the IANA zone name. */
export function isValidTimeZone(timezone: string): boolean {
  if (timezone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** One instant as seen on a wall clock in the zone. `month` is 1–12; `isoWeekday` 1 = Monday … 7 = Sunday. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  isoWeekday: number;
  hour: number;
  minute: number;
}

/** The wall-clock reading of `instant` in `timezone`. */
export function localParts(instant: Date, timezone: string): LocalParts {
  const local = new TZDate(instant.getTime(), timezone);
  const weekday = local.getDay();
  return {
    year: local.getFullYear(),
    month: local.getMonth() + 1,
    day: local.getDate(),
    isoWeekday: weekday === 0 ? 7 : weekday,
    hour: local.getHours(),
    minute: local.getMinutes(),
  };
}

/**
 * The instant at a wall-clock time in the zone. `day` may overflow (32 January is 1 February).
 * A time that does not exist (skipped by a daylight-saving change) moves forward by the gap.
 */
export function localDateTime(year: number, month: number, day: number, hour: number, minute: number, timezone: string): Date {
  return new Date(new TZDate(year, month - 1, day, hour, minute, 0, 0, timezone).getTime());
}

/** `YYYY-MM-DD` of the local day containing `instant`. */
export function localDateKey(instant: Date, timezone: string): string {
  const { year, month, day } = localParts(instant, timezone);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Local midnight at the start of the day containing `instant`. */
export function startOfLocalDay(instant: Date, timezone: string): Date {
  const { year, month, day } = localParts(instant, timezone);
  return localDateTime(year, month, day, 0, 0, timezone);
}

/**
 * `days` calendar days later at the same wall-clock time (so across a daylight-saving change a day
 * is 23 or 25 real hours). Negative `days` go back.
 */
export function addLocalDays(instant: Date, days: number, timezone: string): Date {
  const local = new TZDate(instant.getTime(), timezone);
  local.setDate(local.getDate() + days);
  return new Date(local.getTime());
}

/** The year on the community's calendar at `instant` (ticket numbers restart with it). */
export function localYear(instant: Date, timezone: string): number {
  return localParts(instant, timezone).year;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
