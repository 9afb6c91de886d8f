/**
 * 一事一议: an expense of the fund strictly above the fund's threshold is a major item the
 * households' representatives decide one by one; until the committee approves it, it counts as
 * nothing spent. An expense of exactly the threshold is an ordinary one. Pure.
 */

/** approved: counts as spent · pending: waits for the decision · rejected: never spent. */
export const EXPENSE_STATUSES = ['approved', 'pending', 'rejected'] as const;
export type ExpenseStatus = (typeof EXPENSE_STATUSES)[number];

/** Whether an expense of `amountFen` waits for a per-item decision under `thresholdFen`. */
export function needsDecision(amountFen: number, thresholdFen: number): boolean {
  return amountFen > thresholdFen;
}

/** The status an expense is recorded with. */
export function statusOnRecord(amountFen: number, thresholdFen: number): ExpenseStatus {
  return needsDecision(amountFen, thresholdFen) ? 'pending' : 'approved';
}

/** What a decision does to an expense: only a pending one can be decided, once. */
export function decidedStatus(current: ExpenseStatus, decision: 'approve' | 'reject'): ExpenseStatus | null {
  if (current !== 'pending') return null;
  return decision === 'approve' ? 'approved' : 'rejected';
}
