/**
 * What the fund page shows a staff member: the fund's statement for a month, and whether they
 * may decide its pending expenses — or why there is nothing to show (no fund yet, several funds
 * and none named, the policy's refusal, audited).
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import { checkFundAction } from '../../features/fund/ledger/fund-check.js';
import { FundError, type FundErrorCode } from '../../features/fund/ledger/fund-errors.js';
import { findFund, fundSubject, type FundRecord } from '../../features/fund/ledger/fund-lookup.js';
import { loadFundStatement, type FundStatement } from '../../features/fund/ledger/fund-statement.js';
import type { FundMonth } from '../../features/fund/rules/fund-month.js';
import type { DenialReason } from '../../features/policy/denials.js';
import { can } from '../../features/policy/policy.js';
import type { PersonActor } from '../shell/viewer.js';

export type FundPage =
  | { status: 'shown'; fund: FundRecord; month: FundMonth; statement: FundStatement; mayDecide: boolean; mayRecord: boolean }
  | { status: 'missing'; code: FundErrorCode; vars: Record<string, string | number> }
  | { status: 'denied'; reason: DenialReason };

export async function loadFundPage(prisma: PrismaClient, input: { communityId: string; actor: PersonActor; month: FundMonth; areaPath?: string; now: Date }): Promise<FundPage> {
  return prisma.$transaction(async (tx): Promise<FundPage> => {
    let fund: FundRecord;
    try {
      fund = await findFund(tx, input.communityId, input.areaPath);
    } catch (error) {
      if (error instanceof FundError) return { status: 'missing', code: error.code, vars: error.vars };
      throw error;
    }
    const refused = await checkFundAction(tx, fund, input.actor, 'fund.view', 'fund.view', input.now);
    if (refused) return { status: 'denied', reason: refused.refused };
    const statement = await loadFundStatement(tx, fund, input.month);
    const subject = await fundSubject(tx, fund);
    const mayDecide = can(input.actor, 'fund.decide', subject, { now: input.now });
    const mayRecord = can(input.actor, 'fund.record', subject, { now: input.now });
    return { status: 'shown', fund, month: input.month, statement, mayDecide, mayRecord };
  });
}
