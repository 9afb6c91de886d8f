/**
 * The policy check every fund action starts with. A refusal is audited in the caller's
 * transaction and returned, not thrown: the caller returns it too, so the transaction commits and
 * the refusal's audit row is kept (a thrown error would roll it back).
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { AuditDetails } from '../../audit/audit-details.js';
import type { Actor } from '../../policy/actor.js';
import { checkAudited } from '../../policy/audited-check.js';
import type { DenialReason } from '../../policy/denials.js';
import { fundSubject, type FundRecord } from './fund-lookup.js';

/** A fund action the policy refused (already audited). */
export interface Refused {
  refused: DenialReason;
}

export function isRefused(outcome: object): outcome is Refused {
  return 'refused' in outcome;
}

/** Null when allowed; the refusal otherwise. */
export async function checkFundAction(
  tx: Tx,
  fund: FundRecord,
  actor: Actor,
  action: 'fund.view' | 'fund.record' | 'fund.decide',
  auditAction: string,
  now: Date,
  details?: AuditDetails,
): Promise<Refused | null> {
  const decision = await checkAudited(tx, {
    communityId: fund.communityId,
    actor,
    action,
    subject: await fundSubject(tx, fund),
    target: { type: 'property_fund', id: fund.id },
    auditAction,
    ...(details ? { details } : {}),
    now,
  });
  return decision.allowed ? null : { refused: decision.reason };
}
