/**
 * Claims rows for sending, several per statement: claims asked for while earlier ones are on
 * their way to the database go together in the next statement. An idle process claims each row
 * at once (no wait is added); during a bulk send, when the account's gate lets a message go every
 * few milliseconds and each statement takes longer than that (the embedded database runs one at a
 * time; on a busy machine every round trip stretches), the claims of the slots that began
 * meanwhile go as one — the statement per message that stood between a slot and its send.
 *
 * Nothing changes for order or a crash: each row is claimed by the same guarded update as alone
 * (claimable, and no earlier message to its chat at least as urgent unfinished; two rows of one
 * chat in one statement see each other unfinished, so only the earlier goes), is `sending` from
 * then on, and is sent right after, its slot already begun.
 */
import { sqlTimestamp, utcTimestamp, type SqlRunner } from '../db/sql.js';
import type { ClaimedOutboxRow } from './delivery.js';

/** Claims per statement at most. */
const BATCH = 200;
/**
 * Claim statements on their way at once: a second one may start while the first is answered,
 * so a claim asked for just after a statement left waits for no whole round trip.
 */
const IN_FLIGHT = 2;

interface ClaimRequest {
  outboxId: string;
  resolve: (row: ClaimedOutboxRow | undefined) => void;
  reject: (error: unknown) => void;
}

type ClaimedRow = ClaimedOutboxRow & { id: string };

/**
 * The guarded claim of rows by id (see `claim` in delivery.ts), for many at once. `$3`, when
 * given, takes over rows left `sending` since before it (their worker died).
 */
function claimSql(claimable: string, earlierUnfinished: string, reclaim: boolean): string {
  return `
    UPDATE "OutboxMessage" o
       SET status = 'sending', "claimedAt" = ${utcTimestamp('$1')}, attempts = o.attempts + 1
     WHERE o.id = ANY($2::text[])
       AND (o.status IN (${claimable}) ${reclaim ? `OR (o.status = 'sending' AND o."claimedAt" < ${utcTimestamp('$3')})` : ''})
       AND NOT ${earlierUnfinished}
    RETURNING o.id, o.channel, o."chatId", o."chatAccountId", o.payload,
              EXISTS (SELECT 1 FROM "MessageRef" r WHERE r."outboxId" = o.id) AS "hasRefs"`;
}

class ClaimBatcher {
  private readonly waiting: ClaimRequest[] = [];
  private writing = 0;
  private readonly statement: string;

  constructor(
    private readonly sql: SqlRunner,
    claimable: string,
    earlierUnfinished: string,
    private readonly reclaimAfterMs: number | undefined,
  ) {
    this.statement = claimSql(claimable, earlierUnfinished, reclaimAfterMs !== undefined);
  }

  claim(outboxId: string): Promise<ClaimedOutboxRow | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ outboxId, resolve, reject });
      if (this.writing < IN_FLIGHT) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing += 1;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, BATCH);
        // One row asked for twice at once (a job and a direct send racing): the first asker
        // may have it, the second finds it taken, as if it had come after.
        const first = new Map<string, ClaimRequest>();
        for (const request of batch) {
          if (first.has(request.outboxId)) request.resolve(undefined);
          else first.set(request.outboxId, request);
        }
        const now = Date.now();
        const values: unknown[] = [sqlTimestamp(new Date(now)), [...first.keys()]];
        if (this.reclaimAfterMs !== undefined) values.push(sqlTimestamp(new Date(now - this.reclaimAfterMs)));
        try {
          const rows = await this.sql.query<ClaimedRow>(this.statement, values);
          const claimed = new Map(rows.map((row) => [row.id, row]));
          for (const [outboxId, request] of first) {
            const row = claimed.get(outboxId);
            if (!row) {
              request.resolve(undefined);
              continue;
            }
            const { id: _id, ...rest } = row;
            request.resolve(rest);
          }
        } catch (error) {
          for (const request of first.values()) request.reject(error);
        }
      }
    } finally {
      this.writing -= 1;
    }
  }
}

const batchers = new WeakMap<SqlRunner, Map<string, ClaimBatcher>>();

/**
 * Claims the row through `sql`, together with the claims asked for meanwhile; undefined when it
 * may not go now (finished, held by another run, or an earlier message to its chat unfinished).
 * `reclaimAfterMs`: also take it over when left `sending` for longer than that.
 */
export function claimRow(
  sql: SqlRunner,
  sqlParts: { claimable: string; earlierUnfinished: string },
  outboxId: string,
  reclaimAfterMs: number | undefined,
): Promise<ClaimedOutboxRow | undefined> {
  let byReclaim = batchers.get(sql);
  if (!byReclaim) {
    byReclaim = new Map();
    batchers.set(sql, byReclaim);
  }
  const key = String(reclaimAfterMs ?? 'never');
  let batcher = byReclaim.get(key);
  if (!batcher) {
    batcher = new ClaimBatcher(sql, sqlParts.claimable, sqlParts.earlierUnfinished, reclaimAfterMs);
    byReclaim.set(key, batcher);
  }
  return batcher.claim(outboxId);
}
