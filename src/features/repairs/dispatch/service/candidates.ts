/**
 * The service team as dispatch sees it for one job at one moment (rules/eligibility.ts decides):
 * each current `service_team` role holder with their skills, their terms (`ServiceMember`: areas,
 * hours, away — none written yet means the whole community, any time), the jobs in their hands,
 * whether they are answering an offer of another job, when they were last free, and whether this
 * job was offered to them before. Five reads, whatever the team's size.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import { activeRoleWhere } from '../../../tickets/scheduling/staff-directory.js';
import type { Candidate } from '../rules/eligibility.js';
import { readWeeklyHours } from '../rules/working-hours.js';

/** Statuses in which a member holds a job. */
export const HELD_STATUSES = ['accepted', 'on_the_way'] as const;

export async function loadCandidates(tx: Tx, communityId: string, workOrderId: string | null, now: Date): Promise<Candidate[]> {
  const roles = await tx.roleAssignment.findMany({
    where: { communityId, role: 'service_team', ...activeRoleWhere(now), resident: { chatAccounts: { some: { unreachableAt: null } } } },
    select: { residentId: true, skills: true },
  });
  const skills = new Map<string, Set<string>>();
  for (const role of roles) {
    const held = skills.get(role.residentId) ?? new Set<string>();
    for (const skill of role.skills) held.add(skill);
    skills.set(role.residentId, held);
  }
  const ids = [...skills.keys()];
  if (ids.length === 0) return [];
  const terms = await tx.serviceMember.findMany({ where: { residentId: { in: ids } }, select: { residentId: true, areaIds: true, hours: true, awaySince: true } });
  const held = await tx.workOrder.groupBy({ by: ['memberId'], where: { memberId: { in: ids }, status: { in: [...HELD_STATUSES] } }, _count: { _all: true } });
  const lastDone = await tx.workOrder.groupBy({ by: ['memberId'], where: { memberId: { in: ids }, doneAt: { not: null } }, _max: { doneAt: true } });
  const offers = await tx.dispatchOffer.findMany({
    where: { memberId: { in: ids }, OR: [{ status: 'open' }, ...(workOrderId ? [{ workOrderId }] : [])] },
    select: { memberId: true, workOrderId: true, status: true },
  });
  const termsOf = new Map(terms.map((t) => [t.residentId, t]));
  const heldOf = new Map(held.map((h) => [h.memberId, h._count._all]));
  const doneOf = new Map(lastDone.map((d) => [d.memberId, d._max.doneAt]));
  return ids.map((residentId) => {
    const term = termsOf.get(residentId);
    return {
      residentId,
      skills: [...skills.get(residentId)!],
      areaIds: term?.areaIds ?? [],
      // Hours stored in a shape we cannot read count as none: the member is not kept from work by a typo.
      hours: readWeeklyHours(term?.hours) ?? {},
      away: term?.awaySince != null,
      jobsInHand: heldOf.get(residentId) ?? 0,
      answeringAnotherOffer: offers.some((o) => o.memberId === residentId && o.status === 'open' && o.workOrderId !== workOrderId),
      freeSince: doneOf.get(residentId) ?? null,
      offeredThisJobBefore: workOrderId !== null && offers.some((o) => o.memberId === residentId && o.workOrderId === workOrderId),
    };
  });
}
