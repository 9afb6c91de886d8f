/**
 * The building blocks of the rules in `rules.ts`. A grant looks at the actor and the subject and
 * answers: `true` (allowed on this ground), a denial reason (this ground applies to the actor
 * but not to this subject — e.g. a steward outside their area), or `null` (this ground does not
 * apply to the actor at all — e.g. they hold no steward role). Pure functions of plain data.
 */
import type { Role } from '../community/vocabulary.js';
import type { Actor, HeldRole } from './actor.js';
import type { DenialReason } from './denials.js';
import type { PersonSubject, ScopeSubject } from './subjects.js';
import { isTermCurrent } from './terms.js';

/** The actor reduced to what grants read; roles already filtered to their current terms. */
export interface ActorView {
  kind: Actor['kind'];
  residentId: string | null;
  householdId: string | null;
  headOfGroupId: string | null;
  roles: readonly HeldRole[];
  /** null = not tied to one community (the operator and the system). */
  communityId: string | null;
}

/** A grant's answer: allowed, refused for this reason, or not applicable to this actor. */
export type Verdict = true | DenialReason | null;
/** One ground on which an action may be allowed. */
export type Grant<S> = (actor: ActorView, subject: S) => Verdict;

/** Roles that answer tickets and look after residents. */
export const STAFF_ROLES: readonly Role[] = ['committee', 'steward', 'council', 'admin'];

/** The operator and the system act as an admin who lives nowhere in particular. */
const ADMIN_EVERYWHERE: readonly HeldRole[] = [{ role: 'admin', areaId: null, skills: [] }];

/** Reduces an actor to the view the grants read, dropping roles outside their term at `now`. */
export function viewOf(actor: Actor, now: Date): ActorView {
  switch (actor.kind) {
    case 'visitor':
      return { kind: 'visitor', residentId: null, householdId: null, headOfGroupId: null, roles: [], communityId: actor.communityId };
    case 'person':
      return {
        kind: 'person',
        residentId: actor.residentId,
        householdId: actor.householdId,
        headOfGroupId: actor.headOfGroupId,
        roles: actor.roles.filter((role) => isTermCurrent(role, now)),
        communityId: actor.communityId,
      };
    case 'api_client':
      return { kind: 'api_client', residentId: null, householdId: null, headOfGroupId: null, roles: [], communityId: actor.communityId };
    case 'operator':
    case 'system':
      return { kind: actor.kind, residentId: null, householdId: null, headOfGroupId: null, roles: ADMIN_EVERYWHERE, communityId: null };
  }
}

function held(actor: ActorView, roles: readonly Role[]): HeldRole[] {
  return actor.roles.filter((held) => roles.includes(held.role));
}

/** Holders of any of `roles` may, wherever the subject is. */
export function roleAnywhere(...roles: Role[]): Grant<unknown> {
  return (actor) => (held(actor, roles).length > 0 ? true : null);
}

/**
 * Holders of `roles` may when one of those roles is tied to an area in the subject's ancestry
 * (a role covers its area's whole subtree). A role tied to no area covers the whole community
 * when `unbound` is 'covers_all' (liaisons, patrols: filing for others is low-risk), and nothing
 * when 'covers_nothing' (stewards, councils: reading tickets and phones must be scoped, so a
 * steward set up without an area sees nothing rather than everything).
 */
export function roleInArea(roles: readonly Role[], unbound: 'covers_all' | 'covers_nothing'): Grant<ScopeSubject> {
  return (actor, subject) => {
    const holding = held(actor, roles);
    if (holding.length === 0) return null;
    const covers = holding.some((role) =>
      role.areaId === null ? unbound === 'covers_all' : subject.areaIds.includes(role.areaId),
    );
    return covers ? true : 'outside_your_area';
  };
}

/** The person themself. */
export const self: Grant<PersonSubject> = (actor, subject) => {
  if (actor.residentId === null) return null;
  return actor.residentId === subject.residentId ? true : 'not_yourself';
};

/** Members of the subject's household. */
export const ownHousehold: Grant<{ householdId: string | null }> = (actor, subject) => {
  if (actor.residentId === null) return null;
  return actor.householdId !== null && actor.householdId === subject.householdId ? true : 'not_your_household';
};

/** Whoever filed the ticket (for themselves or on someone's behalf) may follow it up. */
export const filer: Grant<{ filedByResidentId: string | null }> = (actor, subject) =>
  actor.residentId !== null && actor.residentId === subject.filedByResidentId ? true : null;

/** A staff member the ticket is assigned to handles it wherever it is (首接负责: the case stays with whoever took it). */
export const staffAssignee: Grant<{ assigneeResidentId: string | null }> = (actor, subject) =>
  actor.residentId !== null && actor.residentId === subject.assigneeResidentId && held(actor, STAFF_ROLES).length > 0
    ? true
    : null;

/** The head of the subject's household group. */
export const groupHead: Grant<{ groupId: string | null }> = (actor, subject) => {
  if (actor.headOfGroupId === null) return null;
  return subject.groupId === actor.headOfGroupId ? true : 'not_your_group';
};

/** Any bound person, or an API client, for a report about a place rather than a household. */
export const placeReport: Grant<{ householdId: string | null }> = (actor, subject) =>
  (actor.residentId !== null || actor.kind === 'api_client') && subject.householdId === null ? true : null;

/** Only an unbound chat account binds; a bound one is told it already is. */
export const unboundAccount: Grant<unknown> = (actor) => {
  if (actor.kind === 'visitor') return true;
  return actor.residentId !== null ? 'already_bound' : null;
};

/** Service-team members with the skill the job needs (any member when it names none). */
export const serviceTeamSkill: Grant<{ skill: string | null }> = (actor, subject) => {
  const team = held(actor, ['service_team']);
  if (team.length === 0) return null;
  return subject.skill === null || team.some((role) => (role.skills as readonly string[]).includes(subject.skill!))
    ? true
    : 'missing_skill';
};

/** The service-team member the job is assigned to. */
export const serviceTeamAssignee: Grant<{ assigneeResidentId: string | null }> = (actor, subject) => {
  if (held(actor, ['service_team']).length === 0) return null;
  return actor.residentId !== null && actor.residentId === subject.assigneeResidentId ? true : 'not_assigned_to_you';
};

/** The member a job is offered to, or — while it is open — any member with the skill. */
export const serviceTeamOffer: Grant<{ assigneeResidentId: string | null; skill: string | null }> = (actor, subject) => {
  if (subject.assigneeResidentId !== null) return serviceTeamAssignee(actor, subject);
  return serviceTeamSkill(actor, subject);
};
