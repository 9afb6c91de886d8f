/**
 * What a resident is offered: only slots with a place left, whose cut-off has not passed, grouped
 * by local date, the nearest dates first. A slot with no place left is never shown.
 */
import { openForChanges } from './change-cutoff.js';

/** One slot as the offer reads it. */
export interface SlotFacts {
  id: string;
  date: string;
  startTime: string;
  endTime: string;
  startsAt: Date;
  places: number;
  booked: number;
}

/** How many places are left (never below none, whatever an admin did to `places`). */
export function placesLeft(slot: Pick<SlotFacts, 'places' | 'booked'>): number {
  return Math.max(0, slot.places - slot.booked);
}

/** The slots that may be booked at `now`, earliest first. */
export function bookableSlots<S extends SlotFacts>(slots: readonly S[], cutoffMinutes: number, now: Date): S[] {
  return slots
    .filter((slot) => placesLeft(slot) > 0 && openForChanges(slot.startsAt, cutoffMinutes, now))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/** The first `limit` dates with a bookable slot, each with its places left in all. */
export function offeredDates(slots: readonly SlotFacts[], cutoffMinutes: number, now: Date, limit: number): { date: string; left: number }[] {
  const byDate = new Map<string, number>();
  for (const slot of bookableSlots(slots, cutoffMinutes, now)) byDate.set(slot.date, (byDate.get(slot.date) ?? 0) + placesLeft(slot));
  return [...byDate.entries()].slice(0, limit).map(([date, left]) => ({ date, left }));
}
