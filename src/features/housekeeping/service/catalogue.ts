/**
 * What a resident can book: the community's active services, and a service's slots from now on
 * with the places each has left (read; what is offered is the rules' `bookableSlots`).
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { SlotFacts } from '../rules/offered-slots.js';

/** The services offered, in the admin's order. */
export function activeServices(tx: Tx, communityId: string) {
  return tx.housekeepingService.findMany({
    where: { communityId, active: true },
    orderBy: [{ position: 'asc' }, { code: 'asc' }],
    select: { id: true, code: true, names: true, cutoffMinutes: true },
  });
}

/** How far ahead slots are read: the offer shows the nearest dates anyway. */
const LOOK_AHEAD_DAYS = 60;

/** The service's slots starting after `now` (within the look-ahead), earliest first. */
export async function upcomingSlots(tx: Tx, communityId: string, serviceId: string, now: Date): Promise<SlotFacts[]> {
  return tx.housekeepingSlot.findMany({
    where: { communityId, serviceId, startsAt: { gt: now, lt: new Date(now.getTime() + LOOK_AHEAD_DAYS * 86_400_000) } },
    orderBy: { startsAt: 'asc' },
    select: { id: true, date: true, startTime: true, endTime: true, startsAt: true, places: true, booked: true },
  });
}

/** A person's bookings still to come (booked for them, or by them), the soonest first. */
export function upcomingBookingsOf(tx: Tx, communityId: string, residentId: string, now: Date) {
  return tx.housekeepingBooking.findMany({
    where: {
      communityId,
      status: 'booked',
      slot: { endsAt: { gt: now } },
      ticket: { OR: [{ reporterId: residentId }, { reporterId: null, filedById: residentId }] },
    },
    orderBy: { slot: { startsAt: 'asc' } },
    take: 10,
    select: {
      id: true,
      slot: { select: { date: true, startTime: true, endTime: true, startsAt: true } },
      service: { select: { id: true, code: true, names: true, cutoffMinutes: true } },
      ticket: { select: { number: true } },
    },
  });
}
