/**
 * Who gets a new ticket first (首接负责: a case belongs to the first unit that receives it and is
 * never left without an owner).
 *
 * 1. The category's override role (public security → patrol), nearest holder up the area tree
 *    (courtyard, then lane, then zone), then a community-wide holder of that role (the patrol lead).
 * 2. The area's steward, nearest up the tree.
 * 3. The committee: its first listed member (the service lists the duty member or chair first).
 * 4. No committee member on the roster at all: the committee's staff chat as a body, flagged so
 *    the service logs the misconfiguration. Still an owner, never "unassigned".
 *
 * Several holders at the same level: the first in the given order owns it (the service orders by
 * who took the role first), the others are told. The reporter is never their own handler: a
 * steward complaining about their own area goes up a level.
 */
import type { RoutableRole } from './categories.js';

/** Staff ids per area id, in order of precedence. */
export type HoldersByArea = Readonly<Record<string, readonly string[]>>;

export interface RoutingInput {
  /** The ticket's area first, then each parent up to the zone. */
  areaAncestry: readonly string[];
  stewardsByArea: HoldersByArea;
  /** The category's `routeToRole`, or null. */
  overrideRole: RoutableRole | null;
  /** Holders of the override role tied to areas (patrol groups by grid). */
  overrideHoldersByArea?: HoldersByArea;
  /** Holders of the override role for the whole community (the patrol lead). */
  overrideCommunityHolders?: readonly string[];
  /** Committee members, duty member or chair first. */
  committee: readonly string[];
  /** Never route to these: the reporter (a liaison filing for a neighbour may well handle it). */
  exclude?: readonly string[];
}

export type RouteVia = 'category_override' | 'steward' | 'committee' | 'committee_chat';

export interface Route {
  /** null only with `via: 'committee_chat'`: the committee's staff chat as a body. */
  assigneeId: string | null;
  via: RouteVia;
  /** The area where the handler was found (null for community-wide holders and the committee). */
  areaId: string | null;
  /** Others at the same level, told but not owners. */
  alsoNotify: string[];
}

/** Picks the first handler. */
export function routeTicket(input: RoutingInput): Route {
  const excluded = new Set(input.exclude ?? []);
  const eligible = (ids: readonly string[] | undefined) => (ids ?? []).filter((id) => !excluded.has(id));

  if (input.overrideRole !== null) {
    const found = nearest(input.areaAncestry, input.overrideHoldersByArea ?? {}, eligible);
    if (found) return { ...found, via: 'category_override' };
    const wide = eligible(input.overrideCommunityHolders);
    if (wide.length > 0) return { assigneeId: wide[0]!, via: 'category_override', areaId: null, alsoNotify: wide.slice(1) };
  }
  const steward = nearest(input.areaAncestry, input.stewardsByArea, eligible);
  if (steward) return { ...steward, via: 'steward' };
  const committee = eligible(input.committee);
  if (committee.length > 0) return { assigneeId: committee[0]!, via: 'committee', areaId: null, alsoNotify: [] };
  return { assigneeId: null, via: 'committee_chat', areaId: null, alsoNotify: [] };
}

function nearest(
  ancestry: readonly string[],
  holders: HoldersByArea,
  eligible: (ids: readonly string[] | undefined) => string[],
): { assigneeId: string; areaId: string; alsoNotify: string[] } | null {
  for (const areaId of ancestry) {
    const ids = eligible(holders[areaId]);
    if (ids.length > 0) return { assigneeId: ids[0]!, areaId, alsoNotify: ids.slice(1) };
  }
  return null;
}
