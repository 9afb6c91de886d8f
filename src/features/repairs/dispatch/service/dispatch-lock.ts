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
