/**
 * What the roster says right now, for a sitting's roll and a petition's thresholds: the current
 * representatives (roles within their term, docs/domain.md rule 9), residents 18 and over by birth
 * year in the community's time zone, households and resident groups.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import { currentTermWhere } from '../../../policy/terms.js';
import { isAdultBy, type PetitionCounts } from '../rules/petition-thresholds.js';

/** The year `now` falls in, in `timezone`. */
export function yearIn(now: Date, timezone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: timezone, year: 'numeric' }).format(now));
}

export async function representativeIds(tx: Tx, communityId: string, now: Date): Promise<Set<string>> {
  const roles = await tx.roleAssignment.findMany({
    where: { communityId, role: 'representative', ...currentTermWhere(now) },
    select: { residentId: true },
  });
  return new Set(roles.map((r) => r.residentId));
}

export async function rosterTotals(tx: Tx, communityId: string, now: Date, timezone: string): Promise<PetitionCounts> {
  const adultBefore = yearIn(now, timezone) - 18;
  const [representatives, adults, households, groups] = await Promise.all([
    representativeIds(tx, communityId, now).then((ids) => ids.size),
    tx.resident.count({ where: { communityId, householdId: { not: null }, birthYear: { lte: adultBefore } } }),
    tx.household.count({ where: { communityId } }),
    tx.householdGroup.count({ where: { communityId } }),
  ]);
  return { representatives, adults, households, groups };
}

/** What one signer counts for, when they sign. */
export interface SignerFacts {
  isRepresentative: boolean;
  isAdult: boolean;
  householdId: string | null;
  groupId: string | null;
}

export async function signerFacts(tx: Tx, residentId: string, now: Date, timezone: string): Promise<SignerFacts> {
  const resident = await tx.resident.findUniqueOrThrow({
    where: { id: residentId },
    select: { communityId: true, birthYear: true, householdId: true, household: { select: { groupId: true } } },
  });
  const representatives = await representativeIds(tx, resident.communityId, now);
  return {
    isRepresentative: representatives.has(residentId),
    // Only a member of a household counts among the residents (staff living elsewhere do not).
    isAdult: resident.householdId !== null && isAdultBy(resident.birthYear, yearIn(now, timezone)),
    householdId: resident.householdId,
    groupId: resident.household?.groupId ?? null,
  };
}
