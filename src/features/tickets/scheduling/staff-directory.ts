/**
 * Who answers for a ticket when a deadline passes: its assignee and the steward(s) of its area,
 * nearest up the area tree (courtyard, lane, zone) — the same reading of "the area's steward" as
 * routing (rules/routing.ts).
 */
import type { Tx } from '../../../db/prisma-types.js';

/** Prisma filter for a role whose term covers `now` (`endsOn` counts up to and including it). */
export function activeRoleWhere(now: Date) {
  return { startsOn: { lte: now }, OR: [{ endsOn: null }, { endsOn: { gte: now } }] };
}

/** The stewards of the nearest area up the tree that has any, in the order they took the role. */
export async function nearestStewards(tx: Tx, communityId: string, areaId: string | null, now: Date): Promise<string[]> {
  let current = areaId;
  // An area tree is three levels deep; the bound guards against a cycle written by hand.
  for (let depth = 0; current !== null && depth < 16; depth += 1) {
    const roles = await tx.roleAssignment.findMany({
      where: { communityId, role: 'steward', areaId: current, ...activeRoleWhere(now) },
      orderBy: { startsOn: 'asc' },
      select: { residentId: true },
    });
    if (roles.length > 0) return [...new Set(roles.map((r) => r.residentId))];
    const area = await tx.area.findUnique({ where: { id: current }, select: { parentId: true } });
    current = area?.parentId ?? null;
  }
  return [];
}

/** The chat accounts (still reachable) bound to these residents. */
export async function boundAccounts(tx: Tx, communityId: string, residentIds: readonly string[]): Promise<string[]> {
  if (residentIds.length === 0) return [];
  const accounts = await tx.chatAccount.findMany({
    where: { communityId, residentId: { in: [...residentIds] }, unreachableAt: null },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
  return accounts.map((a) => a.id);
}
