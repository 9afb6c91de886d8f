/**
 * Setting up (or changing) the fund of an area: the share each household pays in, the threshold
 * above which an expense waits for a per-item decision, and the team's numbers for the contact
 * card. Setting the community up is an admin's (`area.setup`), audited.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { checkAudited } from '../../policy/audited-check.js';
import type { Refused } from './fund-check.js';
import { FundError } from './fund-errors.js';

export interface FundSetup {
  communityId: string;
  actor: Actor;
  areaPath: string;
  shareFen?: number;
  approvalThresholdFen?: number;
  contactPhones?: readonly string[];
  now: Date;
}

export async function setUpFund(tx: Tx, setup: FundSetup): Promise<{ fundId: string; created: boolean } | Refused> {
  const area = await tx.area.findUnique({ where: { communityId_path: { communityId: setup.communityId, path: setup.areaPath } }, select: { id: true } });
  if (!area) throw new FundError('area_not_found', { area: setup.areaPath });
  const decision = await checkAudited(tx, {
    communityId: setup.communityId,
    actor: setup.actor,
    action: 'area.setup',
    subject: { communityId: setup.communityId },
    target: { type: 'area', id: area.id },
    auditAction: 'fund.setup',
    now: setup.now,
  });
  if (!decision.allowed) return { refused: decision.reason };

  const values = {
    ...(setup.shareFen !== undefined ? { shareFen: setup.shareFen } : {}),
    ...(setup.approvalThresholdFen !== undefined ? { approvalThresholdFen: setup.approvalThresholdFen } : {}),
    ...(setup.contactPhones !== undefined ? { contactPhones: [...setup.contactPhones] } : {}),
  };
  const existing = await tx.propertyFund.findUnique({ where: { communityId_areaId: { communityId: setup.communityId, areaId: area.id } }, select: { id: true } });
  const fund = existing
    ? await tx.propertyFund.update({ where: { id: existing.id }, data: values, select: { id: true, shareFen: true, approvalThresholdFen: true } })
    : await tx.propertyFund.create({ data: { communityId: setup.communityId, areaId: area.id, ...values }, select: { id: true, shareFen: true, approvalThresholdFen: true } });
  await recordAudit(tx, {
    communityId: setup.communityId,
    actor: setup.actor,
    action: 'fund.setup',
    subjectType: 'property_fund',
    subjectId: fund.id,
    details: { areaId: area.id, shareFen: fund.shareFen, approvalThresholdFen: fund.approvalThresholdFen, phones: setup.contactPhones?.length ?? 0, created: !existing },
  });
  return { fundId: fund.id, created: !existing };
}
