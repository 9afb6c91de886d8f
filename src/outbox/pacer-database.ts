/**
 * {@link SendPacer} on the database backend: one `SendPace` row per key, moved by a single
 * INSERT … ON CONFLICT DO UPDATE. The row lock that statement takes makes concurrent requests
 * from any number of workers and processes queue up and each see the previous one's result;
 * the database's clock is the only clock, so processes on machines whose clocks disagree still
 * pace together.
 *
 * The statement commits without waiting for the disk (`synchronous_commit` off for its own
 * transaction only): a cell is disposable — after a database crash a lost move only lets one
 * chat's next message go a little early — while waiting for the write-ahead log to reach the
 * disk costs every message several milliseconds (measured here: 2.7–5 ms, against 0.6–0.7 ms).
 */
import { randomUUID } from 'node:crypto';
import type { SendRate } from '../channels/types.js';
import { Prisma, type PrismaClient } from '../db/prisma-types.js';
import { gcraParams, type PaceDecision, type SendPacer } from './send-pacer.js';

interface PaceRow {
  granted: boolean;
  ahead_ms: number;
}

export interface DatabaseSendPacerOptions {
  /** Wait for each move to reach the disk before answering (default false; see the module comment). */
  durableCommits?: boolean;
}

export class DatabaseSendPacer implements SendPacer {
  private readonly commitMode: Prisma.Sql;

  constructor(
    private readonly prisma: PrismaClient,
    options: DatabaseSendPacerOptions = {},
  ) {
    // set_config(…, true) lasts until the end of the statement's own transaction, so it governs
    // that commit and nothing else the connection does.
    this.commitMode = options.durableCommits
      ? Prisma.empty
      : Prisma.sql`CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS commit_mode`;
  }

  async take(key: string, rate: SendRate): Promise<PaceDecision> {
    const { emissionMs, toleranceMs } = gcraParams(rate);
    const token = randomUUID();
    // "now" is taken once (the inserted row's seenMs) and read back as EXCLUDED in the update, so
    // the decision and the answer use the same instant. A request is granted when the cell is at
    // most `tolerance` ahead of now; then the cell moves one emission interval further.
    const rows = await this.prisma.$queryRaw<PaceRow[]>`
      INSERT INTO "SendPace" AS p ("key", "tatMs", "seenMs", "grantToken")
      SELECT ${key}, n.ms + ${emissionMs}::bigint, n.ms, ${token}
        FROM (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms) AS n ${this.commitMode}
      ON CONFLICT ("key") DO UPDATE SET
        "seenMs" = EXCLUDED."seenMs",
        "tatMs" = CASE WHEN GREATEST(p."tatMs", EXCLUDED."seenMs") - EXCLUDED."seenMs" <= ${toleranceMs}::bigint
                       THEN GREATEST(p."tatMs", EXCLUDED."seenMs") + ${emissionMs}::bigint
                       ELSE p."tatMs" END,
        "grantToken" = CASE WHEN GREATEST(p."tatMs", EXCLUDED."seenMs") - EXCLUDED."seenMs" <= ${toleranceMs}::bigint
                            THEN EXCLUDED."grantToken"
                            ELSE p."grantToken" END
      RETURNING ("grantToken" = ${token}) AS granted, ("tatMs" - "seenMs")::integer AS ahead_ms`;
    const row = rows[0];
    if (!row) throw new Error('send pacing: the database returned no row');
    return { granted: row.granted, waitMs: Math.max(0, Number(row.ahead_ms) - toleranceMs) };
  }

  async prune(idleMs: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM "SendPace"
       WHERE "tatMs" < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - ${Math.round(idleMs)}::bigint`;
  }

  async close(): Promise<void> {}
}
