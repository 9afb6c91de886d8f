/**
 * The fund's figures from its entries: what came in, what was spent (approved expenses only),
 * what waits for a decision, and the balance. Pure: the ledger's one definition, used by the
 * command line, the monthly disclosure and the tests.
 */
import type { ExpenseStatus } from './expense-approval.js';

export interface ContributionEntry {
  amountFen: number;
  /** The day it was paid (local midnight). */
  on: Date;
}

export interface ExpenseEntry {
  amountFen: number;
  status: ExpenseStatus;
  /** The day it was spent (local midnight). */
  on: Date;
}

export interface FundFigures {
  contributedFen: number;
  /** Approved expenses: what has left the fund. */
  spentFen: number;
  /** Expenses waiting for the per-item decision: not spent, not counted in the balance. */
  pendingFen: number;
  pendingCount: number;
  /** contributed − spent. */
  balanceFen: number;
}

/** The figures of every entry given (filter them by period first for a period's figures). */
export function fundFigures(contributions: readonly ContributionEntry[], expenses: readonly ExpenseEntry[]): FundFigures {
  const contributedFen = sum(contributions.map((c) => c.amountFen));
  const spentFen = sum(expenses.filter((e) => e.status === 'approved').map((e) => e.amountFen));
  const pending = expenses.filter((e) => e.status === 'pending');
  return { contributedFen, spentFen, pendingFen: sum(pending.map((e) => e.amountFen)), pendingCount: pending.length, balanceFen: contributedFen - spentFen };
}

export interface Period {
  from: Date;
  to: Date;
}

export interface PeriodFigures {
  /** The balance when the period began (everything dated before it). */
  openingFen: number;
  /** Paid in during the period. */
  inFen: number;
  /** Approved expenses dated in the period. */
  outFen: number;
  /** The balance when the period ended (everything dated before its end). */
  closingFen: number;
  /** Waiting for a decision now, whatever their date. */
  pendingFen: number;
  pendingCount: number;
}

/** A period's figures: opening, in, out, closing (entries dated at or after `to` left out), and what waits. */
export function periodFigures(contributions: readonly ContributionEntry[], expenses: readonly ExpenseEntry[], period: Period): PeriodFigures {
  const before = (entry: { on: Date }, instant: Date) => entry.on.getTime() < instant.getTime();
  const within = (entry: { on: Date }) => !before(entry, period.from) && before(entry, period.to);
  const opening = fundFigures(contributions.filter((c) => before(c, period.from)), expenses.filter((e) => before(e, period.from)));
  const month = fundFigures(contributions.filter(within), expenses.filter(within));
  const all = fundFigures(contributions, expenses);
  return {
    openingFen: opening.balanceFen,
    inFen: month.contributedFen,
    outFen: month.spentFen,
    closingFen: opening.balanceFen + month.contributedFen - month.spentFen,
    pendingFen: all.pendingFen,
    pendingCount: all.pendingCount,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
