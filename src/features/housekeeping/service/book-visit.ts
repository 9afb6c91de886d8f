/**
 * Booking a visit, in the caller's transaction: one place of the slot taken by a guarded update
 * (none left: `full`, nothing written), the ticket of kind `housekeeping` filed through the
 * ticket service (its JZ number, the staff inbox's card, `ticket.changed`) and the booking row
 * beside it. Either all of it happens or none; the ticket's messages (the staff inbox's card) are
 * queued after the commit by the ticket service.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Actor } from '../../policy/actor.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import { can } from '../../policy/policy.js';
import { FALLBACK_CATEGORY_CODE } from '../../tickets/rules/categories.js';
import { fileTicket } from '../../tickets/service/file-ticket.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';
import { openForChanges } from '../rules/change-cutoff.js';
import { findSlot, takePlace, type SlotRow } from './booking-rows.js';
import type { HousekeepingDeps } from './housekeeping-deps.js';
import { officeWords } from './office-words.js';

/** Longest note a resident may leave for the visit. */
export const NOTES_MAX = 300;

/** The category a housekeeping ticket is filed under: the community's own `housekeeping` when it has one. */
export const HOUSEKEEPING_CATEGORY = 'housekeeping';

export type BookOutcome =
  | { status: 'booked'; bookingId: string; ticketId: string; number: string; slot: SlotRow }
  /** No place left in that slot (someone was faster), or the cut-off passed: pick another. */
  | { status: 'full' | 'closed' }
  | { status: 'not_found' | 'denied' | 'invalid' };

export interface BookInput {
  communityId: string;
  actor: Actor;
  slotId: string;
  notes?: string | null;
}

export async function bookVisit(tx: Tx, deps: HousekeepingDeps, input: BookInput): Promise<BookOutcome> {
  const now = deps.now();
  if (input.actor.kind !== 'person' || !input.actor.householdId) return { status: 'denied' };
  const notes = input.notes?.trim() || null;
  if (notes && [...notes].length > NOTES_MAX) return { status: 'invalid' };
  const slot = await findSlot(tx, input.communityId, input.slotId);
  if (!slot || !slot.service.active) return { status: 'not_found' };
  if (!openForChanges(slot.startsAt, slot.service.cutoffMinutes, now)) return { status: 'closed' };
  // The policy first, so a refusal takes no place (filing checks it again).
  const household = await tx.household.findUnique({ where: { id: input.actor.householdId }, select: { id: true, areaId: true } });
  if (!household) return { status: 'denied' };
  const subject = { communityId: input.communityId, householdId: household.id, areaIds: await areaAncestry(tx, household.areaId) };
  if (!can(input.actor, 'ticket.file', subject, { now })) return { status: 'denied' };
  if (!(await takePlace(tx, slot.id))) return { status: 'full' };

  const settings = await loadTicketSettings(tx, input.communityId);
  // The ticket speaks the office's language: staff read it on the card.
  const words = await officeWords(tx, deps, input.communityId);
  const category = settings.categories.some((c) => c.code === HOUSEKEEPING_CATEGORY) ? HOUSEKEEPING_CATEGORY : FALLBACK_CATEGORY_CODE;
  const description = [
    words.t('housekeeping.ticket.booked', { service: words.service(slot.service), visit: words.visit(slot) }),
    ...(notes ? [words.t('housekeeping.ticket.notes', { notes })] : []),
  ].join('\n');
  const filed = await fileTicket(tx, deps.tickets, {
    communityId: input.communityId,
    actor: input.actor,
    kind: 'housekeeping',
    category,
    description,
    filerAnsweredInChat: true,
    at: now,
    // Done when the visit is: not overdue before it.
    resolutionNotBefore: slot.endsAt,
  });
  const booking = await tx.housekeepingBooking.create({
    data: { communityId: input.communityId, ticketId: filed.ticketId, serviceId: slot.serviceId, slotId: slot.id, createdAt: now },
    select: { id: true },
  });
  deps.watcher?.bookingChanged(tx, booking.id, null);
  return { status: 'booked', bookingId: booking.id, ticketId: filed.ticketId, number: filed.number, slot: { ...slot, booked: slot.booked + 1 } };
}
