/**
 * The fund's figures for a period, read in three queries and computed by the pure rules: the
 * balance (what the command line shows), and the month's entries (what the disclosure lists).
 */
import type { Tx } from '../../../db/prisma-types.js';
import { fundFigures, periodFigures, type FundFigures, type Period, type PeriodFigures } from '../rules/fund-balance.js';
import type { ExpenseStatus } from '../rules/expense-approval.js';
import { fundAreaIds, type FundRecord } from './fund-lookup.js';

export interface StatementExpense {
  number: number;
  amountFen: number;
  purpose: string;
  spentOn: Date;
  status: ExpenseStatus;
  /** The repair job's ticket number, when it paid for one. */
  jobNumber: string | null;
}

export interface FundStatement {
  figures: PeriodFigures;
  /** Everything ever recorded, whatever its date. */
  total: FundFigures;
  /** Expenses dated in the period (approved, pending and rejected). */
  expenses: StatementExpense[];
  /** Expenses waiting for the decision now, whatever their date. */
  pending: StatementExpense[];
  /** Households that paid in during the period / households of the fund's area. */
  householdsPaid: number;
  households: number;
}

export async function loadFundStatement(tx: Tx, fund: FundRecord, period: Period): Promise<FundStatement> {
  const contributions = await tx.fundContribution.findMany({ where: { fundId: fund.id }, select: { amountFen: true, paidOn: true, householdId: true } });
  const expenseRows = await tx.fundExpense.findMany({
    where: { fundId: fund.id },
    orderBy: { number: 'asc' },
    select: { number: true, amountFen: true, purpose: true, spentOn: true, status: true, workOrder: { select: { ticket: { select: { number: true } } } } },
  });
  const households = await tx.household.count({ where: { communityId: fund.communityId, areaId: { in: await fundAreaIds(tx, fund) } } });

  const expenses: StatementExpense[] = expenseRows.map((row) => ({
    number: row.number,
    amountFen: row.amountFen,
    purpose: row.purpose,
    spentOn: row.spentOn,
    status: row.status as ExpenseStatus,
    jobNumber: row.workOrder?.ticket.number ?? null,
  }));
  const contributionEntries = contributions.map((c) => ({ amountFen: c.amountFen, on: c.paidOn }));
  const expenseEntries = expenses.map((e) => ({ amountFen: e.amountFen, status: e.status, on: e.spentOn }));
  const inPeriod = (on: Date) => on >= period.from && on < period.to;
  return {
    figures: periodFigures(contributionEntries, expenseEntries, period),
    total: fundFigures(contributionEntries, expenseEntries),
    expenses: expenses.filter((e) => inPeriod(e.spentOn)),
    pending: expenses.filter((e) => e.status === 'pending'),
    householdsPaid: new Set(contributions.filter((c) => inPeriod(c.paidOn)).map((c) => c.householdId)).size,
    households,
  };
}
