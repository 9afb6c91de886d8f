/**
 * Who gets a new (or re-routed) ticket, from the roster: the rules' `routeTicket` fed with the
 * area's ancestry, the stewards and override-role holders by area, and the committee — each
 * ordered by who took the role first (the earlier term leads), only roles in their current term.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import { currentTermWhere } from '../../policy/terms.js';
import type { TicketCategory } from '../rules/categories.js';
import { routeTicket, type HoldersByArea, type Route } from '../rules/routing.js';

export interface RouteInput {
  communityId: string;
  /** The ticket's area; null = no area known (routes to community-wide holders, then the committee). */
  areaId: string | null;
  category: TicketCategory;
  /** Never route to these (the reporter). */
  exclude?: readonly string[];
  now: Date;
}

/** The first handler of a ticket in `areaId` of `category`. */
export async function routeForArea(tx: Tx, input: RouteInput): Promise<Route & { areaAncestry: string[] }> {
  const ancestry = input.areaId ? await areaAncestry(tx, input.areaId) : [];
  const roles = ['steward', 'committee', ...(input.category.routeToRole ? [input.category.routeToRole] : [])];
  const held = await tx.roleAssignment.findMany({
    where: { communityId: input.communityId, role: { in: roles }, ...currentTermWhere(input.now) },
    select: { residentId: true, role: true, areaId: true },
    orderBy: [{ startsOn: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
  });
  const byArea = (role: string): HoldersByArea => {
    const out: Record<string, string[]> = {};
    for (const row of held) {
      if (row.role !== role || row.areaId === null || !ancestry.includes(row.areaId)) continue;
      const list = (out[row.areaId] ??= []);
      if (!list.includes(row.residentId)) list.push(row.residentId);
    }
    return out;
  };
  const communityWide = (role: string) => [...new Set(held.filter((row) => row.role === role && row.areaId === null).map((row) => row.residentId))];
  const override = input.category.routeToRole;
  const route = routeTicket({
    areaAncestry: ancestry,
    stewardsByArea: byArea('steward'),
    overrideRole: override,
    ...(override ? { overrideHoldersByArea: byArea(override), overrideCommunityHolders: communityWide(override) } : {}),
    committee: [...new Set(held.filter((row) => row.role === 'committee').map((row) => row.residentId))],
    exclude: input.exclude ?? [],
  });
  return { ...route, areaAncestry: ancestry };
}
