/**
 * Who reads the archive, as the notices' audiences name people: the areas of their home (the
 * household's area and every area above it: a notice to a zone reaches each lane in it), their
 * household group, their current roles, whether their home is a priority household, and who they
 * are (a saved audience may list people by name). A visitor (an account bound to nobody) has
 * none of these and reads only what is addressed to everyone (policy `notice.view_public`).
 */
import type { Tx } from '../../../db/prisma-types.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import type { Actor } from '../../policy/actor.js';
import { loadActor } from '../../policy/load-actor.js';
import { can } from '../../policy/policy.js';

export interface ArchiveViewer {
  communityId: string;
  /** The person (a saved audience may list people by name); null for a visitor. */
  residentId: string | null;
  /** The home's area and its ancestors; empty for a visitor or staff living elsewhere. */
  areaIds: string[];
  groupIds: string[];
  roles: string[];
  /** The home carries a priority flag (a notice for priority households reaches it). */
  priority: boolean;
  /**
   * Every notice of the community whoever it was for: a staff list whose caller checked its own
   * policy first (`wholeCommunityViewer`). Never set for a chat.
   */
  wholeCommunity?: true;
}

/** Everyone-notices only: a visitor, or anyone looked at from outside (a public page). */
export function publicViewer(communityId: string): ArchiveViewer {
  return { communityId, residentId: null, areaIds: [], groupIds: [], roles: [], priority: false };
}

/** Reads every notice of the community, for a staff list that has checked the policy itself. */
export function wholeCommunityViewer(communityId: string): ArchiveViewer {
  return { ...publicViewer(communityId), wholeCommunity: true };
}

/** The viewer an actor is; null when the actor may not read notices of the community at all. */
export async function archiveViewerOf(tx: Tx, actor: Actor, communityId: string, now: Date): Promise<ArchiveViewer | null> {
  if (!can(actor, 'notice.view_public', { communityId }, { now })) return null;
  if (actor.kind !== 'person') return publicViewer(communityId);
  const viewer: ArchiveViewer = { ...publicViewer(communityId), residentId: actor.residentId, roles: [...new Set(actor.roles.map((held) => held.role))] };
  if (!actor.householdId) return viewer;
  const home = await tx.household.findUnique({ where: { id: actor.householdId }, select: { areaId: true, groupId: true, flags: true } });
  if (!home) return viewer;
  return { ...viewer, areaIds: await areaAncestry(tx, home.areaId), groupIds: home.groupId ? [home.groupId] : [], priority: home.flags.length > 0 };
}

/** The viewer behind a chat account (a visitor when it is bound to nobody). */
export async function archiveViewerOfAccount(tx: Tx, chatAccountId: string, communityId: string, now: Date): Promise<ArchiveViewer | null> {
  const actor = await loadActor(tx, { chatAccountId }, { now });
  return actor ? archiveViewerOf(tx, actor, communityId, now) : null;
}
