/**
 * The policy check every staff action on a sitting starts with (`meeting.run`). A refusal is
 * audited in the caller's transaction and returned, not thrown, so the row is kept.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import type { AuditDetails } from '../../../audit/audit-details.js';
import type { Actor } from '../../../policy/actor.js';
import { checkAudited } from '../../../policy/audited-check.js';
import type { DenialReason } from '../../../policy/denials.js';
import { meetingSubject, type FloorMeeting } from './meeting-lookup.js';

export interface Denied {
  status: 'denied';
  reason: DenialReason;
}

export async function checkMeetingRun(tx: Tx, meeting: FloorMeeting, actor: Actor, auditAction: string, now: Date, details?: AuditDetails): Promise<Denied | null> {
  const decision = await checkAudited(tx, {
    communityId: meeting.communityId,
    actor,
    action: 'meeting.run',
    subject: await meetingSubject(tx, meeting),
    target: { type: 'meeting', id: meeting.id },
    auditAction,
    ...(details ? { details } : {}),
    now,
  });
  return decision.allowed ? null : { status: 'denied', reason: decision.reason };
}
