/**
 * Staff lift a pause of binding (the community-wide limit on wrong codes, `binding-closed.ts`)
 * before it ends — once they have checked that nobody is guessing codes, or to let residents at
 * the office bind now. The one way, for the staff chat's `/resume_binding` and `linli binding
 * resume` alike: the policy (`binding.resume`: committee members and admins), an audit row for
 * every attempt (a refusal too), and the wrong codes counted so far forgotten — otherwise the
 * next wrong code would pause binding again at once. Each account's own limit stays as it is.
 * Runs in the caller's transaction.
 */
import type { Tx } from '../../db/prisma-types.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Actor } from '../policy/actor.js';
import type { DenialReason } from '../policy/denials.js';
import { checkAudited } from '../policy/audited-check.js';
import { BINDING_RESUMED_ACTION, lockBindingPause, runningPause } from './binding-closed.js';

export interface ResumeBindingInput {
  communityId: string;
  actor: Actor;
  now?: Date;
}

export type ResumeBindingOutcome =
  | { status: 'resumed'; closedAuditId: string; until: Date }
  /** Binding was open: nothing to lift. */
  | { status: 'not_paused' }
  | { status: 'denied'; reason: DenialReason };

/** Lifts the community's running pause of binding, if the actor may. */
export async function resumeBindingIn(tx: Tx, input: ResumeBindingInput): Promise<ResumeBindingOutcome> {
  const now = input.now ?? new Date();
  const decision = await checkAudited(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'binding.resume',
    subject: { communityId: input.communityId },
    target: { type: 'community', id: input.communityId },
    auditAction: BINDING_RESUMED_ACTION,
    now,
  });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  // Under the lock that starts pauses: a pause being started this moment is lifted, not missed.
  await lockBindingPause(tx, input.communityId);
  const pause = await runningPause(tx, input.communityId, now);
  if (!pause) return { status: 'not_paused' };
  const forgotten = await tx.bindCodeMiss.deleteMany({ where: { communityId: input.communityId } });
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: BINDING_RESUMED_ACTION,
    subjectType: 'community',
    subjectId: input.communityId,
    details: { closedAuditId: pause.auditId, wrongCodesForgotten: forgotten.count },
  });
  return { status: 'resumed', closedAuditId: pause.auditId, until: pause.until };
}
