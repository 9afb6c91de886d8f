/**
 * Business hours: when the office is open, so that a deadline clock can pause outside them.
 *
 * A community lists its working weekdays, one or more daily windows (a lunch break is two
 * windows), public holidays, and make-up working days (调休: a weekend day that is a working day
 * because a holiday was moved). A window includes its opening minute and excludes its closing
 * minute: at exactly 08:30 the clock runs, at exactly 17:30 it has stopped.
 */
import { z } from 'zod';
import { localDateKey, localDateTime, localParts } from './local-time.js';

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE_KEY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const windowSchema = z
  .object({
    opens: z.string().regex(CLOCK_TIME, 'HH:mm'),
    closes: z.string().regex(CLOCK_TIME, 'HH:mm'),
  })
  .refine((w) => minuteOfDay(w.opens) < minuteOfDay(w.closes), 'a window must open before it closes, within one day');

/** Settings schema for business hours. */
export const businessHoursSchema = z
  .object({
    /** ISO weekdays the office works: 1 = Monday … 7 = Sunday. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1),
    /** Daily opening windows in local time, e.g. 08:30–12:00 and 13:30–17:30. */
    windows: z.array(windowSchema).min(1),
    /** Local dates the office is closed although they fall on a working weekday. */
    holidays: z.array(z.string().regex(DATE_KEY, 'YYYY-MM-DD')).default([]),
    /** Local dates the office works although they fall on a closed weekday (调休). */
    workdays: z.array(z.string().regex(DATE_KEY, 'YYYY-MM-DD')).default([]),
  })
  .superRefine((hours, ctx) => {
    if (new Set(hours.weekdays).size !== hours.weekdays.length) ctx.addIssue({ code: 'custom', message: 'a weekday is listed twice', path: ['weekdays'] });
    const sorted = [...hours.windows].sort((a, b) => minuteOfDay(a.opens) - minuteOfDay(b.opens));
    for (let i = 1; i < sorted.length; i++) {
      if (minuteOfDay(sorted[i]!.opens) < minuteOfDay(sorted[i - 1]!.closes)) {
        ctx.addIssue({ code: 'custom', message: 'windows overlap', path: ['windows'] });
      }
    }
    const both = hours.holidays.filter((d) => hours.workdays.includes(d));
    if (both.length > 0) ctx.addIssue({ code: 'custom', message: `both a holiday and a workday: ${both.join(', ')}`, path: ['workdays'] });
  });

export type BusinessHours = z.output<typeof businessHoursSchema>;

/** The reference office: Monday to Friday, 08:30–17:30, no lunch break, no holidays listed. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = businessHoursSchema.parse({
  weekdays: [1, 2, 3, 4, 5],
  windows: [{ opens: '08:30', closes: '17:30' }],
});

/** Open minutes in one working day: what `1d` means on a business-hours clock. */
export function openMinutesPerDay(hours: BusinessHours): number {
  return hours.windows.reduce((sum, w) => sum + minuteOfDay(w.closes) - minuteOfDay(w.opens), 0);
}

/** True when the office works on the local day containing `instant`. */
export function isWorkingDay(instant: Date, hours: BusinessHours, timezone: string): boolean {
  const key = localDateKey(instant, timezone);
  if (hours.workdays.includes(key)) return true;
  if (hours.holidays.includes(key)) return false;
  return hours.weekdays.includes(localParts(instant, timezone).isoWeekday);
}

/** True when the clock runs at `instant`: a working day, inside a window (closing minute excluded). */
export function isOpenAt(instant: Date, hours: BusinessHours, timezone: string): boolean {
  return openIntervalsOfDay(instant, hours, timezone).some(([from, to]) => instant.getTime() >= from && instant.getTime() < to);
}

/**
 * The instant when `minutes` of open time have passed since `start`. Time before the next opening
 * does not count. When the budget runs out exactly at a closing time the answer is that closing
 * time, not the next opening (the deadline is "by the end of the day").
 */
export function addOpenMinutes(start: Date, minutes: number, hours: BusinessHours, timezone: string): Date {
  if (!(minutes >= 0)) throw new RangeError(`open minutes must be ≥ 0, got ${minutes}`);
  let remaining = minutes * 60_000;
  let cursor = start.getTime();
  // Ten years of days without one open minute means the settings are broken, not the ticket.
  for (let guard = 0; guard < 3660; guard++) {
    for (const [from, to] of openIntervalsOfDay(new Date(cursor), hours, timezone)) {
      const begin = Math.max(cursor, from);
      if (begin >= to) continue;
      if (remaining <= to - begin) return new Date(begin + remaining);
      remaining -= to - begin;
    }
    const { year, month, day } = localParts(new Date(cursor), timezone);
    cursor = localDateTime(year, month, day + 1, 0, 0, timezone).getTime();
  }
  throw new RangeError('business hours have no open time in ten years');
}

/** The open windows of the local day containing `instant`, as [from, to) epoch milliseconds. */
function openIntervalsOfDay(instant: Date, hours: BusinessHours, timezone: string): Array<[number, number]> {
  if (!isWorkingDay(instant, hours, timezone)) return [];
  const { year, month, day } = localParts(instant, timezone);
  return [...hours.windows]
    .sort((a, b) => minuteOfDay(a.opens) - minuteOfDay(b.opens))
    .map((w) => {
      const [oh, om] = splitClock(w.opens);
      const [ch, cm] = splitClock(w.closes);
      return [localDateTime(year, month, day, oh, om, timezone).getTime(), localDateTime(year, month, day, ch, cm, timezone).getTime()];
    });
}

function minuteOfDay(clock: string): number {
  const [h, m] = splitClock(clock);
  return h * 60 + m;
}

function splitClock(clock: string): [number, number] {
  const [h, m] = clock.split(':');
  return [Number(h), Number(m)];
}
