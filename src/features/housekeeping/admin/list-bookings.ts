/**
 * The service's day plan for staff (`linli housekeeping bookings`): the visits booked between two
 * local dates, by time, with each booking's ticket number, service and household address
 * (committee members and admins: `booking.view_all`, a refusal audited). No names or phones:
 * staff open the ticket for those.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Actor } from '../../policy/actor.js';
import { checkAudited } from '../../policy/audited-check.js';

export interface BookingListItem {
  number: string;
  serviceCode: string;
  serviceNames: unknown;
  date: string;
  startTime: string;
  endTime: string;
  address: string | null;
  ticketStatus: string;
}

export async function listBookings(
  tx: Tx,
  input: { communityId: string; actor: Actor; from: string; to: string; now: Date },
): Promise<{ status: 'ok'; items: BookingListItem[] } | { status: 'denied' }> {
  const decision = await checkAudited(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'booking.view_all',
    subject: { communityId: input.communityId },
    target: { type: 'community', id: input.communityId },
    now: input.now,
  });
  if (!decision.allowed) return { status: 'denied' };
  const rows = await tx.housekeepingBooking.findMany({
    where: { communityId: input.communityId, status: 'booked', slot: { date: { gte: input.from, lte: input.to } } },
    orderBy: [{ slot: { startsAt: 'asc' } }, { createdAt: 'asc' }],
    select: {
      slot: { select: { date: true, startTime: true, endTime: true } },
      service: { select: { code: true, names: true } },
      ticket: { select: { number: true, status: true, household: { select: { address: true } } } },
    },
  });
  return {
    status: 'ok',
    items: rows.map((row) => ({
      number: row.ticket.number,
      serviceCode: row.service.code,
      serviceNames: row.service.names,
      date: row.slot.date,
      startTime: row.slot.startTime,
      endTime: row.slot.endTime,
      address: row.ticket.household?.address ?? null,
      ticketStatus: row.ticket.status,
    })),
  };
}
