/**
 * A job's dispatch history for staff (the staff chat's `/dispatch`, the console's ticket page):
 * the job's state and holder, then every offer — to whom, when, how it ended. Names are the
 * members' own (staff see the team by name, as they see each other).
 */
import type { Tx } from '../../../../db/prisma-types.js';

export interface DispatchHistory {
  workOrderId: string;
  status: string;
  emergency: boolean;
  priority: boolean;
  holder: string | null;
  offers: { memberName: string; status: string; offeredAt: Date; expiresAt: Date; answeredAt: Date | null }[];
}

/** The history of the ticket's work order; null when the ticket has none (not a repair). */
export async function dispatchHistoryOfTicket(tx: Tx, ticketId: string): Promise<DispatchHistory | null> {
  const order = await tx.workOrder.findUnique({
    where: { ticketId },
    select: {
      id: true,
      status: true,
      emergency: true,
      priority: true,
      member: { select: { name: true } },
      offers: { orderBy: [{ offeredAt: 'asc' }, { id: 'asc' }], select: { status: true, offeredAt: true, expiresAt: true, answeredAt: true, member: { select: { name: true } } } },
    },
  });
  if (!order) return null;
  return {
    workOrderId: order.id,
    status: order.status,
    emergency: order.emergency,
    priority: order.priority,
    holder: order.member?.name ?? null,
    offers: order.offers.map((offer) => ({ memberName: offer.member.name, status: offer.status, offeredAt: offer.offeredAt, expiresAt: offer.expiresAt, answeredAt: offer.answeredAt })),
  };
}
