/**
 * Recording one household's payment into the fund by hand (the steward took ten yuan at the
 * door): the household must be in the fund's area; a receipt number already recorded is refused.
 * Policy `fund.record`, audited, in the caller's transaction.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { isUniqueViolation } from '../../../db/prisma-types.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { checkFundAction, type Refused } from './fund-check.js';
import { FundError } from './fund-errors.js';
import { fundAreaIds, type FundRecord } from './fund-lookup.js';

export interface NewContribution {
  fund: FundRecord;
  actor: Actor;
  householdCode: string;
  amountFen: number;
  paidOn: Date;
  receipt?: string | null;
  note?: string | null;
  now: Date;
}

export async function recordContribution(tx: Tx, input: NewContribution): Promise<{ contributionId: string } | Refused> {
  const { fund } = input;
  const refused = await checkFundAction(tx, fund, input.actor, 'fund.record', 'fund.contribution_recorded', input.now);
  if (refused) return refused;
  const household = await tx.household.findUnique({
    where: { communityId_code: { communityId: fund.communityId, code: input.householdCode } },
    select: { id: true, areaId: true },
  });
  if (!household) throw new FundError('household_not_found', { code: input.householdCode });
  if (!(await fundAreaIds(tx, fund)).includes(household.areaId)) throw new FundError('household_outside_area', { code: input.householdCode, area: fund.areaPath });
  if (input.receipt) {
    const recorded = await tx.fundContribution.findUnique({ where: { fundId_receipt: { fundId: fund.id, receipt: input.receipt } }, select: { id: true } });
    if (recorded) throw new FundError('receipt_recorded', { receipt: input.receipt });
  }
  let contribution: { id: string };
  try {
    // Two staff typing the same receipt at once: the unique index refuses the second.
    contribution = await tx.fundContribution.create({
      data: {
        fundId: fund.id,
        householdId: household.id,
        amountFen: input.amountFen,
        paidOn: input.paidOn,
        receipt: input.receipt ?? null,
        note: input.note ?? null,
        source: 'record',
      },
      select: { id: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new FundError('receipt_recorded', { receipt: input.receipt ?? '' });
    throw error;
  }
  await recordAudit(tx, {
    communityId: fund.communityId,
    actor: input.actor,
    action: 'fund.contribution_recorded',
    subjectType: 'property_fund',
    subjectId: fund.id,
    details: { contributionId: contribution.id, householdId: household.id, amountFen: input.amountFen },
  });
  return { contributionId: contribution.id };
}
