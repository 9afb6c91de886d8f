/**
 * Good rows against what is stored: every household must be on the roster and in the fund's
 * area; a receipt already recorded is "unchanged" when it says the same (importing a file again
 * adds nothing) and a problem when it says otherwise. Pure: the stored facts are given.
 */
import { contributionProblem, type ContributionProblem, type ContributionRow } from './contribution-sheet.js';

export interface KnownHousehold {
  id: string;
  /** In the fund's area or below it. */
  inFundArea: boolean;
}

export interface StoredReceipt {
  householdId: string;
  amountFen: number;
  paidOn: Date;
}

export interface PlannedContribution extends ContributionRow {
  householdId: string;
}

export type ContributionPlan =
  | { ok: true; toAdd: PlannedContribution[]; unchanged: number }
  | { ok: false; problems: ContributionProblem[] };

export function planContributions(
  rows: readonly ContributionRow[],
  households: ReadonlyMap<string, KnownHousehold>,
  receipts: ReadonlyMap<string, StoredReceipt>,
): ContributionPlan {
  const problems: ContributionProblem[] = [];
  const toAdd: PlannedContribution[] = [];
  let unchanged = 0;
  for (const row of rows) {
    const household = households.get(row.householdCode);
    if (!household) {
      problems.push(contributionProblem(row.line, 'householdCode', 'unknown_household', { value: row.householdCode }));
      continue;
    }
    if (!household.inFundArea) {
      problems.push(contributionProblem(row.line, 'householdCode', 'outside_fund_area', { value: row.householdCode }));
      continue;
    }
    const stored = row.receipt === null ? undefined : receipts.get(row.receipt);
    if (stored) {
      const same = stored.householdId === household.id && stored.amountFen === row.amountFen && stored.paidOn.getTime() === row.paidOn.getTime();
      if (same) unchanged += 1;
      else problems.push(contributionProblem(row.line, 'receipt', 'receipt_recorded_otherwise', { value: row.receipt! }));
      continue;
    }
    toAdd.push({ ...row, householdId: household.id });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, toAdd, unchanged };
}
