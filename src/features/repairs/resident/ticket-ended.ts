/**
 * A repair's ticket that ends without the work — the resident withdraws it in "我的工单", or staff
 * merge it into another repair of the same thing — ends its work order too: `cancelled` under the
 * row's version and `work_order.changed` kind `cancel` in the same transaction, so dispatch
 * withdraws its offers and timers and no member is sent to a job nobody wants. The resident is not
 * told of a withdrawal they made themselves (their chat answered it); a merge they are told by the
 * ticket's own notice.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { EventPublisher, EventSubscriber } from '../../../events/index.js';
import type { TicketChange } from '../../tickets/service/ticket-change.js';
import { clockOf } from '../../tickets/service/ticket-service-deps.js';
import { isWorkOrderStatus, nextStatus } from '../rules/work-order-state.js';
import '../work-order-events.js';

/** Ticket event kinds that end a ticket without the work being done. */
const ENDING_EVENTS: ReadonlySet<string> = new Set(['withdrawn', 'merged']);

export function listenForEndedTickets(events: EventSubscriber & EventPublisher, deps: { now?: () => Date }): void {
  events.on('ticket.changed', (tx, change) => cancelWithTicket(tx, events, deps, change));
}

export async function cancelWithTicket(tx: Tx, events: EventPublisher, deps: { now?: () => Date }, change: TicketChange): Promise<void> {
  if (!ENDING_EVENTS.has(change.kind)) return;
  const order = await tx.workOrder.findFirst({ where: { ticketId: change.ticketId, communityId: change.communityId }, select: { id: true, status: true, version: true, memberId: true } });
  if (!order || !isWorkOrderStatus(order.status)) return;
  const next = nextStatus(order.status, 'cancel');
  if (!next) return;
  const moved = await tx.workOrder.updateMany({ where: { id: order.id, version: order.version }, data: { status: next, cancelledAt: clockOf(deps), version: { increment: 1 } } });
  if (moved.count !== 1) throw new Error('work order changed while its ticket ended');
  const event = await tx.ticketEvent.findUnique({ where: { id: change.eventId }, select: { actorId: true } });
  await events.publish(tx, 'work_order.changed', {
    communityId: change.communityId,
    workOrderId: order.id,
    ticketId: change.ticketId,
    kind: 'cancel',
    ...(order.memberId ? { memberId: order.memberId } : {}),
    ...(event?.actorId ? { actorId: event.actorId } : {}),
  });
}
