/**
 * Moving and cancelling a booked visit, in the caller's transaction, by the person it is booked
 * for (or who booked it), until the service's cut-off before the visit. A move takes a place of
 * the new slot first (none left: `full`, nothing written), then moves the booking with a guarded
 * update of its version and gives the old place back; a cancellation marks the booking, gives
 * the place back and withdraws its ticket. The staff inbox hears of both through the ticket: a
 * move as the resident's line on it, a cancellation as its withdrawal (their messages are queued
 * after the commit by the ticket service).
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Actor } from '../../policy/actor.js';
import { isOpenStatus, type TicketStatus } from '../../tickets/rules/statuses.js';
import { addToMyTicket, withdrawMyTicket } from '../../tickets/service/resident-tickets.js';
import { openForChanges } from '../rules/change-cutoff.js';
import { bookedBy, findBooking, findSlot, givePlaceBack, takePlace, type BookingRow, type SlotRow } from './booking-rows.js';
import type { HousekeepingDeps } from './housekeeping-deps.js';
import { officeWords } from './office-words.js';

export type ChangeRefusal =
  /** Not theirs, or no such booking: the same answer. */
  | 'not_found'
  /** Cancelled already, or the visit was done. */
  | 'not_open'
  /** The cut-off before the visit has passed: call the office. */
  | 'too_late'
  /** Changed at the same moment elsewhere: look again. */
  | 'conflict';

export type MoveOutcome =
  | { status: 'moved'; number: string; slot: SlotRow }
  /** The new slot: no place left, past its cut-off, the same as now, or not of this service. */
  | { status: 'full' | 'closed' | 'same' | 'invalid' }
  | { status: ChangeRefusal };

export type CancelOutcome = { status: 'cancelled'; number: string } | { status: ChangeRefusal };

/** The booking, if `actor` may change it now; else why not. */
export async function changeableBooking(tx: Tx, communityId: string, actor: Actor, bookingId: string, now: Date): Promise<BookingRow | ChangeRefusal> {
  if (actor.kind !== 'person') return 'not_found';
  const booking = await findBooking(tx, communityId, bookingId);
  if (!booking || bookedBy(booking) !== actor.residentId) return 'not_found';
  if (booking.status !== 'booked' || !isOpenStatus(booking.ticket.status as TicketStatus)) return 'not_open';
  if (!openForChanges(booking.slot.startsAt, booking.slot.service.cutoffMinutes, now)) return 'too_late';
  return booking;
}

export async function moveVisit(tx: Tx, deps: HousekeepingDeps, input: { communityId: string; actor: Actor; bookingId: string; slotId: string }): Promise<MoveOutcome> {
  const now = deps.now();
  const booking = await changeableBooking(tx, input.communityId, input.actor, input.bookingId, now);
  if (typeof booking === 'string') return { status: booking };
  const slot = await findSlot(tx, input.communityId, input.slotId);
  if (!slot || slot.serviceId !== booking.serviceId || !slot.service.active) return { status: 'invalid' };
  if (slot.id === booking.slot.id) return { status: 'same' };
  if (!openForChanges(slot.startsAt, slot.service.cutoffMinutes, now)) return { status: 'closed' };
  if (!(await takePlace(tx, slot.id))) return { status: 'full' };
  const moved = await tx.housekeepingBooking.updateMany({
    where: { id: booking.id, version: booking.version, status: 'booked' },
    data: { slotId: slot.id, version: { increment: 1 }, remindersSent: [] },
  });
  if (moved.count === 0) {
    await givePlaceBack(tx, slot.id);
    return { status: 'conflict' };
  }
  await givePlaceBack(tx, booking.slot.id);
  await keepResolutionAfterVisit(tx, booking, slot.endsAt);
  const words = await officeWords(tx, deps, input.communityId);
  const line = await addToMyTicket(tx, deps.tickets, {
    actor: input.actor,
    ticketId: booking.ticket.id,
    text: words.t('housekeeping.ticket.moved', { from: words.visit(booking.slot), to: words.visit(slot) }),
    at: now,
  });
  if (line.status !== 'added') throw new Error(`booking moved but its ticket refused the line: ${line.status}`);
  deps.watcher?.bookingChanged(tx, booking.id, booking.version);
  return { status: 'moved', number: booking.ticket.number, slot: { ...slot, booked: slot.booked + 1 } };
}

/**
 * A visit moved later takes its ticket's resolution deadline with it (never earlier): the line
 * written next bumps the ticket's version, so its deadline jobs are set again from this.
 */
async function keepResolutionAfterVisit(tx: Tx, booking: BookingRow, visitEndsAt: Date): Promise<void> {
  const later = (at: Date | null) => (at && at.getTime() < visitEndsAt.getTime() ? visitEndsAt : at);
  const resolutionDueAt = later(booking.ticket.resolutionDueAt);
  const publicResolutionDueAt = later(booking.ticket.publicResolutionDueAt);
  if (resolutionDueAt === booking.ticket.resolutionDueAt && publicResolutionDueAt === booking.ticket.publicResolutionDueAt) return;
  await tx.ticket.update({ where: { id: booking.ticket.id }, data: { resolutionDueAt, publicResolutionDueAt } });
}

export async function cancelVisit(tx: Tx, deps: HousekeepingDeps, input: { communityId: string; actor: Actor; bookingId: string }): Promise<CancelOutcome> {
  const now = deps.now();
  const booking = await changeableBooking(tx, input.communityId, input.actor, input.bookingId, now);
  if (typeof booking === 'string') return { status: booking };
  const cancelled = await tx.housekeepingBooking.updateMany({
    where: { id: booking.id, version: booking.version, status: 'booked' },
    data: { status: 'cancelled', version: { increment: 1 }, cancelledAt: now },
  });
  if (cancelled.count === 0) return { status: 'conflict' };
  await givePlaceBack(tx, booking.slot.id);
  const withdrawn = await withdrawMyTicket(tx, deps.tickets, { actor: input.actor, ticketId: booking.ticket.id, at: now });
  if (withdrawn.status !== 'withdrawn') throw new Error(`booking cancelled but its ticket was not withdrawn: ${withdrawn.status}`);
  deps.watcher?.bookingChanged(tx, booking.id, booking.version);
  return { status: 'cancelled', number: booking.ticket.number };
}
