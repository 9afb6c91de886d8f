/**
 * The policy check for an action someone tried: `explain`, and a refusal leaves an audit row —
 * who tried what on what, `denied: true` and the reason — in the caller's transaction. Every
 * staff and admin action that can be refused goes through here, so none can forget the row:
 * probing (for numbers, for tickets of other areas) leaves a trace as an allowed action does.
 * The caller must commit after a refusal (a rolled-back transaction loses the row).
 */
import type { Tx } from '../../db/prisma-types.js';
import type { AuditDetails } from '../audit/audit-details.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Action, SubjectOf } from './actions.js';
import type { Actor } from './actor.js';
import { explain, type Decision } from './policy.js';

export interface AuditedCheck<A extends Action> {
  communityId: string;
  actor: Actor;
  action: A;
  subject: SubjectOf<A>;
  /** What the refusal's audit row points at (e.g. `ticket` and its id). */
  target: { type: string; id: string | null };
  /** The audit row's name for the attempt when it is not the policy action's (e.g. `resident.reveal_phone` of a request's phone). */
  auditAction?: string;
  /** More for the refusal's row (ids and counts only): the request's number… */
  details?: AuditDetails;
  now: Date;
}

/** The policy's decision; a refusal is audited first (see the file's comment). */
export async function checkAudited<A extends Action>(tx: Tx, check: AuditedCheck<A>): Promise<Decision> {
  const decision = explain(check.actor, check.action, check.subject, { now: check.now });
  if (!decision.allowed) await auditRefusal(tx, check, decision.reason);
  return decision;
}

/** The row for a refusal decided outside the policy's rules (an actor of a kind that cannot act at all). */
export async function auditRefusal<A extends Action>(tx: Tx, check: Omit<AuditedCheck<A>, 'subject'>, reason: string): Promise<void> {
  await recordAudit(tx, {
    communityId: check.communityId,
    actor: check.actor,
    action: check.auditAction ?? check.action,
    subjectType: check.target.type,
    subjectId: check.target.id,
    details: { ...check.details, denied: true, reason },
  });
}
