/**
 * `ticket.view` as a filter, for lists (the staff inbox, "my tickets"): which tickets an actor
 * may see, in a form a query can use. It states the same rule as `rules.ts` — a test checks that
 * `inTicketScope(ticketViewScope(actor), t)` equals `can(actor, 'ticket.view', t)` for many
 * actors and tickets — so a list never shows what opening the ticket would refuse.
 *
 * A query built from a `some` scope matches a ticket when any of these holds:
 * its area is in `areaSubtree(areaIds)`; its household is `householdId`; it was filed by
 * `residentId`; or `staffAssignee` and it is assigned to `residentId`.
 */
import type { Actor } from './actor.js';
import { STAFF_ROLES, viewOf } from './grants.js';
import type { TicketSubject } from './subjects.js';

/** Which tickets an actor may view. */
export type TicketScope =
  /** Every ticket (of `communityId`; null = of every community: the operator, the system). */
  | { kind: 'all'; communityId: string | null }
  | {
      kind: 'some';
      communityId: string;
      /** Roots of the areas the actor handles: tickets anywhere below them. */
      areaIds: string[];
      householdId: string | null;
      /** Tickets this person filed (and, with `staffAssignee`, is assigned). */
      residentId: string;
      staffAssignee: boolean;
    }
  /** Nothing (visitors). */
  | { kind: 'none' };

/** The tickets `actor` may view at `now`. */
export function ticketViewScope(actor: Actor, options: { now?: Date } = {}): TicketScope {
  const view = viewOf(actor, options.now ?? new Date());
  if (view.roles.some((held) => held.role === 'committee' || held.role === 'admin')) return { kind: 'all', communityId: view.communityId };
  if (view.residentId === null || view.communityId === null) return { kind: 'none' };
  const areaIds = view.roles
    .filter((held) => (held.role === 'steward' || held.role === 'council') && held.areaId !== null)
    .map((held) => held.areaId!);
  return {
    kind: 'some',
    communityId: view.communityId,
    areaIds: [...new Set(areaIds)],
    householdId: view.householdId,
    residentId: view.residentId,
    staffAssignee: view.roles.some((held) => STAFF_ROLES.includes(held.role)),
  };
}

/** Whether a ticket is in the scope: what a query built from the scope must match. */
export function inTicketScope(scope: TicketScope, ticket: TicketSubject): boolean {
  if (scope.kind === 'none') return false;
  if (scope.communityId !== null && scope.communityId !== ticket.communityId) return false;
  if (scope.kind === 'all') return true;
  return (
    scope.areaIds.some((areaId) => ticket.areaIds.includes(areaId)) ||
    (scope.householdId !== null && scope.householdId === ticket.householdId) ||
    scope.residentId === ticket.filedByResidentId ||
    (scope.staffAssignee && scope.residentId === ticket.assigneeResidentId)
  );
}
