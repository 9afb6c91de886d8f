/**
 * What an action is done to, as plain data: each subject carries exactly what the rules need, so
 * the policy stays pure. Features build subjects from their rows (`load-subjects.ts` has the
 * common ones); `areaIds` is always an area *and all its ancestors* (`areaAncestry`), because a
 * role tied to an area covers that area's whole subtree.
 */
import type { Skill } from '../community/vocabulary.js';

/** Something that belongs to one community. A person never acts on another community's things. */
export interface CommunitySubject {
  communityId: string;
}

/**
 * Something that lives somewhere in the area tree: `areaIds` = its area and every ancestor,
 * nearest first. An empty list means the whole community (only roles not tied to an area cover it).
 */
export interface ScopeSubject extends CommunitySubject {
  areaIds: readonly string[];
}

/** One person, for things only that person may do (their own data, their own invitation). */
export interface PersonSubject extends CommunitySubject {
  residentId: string;
}

/** A dwelling. `areaIds` = its area and ancestors. */
export interface HouseholdSubject extends ScopeSubject {
  householdId: string;
  groupId: string | null;
}

/** A person as the roster knows them. For staff who live elsewhere household and group are null and `areaIds` empty. */
export interface ResidentSubject extends ScopeSubject {
  residentId: string;
  householdId: string | null;
  groupId: string | null;
}

/** A ticket about to be filed: for a household (`areaIds` its area), or about a place (household null). */
export interface TicketDraftSubject extends ScopeSubject {
  householdId: string | null;
}

/** A filed ticket (complaint, suggestion, repair request…). */
export interface TicketSubject extends ScopeSubject {
  ticketId: string;
  /** The household it is for; null for a report about a place (a patrol's observation). */
  householdId: string | null;
  /** Who filed it (themselves or on someone's behalf); null once that person was removed. */
  filedByResidentId: string | null;
  /** The staff member who claimed it or was assigned it. */
  assigneeResidentId: string | null;
}

/** A household group. `areaIds` = the area holding all its households, and its ancestors (`commonAncestry`). */
export interface GroupSubject extends ScopeSubject {
  groupId: string;
}

/**
 * A group chat about to be bound (`/bind_group`): to a household group (`groupId`, whose head may
 * bind it), or to anything else (`groupId` null: a team, an area, the community — staff only).
 */
export interface ChatBindSubject extends CommunitySubject {
  groupId: string | null;
}

/** A service-team job (a repair or housekeeping visit). `areaIds` = the household's area, for staff. */
export interface JobSubject extends ScopeSubject {
  jobId: string;
  /** The skill the job needs; null = any service-team member may take it. */
  skill: Skill | null;
  /** Who it is offered or assigned to; null = open to every member with the skill. */
  assigneeResidentId: string | null;
}
