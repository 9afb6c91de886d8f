/**
 * `household.view` as a filter, for lists (the roster search, the request page's search): which
 * households an actor may see, as a Prisma where-clause. It states the rule of `rules.ts` again —
 * committee and admins every household, stewards and councils their areas' subtrees, anyone
 * their own household — and the tests check it against `can()` on what is returned and on what
 * is not, so a list never shows what opening the household would refuse.
 */
import type { Prisma, Tx } from '../../db/prisma-types.js';
import type { Actor } from '../../features/policy/actor.js';
import { areaSubtree } from '../../features/policy/area-ancestry.js';
import { viewOf } from '../../features/policy/grants.js';

/** Households the actor may view in `communityId`; null when none at all. */
export async function householdViewWhere(db: Tx, actor: Actor, communityId: string, now: Date): Promise<Prisma.HouseholdWhereInput | null> {
  const view = viewOf(actor, now);
  if (view.communityId !== null && view.communityId !== communityId) return null;
  if (view.kind === 'visitor') return null;
  if (view.roles.some((held) => held.role === 'committee' || held.role === 'admin')) return { communityId };
  const roots = view.roles
    .filter((held) => (held.role === 'steward' || held.role === 'council') && held.areaId !== null)
    .map((held) => held.areaId!);
  const areaIds = await areaSubtree(db, [...new Set(roots)]);
  const either: Prisma.HouseholdWhereInput[] = [];
  if (areaIds.length > 0) either.push({ areaId: { in: areaIds } });
  if (view.residentId !== null && view.householdId !== null) either.push({ id: view.householdId });
  if (either.length === 0) return null;
  return { communityId, OR: either };
}
