/**
 * The one answer to "may this actor do this to that": `can(actor, action, subject)`, and
 * `explain()` with the reason for a refusal (for a polite answer: `denialMessageKey`). Pure: no
 * database, no clock unless `now` is left out. The rules themselves are in `rules.ts`.
 */
import type { Action, SubjectOf } from './actions.js';
import type { Actor } from './actor.js';
import type { DenialReason } from './denials.js';
import { viewOf, type Grant } from './grants.js';
import { RULES } from './rules.js';

/** Allowed, or refused with a reason code. */
export type Decision = { allowed: true } | { allowed: false; reason: DenialReason };

/** Options of `can`, `explain` and `assertCan`. */
export interface PolicyOptions {
  /** When terms are judged (default: now). */
  now?: Date;
}

const ALLOWED: Decision = { allowed: true };

/** Whether `actor` may do `action` to `subject`, and if not, why. */
export function explain<A extends Action>(actor: Actor, action: A, subject: SubjectOf<A>, options: PolicyOptions = {}): Decision {
  const rule = RULES[action];
  const view = viewOf(actor, options.now ?? new Date());
  if (view.communityId !== null && view.communityId !== subject.communityId) return denied('other_community');
  if (view.kind === 'visitor' && !rule.public) return denied('not_bound');

  let firstReason: DenialReason | null = null;
  for (const grant of rule.grants as readonly Grant<SubjectOf<A>>[]) {
    const verdict = grant(view, subject);
    if (verdict === true) return ALLOWED;
    firstReason ??= verdict;
  }
  return denied(firstReason ?? 'role_required');
}

/** Whether `actor` may do `action` to `subject`. */
export function can<A extends Action>(actor: Actor, action: A, subject: SubjectOf<A>, options: PolicyOptions = {}): boolean {
  return explain(actor, action, subject, options).allowed;
}

/** Thrown by `assertCan`; carries the reason code (never anything about the subject). */
export class PolicyDeniedError extends Error {
  override readonly name = 'PolicyDeniedError';
  constructor(
    readonly action: Action,
    readonly reason: DenialReason,
  ) {
    super(`${action} refused: ${reason}`);
  }
}

/** Throws `PolicyDeniedError` unless `actor` may do `action` to `subject`. */
export function assertCan<A extends Action>(actor: Actor, action: A, subject: SubjectOf<A>, options: PolicyOptions = {}): void {
  const decision = explain(actor, action, subject, options);
  if (!decision.allowed) throw new PolicyDeniedError(action, decision.reason);
}

function denied(reason: DenialReason): Decision {
  return { allowed: false, reason };
}
