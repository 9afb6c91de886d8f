/**
 * A service-team member's terms as an admin sets them (`linli team terms`): the areas they cover
 * and their working hours, beside the skills their role carries. The policy's `staff.manage` (who
 * gives roles gives their terms), refusals and changes audited, in the caller's transaction.
 * `listTeam` reads the team as it is now: skills, areas by path, hours, away.
 */
import type { Prisma, Tx } from '../../../../db/prisma-types.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { checkAudited } from '../../../policy/audited-check.js';
import type { DenialReason } from '../../../policy/denials.js';
import { activeRoleWhere } from '../../../tickets/scheduling/staff-directory.js';
import { readWeeklyHours, type WeeklyHours } from '../rules/working-hours.js';

export interface TeamMember {
  residentId: string;
  name: string;
  skills: string[];
  areaPaths: string[];
  hours: WeeklyHours;
  away: boolean;
}

export async function listTeam(tx: Tx, communityId: string, now: Date): Promise<TeamMember[]> {
  const members = await tx.resident.findMany({
    where: { communityId, roles: { some: { role: 'service_team', ...activeRoleWhere(now) } } },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, roles: { where: { role: 'service_team', ...activeRoleWhere(now) }, select: { skills: true } } },
  });
  const terms = await tx.serviceMember.findMany({ where: { residentId: { in: members.map((m) => m.id) } } });
  const areaIds = [...new Set(terms.flatMap((t) => t.areaIds))];
  const areas = await tx.area.findMany({ where: { id: { in: areaIds } }, select: { id: true, path: true } });
  const pathOf = new Map(areas.map((a) => [a.id, a.path]));
  const termsOf = new Map(terms.map((t) => [t.residentId, t]));
  return members.map((member) => {
    const term = termsOf.get(member.id);
    return {
      residentId: member.id,
      name: member.name,
      skills: [...new Set(member.roles.flatMap((role) => role.skills))],
      areaPaths: (term?.areaIds ?? []).map((id) => pathOf.get(id) ?? id),
      hours: readWeeklyHours(term?.hours) ?? {},
      away: term?.awaySince != null,
    };
  });
}

export type MemberTermsOutcome = { status: 'set' } | { status: 'not_a_member' } | { status: 'denied'; reason: DenialReason };

/** Sets what is given (`areaIds: []` = the whole community, `hours: {}` = any time); leaves the rest. */
export async function setMemberTerms(
  tx: Tx,
  input: { communityId: string; actor: Actor; residentId: string; areaIds?: string[]; hours?: WeeklyHours; now: Date },
): Promise<MemberTermsOutcome> {
  const { communityId, actor, residentId, now } = input;
  const decision = await checkAudited(tx, { communityId, actor, action: 'staff.manage', subject: { communityId }, target: { type: 'service_member', id: residentId }, auditAction: 'service_member.terms', now });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  const member = await tx.resident.count({ where: { id: residentId, communityId, roles: { some: { role: 'service_team', ...activeRoleWhere(now) } } } });
  if (member === 0) return { status: 'not_a_member' };
  const data = {
    ...(input.areaIds ? { areaIds: input.areaIds } : {}),
    ...(input.hours ? { hours: input.hours as Prisma.InputJsonObject } : {}),
  };
  await tx.serviceMember.upsert({ where: { residentId }, create: { residentId, communityId, ...data }, update: data });
  await recordAudit(tx, {
    communityId,
    actor,
    action: 'service_member.terms',
    subjectType: 'service_member',
    subjectId: residentId,
    details: { areas: input.areaIds?.length ?? null, hoursSet: input.hours !== undefined },
  });
  return { status: 'set' };
}
