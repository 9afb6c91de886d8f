/**
 * Quiet hours (免打扰): no notice goes out between `from` and `to` on the community's wall clock.
 * The window includes `from` and excludes `to` (22:00 is quiet, 07:00 is not); `from` later than
 * `to` spans midnight; equal times mean no quiet hours at all. Alerts are exempt (the caller's
 * decision: an emergency cannot wait for the morning).
 */
import { localDateTime, localParts } from '../../tickets/rules/local-time.js';

export interface QuietHours {
  /** `HH:mm`, the first quiet minute. */
  from: string;
  /** `HH:mm`, the first minute notices may go again. */
  to: string;
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/**
 * When the quiet hours around `at` end, or null when `at` is not inside them (or there are none).
 *
 * @example
 * quietHoursEnd(new Date('2026-03-01T15:00:00Z'), { from: '22:00', to: '07:00' }, 'Asia/Shanghai')
 * // 23:00 local → 2026-03-01T23:00:00Z (07:00 local the next morning)
 */
export function quietHoursEnd(at: Date, quiet: QuietHours, timezone: string): Date | null {
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return null;
  const local = localParts(at, timezone);
  const now = local.hour * 60 + local.minute;
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return null;
  // The end is today when `to` is still ahead on today's clock, else tomorrow.
  const endDay = now < to ? local.day : local.day + 1;
  return localDateTime(local.year, local.month, endDay, Math.floor(to / 60), to % 60, timezone);
}
