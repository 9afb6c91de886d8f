/**
 * Subjects built from the community's rows, for the policy: a resident, a household, a group.
 * Features with their own tables (tickets, jobs) build theirs the same way: read the ids, then
 * `areaAncestry` of the household's area.
 */
import type { Tx } from '../../db/prisma-types.js';
import { areaAncestry, commonAncestry } from './area-ancestry.js';
import type { GroupSubject, HouseholdSubject, ResidentSubject } from './subjects.js';

/** How to look up an area's ancestry: `areaAncestry`, or a cache's `get`. */
export type AncestryLookup = (db: Tx, areaId: string) => Promise<string[]>;

/** A resident as the policy sees them; null when no such resident is in the community. */
export async function loadResidentSubject(
  db: Tx,
  communityId: string,
  residentId: string,
  ancestry: AncestryLookup = areaAncestry,
): Promise<ResidentSubject | null> {
  const resident = await db.resident.findFirst({
    where: { id: residentId, communityId },
    select: { householdId: true, household: { select: { areaId: true, groupId: true } } },
  });
  if (!resident) return null;
  return {
    communityId,
    residentId,
    householdId: resident.householdId,
    groupId: resident.household?.groupId ?? null,
    areaIds: resident.household ? await ancestry(db, resident.household.areaId) : [],
  };
}

/** A household as the policy sees it; null when no such household is in the community. */
export async function loadHouseholdSubject(
  db: Tx,
  communityId: string,
  householdId: string,
  ancestry: AncestryLookup = areaAncestry,
): Promise<HouseholdSubject | null> {
  const household = await db.household.findFirst({
    where: { id: householdId, communityId },
    select: { areaId: true, groupId: true },
  });
  if (!household) return null;
  return { communityId, householdId, groupId: household.groupId, areaIds: await ancestry(db, household.areaId) };
}

/** A household group, placed at the area holding all its households; null when no such group. */
export async function loadGroupSubject(
  db: Tx,
  communityId: string,
  groupId: string,
  ancestry: AncestryLookup = areaAncestry,
): Promise<GroupSubject | null> {
  const group = await db.householdGroup.findFirst({
    where: { id: groupId, communityId },
    select: { households: { select: { areaId: true }, distinct: ['areaId'] } },
  });
  if (!group) return null;
  // One after another: `db` may be a transaction, which runs one statement at a time.
  const ancestries: string[][] = [];
  for (const household of group.households) ancestries.push(await ancestry(db, household.areaId));
  return { communityId, groupId, areaIds: commonAncestry(ancestries) };
}
