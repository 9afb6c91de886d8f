/**
 * What a staff page shows of a repair ticket's job: its dispatch history, the moves the viewer may
 * make now (the policy's `job.dispatch` and the job's status both, so no button leads only to a
 * refusal) and the service team by name, to reassign to or to name as the one taking over.
 * Null for a ticket that is no repair job.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import type { Actor } from '../../../policy/actor.js';
import { can } from '../../../policy/policy.js';
import { activeRoleWhere } from '../../../tickets/scheduling/staff-directory.js';
import { nextStatus } from '../../rules/work-order-state.js';
import { dispatchHistoryOfTicket, type DispatchHistory } from './dispatch-history.js';
import { loadJob } from './job-facts.js';
import { jobSubject } from './job-subject.js';
import type { StaffDispatchMove } from './staff-dispatch.js';

export const STAFF_DISPATCH_MOVES: readonly StaffDispatchMove[] = ['reassign', 'take_over', 'cancel'];

export interface StaffJobView {
  history: DispatchHistory;
  allowed: Record<StaffDispatchMove, boolean>;
  team: { residentId: string; name: string }[];
}

export async function loadStaffJob(tx: Tx, ticketId: string, actor: Actor, now: Date): Promise<StaffJobView | null> {
  const history = await dispatchHistoryOfTicket(tx, ticketId);
  if (!history) return null;
  const job = (await loadJob(tx, history.workOrderId))!;
  const mayDispatch = can(actor, 'job.dispatch', await jobSubject(tx, job), { now });
  const allowed = Object.fromEntries(STAFF_DISPATCH_MOVES.map((move) => [move, mayDispatch && nextStatus(job.status, move) !== null])) as Record<StaffDispatchMove, boolean>;
  const team = await tx.resident.findMany({
    where: { communityId: job.communityId, roles: { some: { role: 'service_team', ...activeRoleWhere(now) } } },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true },
  });
  return { history, allowed, team: team.map((member) => ({ residentId: member.id, name: member.name })) };
}
