/**
 * The community's roster as the database holds it, loaded in four queries (areas, groups,
 * households, household members) so an import can compare a whole file in memory.
 */
import type { Tx } from '../../../db/prisma-types.js';

export interface StoredArea {
  id: string;
  path: string;
  parentId: string | null;
  name: string;
  depth: number;
}

export interface StoredGroup {
  id: string;
  code: string;
  headId: string | null;
}

export interface StoredHousehold {
  id: string;
  code: string;
  address: string;
  areaId: string;
  flags: string[];
  groupId: string | null;
}

export interface StoredResident {
  id: string;
  householdId: string;
  name: string;
  phone: string | null;
  birthYear: number | null;
  locale: string | null;
  position: number;
}

export interface StoredRoster {
  areas: StoredArea[];
  groups: StoredGroup[];
  households: StoredHousehold[];
  /** Household members only: staff who live elsewhere are no part of a roster. */
  residents: StoredResident[];
}

/** Loads everything a roster import compares with. */
export async function loadStoredRoster(tx: Tx, communityId: string): Promise<StoredRoster> {
  const areas = await tx.area.findMany({
    where: { communityId },
    select: { id: true, path: true, parentId: true, name: true, depth: true },
  });
  const groups = await tx.householdGroup.findMany({ where: { communityId }, select: { id: true, code: true, headId: true } });
  const stored = await tx.household.findMany({
    where: { communityId },
    select: { id: true, code: true, address: true, areaId: true, flags: true, groupId: true },
  });
  // The column allows NULL (rows written by other tools); a roster compares it as no flags.
  const households = stored.map((h) => ({ ...h, flags: h.flags ?? [] }));
  const members = await tx.resident.findMany({
    where: { communityId, householdId: { not: null } },
    select: { id: true, householdId: true, name: true, phone: true, birthYear: true, locale: true, position: true },
  });
  const residents: StoredResident[] = [];
  for (const member of members) if (member.householdId !== null) residents.push({ ...member, householdId: member.householdId });
  return { areas, groups, households, residents };
}
