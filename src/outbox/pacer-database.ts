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
import type { PrismaClient } from '../db/prisma-types.js';
import { sqlRunnerFor, type SqlRunner } from '../db/sql.js';
import { gcraParams, paceDecision, slotsWanted, type PaceDecision, type SendPacer, type TakeOptions } from './send-pacer.js';

interface PaceRow {
  slots: number;
  ahead_us: number;
  start_us: number;
}

/** The database clock in epoch microseconds. */
const NOW_US = `(extract(epoch FROM clock_timestamp()) * 1000000)::bigint`;
/** Joined into a move: its own transaction commits without waiting for the disk. */
const ASYNC_COMMIT = `CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS commit_mode`;

/*
 * One move of a cell. "now" is taken once (the inserted row's seenUs) and read back as EXCLUDED
 * in the update, so the decision and the answer use the same instant. The first slot starts when
 * the cell says, or now if the cell is behind; it is granted when it starts at most the limit
 * ($3: tolerance + horizon) from now, with as many following slots as also start within the limit,
 * up to $5 in all; the cell moves that many emission intervals ($2) past the start. The grant
 * token records "<request>:<slots>", so the answer can say whether, and how many, were granted.
 */
const AHEAD = `(GREATEST(p."tatUs", EXCLUDED."seenUs") - EXCLUDED."seenUs")`;
const SLOTS_AFTER_AHEAD = (ahead: string) => `LEAST($5::bigint, ($3::bigint - ${ahead}) / $2::bigint + 1)`;
const GRANTED_SLOTS = `(CASE WHEN split_part("grantToken", ':', 1) = $4::text THEN split_part("grantToken", ':', 2)::int ELSE 0 END)`;
const takeStatement = (commitMode: string) => `
  INSERT INTO "SendPace" AS p ("key", "tatUs", "seenUs", "grantToken")
  SELECT $1, n.us + ${SLOTS_AFTER_AHEAD('0')} * $2::bigint, n.us, $4::text || ':' || ${SLOTS_AFTER_AHEAD('0')}
    FROM (SELECT ${NOW_US} AS us) AS n ${commitMode}
  ON CONFLICT ("key") DO UPDATE SET
    "seenUs" = EXCLUDED."seenUs",
    "tatUs" = CASE WHEN ${AHEAD} <= $3::bigint
                   THEN GREATEST(p."tatUs", EXCLUDED."seenUs") + ${SLOTS_AFTER_AHEAD(AHEAD)} * $2::bigint
                   ELSE p."tatUs" END,
    "grantToken" = CASE WHEN ${AHEAD} <= $3::bigint
                        THEN $4::text || ':' || ${SLOTS_AFTER_AHEAD(AHEAD)}
                        ELSE p."grantToken" END
  RETURNING ${GRANTED_SLOTS} AS slots,
            ("tatUs" - "seenUs")::float8 AS ahead_us,
            ("tatUs" - ${GRANTED_SLOTS} * $2::bigint - "seenUs")::float8 AS start_us`;

/** Moves the cell to now + $2 µs unless it is later already. */
const HOLD_STATEMENT = `
  INSERT INTO "SendPace" AS p ("key", "tatUs", "seenUs")
  SELECT $1, n.us + $2::bigint, n.us FROM (SELECT ${NOW_US} AS us) AS n
  ON CONFLICT ("key") DO UPDATE SET "tatUs" = GREATEST(p."tatUs", EXCLUDED."tatUs"), "seenUs" = EXCLUDED."seenUs"`;

export interface DatabaseSendPacerOptions {
  /** Wait for each move to reach the disk before answering (default false; see the module comment). */
  durableCommits?: boolean;
}

export class DatabaseSendPacer implements SendPacer {
  private readonly sql: SqlRunner;
  private readonly take_: string;

  constructor(prisma: PrismaClient, options: DatabaseSendPacerOptions = {}) {
    // Straight to the driver: a move is one statement on every message's path.
    this.sql = sqlRunnerFor(prisma);
    // set_config(…, true) lasts until the end of the statement's own transaction, so it governs
    // that commit and nothing else the connection does.
    this.take_ = takeStatement(options.durableCommits ? '' : ASYNC_COMMIT);
  }

  async take(key: string, rate: SendRate, options: TakeOptions = {}): Promise<PaceDecision> {
    const params = gcraParams(rate);
    const horizonMs = Math.max(0, options.horizonMs ?? 0);
    const limitUs = params.toleranceUs + Math.round(horizonMs * 1000);
    const rows = await this.sql.query<PaceRow>(this.take_, [key, params.emissionUs, limitUs, randomUUID(), slotsWanted(options)]);
    const row = rows[0];
    if (!row) throw new Error('send pacing: the database returned no row');
    return paceDecision(Number(row.slots), Number(row.ahead_us), Number(row.start_us), params, horizonMs);
  }

  async hold(key: string, ms: number): Promise<void> {
    await this.sql.query(HOLD_STATEMENT, [key, Math.max(0, Math.ceil(ms * 1000))]);
  }

  async prune(idleMs: number): Promise<number> {
    const rows = await this.sql.query<{ pruned: number }>(
      `WITH gone AS (DELETE FROM "SendPace" WHERE "tatUs" < ${NOW_US} - $1::bigint RETURNING 1)
       SELECT count(*)::int AS pruned FROM gone`,
      [Math.round(idleMs * 1000)],
    );
    return rows[0]?.pruned ?? 0;
  }

  async close(): Promise<void> {}
}
