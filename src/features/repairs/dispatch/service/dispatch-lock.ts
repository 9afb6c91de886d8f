/**
 * Dispatch decisions of one community follow one another: every transaction that offers, answers,
 * times out, reassigns or cancels takes this lock first (held to its end). Two jobs filed at once
 * then never pick the same free member, and an accept never races a timeout into two holders. The
 * guarded updates (status and version in the `where`) stay as the last word.
 */
import type { Tx } from '../../../../db/prisma-types.js';

export async function lockDispatch(tx: Tx, communityId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`dispatch:${communityId}`}))`;
}

/**
 * The lock if it is free now, else false at once: for a filing, whose resident should not wait on
 * a member's answer being written (the job is offered right after the filing commits instead).
 */
export async function tryLockDispatch(tx: Tx, communityId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext(${`dispatch:${communityId}`})) AS locked`;
  return rows[0]?.locked === true;
}
