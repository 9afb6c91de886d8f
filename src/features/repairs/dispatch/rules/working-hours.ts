/**
 * A service-team member's working hours: per ISO weekday (1 = Monday) in the community's time
 * zone, a list of `["08:00", "18:00"]` spans (`ServiceMember.hours`). An empty object means any
 * time: most members are neighbours who answer whenever they can. Pure.
 */
import { z } from 'zod';
import { localParts } from '../../../tickets/rules/local-time.js';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const spanSchema = z.tuple([z.string().regex(CLOCK), z.string().regex(CLOCK)]).refine(([from, to]) => from < to, 'a span ends after it starts');

export const weeklyHoursSchema = z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(spanSchema));

/** Working spans per weekday; `{}` = any time. */
export type WeeklyHours = z.output<typeof weeklyHoursSchema>;

/** The stored hours, or null when they are not in the expected shape (the caller decides what that means). */
export function readWeeklyHours(stored: unknown): WeeklyHours | null {
  const parsed = weeklyHoursSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : null;
}

/** Whether `at` falls in one of the member's spans; `{}` always does. A span includes its start, not its end. */
export function worksAt(hours: WeeklyHours, at: Date, timezone: string): boolean {
  const days = Object.keys(hours);
  if (days.length === 0) return true;
  const local = localParts(at, timezone);
  const spans = hours[String(local.isoWeekday) as keyof WeeklyHours] ?? [];
  const clock = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
  return spans.some(([from, to]) => clock >= from && clock < to);
}
