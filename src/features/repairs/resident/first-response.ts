/**
 * A member taking the job is the repair ticket's first response: the resident has just been told
 * who is coming and by when. So the ticket records it as the member's reply — the words the
 * resident was told, in their language, without a second notice (`residentAnsweredInChat`) — which
 * moves it to in progress and stops the first-response clock; otherwise the steward would be
 * reminded of every repair taken within minutes. Only the first time: a later taking (after a
 * reassignment) is no first response.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { EventSubscriber } from '../../../events/index.js';
import { applyTicketAction, clockOf, loadTicketSettings, noticeAccountOf, type TicketServiceDeps } from '../../tickets/service/index.js';
import { RepairWords } from '../repair-words.js';
import { workerSurname } from '../rules/resident-notices.js';
import type { WorkOrderChange } from '../work-order-events.js';

export function listenForTakenJobs(events: EventSubscriber, deps: TicketServiceDeps): void {
  events.on('work_order.changed', (tx, change) => recordFirstResponse(tx, deps, change));
}

export async function recordFirstResponse(tx: Tx, deps: TicketServiceDeps, change: WorkOrderChange): Promise<void> {
  if (change.kind !== 'accept' && change.kind !== 'take_over') return;
  const order = await tx.workOrder.findFirst({
    where: { id: change.workOrderId, communityId: change.communityId },
    select: {
      id: true,
      memberId: true,
      expectedBy: true,
      member: { select: { name: true } },
      ticket: { select: { id: true, firstRespondedAt: true, reporterId: true, filedById: true, community: { select: { defaultLocale: true } } } },
    },
  });
  if (!order?.memberId || !order.member || order.ticket.firstRespondedAt) return;
  const recipient = order.ticket.reporterId ?? order.ticket.filedById;
  const locale = (recipient ? (await noticeAccountOf(tx, recipient))?.locale : null) ?? order.ticket.community.defaultLocale;
  const w = new RepairWords(deps.translator, locale, (await loadTicketSettings(tx, change.communityId)).timezone);
  const text = w.t('repairs.ticket_reply.taken', {
    worker: w.t('repairs.worker', { surname: workerSurname(order.member.name) }),
    expect: order.expectedBy ? w.dateTime(order.expectedBy) : '',
  });
  // A ticket that no longer takes a reply (withdrawn meanwhile) is left as it is.
  await applyTicketAction(tx, deps, {
    ticketId: order.ticket.id,
    communityId: change.communityId,
    action: { type: 'reply', actor: { kind: 'staff', staffId: order.memberId }, at: clockOf(deps) },
    text,
    details: { workOrderId: order.id },
    residentAnsweredInChat: true,
  });
}
