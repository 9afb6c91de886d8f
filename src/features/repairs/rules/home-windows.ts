/**
 * When someone is home, as time windows in the community's time zone: the slots of the
 * community's settings (morning, afternoon, evening) for today and the next days, from which the
 * resident picks one — or says someone is always home (no window). A slot already under way is
 * still offered until it ends. A picked window travels as its choice value (`<from>_<to>`, instants:
 * the characters a listed choice's value may have)
 * and is read back with `readHomeWindow`, which refuses anything that is not a sane window.
 */
import { localDateTime, localParts } from '../../tickets/rules/local-time.js';

export interface HomeWindow {
  from: Date;
  to: Date;
}

/** Which day a window falls on, counted from the day it was offered (0 = today). */
export interface OfferedWindow extends HomeWindow {
  dayOffset: number;
}

/** The windows to offer at `now`: each slot of each day (today first) that has not ended. */
export function homeWindowChoices(now: Date, timezone: string, slots: readonly { from: string; to: string }[], days: number): OfferedWindow[] {
  const today = localParts(now, timezone);
  const offered: OfferedWindow[] = [];
  for (let dayOffset = 0; dayOffset < days; dayOffset++) {
    for (const slot of slots) {
      const at = (clock: string) => {
        const [hour, minute] = clock.split(':').map(Number) as [number, number];
        // Day overflow is the local calendar's (32 December is 1 January).
        return localDateTime(today.year, today.month, today.day + dayOffset, hour, minute, timezone);
      };
      const window = { from: at(slot.from), to: at(slot.to), dayOffset };
      if (window.to.getTime() > now.getTime()) offered.push(window);
    }
  }
  return offered;
}

/** A window as a choice value: `<from ISO>_<to ISO>`. */
export function homeWindowValue(window: HomeWindow): string {
  return `${window.from.toISOString()}_${window.to.toISOString()}`;
}

/** The longest window taken (a whole day); anything longer is not a window someone is home. */
const LONGEST_WINDOW_MS = 24 * 3_600_000;

/** A choice value back as a window; null for anything else, a window already over at `now`, or one longer than a day. */
export function readHomeWindow(value: string, now: Date): HomeWindow | null {
  const parts = value.split('_');
  if (parts.length !== 2) return null;
  const from = new Date(parts[0]!);
  const to = new Date(parts[1]!);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return null;
  const length = to.getTime() - from.getTime();
  if (length <= 0 || length > LONGEST_WINDOW_MS) return null;
  if (to.getTime() <= now.getTime()) return null;
  return { from, to };
}
