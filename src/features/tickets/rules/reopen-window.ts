/**
 * The reopen window: a resident's message to a resolved ticket reopens it "within 7 days"; later it
 * is offered as a new ticket instead.
 *
 * Seven days are 7 × 24 hours of elapsed time from the resolution, and the boundary is inclusive:
 * a message at exactly resolvedAt + 168 h reopens, one millisecond later does not (7天内 includes
 * the seventh day's end). Elapsed time, not calendar days, so the answer does not depend on the
 * time zone; in China, without daylight saving, the two are the same.
 */

export const REOPEN_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** True when a message at `at` still reopens a ticket resolved at `resolvedAt`. */
export function withinReopenWindow(resolvedAt: Date, at: Date): boolean {
  return at.getTime() - resolvedAt.getTime() <= REOPEN_WINDOW_MS;
}

/**
 * The last instant of the window (still inside it). The ticket may be closed for good only after
 * it, so schedule the closing job a moment later.
 */
export function reopenWindowEnd(resolvedAt: Date): Date {
  return new Date(resolvedAt.getTime() + REOPEN_WINDOW_MS);
}
