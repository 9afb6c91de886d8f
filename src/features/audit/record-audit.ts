/**
 * Writes one audit row — who did what to what — in the caller's transaction, so the row exists
 * exactly when the action does. Who: the resident id for a person (null for the operator, the
 * system and visitors; `via` says which). Details hold ids and counts only (`audit-details.ts`).
 */
import type { Tx } from '../../db/prisma-types.js';
import { actorResidentId, actorVia, type Actor, type ActorVia } from '../policy/actor.js';
import { checkAuditDetails, type AuditDetails } from './audit-details.js';

/** One audit row to write. */
export interface AuditEntry {
  communityId: string;
  actor: Actor;
  /** What was done, as `<subject>.<verb>` (e.g. `resident.reveal_phone`); a policy action where one fits. */
  action: string;
  /** What it was done to (e.g. `resident`, `ticket`). */
  subjectType: string;
  subjectId: string | null;
  details?: AuditDetails;
  /** Where it came from, when the actor cannot say (a sign-in refused on the web before anyone is known). */
  via?: ActorVia;
}

/** Records `entry`; throws `AuditDetailsError` (and writes nothing) when details hold personal data. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<{ id: string }> {
  const details: AuditDetails = { ...entry.details };
  // A visitor has no resident id: the chat account is the only trace of who it was.
  if (entry.actor.kind === 'visitor' && details['chatAccountId'] === undefined) details['chatAccountId'] = entry.actor.chatAccountId;
  checkAuditDetails(details);
  return tx.auditLog.create({
    data: {
      communityId: entry.communityId,
      actorId: actorResidentId(entry.actor),
      via: entry.via ?? actorVia(entry.actor),
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      details,
    },
    select: { id: true },
  });
}
