/**
 * Sending done work back to the member who did it ("not fixed"): the work order `done → accepted`
 * with the same member under its version (`returns` + 1, no longer done) and `work_order.changed`
 * kind `not_fixed` for dispatch to tell that member — the resident's words are the ticket's
 * latest `resident_message`. Whatever way the resident says it: the repair's own "not fixed", or
 * a message that reopens the repair's ticket in "我的工单" (the ticket was resolved when the work
 * was done), which this hears on `ticket.changed`.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { EventPublisher, EventSubscriber } from '../../../events/index.js';
import type { TicketChange } from '../../tickets/service/ticket-change.js';
import { nextStatus } from '../rules/work-order-state.js';
import '../work-order-events.js';

/** True when the work order was done and is now back with its member. */
export async function sendBackDoneWork(tx: Tx, events: EventPublisher, input: { communityId: string; ticketId: string; actorId: string | null }): Promise<boolean> {
  const order = await tx.workOrder.findFirst({ where: { ticketId: input.ticketId, communityId: input.communityId }, select: { id: true, status: true, version: true, memberId: true } });
  if (!order || order.status !== 'done') return false;
  const moved = await tx.workOrder.updateMany({
    where: { id: order.id, version: order.version, status: 'done' },
    data: { status: nextStatus('done', 'not_fixed')!, doneAt: null, returns: { increment: 1 }, version: { increment: 1 } },
  });
  // Read as done in this very transaction: only another process's change can get here, and the
  // words must not stay without the job going back.
  if (moved.count !== 1) throw new Error('work order changed while being sent back');
  await events.publish(tx, 'work_order.changed', {
    communityId: input.communityId,
    workOrderId: order.id,
    ticketId: input.ticketId,
    kind: 'not_fixed',
    ...(input.actorId ? { actorId: input.actorId } : {}),
    ...(order.memberId ? { memberId: order.memberId } : {}),
  });
  return true;
}

/** A resident's message that reopened a repair's ticket sends its done work back. */
export function listenForReopenedRepairs(events: EventSubscriber & EventPublisher): void {
  events.on('ticket.changed', async (tx, change) => {
    if (!isReopeningMessage(change)) return;
    const event = await tx.ticketEvent.findUnique({ where: { id: change.eventId }, select: { actorId: true } });
    await sendBackDoneWork(tx, events, { communityId: change.communityId, ticketId: change.ticketId, actorId: event?.actorId ?? null });
  });
}

/** The resident's message that reopened a resolved ticket (its clocks start again). */
function isReopeningMessage(change: TicketChange): boolean {
  return change.kind === 'resident_message' && (change.effects ?? []).includes('schedule_deadlines');
}
