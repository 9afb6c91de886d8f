/**
 * When the next biweekly forum (半月谈) sits. The community names any one sitting (the anchor);
 * the others are every 14 calendar days before and after it, at the same local wall time (so in a
 * zone with daylight saving the hour stays put).
 *
 * "Next" is strictly after the given instant: a matter escalated while a sitting is starting goes
 * to the following one, whose agenda can still be prepared. Moved sittings (Spring Festival) are
 * the meetings feature's business.
 */
import { addLocalDays } from './local-time.js';

export const FORUM_CADENCE_DAYS = 14;

/** The first sitting strictly after `after`. */
export function nextBiweeklyForum(after: Date, anchor: Date, timezone: string): Date {
  const approxDays = (after.getTime() - anchor.getTime()) / 86_400_000;
  // Start one cadence early of the estimate, then walk forward: DST hours cannot fool the count.
  let k = Math.floor(approxDays / FORUM_CADENCE_DAYS) - 1;
  let sitting = addLocalDays(anchor, k * FORUM_CADENCE_DAYS, timezone);
  while (sitting.getTime() <= after.getTime()) {
    k += 1;
    sitting = addLocalDays(anchor, k * FORUM_CADENCE_DAYS, timezone);
  }
  return sitting;
}
