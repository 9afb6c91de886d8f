/**
 * A repair filed in a running app as the resident side files it: a ticket of kind `repair`
 * through the ticket service, its work order, and `work_order.changed` `filed` on the app's bus —
 * one transaction, its messages and jobs after commit.
 */
import type { App } from '../../../../src/app.js';
import { finishCommitted, transactionWithAfterCommit } from '../../../../src/db/after-commit.js';
import { ticketServiceOf } from '../../../../src/features/tickets/module.js';
import { loadActor } from '../../../../src/features/policy/load-actor.js';
import { fileTicket } from '../../../../src/features/tickets/service/file-ticket.js';
import { skillFor, type RepairKind } from '../../../../src/features/repairs/rules/repair-kinds.js';

export async function fileRepairIn(
  app: App,
  reporterId: string,
  options: { job?: RepairKind; emergency?: boolean; priority?: boolean; homeWindows?: { from: string; to: string }[] } = {},
): Promise<{ workOrderId: string; ticketId: string; number: string }> {
  const job = options.job ?? 'water_leak';
  const prisma = app.database.prisma;
  const committed = await transactionWithAfterCommit(prisma, async (tx) => {
    const actor = await loadActor(tx, { residentId: reporterId });
    if (actor?.kind !== 'person') throw new Error('the reporter is not a person');
    const filed = await fileTicket(tx, ticketServiceOf(app), { communityId: app.communityId, actor, kind: 'repair', category: 'other', description: '厨房水管漏水了', filerAnsweredInChat: true });
    const order = await tx.workOrder.create({
      data: { communityId: app.communityId, ticketId: filed.ticketId, job, skill: skillFor(job), emergency: options.emergency ?? false, priority: options.priority ?? false, homeWindows: options.homeWindows ?? [] },
      select: { id: true },
    });
    await app.events.publish(tx, 'work_order.changed', { communityId: app.communityId, workOrderId: order.id, ticketId: filed.ticketId, kind: 'filed', actorId: reporterId });
    return { workOrderId: order.id, ticketId: filed.ticketId, number: filed.number, rows: filed.rows };
  });
  await finishCommitted(committed, app.outbox, committed.value.rows);
  const { workOrderId, ticketId, number } = committed.value;
  return { workOrderId, ticketId, number };
}
