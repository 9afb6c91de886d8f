/**
 * A fake clock for the whole app in a repair journey: `Date` only (timers stay real, so the app's
 * queues and the channels' libraries run as ever), started at 09:00 in Beijing on the day after
 * the real one and moving on at the real pace. Always ahead of the real clock, so the app's delayed
 * jobs are never due at once; always 09:00 on the community's wall clock, so the home-time slots
 * offered and the times promised are the same in every run.
 */
import { vi } from 'vitest';
import { localDateTime, localParts } from '../../../../src/features/tickets/rules/local-time.js';

export const TZ = 'Asia/Shanghai';

/** Starts the fake clock; returns the instant it starts at. */
export function startRepairClock(): Date {
  const real = localParts(new Date(), TZ);
  const start = localDateTime(real.year, real.month, real.day + 1, 9, 0, TZ);
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(start);
  return start;
}

export function stopRepairClock(): void {
  vi.useRealTimers();
}

/** `M月d日HH:mm` of a local time `days` after the start's day, as the resident is shown it. */
export function shownAt(start: Date, days: number, hour: number, minute = 0): string {
  const day = localParts(start, TZ);
  const at = localParts(localDateTime(day.year, day.month, day.day + days, hour, minute, TZ), TZ);
  return `${at.month}月${at.day}日${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
}
