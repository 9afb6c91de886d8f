/**
 * When a series' sittings fall: its RFC 5545 rule (`rrule`, without DTSTART) read in the
 * community's own wall-clock time, then each sitting turned into an instant in the community's
 * time zone. The rule runs on "floating" local times (a UTC date standing for the wall clock), so
 * "every second Wednesday at 19:00" stays at 19:00 across a DST change, and a monthly rule on the
 * 31st skips the months without one (RFC 5545), as calendar apps do. Pure.
 */
import { TZDate } from '@date-fns/tz';
import rrulePackage from 'rrule';

// rrule is published as CommonJS: its named exports come through its default one.
const { RRule } = rrulePackage;

/** `YYYY-MM-DDTHH:mm`, a local date and time in the community's zone. */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The wall-clock parts of a `YYYY-MM-DDTHH:mm` string, or null when it is not one. */
export function parseLocal(text: string): { year: number; month: number; day: number; hour: number; minute: number } | null {
  const match = LOCAL.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return { year, month, day, hour, minute };
}

/** The instant of a local wall-clock time in `timeZone` (a time skipped by DST moves forward). */
export function localToInstant(local: string, timeZone: string): Date | null {
  const parts = parseLocal(local);
  if (!parts) return null;
  return new Date(new TZDate(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, timeZone).getTime());
}

/** Whether a rule text is one `rrule` reads (RRULE parts only, no DTSTART). */
export function isValidRule(rule: string): boolean {
  if (/DTSTART|UNTIL=\d{8}T\d{6}(?!Z)/i.test(rule)) return false;
  try {
    const options = RRule.parseString(rule);
    return options.freq !== undefined;
  } catch {
    return false;
  }
}

export interface SeriesRhythm {
  rrule: string;
  /** The first sitting, local: `YYYY-MM-DDTHH:mm`. */
  firstLocal: string;
  timeZone: string;
}

/**
 * The sittings of a series starting strictly after `after`, earliest first, at most `limit`.
 *
 * @example
 * nextSittings({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', firstLocal: '2026-01-07T19:00', timeZone: 'Asia/Shanghai' }, now, 3)
 */
export function nextSittings(series: SeriesRhythm, after: Date, limit: number): Date[] {
  const first = parseLocal(series.firstLocal);
  if (!first || limit <= 0) return [];
  const floatingStart = new Date(Date.UTC(first.year, first.month - 1, first.day, first.hour, first.minute));
  const rule = new RRule({ ...RRule.parseString(series.rrule), dtstart: floatingStart, tzid: null });
  // A floating time is at most 14 h from its instant: start the search a day early, then keep what is truly after.
  let cursor = new Date(after.getTime() - 86_400_000);
  const found: Date[] = [];
  for (let guard = 0; found.length < limit && guard < limit + 400; guard++) {
    const next = rule.after(cursor, false);
    if (!next) break;
    cursor = next;
    const instant = floatingToInstant(next, series.timeZone);
    if (instant.getTime() > after.getTime()) found.push(instant);
  }
  return found;
}

/** The instant of a floating (UTC-as-wall-clock) date in `timeZone`. */
function floatingToInstant(floating: Date, timeZone: string): Date {
  return new Date(
    new TZDate(floating.getUTCFullYear(), floating.getUTCMonth(), floating.getUTCDate(), floating.getUTCHours(), floating.getUTCMinutes(), timeZone).getTime(),
  );
}
