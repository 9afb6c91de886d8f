/**
 * Tells the resident each change of their repair, in their own chat and language, inside the
 * change's transaction (the message exists exactly when the change does; it goes out after
 * commit): listens to `work_order.changed` from dispatch and staff. The "done" notice says what
 * was done, the materials and the fee (or that it is free), with the after photos, and carries two
 * buttons — fixed / not fixed — that open the resident's answer (flows/repair_confirm.yaml,
 * flows/repair_not_fixed.yaml); on a channel without buttons they are numbered replies and the
 * text names the words to type.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { EventSubscriber } from '../../../events/index.js';
import { clockOf, loadTicketSettings, writeTicketNotice, type TicketServiceDeps } from '../../tickets/service/index.js';
import { wasFiledIn } from '../filing/filed-in-transaction.js';
import { loadRepairSettings } from '../repair-settings-store.js';
import { RepairWords } from '../repair-words.js';
import { feeToTell } from '../rules/priority.js';
import { readMaterials, residentNoticeFor, workerSurname, type ResidentNotice } from '../rules/resident-notices.js';
import type { WorkOrderChange } from '../work-order-events.js';

const NOTICE_KEYS: Readonly<Record<ResidentNotice, string>> = {
  offered: 'repairs.notice.offered',
  accepted: 'repairs.notice.accepted',
  on_the_way: 'repairs.notice.on_the_way',
  done: 'repairs.notice.done',
  unassigned: 'repairs.notice.unassigned',
  cancelled: 'repairs.notice.cancelled',
  released: 'repairs.notice.released',
  reassigned: 'repairs.notice.reassigned',
};

export function listenForWorkOrderChanges(events: EventSubscriber, deps: TicketServiceDeps): void {
  events.on('work_order.changed', (tx, change) => tellResident(tx, deps, change));
}

/** Writes the notice for one change, if the resident is told of it (see rules/resident-notices.ts). */
export async function tellResident(tx: Tx, deps: TicketServiceDeps, change: WorkOrderChange): Promise<void> {
  const notice = residentNoticeFor(change.kind);
  if (!notice) return;
  // Within the filing's own transaction the filing's reply says where it stands ("arranging a
  // worker" counts as being told of the first offer).
  if (wasFiledIn(tx, change.workOrderId)) {
    if (notice === 'offered') await markOfferTold(tx, deps, change.workOrderId);
    return;
  }
  const order = await tx.workOrder.findFirst({
    where: { id: change.workOrderId, communityId: change.communityId },
    select: {
      id: true,
      priority: true,
      expectedBy: true,
      acceptedAt: true,
      workDone: true,
      materials: true,
      feeCents: true,
      afterPhotos: true,
      member: { select: { name: true } },
      ticket: { select: { id: true, number: true, reporterId: true, filedById: true } },
    },
  });
  if (!order) return;
  const recipient = order.ticket.reporterId ?? order.ticket.filedById;
  // Nobody is told of what they did themselves (a withdrawal answered in their own chat).
  if (!recipient || change.actorId === recipient) return;
  // "Someone is being asked" once per job: the first offer's change marks it (a guarded update,
  // so an emergency offered to everyone at once, or a decline and the next offer, say nothing more).
  if (notice === 'offered' && !(await markOfferTold(tx, deps, order.id))) return;
  // One after the other: a transaction is one connection, which runs one statement at a time.
  const settings = await loadTicketSettings(tx, change.communityId);
  const repairSettings = await loadRepairSettings(tx, change.communityId);
  const number = order.ticket.number;
  const done = notice === 'done';
  await writeTicketNotice(tx, deps, settings, {
    residentId: recipient,
    ticketId: order.ticket.id,
    key: NOTICE_KEYS[notice],
    vars: (ticketWords) => {
      const w = RepairWords.from(ticketWords, settings.timezone);
      const vars: Record<string, string> = {
        number,
        worker: order.member ? w.t('repairs.worker', { surname: workerSurname(order.member.name) }) : w.t('repairs.worker_unnamed'),
        expect: order.expectedBy ? w.dateTime(order.expectedBy) : '',
        at: w.dateTime(order.acceptedAt ?? clockOf(deps)),
      };
      if (done) {
        const materials = readMaterials(order.materials);
        const materialsCents = materials.reduce((sum, m) => sum + m.costCents, 0);
        const fee = feeToTell(order.feeCents, materialsCents, order.priority, repairSettings.priorityFee);
        vars['work'] = order.workDone?.trim() || w.t('repairs.notice.work_unsaid');
        vars['materials'] = materials.length > 0 ? materials.map((m) => w.t('repairs.notice.material', { name: m.name, quantity: m.quantity, cost: w.fee(m.costCents) })).join('、') : w.t('repairs.notice.no_materials');
        vars['fee'] = w.fee(fee);
      }
      return vars;
    },
    ...(done
      ? {
          commands: [
            { labelKey: 'repairs.notice.fixed_button', command: `/fixed ${number}` },
            { labelKey: 'repairs.notice.not_fixed_button', command: `/not_fixed ${number}` },
          ],
          photos: order.afterPhotos,
        }
      : {}),
  });
}

/** Marks the job's first offer as told; false when it already was (a guarded update). */
async function markOfferTold(tx: Tx, deps: TicketServiceDeps, workOrderId: string): Promise<boolean> {
  const marked = await tx.workOrder.updateMany({ where: { id: workOrderId, offerToldAt: null }, data: { offerToldAt: clockOf(deps) } });
  return marked.count === 1;
}
