/**
 * A slot's times as an admin writes them — a local date (`2026-12-10`) and a window of the day
 * (`09:00-11:00`) on the community's calendar — and the instants they stand for in its time zone.
 */
import { localDateTime } from '../../tickets/rules/local-time.js';

/** A window of one day: `HH:MM` to `HH:MM`, the end after the start. */
export interface SlotWindow {
  startTime: string;
  endTime: string;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `09:00-11:00` (also with `–`, `~` or spaces) → the window; null when it is not one. */
export function parseSlotWindow(text: string): SlotWindow | null {
  const parts = text.trim().split(/\s*[-–~]\s*/);
  if (parts.length !== 2) return null;
  const [startTime, endTime] = parts.map((part) => (/^\d:\d\d$/.test(part!) ? `0${part}` : part!)) as [string, string];
  if (!TIME.test(startTime) || !TIME.test(endTime)) return null;
  return startTime < endTime ? { startTime, endTime } : null;
}

/** `2026-12-10` → its parts, or null for text that is no calendar date (2026-02-30 included). */
export function parseLocalDate(text: string): { year: number; month: number; day: number } | null {
  const match = DATE.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The local dates from `from` to `to`, both included (at most `max`); empty when `to` is before `from`. */
export function localDatesBetween(from: string, to: string, max = 366): string[] {
  const start = parseLocalDate(from);
  const end = parseLocalDate(to);
  if (!start || !end) return [];
  const dates: string[] = [];
  const last = Date.UTC(end.year, end.month - 1, end.day);
  for (let at = Date.UTC(start.year, start.month - 1, start.day); at <= last && dates.length < max; at += 86_400_000) {
    dates.push(new Date(at).toISOString().slice(0, 10));
  }
  return dates;
}

/** When the slot starts and ends, as instants, on `date` in `timezone`. */
export function slotInstants(date: string, window: SlotWindow, timezone: string): { startsAt: Date; endsAt: Date } {
  const day = parseLocalDate(date);
  if (!day) throw new Error(`not a date: ${date}`);
  const at = (time: string) => {
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    return localDateTime(day.year, day.month, day.day, hour, minute, timezone);
  };
  return { startsAt: at(window.startTime), endsAt: at(window.endTime) };
}
