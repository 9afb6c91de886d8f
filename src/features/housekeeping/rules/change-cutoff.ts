/**
 * The cut-off: a visit can be booked, moved or cancelled only until this long before it starts,
 * so the 家政服务社 can plan its day. At the cut-off's very instant it is closed.
 */

/** The cut-off every new service starts with (12 hours: the evening before a morning visit). */
export const DEFAULT_CUTOFF_MINUTES = 12 * 60;

/** When changes to a visit starting at `startsAt` close. */
export function changesCloseAt(startsAt: Date, cutoffMinutes: number): Date {
  return new Date(startsAt.getTime() - cutoffMinutes * 60_000);
}

/** True while a visit starting at `startsAt` may still be booked, moved or cancelled at `now`. */
export function openForChanges(startsAt: Date, cutoffMinutes: number, now: Date): boolean {
  return now.getTime() < changesCloseAt(startsAt, cutoffMinutes).getTime();
}
