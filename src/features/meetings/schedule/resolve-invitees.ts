/**
 * The residents a meeting's audience names, read from the roster now: holders of a current role
 * (`group_head`: the ten-household heads), members of households in the areas (and everything
 * under them) or in the groups, or everyone. Kept to this one file so that the notices' own
 * audience resolution can take its place once both are on main.
 */
import type { Prisma, Tx } from '../../../db/prisma-types.js';
import { areaSubtree } from '../../policy/area-ancestry.js';
import type { MeetingAudience } from '../rules/audience.js';

/** The pseudo-role naming the heads of ten-household groups. */
export const GROUP_HEAD = 'group_head';

export async function resolveInvitees(tx: Tx, communityId: string, audience: MeetingAudience, now: Date): Promise<string[]> {
  if (audience.everyone) {
    const everyone = await tx.resident.findMany({ where: { communityId }, select: { id: true } });
    return everyone.map(({ id }) => id);
  }
  const found = new Set<string>();
  const roles = (audience.roles ?? []).filter((role) => role !== GROUP_HEAD);
  if (roles.length > 0) {
    const holders = await tx.roleAssignment.findMany({
      where: { communityId, role: { in: roles }, startsOn: { lte: now }, OR: [{ endsOn: null }, { endsOn: { gt: now } }] },
      select: { residentId: true },
    });
    for (const { residentId } of holders) found.add(residentId);
  }
  if (audience.roles?.includes(GROUP_HEAD)) {
    const heads = await tx.householdGroup.findMany({ where: { communityId, headId: { not: null } }, select: { headId: true } });
    for (const { headId } of heads) if (headId) found.add(headId);
  }
  const households: Prisma.HouseholdWhereInput[] = [];
  if (audience.areaIds?.length) households.push({ areaId: { in: await areaSubtree(tx, audience.areaIds) } });
  if (audience.groupIds?.length) households.push({ groupId: { in: audience.groupIds } });
  if (households.length > 0) {
    const members = await tx.resident.findMany({ where: { communityId, household: { OR: households } }, select: { id: true } });
    for (const { id } of members) found.add(id);
  }
  return [...found];
}
