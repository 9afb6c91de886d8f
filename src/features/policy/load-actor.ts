/**
 * Builds the Actor for a chat account or a resident in one query: the person, their household,
 * the group they head and their roles whose term is current.
 */
import type { Tx } from '../../db/prisma-types.js';
import { ROLES, SKILLS, type Role, type Skill } from '../community/vocabulary.js';
import type { Actor, HeldRole } from './actor.js';
import { currentTermWhere } from './terms.js';

/** Whose actor to build: a chat account's or a resident's. */
export type ActorLookup = { chatAccountId: string } | { residentId: string };

/** Options of `loadActor`. */
export interface LoadActorOptions {
  /** When terms are judged (default: now). */
  now?: Date;
}

/**
 * The actor behind a chat account (a visitor while it is bound to no one) or a resident; null
 * when the account or resident does not exist. `db` may be the client or a transaction.
 */
export async function loadActor(db: Tx, who: ActorLookup, options: LoadActorOptions = {}): Promise<Actor | null> {
  const select = personSelect(options.now ?? new Date());
  if ('chatAccountId' in who) {
    const account = await db.chatAccount.findUnique({
      where: { id: who.chatAccountId },
      select: { id: true, communityId: true, resident: { select } },
    });
    if (!account) return null;
    // An account bound across communities would be a bug elsewhere: it speaks for no one here.
    if (!account.resident || account.resident.communityId !== account.communityId) {
      return { kind: 'visitor', chatAccountId: account.id, communityId: account.communityId };
    }
    return { ...toPerson(account.resident), chatAccountId: account.id };
  }
  const resident = await db.resident.findUnique({ where: { id: who.residentId }, select });
  return resident ? toPerson(resident) : null;
}

function personSelect(now: Date) {
  return {
    id: true,
    communityId: true,
    householdId: true,
    headOf: { select: { id: true } },
    roles: {
      where: currentTermWhere(now),
      select: { role: true, areaId: true, skills: true, startsOn: true, endsOn: true },
      orderBy: { createdAt: 'asc' as const },
    },
  };
}

interface PersonRow {
  id: string;
  communityId: string;
  householdId: string | null;
  headOf: { id: string } | null;
  roles: { role: string; areaId: string | null; skills: string[]; startsOn: Date; endsOn: Date | null }[];
}

function toPerson(row: PersonRow): Actor & { kind: 'person' } {
  const roles: HeldRole[] = [];
  for (const assignment of row.roles) {
    // A role word this version does not know grants nothing.
    if (!isRole(assignment.role)) continue;
    roles.push({
      role: assignment.role,
      areaId: assignment.areaId,
      skills: assignment.skills.filter(isSkill),
      startsOn: assignment.startsOn,
      endsOn: assignment.endsOn,
    });
  }
  return {
    kind: 'person',
    residentId: row.id,
    communityId: row.communityId,
    householdId: row.householdId,
    headOfGroupId: row.headOf?.id ?? null,
    roles,
  };
}

function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

function isSkill(text: string): text is Skill {
  return (SKILLS as readonly string[]).includes(text);
}
