/**
 * The next sequence number of a ticket number (`MQ-2026-00123`): one statement that creates the
 * community's counter for the prefix and year or moves it on by one, so two tickets filed at the
 * same moment — in two processes — never get the same number. Runs in the filing transaction: a
 * filing that rolls back gives its number back (numbers stay gapless).
 */
import type { Tx } from '../../../db/prisma-types.js';

/** The next sequence of (`communityId`, `prefix`, `year`), starting at 1. */
export async function nextTicketSequence(tx: Tx, communityId: string, prefix: string, year: number): Promise<number> {
  const rows = await tx.$queryRaw<{ lastSeq: number }[]>`
    INSERT INTO "TicketCounter" ("communityId", "prefix", "year", "lastSeq")
    VALUES (${communityId}, ${prefix}, ${year}, 1)
    ON CONFLICT ("communityId", "prefix", "year")
    DO UPDATE SET "lastSeq" = "TicketCounter"."lastSeq" + 1
    RETURNING "lastSeq"`;
  const seq = rows[0]?.lastSeq;
  if (typeof seq !== 'number') throw new Error('ticket counter returned no sequence');
  return seq;
}
