/**
 * Satisfaction (满意率) and its alert (docs/domain.md rule 5: below 60 % the assembly must order
 * rectification; the system raises the flag).
 *
 * - A rating is 1–5 stars. 12345 asks "satisfied / basically satisfied / not satisfied" and counts
 *   the first two as satisfied; we read 5 as 满意, 4 as 基本满意, and 3 or less as not satisfied
 *   (3 is "so-so", which is not satisfaction). So a rating is satisfied when it has ≥ 4 stars.
 * - One rating per ticket counts: the newest (a ticket reopened and resolved again is judged on
 *   the outcome that held).
 * - Rolling window: ratings given in the last 90 days, (now − 90 × 24 h, now] — a rating exactly
 *   90 days old has left the window. A window rather than "the last N ratings" so an old bad
 *   patch ages out for a steward with few tickets as surely as for a busy one.
 * - Per staff member: ratings of the tickets they resolved (the work that was judged). The
 *   committee's rate: every rating in the community.
 * - Alert when the rate is STRICTLY below 60 % (exact integer comparison: 6 of 10 is not an alert,
 *   599 of 1000 is), and only with at least 10 ratings in the window — below that one rating moves
 *   the rate by ten points or more. Once per crossing: after an alert it re-arms only when the
 *   rate is measured at ≥ 60 % again (with enough ratings); too few ratings neither fire nor re-arm.
 */

export const SATISFIED_MIN_STARS = 4;
/** The threshold as a percentage: alert strictly below it. */
export const SATISFACTION_THRESHOLD_PERCENT = 60;

export interface SatisfactionPolicy {
  windowDays: number;
  minimumSample: number;
}

export const DEFAULT_SATISFACTION_POLICY: SatisfactionPolicy = { windowDays: 90, minimumSample: 10 };

export interface RatingFact {
  ticketId: string;
  stars: number;
  ratedAt: Date;
  /** Who resolved the rated resolution; null when the committee's chat resolved it as a body. */
  staffId: string | null;
}

export interface SatisfactionRate {
  satisfied: number;
  total: number;
  /** satisfied / total, 0–1; null with no ratings. */
  rate: number | null;
}

/** True for a rating that counts as satisfied (≥ 4 stars). */
export function isSatisfied(stars: number): boolean {
  return stars >= SATISFIED_MIN_STARS;
}

/** The rate over a set of ratings (already windowed and de-duplicated). */
export function satisfactionRate(ratings: readonly RatingFact[]): SatisfactionRate {
  const satisfied = ratings.filter((r) => isSatisfied(r.stars)).length;
  return { satisfied, total: ratings.length, rate: ratings.length === 0 ? null : satisfied / ratings.length };
}

/** The newest rating of each ticket, among those in (now − windowDays, now]. */
export function ratingsInWindow(ratings: readonly RatingFact[], now: Date, windowDays: number): RatingFact[] {
  const newest = new Map<string, RatingFact>();
  for (const r of ratings) {
    if (r.ratedAt.getTime() > now.getTime()) continue;
    const seen = newest.get(r.ticketId);
    if (!seen || r.ratedAt.getTime() > seen.ratedAt.getTime()) newest.set(r.ticketId, r);
  }
  const from = now.getTime() - windowDays * 86_400_000;
  return [...newest.values()].filter((r) => r.ratedAt.getTime() > from);
}

/** The committee's rate and each staff member's, over the policy's window. */
export function rollingSatisfaction(
  ratings: readonly RatingFact[],
  now: Date,
  policy: SatisfactionPolicy = DEFAULT_SATISFACTION_POLICY,
): { committee: SatisfactionRate; byStaff: Map<string, SatisfactionRate> } {
  const inWindow = ratingsInWindow(ratings, now, policy.windowDays);
  const grouped = new Map<string, RatingFact[]>();
  for (const r of inWindow) {
    if (r.staffId === null) continue;
    grouped.set(r.staffId, [...(grouped.get(r.staffId) ?? []), r]);
  }
  return {
    committee: satisfactionRate(inWindow),
    byStaff: new Map([...grouped].map(([id, list]) => [id, satisfactionRate(list)])),
  };
}

/** Strictly below 60 %, computed on integers so 60 % exactly can never round below. */
export function isBelowThreshold(rate: SatisfactionRate): boolean {
  return rate.total > 0 && rate.satisfied * 100 < SATISFACTION_THRESHOLD_PERCENT * rate.total;
}

/** Per subject (a staff member, the committee): may the next crossing raise an alert? */
export interface SatisfactionAlertState {
  armed: boolean;
}

export const INITIAL_ALERT_STATE: SatisfactionAlertState = { armed: true };

export type SatisfactionAlertVerdict = 'alert' | 'still_below' | 'ok' | 'too_few_ratings';

/** Decides whether this measurement raises the alert, and the state to keep for the next one. */
export function evaluateSatisfactionAlert(
  rate: SatisfactionRate,
  state: SatisfactionAlertState,
  policy: SatisfactionPolicy = DEFAULT_SATISFACTION_POLICY,
): { verdict: SatisfactionAlertVerdict; state: SatisfactionAlertState } {
  if (rate.total < policy.minimumSample) return { verdict: 'too_few_ratings', state };
  if (!isBelowThreshold(rate)) return { verdict: 'ok', state: { armed: true } };
  if (state.armed) return { verdict: 'alert', state: { armed: false } };
  return { verdict: 'still_below', state };
}
