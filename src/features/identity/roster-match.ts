/**
 * The person on the roster a binding request probably is: exactly one resident of the community
 * with the request's phone and the same name. `linli approve` without a household binds to them;
 * the staff chat's post names their household; a phone reveal is scoped to it.
 */
import type { Tx } from '../../db/prisma-types.js';
import { sameName } from './person-names.js';

export interface RosterMatch {
  residentId: string;
  /** null for a person on the roster without a household (staff who live elsewhere). */
  household: { id: string; areaId: string; code: string; address: string } | null;
}

/** The one resident with this phone and name; null for none, or for more than one. */
export async function rosterMatch(tx: Tx, communityId: string, request: { name: string; phone: string }): Promise<RosterMatch | null> {
  const matches = await tx.resident.findMany({
    where: { communityId, phone: request.phone },
    select: { id: true, name: true, household: { select: { id: true, areaId: true, code: true, address: true } } },
  });
  const named = matches.filter((resident) => sameName(resident.name, request.name));
  if (named.length !== 1) return null;
  return { residentId: named[0]!.id, household: named[0]!.household };
}
