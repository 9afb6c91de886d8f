/**
 * The staff digests (民情分析): a daily one for the last full local day and a weekly one for the
 * last full local week (Monday 00:00 to Monday 00:00) with the week before beside it.
 *
 * - Flows over the period: new (filed), resolved (latest resolution sent in it).
 * - Snapshot at the period's end, so a digest reads the same whenever it is sent: open, overdue
 *   (first response or resolution deadline reached without it; a deadline exactly at the end
 *   counts as reached, as escalation does).
 * - By area (the zone by default: the committee reads zones; `areaDepth` 2 gives lanes and
 *   buildings) and by category: new and open.
 * - The three rates (see three-rates.ts).
 * - Week over week: the difference, and the percentage change — null when last week was 0 and
 *   this week is not (no percentage of nothing), 0 when both are 0. Rates change in percentage
 *   points, null when either week had nothing to judge.
 *
 * Known limit: facts keep a ticket's latest round only, so a ticket resolved and later reopened
 * looks open throughout when an earlier week is reconstructed.
 */
import { areaAtDepth } from './area-path.js';
import { localDateTime, localParts, startOfLocalDay } from './local-time.js';
import { threeRates, type Rate, type ThreeRates } from './three-rates.js';
import { inPeriod, openAt, type Period, type TicketFact } from './ticket-facts.js';

export interface DigestCounts {
  new: number;
  resolved: number;
  open: number;
  /** Open with either deadline reached unmet. */
  overdue: number;
  overdueFirstResponse: number;
  overdueResolution: number;
}

export interface GroupCount {
  key: string;
  new: number;
  open: number;
}

export interface Digest {
  period: Period;
  counts: DigestCounts;
  /** Sorted by new, then open (both descending), then key. */
  byArea: GroupCount[];
  byCategory: GroupCount[];
  rates: ThreeRates;
}

export interface Change {
  current: number;
  previous: number;
  delta: number;
  /** (current − previous) / previous × 100; null when previous is 0 and current is not. */
  percent: number | null;
}

export interface WeeklyDigest {
  current: Digest;
  previous: Digest;
  change: Record<keyof DigestCounts, Change>;
  /** Rate change in percentage points; null when either week has no rate. */
  rateChange: Record<keyof ThreeRates, number | null>;
}

/** The last full local day before `instant` (the digest sent at 08:00 covers yesterday). */
export function lastFullDay(instant: Date, timezone: string): Period {
  const to = startOfLocalDay(instant, timezone);
  const { year, month, day } = localParts(to, timezone);
  return { from: localDateTime(year, month, day - 1, 0, 0, timezone), to };
}

/** The last full local week, Monday to Monday, before `instant`. */
export function lastFullWeek(instant: Date, timezone: string): Period {
  const { year, month, day, isoWeekday } = localParts(instant, timezone);
  const to = localDateTime(year, month, day - (isoWeekday - 1), 0, 0, timezone);
  return { from: localDateTime(year, month, day - (isoWeekday - 1) - 7, 0, 0, timezone), to };
}

/** The seven local days before `week` (midnight to midnight). */
export function weekBefore(week: Period, timezone: string): Period {
  const { year, month, day } = localParts(week.from, timezone);
  return { from: localDateTime(year, month, day - 7, 0, 0, timezone), to: week.from };
}

/** The digest of one period. */
export function digest(facts: readonly TicketFact[], period: Period, areaDepth = 1): Digest {
  const end = period.to;
  const open = facts.filter((f) => openAt(f, end));
  const answeredBy = (f: TicketFact) => f.firstRespondedAt !== null && f.firstRespondedAt.getTime() < end.getTime();
  const lateFirst = open.filter((f) => f.firstResponseDue.getTime() <= end.getTime() && !answeredBy(f));
  const lateResolution = open.filter((f) => f.resolutionDue !== null && f.resolutionDue.getTime() <= end.getTime());
  const created = facts.filter((f) => inPeriod(f.createdAt, period));
  return {
    period,
    counts: {
      new: created.length,
      resolved: facts.filter((f) => inPeriod(f.resolvedAt, period)).length,
      open: open.length,
      overdue: new Set([...lateFirst, ...lateResolution]).size,
      overdueFirstResponse: lateFirst.length,
      overdueResolution: lateResolution.length,
    },
    byArea: groupCounts(created, open, (f) => areaAtDepth(f.areaPath, areaDepth)),
    byCategory: groupCounts(created, open, (f) => f.category),
    rates: threeRates(facts, period),
  };
}

/** The weekly digest: `week` and the week before it, with the change. */
export function weeklyDigest(facts: readonly TicketFact[], week: Period, timezone: string, areaDepth = 1): WeeklyDigest {
  const current = digest(facts, week, areaDepth);
  const previous = digest(facts, weekBefore(week, timezone), areaDepth);
  const keys = Object.keys(current.counts) as Array<keyof DigestCounts>;
  const rateKeys = Object.keys(current.rates) as Array<keyof ThreeRates>;
  return {
    current,
    previous,
    change: Object.fromEntries(keys.map((k) => [k, change(current.counts[k], previous.counts[k])])) as Record<keyof DigestCounts, Change>,
    rateChange: Object.fromEntries(rateKeys.map((k) => [k, pointsChange(current.rates[k], previous.rates[k])])) as Record<keyof ThreeRates, number | null>,
  };
}

/** current vs previous. */
export function change(current: number, previous: number): Change {
  const delta = current - previous;
  const percent = previous === 0 ? (current === 0 ? 0 : null) : (delta / previous) * 100;
  return { current, previous, delta, percent };
}

function pointsChange(current: Rate, previous: Rate): number | null {
  if (current.rate === null || previous.rate === null) return null;
  return (current.rate - previous.rate) * 100;
}

function groupCounts(created: readonly TicketFact[], open: readonly TicketFact[], keyOf: (f: TicketFact) => string): GroupCount[] {
  const groups = new Map<string, GroupCount>();
  const get = (key: string) => groups.get(key) ?? groups.set(key, { key, new: 0, open: 0 }).get(key)!;
  for (const f of created) get(keyOf(f)).new += 1;
  for (const f of open) get(keyOf(f)).open += 1;
  return [...groups.values()].sort((a, b) => b.new - a.new || b.open - a.open || a.key.localeCompare(b.key));
}
