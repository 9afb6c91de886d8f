/**
 * `binding.approve` as a filter, for the request list: which requests an actor may decide. A
 * request lives where the roster says its person probably lives (`rosterMatch`: the one resident
 * with its name and phone) — the same place approving without a household, and revealing its
 * phone, are scoped to. Committee and admins decide every request; stewards and councils those
 * whose likely household is in their areas' subtrees; a request nobody on the roster matches
 * only staff of the whole community. The tests check this against `can()` both ways.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { Actor } from '../../features/policy/actor.js';
import { areaSubtree } from '../../features/policy/area-ancestry.js';
import { viewOf } from '../../features/policy/grants.js';
import { sameName } from '../../features/identity/person-names.js';

export type RequestScope =
  | { kind: 'all' }
  /** Areas (the roles' areas and everything below them) whose households' requests the actor decides. */
  | { kind: 'areas'; areaIds: ReadonlySet<string> }
  | { kind: 'none' };

/** The requests `actor` may decide in `communityId` at `now`. */
export async function requestDecideScope(db: Tx, actor: Actor, communityId: string, now: Date): Promise<RequestScope> {
  const view = viewOf(actor, now);
  if (view.communityId !== null && view.communityId !== communityId) return { kind: 'none' };
  if (view.kind === 'visitor') return { kind: 'none' };
  if (view.roles.some((held) => held.role === 'committee' || held.role === 'admin')) return { kind: 'all' };
  const roots = view.roles
    .filter((held) => (held.role === 'steward' || held.role === 'council') && held.areaId !== null)
    .map((held) => held.areaId!);
  const areaIds = await areaSubtree(db, [...new Set(roots)]);
  return areaIds.length > 0 ? { kind: 'areas', areaIds: new Set(areaIds) } : { kind: 'none' };
}

/** The household a request's person probably lives in. */
export interface LikelyHousehold {
  residentId: string;
  householdCode: string;
  address: string;
  areaId: string;
  areaPath: string;
}

/**
 * `rosterMatch` for many requests in one query: for each, the one resident of the community with
 * its phone and the same name, and their household (null: none, several, or one without a household).
 */
export async function likelyHouseholds(
  db: Tx,
  communityId: string,
  requests: readonly { number: number; name: string; phone: string }[],
): Promise<Map<number, LikelyHousehold | null>> {
  const phones = [...new Set(requests.map((request) => request.phone))];
  const residents =
    phones.length === 0
      ? []
      : await db.resident.findMany({
          where: { communityId, phone: { in: phones } },
          select: { id: true, name: true, phone: true, household: { select: { code: true, address: true, areaId: true, area: { select: { path: true } } } } },
        });
  const found = new Map<number, LikelyHousehold | null>();
  for (const request of requests) {
    const named = residents.filter((resident) => resident.phone === request.phone && sameName(resident.name, request.name));
    const only = named.length === 1 ? named[0]! : null;
    found.set(
      request.number,
      only?.household
        ? { residentId: only.id, householdCode: only.household.code, address: only.household.address, areaId: only.household.areaId, areaPath: only.household.area.path }
        : null,
    );
  }
  return found;
}

/** Whether a request whose likely household is `likely` is in the scope. */
export function inRequestScope(scope: RequestScope, likely: LikelyHousehold | null): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  return likely !== null && scope.areaIds.has(likely.areaId);
}
