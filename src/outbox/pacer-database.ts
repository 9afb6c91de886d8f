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
import { gcraParams, paceDecision, slotsWanted, type GcraParams, type PaceDecision, type SendPacer, type TakeOptions } from './send-pacer.js';

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

/*
 * One slot each for several cells in one statement (a chat's take before each send: when several
 * sends go at once, their chats' takes go together). Each request's emission interval rides in
 * the proposed row's "tatUs" (now + emission), its limit and token in its "grantToken"
 * ("<request>:<limit µs>"), since ON CONFLICT's update sees only the proposed row; the same rule
 * as a single take of one slot. A key may appear once per statement.
 */
const takeEachStatement = (commitMode: string) => `
  INSERT INTO "SendPace" AS p ("key", "tatUs", "seenUs", "grantToken")
  SELECT r.key, n.us + r.emission, n.us, r.token || ':' || r.lim
    FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) AS r(key, emission, lim, token)
    CROSS JOIN (SELECT ${NOW_US} AS us) AS n ${commitMode}
  ON CONFLICT ("key") DO UPDATE SET
    "seenUs" = EXCLUDED."seenUs",
    "tatUs" = CASE WHEN ${AHEAD} <= split_part(EXCLUDED."grantToken", ':', 2)::bigint
                   THEN GREATEST(p."tatUs", EXCLUDED."seenUs") + (EXCLUDED."tatUs" - EXCLUDED."seenUs")
                   ELSE p."tatUs" END,
    "grantToken" = CASE WHEN ${AHEAD} <= split_part(EXCLUDED."grantToken", ':', 2)::bigint
                        THEN EXCLUDED."grantToken"
                        ELSE p."grantToken" END
  RETURNING "key", split_part("grantToken", ':', 1) AS token, ("tatUs" - "seenUs")::float8 AS ahead_us`;

/** Single-slot takes per statement at most. */
const TAKE_EACH_BATCH = 200;

interface TakeRequest {
  key: string;
  params: GcraParams;
  limitUs: number;
  token: string;
  resolve: (decision: PaceDecision) => void;
  reject: (error: unknown) => void;
}

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
  private readonly takeEach: string;
  /** Single-slot takes waiting for the statement on its way to be answered. */
  private readonly waiting: TakeRequest[] = [];
  private writing = false;

  constructor(prisma: PrismaClient, options: DatabaseSendPacerOptions = {}) {
    // Straight to the driver: a move is one statement on every message's path.
    this.sql = sqlRunnerFor(prisma);
    // set_config(…, true) lasts until the end of the statement's own transaction, so it governs
    // that commit and nothing else the connection does.
    this.take_ = takeStatement(options.durableCommits ? '' : ASYNC_COMMIT);
    this.takeEach = takeEachStatement(options.durableCommits ? '' : ASYNC_COMMIT);
  }

  async take(key: string, rate: SendRate, options: TakeOptions = {}): Promise<PaceDecision> {
    const params = gcraParams(rate);
    const horizonMs = Math.max(0, options.horizonMs ?? 0);
    const limitUs = params.toleranceUs + Math.round(horizonMs * 1000);
    // One slot, none reserved ahead (a chat's take before its send): with the takes asked for
    // while a statement is on its way, in the next one. An idle pacer answers at once.
    if (horizonMs === 0 && slotsWanted(options) === 1) {
      return new Promise<PaceDecision>((resolve, reject) => {
        this.waiting.push({ key, params, limitUs, token: randomUUID(), resolve, reject });
        if (!this.writing) void this.writeTakes();
      });
    }
    const rows = await this.sql.query<PaceRow>(this.take_, [key, params.emissionUs, limitUs, randomUUID(), slotsWanted(options)]);
    const row = rows[0];
    if (!row) throw new Error('send pacing: the database returned no row');
    return paceDecision(Number(row.slots), Number(row.ahead_us), Number(row.start_us), params, horizonMs);
  }

  private async writeTakes(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        // A key once per statement (ON CONFLICT updates a row once): a second take of it waits for the next.
        const batch: TakeRequest[] = [];
        const keys = new Set<string>();
        for (let i = 0; i < this.waiting.length && batch.length < TAKE_EACH_BATCH; ) {
          const request = this.waiting[i]!;
          if (keys.has(request.key)) {
            i += 1;
            continue;
          }
          keys.add(request.key);
          batch.push(request);
          this.waiting.splice(i, 1);
        }
        try {
          const rows = await this.sql.query<{ key: string; token: string; ahead_us: number }>(this.takeEach, [
            batch.map((r) => r.key),
            batch.map((r) => r.params.emissionUs),
            batch.map((r) => r.limitUs),
            batch.map((r) => r.token),
          ]);
          const byKey = new Map(rows.map((row) => [row.key, row]));
          for (const request of batch) {
            const row = byKey.get(request.key);
            if (!row) {
              request.reject(new Error('send pacing: the database returned no row'));
              continue;
            }
            const granted = row.token === request.token;
            const aheadUs = Number(row.ahead_us);
            const startUs = granted ? aheadUs - request.params.emissionUs : 0;
            request.resolve(paceDecision(granted ? 1 : 0, aheadUs, startUs, request.params, 0));
          }
        } catch (error) {
          for (const request of batch) request.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
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
