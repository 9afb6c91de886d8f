/**
 * The reminders of a booking: the day before (24 hours ahead) and an hour before the visit. A
 * reminder whose moment had already passed when the booking was made or moved is not sent (a
 * visit booked for this afternoon gets only the hour's reminder), and none is sent once the visit
 * has begun.
 */

export const REMINDER_KINDS = ['day_before', 'hour_before'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

const AHEAD_MS: Record<ReminderKind, number> = { day_before: 24 * 3_600_000, hour_before: 3_600_000 };

/** The moment a reminder of this kind is due for a visit starting at `startsAt`. */
export function reminderAt(kind: ReminderKind, startsAt: Date): Date {
  return new Date(startsAt.getTime() - AHEAD_MS[kind]);
}

/** The reminders still to come, seen at `now` (their moment not yet passed), earliest first. */
export function upcomingReminders(startsAt: Date, now: Date): { kind: ReminderKind; at: Date }[] {
  return REMINDER_KINDS.map((kind) => ({ kind, at: reminderAt(kind, startsAt) })).filter(({ at }) => at.getTime() > now.getTime());
}

/** What a reminder job finds at `now`: too early (run again later), due, or too late (the visit began). */
export function reminderStanding(kind: ReminderKind, startsAt: Date, now: Date): 'early' | 'due' | 'late' {
  if (now.getTime() >= startsAt.getTime()) return 'late';
  return now.getTime() < reminderAt(kind, startsAt).getTime() ? 'early' : 'due';
}
