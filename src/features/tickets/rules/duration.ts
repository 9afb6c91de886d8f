/**
 * Deadline lengths as a community writes them in its settings: a whole number and a unit —
 * `30m`, `4h`, `7d`. The unit matters on a business-hours clock: `m` and `h` count open minutes,
 * `d` counts whole business days (so `7d` is seven working days, not 168 open hours, which would be
 * almost five weeks). On a continuous clock `m`/`h` are elapsed time and `d` calendar days.
 */
import { z } from 'zod';

export type DurationUnit = 'm' | 'h' | 'd';

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** 1–99999 of a unit, no sign, no spaces, no zero (a zero deadline is always missed). */
const DURATION_TEXT = /^([1-9]\d{0,4})(m|h|d)$/;

const MINUTES_PER_UNIT: Record<DurationUnit, number> = { m: 1, h: 60, d: 24 * 60 };

/** `4h` → `{ amount: 4, unit: 'h' }`; anything else → null. */
export function parseDuration(text: string): Duration | null {
  const match = DURATION_TEXT.exec(text);
  if (!match) return null;
  return { amount: Number(match[1]), unit: match[2] as DurationUnit };
}

/** The settings form of a duration: `{ amount: 7, unit: 'd' }` → `7d`. */
export function formatDuration(duration: Duration): string {
  return `${duration.amount}${duration.unit}`;
}

/**
 * Length in minutes taking a day as 24 hours. Used only to compare two settings with each other
 * (a priority deadline must not be longer than the ordinary one), never to compute a deadline.
 */
export function nominalMinutes(duration: Duration): number {
  return duration.amount * MINUTES_PER_UNIT[duration.unit];
}

/** The duration scaled by a whole factor (the committee is told after twice the first-response time). */
export function scaleDuration(duration: Duration, factor: number): Duration {
  return { amount: duration.amount * factor, unit: duration.unit };
}

/** Settings schema: accepts `"4h"`, yields a `Duration`. */
export const durationSchema = z
  .string()
  .regex(DURATION_TEXT, 'a whole number and m, h or d, e.g. 30m, 4h, 7d')
  .transform((text) => parseDuration(text)!);
