/**
 * Months on the community's calendar: the disclosure notice on the first of a month tells the
 * month before, from its local midnight on the 1st to the next month's. Pure.
 */
import { localDateTime, localParts } from '../../tickets/rules/local-time.js';
import type { Period } from './fund-balance.js';

export interface FundMonth extends Period {
  year: number;
  /** 1–12. */
  month: number;
}

/** The local month containing `instant`. */
export function monthContaining(instant: Date, timezone: string): FundMonth {
  const { year, month } = localParts(instant, timezone);
  return monthOf(year, month, timezone);
}

/** The last full local month before `instant` (on 1 December at 00:00 it is November). */
export function lastFullMonth(instant: Date, timezone: string): FundMonth {
  const current = monthContaining(instant, timezone);
  return current.month === 1 ? monthOf(current.year - 1, 12, timezone) : monthOf(current.year, current.month - 1, timezone);
}

/** The month `year`-`month` (1–12) in the zone. */
export function monthOf(year: number, month: number, timezone: string): FundMonth {
  return { year, month, from: localDateTime(year, month, 1, 0, 0, timezone), to: localDateTime(year, month + 1, 1, 0, 0, timezone) };
}

/** A typed month, `2026-11` (or `2026-1`): null when it is not one. */
export function parseMonth(text: string, timezone: string): FundMonth | null {
  const match = /^(\d{4})-(\d{1,2})$/.exec(text.trim());
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? monthOf(Number(match[1]), month, timezone) : null;
}

/** A typed day, `2026-11-05`: its local midnight, or null when it is no real date. */
export function parseLocalDay(text: string, timezone: string): Date | null {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const instant = localDateTime(year, month, day, 0, 0, timezone);
  const back = localParts(instant, timezone);
  // 2026-02-30 would roll over into March: not a date anyone means.
  return back.year === year && back.month === month && back.day === day ? instant : null;
}
