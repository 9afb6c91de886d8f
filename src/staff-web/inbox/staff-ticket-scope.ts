/**
 * Which tickets a staff member may open in the console: `ticket.view_internal` of the policy
 * (`rules.ts`: committee and admins everything; stewards and councils their areas' subtrees; a
 * staff member a ticket is assigned to, wherever it is) stated as a filter a query can use. The
 * console shows internal notes and reporters, so it reads by this action, not by `ticket.view`
 * (which also lets residents see their own household's tickets). A test checks that the list
 * agrees with `can(actor, 'ticket.view_internal', …)` on what it shows and on what it hides.
 */
import type { Prisma, Tx } from '../../db/prisma-types.js';
import { areaSubtree } from '../../features/policy/area-ancestry.js';
import { STAFF_ROLES, viewOf } from '../../features/policy/grants.js';
import type { Actor } from '../../features/policy/actor.js';
import type { PersonActor } from '../shell/viewer.js';

/**
 * Who reads tickets as staff: a person signed in to the console, or the operator at the server's
 * shell (`linli tickets`), who is an admin of every community as in the policy.
 */
export type TicketViewer = PersonActor | Extract<Actor, { kind: 'operator' }>;

/** The tickets of one community a staff member may see. */
export type StaffTicketScope =
  | { kind: 'all' }
  /** Tickets below `areaIds`, and those assigned to `assigneeId` (a staff member's own). */
  | { kind: 'some'; areaIds: string[]; assigneeId: string | null }
  | { kind: 'none' };

/** The scope of `actor` in `communityId` at `now` (roles outside their term count for nothing). */
export function staffTicketScope(actor: TicketViewer, communityId: string, now: Date): StaffTicketScope {
  if (actor.kind === 'operator') return { kind: 'all' };
  if (actor.communityId !== communityId) return { kind: 'none' };
  const view = viewOf(actor, now);
  if (view.roles.some((held) => held.role === 'committee' || held.role === 'admin')) return { kind: 'all' };
  const areaIds = [
    ...new Set(view.roles.filter((held) => (held.role === 'steward' || held.role === 'council') && held.areaId !== null).map((held) => held.areaId!)),
  ];
  const staff = view.roles.some((held) => STAFF_ROLES.includes(held.role));
  if (areaIds.length === 0 && !staff) return { kind: 'none' };
  return { kind: 'some', areaIds, assigneeId: staff ? actor.residentId : null };
}

/** The scope as a Prisma `where` on Ticket; null when it matches nothing. One query for the area subtree. */
export async function staffTicketWhere(db: Tx, communityId: string, scope: StaffTicketScope): Promise<Prisma.TicketWhereInput | null> {
  if (scope.kind === 'none') return null;
  if (scope.kind === 'all') return { communityId };
  const areaIds = await areaSubtree(db, scope.areaIds);
  const either: Prisma.TicketWhereInput[] = [];
  if (areaIds.length > 0) either.push({ areaId: { in: areaIds } });
  if (scope.assigneeId !== null) either.push({ assigneeId: scope.assigneeId });
  if (either.length === 0) return null;
  return { communityId, OR: either };
}
