/**
 * The work orders filed in a transaction, so the listeners that tell the resident of a change can
 * leave alone what happened within the filing itself (dispatch offers a job, or finds nobody, in
 * the filing's own transaction): the resident gets that in the filing's own reply, after their
 * "filed" — a notice written then would reach them before it. Kept against the transaction
 * client, like the after-commit work (src/db/after-commit.ts), and gone with it.
 */
import type { Tx } from '../../../db/prisma-types.js';

const filedByTransaction = new WeakMap<Tx, Set<string>>();

export function markFiledIn(tx: Tx, workOrderId: string): void {
  const filed = filedByTransaction.get(tx) ?? new Set<string>();
  filed.add(workOrderId);
  filedByTransaction.set(tx, filed);
}

/** True when the work order was filed in this very transaction. */
export function wasFiledIn(tx: Tx, workOrderId: string): boolean {
  return filedByTransaction.get(tx)?.has(workOrderId) ?? false;
}
