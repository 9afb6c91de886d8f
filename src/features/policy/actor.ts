/**
 * Who is acting, as the policy sees them: resolved once per message (or CLI command) from the
 * chat account and the roster (`loadActor` in `load-actor.ts`), then passed to `can()`
 * (policy.ts). Only roles whose term is current are included; `can()` checks the term again when
 * a role carries its dates, so an actor kept past midnight cannot outlive a term.
 */
import type { Role, Skill } from '../community/vocabulary.js';

/** One role a person holds, as the policy reads it. */
export interface HeldRole {
  role: Role;
  /** The area the role is tied to (stewards, councils, patrols) — it covers the whole subtree. */
  areaId: string | null;
  skills: Skill[];
  /** Start of the term; absent or null = already begun. */
  startsOn?: Date | null;
  /** End of the term (the role counts up to and including this instant); absent or null = open-ended. */
  endsOn?: Date | null;
}

/** Who is acting: a visitor, a person, the operator, the system or another system's API client. */
export type Actor =
  /** A chat account not bound to anyone: may read help and public notices, and bind. */
  | { kind: 'visitor'; chatAccountId: string; communityId: string }
  /** A bound person (a resident, staff, or both). */
  | {
      kind: 'person';
      residentId: string;
      /** The community the person belongs to: subjects of any other community are refused. */
      communityId: string;
      /** null for staff who do not live in the community. */
      householdId: string | null;
      /** The household group the person heads, if any. */
      headOfGroupId: string | null;
      roles: HeldRole[];
      chatAccountId?: string;
      /**
       * Set when the person acts from the staff console, or when the operator records at the
       * command line a decision the person took (a committee member's 一事一议 decision), rather
       * than from a chat: the audit says so.
       */
      via?: 'console' | 'cli';
    }
  /** The `linli` command line on the server: an operator with shell access is an admin. */
  | { kind: 'operator' }
  /**
   * The server acting on its own rules (a deadline passing, a scheduled reminder): may do what an
   * admin may. Built only by server code, never from anything a person sent.
   */
  | { kind: 'system' }
  /**
   * Another system filing through the Open311 API with one of `OPEN311_API_KEYS` (a city hotline,
   * a partner app): may file a report about a place and nothing else. `key` is the key's place
   * in the list (1-based), for the records; the key itself is never kept.
   */
  | { kind: 'api_client'; communityId: string; key: number };

/** Where an action came from, as the audit log records it. */
export type ActorVia = 'chat' | 'console' | 'cli' | 'system' | 'api';

/** `chat` for visitors and people (`console` from the staff console), `cli` for the operator, `system` for the server's own rules, `api` for API clients. */
export function actorVia(actor: Actor): ActorVia {
  if (actor.kind === 'operator') return 'cli';
  if (actor.kind === 'system') return 'system';
  if (actor.kind === 'api_client') return 'api';
  if (actor.kind === 'person' && actor.via) return actor.via;
  return 'chat';
}

/** The resident acting, or null (visitors, the operator, the system). */
export function actorResidentId(actor: Actor): string | null {
  return actor.kind === 'person' ? actor.residentId : null;
}
