/**
 * When a sitting nobody closed closes itself: at the end of the day it ended on, in the
 * community's zone (local midnight after its end), and never sooner than two hours after its
 * scheduled end — so a sitting that runs late into the evening is not closed under the chair
 * while its last votes are counted. Closing makes the minutes final; what staff would see the
 * next morning is a closed sitting, not one still "under way".
 */
import { addLocalDays, startOfLocalDay } from '../../../tickets/rules/local-time.js';

/** The least time between a sitting's scheduled end and its closing itself. */
export const AUTO_CLOSE_GRACE_MINUTES = 120;

export function autoCloseAt(meeting: { endsAt: Date }, timezone: string): Date {
  const endOfDay = addLocalDays(startOfLocalDay(meeting.endsAt, timezone), 1, timezone);
  const grace = meeting.endsAt.getTime() + AUTO_CLOSE_GRACE_MINUTES * 60_000;
  return new Date(Math.max(endOfDay.getTime(), grace));
}

/** Whether a sitting that ended at `endsAt` is due to close itself at `now`. */
export function dueToClose(meeting: { endsAt: Date }, timezone: string, now: Date): boolean {
  return now.getTime() >= autoCloseAt(meeting, timezone).getTime();
}
