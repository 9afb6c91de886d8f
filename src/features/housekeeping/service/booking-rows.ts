/**
 * How the housekeeping service reads its rows: the slot with its service, and a booking with its
 * slot, service and ticket — the facts every booking change decides on.
 */
import type { Tx } from '../../../db/prisma-types.js';

export const SLOT_SELECT = {
  id: true,
  communityId: true,
  serviceId: true,
  date: true,
  startTime: true,
  endTime: true,
  startsAt: true,
  endsAt: true,
  places: true,
  booked: true,
  service: { select: { id: true, code: true, names: true, cutoffMinutes: true, active: true } },
} as const;

export type SlotRow = NonNullable<Awaited<ReturnType<typeof findSlot>>>;

/** The slot of the community with this id, or null. */
export function findSlot(tx: Tx, communityId: string, slotId: string) {
  return tx.housekeepingSlot.findFirst({ where: { id: slotId, communityId }, select: SLOT_SELECT });
}

export const BOOKING_SELECT = {
  id: true,
  communityId: true,
  status: true,
  version: true,
  serviceId: true,
  slot: { select: SLOT_SELECT },
  ticket: { select: { id: true, number: true, status: true, reporterId: true, filedById: true, resolutionDueAt: true, publicResolutionDueAt: true } },
} as const;

export type BookingRow = NonNullable<Awaited<ReturnType<typeof findBooking>>>;

/** The booking of the community with this id, or null. */
export function findBooking(tx: Tx, communityId: string, bookingId: string) {
  return tx.housekeepingBooking.findFirst({ where: { id: bookingId, communityId }, select: BOOKING_SELECT });
}

/** Whose booking it is: the person it was booked for, else who booked it (as with tickets). */
export function bookedBy(booking: { ticket: { reporterId: string | null; filedById: string | null } }): string | null {
  return booking.ticket.reporterId ?? booking.ticket.filedById;
}

/**
 * Takes one place of the slot if one is left: a single guarded statement, so however many
 * bookings race for the last places, `booked` never passes `places`. True when it took one.
 */
export async function takePlace(tx: Tx, slotId: string): Promise<boolean> {
  const taken = await tx.housekeepingSlot.updateMany({ where: { id: slotId, booked: { lt: tx.housekeepingSlot.fields.places } }, data: { booked: { increment: 1 } } });
  return taken.count === 1;
}

/** Gives a place back (a booking moved away or cancelled). */
export async function givePlaceBack(tx: Tx, slotId: string): Promise<void> {
  await tx.housekeepingSlot.updateMany({ where: { id: slotId, booked: { gt: 0 } }, data: { booked: { decrement: 1 } } });
}
