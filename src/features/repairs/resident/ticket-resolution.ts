/**
 * A repair's ticket follows its work: the work done resolves it (by the member who did it, with
 * what they did, in the change's transaction), so the staff's resolution clock stops while the
 * resident looks at the work, and the resident's answer maps onto the ticket's own rules — "not
 * fixed" is a message that reopens it within the reopen window (rules/transition.ts), and the
 * rating is the ticket's rating of that resolution. The resident is told by the repair's own
 * "done" notice, with its fixed / not-fixed buttons: the ticket's resolution notice and rating
 * question are not sent (`residentAnsweredInChat`); the rating is asked when the resident says
 * "fixed", or by the clock when they do not answer (answer-timer.ts).
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { EventSubscriber } from '../../../events/index.js';
import { applyTicketAction, clockOf, type TicketServiceDeps } from '../../tickets/service/index.js';
import '../work-order-events.js';

export function listenForDoneWork(events: EventSubscriber, deps: TicketServiceDeps): void {
  events.on('work_order.changed', async (tx, change) => {
    if (change.kind === 'done') await resolveForDoneWork(tx, deps, change.communityId, change.workOrderId);
  });
}

/**
 * Resolves the ticket of a work order that is done, if it is still open (a ticket already resolved
 * or ended is left as it is). Returns the ticket's resolution count after it, or null when it
 * was not resolved here.
 */
export async function resolveForDoneWork(tx: Tx, deps: TicketServiceDeps, communityId: string, workOrderId: string): Promise<number | null> {
  const order = await tx.workOrder.findFirst({
    where: { id: workOrderId, communityId },
    select: { id: true, status: true, memberId: true, workDone: true, ticket: { select: { id: true, status: true, assigneeId: true } } },
  });
  if (!order || (order.ticket.status !== 'new' && order.ticket.status !== 'in_progress')) return null;
  // The resolution, and its rating, are about whoever did the work: the member, else whoever holds it.
  const doer = order.memberId ?? order.ticket.assigneeId;
  if (!doer) return null;
  const resolved = await applyTicketAction(tx, deps, {
    ticketId: order.ticket.id,
    communityId,
    action: { type: 'resolve', actor: { kind: 'staff', staffId: doer }, at: clockOf(deps) },
    text: order.workDone,
    details: { workOrderId: order.id },
    residentAnsweredInChat: true,
  });
  return resolved.ok ? resolved.ticket.resolutionCount : null;
}
