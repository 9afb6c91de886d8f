/**
 * The per-item decision (一事一议) on a pending expense: a committee member approves it (it counts
 * as spent from then) or rejects it. Policy `fund.decide` (committee only), every attempt
 * audited; a guarded update, so two decisions at once leave one.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { decidedStatus, type ExpenseStatus } from '../rules/expense-approval.js';
import { checkFundAction, type Refused } from './fund-check.js';
import { FundError } from './fund-errors.js';
import type { FundRecord } from './fund-lookup.js';

export interface ExpenseDecision {
  fund: FundRecord;
  actor: Actor;
  number: number;
  decision: 'approve' | 'reject';
  now: Date;
}

export async function decideExpense(tx: Tx, input: ExpenseDecision): Promise<{ expenseId: string; status: ExpenseStatus; amountFen: number } | Refused> {
  const { fund } = input;
  const refused = await checkFundAction(tx, fund, input.actor, 'fund.decide', 'fund.expense_decided', input.now, { number: input.number });
  if (refused) return refused;
  const expense = await tx.fundExpense.findUnique({
    where: { fundId_number: { fundId: fund.id, number: input.number } },
    select: { id: true, status: true, amountFen: true },
  });
  if (!expense) throw new FundError('expense_not_found', { number: input.number });
  const next = decidedStatus(expense.status as ExpenseStatus, input.decision);
  if (!next) throw new FundError('already_decided', { number: input.number });
  const updated = await tx.fundExpense.updateMany({ where: { id: expense.id, status: 'pending' }, data: { status: next, decidedAt: input.now } });
  if (updated.count === 0) throw new FundError('already_decided', { number: input.number });
  await recordAudit(tx, {
    communityId: fund.communityId,
    actor: input.actor,
    action: 'fund.expense_decided',
    subjectType: 'fund_expense',
    subjectId: expense.id,
    details: { fundId: fund.id, number: input.number, decision: input.decision, amountFen: expense.amountFen },
  });
  return { expenseId: expense.id, status: next, amountFen: expense.amountFen };
}
