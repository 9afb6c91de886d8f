/**
 * How long the resident has to answer "fixed" or "not fixed" once the work is done (java110's 待评价
 * before 完成): the community's days from the moment it was done, on its calendar (same wall time),
 * after which the clock confirms it. A "not fixed" starts a new round, with a window of its own.
 */
import { addLocalDays } from '../../tickets/rules/local-time.js';

export function answerDueAt(doneAt: Date, days: number, timezone: string): Date {
  return addLocalDays(doneAt, days, timezone);
}
