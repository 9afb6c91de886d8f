/**
 * The periods the figures page counts over, on the community's calendar (its time zone decides
 * where days begin):
 *
 * - `week`: the seven local days ending today — today so far and the six days before it. An office
 *   asks "how was this week?" on any weekday, not only on Mondays (the weekly digest covers the
 *   last full Monday-to-Monday week instead). Compared with the seven full days before it.
 * - `month`: the calendar month so far. Compared with the whole previous month, the number the
 *   office reported last time.
 *
 * Periods are half-open [from, to); the current one ends at the moment the page is read.
 */
import { localDateKey, localDateTime, localParts } from '../../features/tickets/rules/local-time.js';
import type { Period } from '../../features/tickets/rules/ticket-facts.js';

export const FIGURE_PERIODS = ['week', 'month'] as const;
export type FigurePeriodKind = (typeof FIGURE_PERIODS)[number];

/** A query string's `period`, or `week` for anything else. */
export function parseFigurePeriod(value: unknown): FigurePeriodKind {
  return value === 'month' ? 'month' : 'week';
}

export interface FigurePeriods {
  current: Period;
  previous: Period;
}

/** The current period ending at `endingAt` and the one it is compared with. */
export function figurePeriods(kind: FigurePeriodKind, endingAt: Date, timezone: string): FigurePeriods {
  const { year, month, day } = localParts(endingAt, timezone);
  if (kind === 'week') {
    const from = localDateTime(year, month, day - 6, 0, 0, timezone);
    return { current: { from, to: endingAt }, previous: { from: localDateTime(year, month, day - 13, 0, 0, timezone), to: from } };
  }
  const from = localDateTime(year, month, 1, 0, 0, timezone);
  return { current: { from, to: endingAt }, previous: { from: localDateTime(year, month - 1, 1, 0, 0, timezone), to: from } };
}

/** One local day of a period: its date (`YYYY-MM-DD`) and its span, the last one cut at the period's end. */
export interface PeriodDay {
  date: string;
  span: Period;
}

/** The local days of `period`, first to last (a day the period only touches at its end is left out). */
export function daysOf(period: Period, timezone: string): PeriodDay[] {
  const days: PeriodDay[] = [];
  const { year, month, day } = localParts(period.from, timezone);
  for (let i = 0; ; i++) {
    const from = localDateTime(year, month, day + i, 0, 0, timezone);
    if (from.getTime() >= period.to.getTime()) break;
    const next = localDateTime(year, month, day + i + 1, 0, 0, timezone);
    days.push({ date: localDateKey(from, timezone), span: { from, to: next.getTime() < period.to.getTime() ? next : period.to } });
  }
  return days;
}
