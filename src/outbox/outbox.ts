/**
 * The transactional outbox. A message is written as an outbox row in the same transaction as
 * the change that caused it; after commit it is handed to the delivery queue. A sweep hands
 * over rows that never were (a crash between commit and enqueue), rows whose job the queue no
 * longer has, and rows left "sending" by a worker that died mid-send.
 */
import { randomUUID } from 'node:crypto';
import type { OutboundMessage, ChannelName } from '../channels/types.js';
import type { PrismaClient, Tx } from '../db/prisma-types.js';
import { SqlParams, sqlRunnerFor, sqlTimestamp, utcTimestamp, type SqlRunner } from '../db/sql.js';
import type { Logger } from '../log/logger.js';
import { storedPayload } from './stored-payload.js';
import { UNFINISHED_SQL, type ClaimedOutboxRow } from './delivery.js';

/**
 * Replies to someone talking to the bot go first; bulk sends wait behind them. An emergency
 * alert's messages are a bulk send that goes ahead of every other bulk send (a notice, a
 * disclosure, a reminder), still behind replies, which are what answering the alert produces.
 */
export const PRIORITY_REPLY = 1;
export const PRIORITY_ALERT = 5;
export const PRIORITY_BULK = 10;

export interface OutboxEntry {
  communityId: string;
  channel: ChannelName;
  chatId: string;
  chatAccountId?: string | null;
  message: OutboundMessage;
  priority?: number;
  /** Set for the recipients of a bulk send (see `createBulkSend`). */
  bulkSendId?: string;
  /**
   * The language the person had chosen when `message` was rendered for them (null: none): kept
   * with the row and given to the channel when it sends (`SendContext.chosenLocale`), so sending
   * needs no look at the account. Absent: the channel looks it up if it cares.
   */
  chosenLocale?: string | null;
}

export interface QueuedOutboxRow {
  id: string;
  priority: number;
  /** Where it goes, when the writer knows (rows written by `writeOutbox`): lets a reply go out directly. */
  channel?: string;
  chatId?: string;
  /**
   * Written `sending`, claimed by the statement that wrote it for this process to send at once
   * (see {@link OutboxDispatcher.claimsOnWrite}): what the send needs, so it needs no claim.
   */
  claimed?: ClaimedOutboxRow;
}

/** Sends rows straight from this process; returns those it did not send (`DeliveryWorkers.deliverNow`). */
export type DirectDelivery = (rows: readonly DirectRow[]) => Promise<DirectRow[]>;

/** A reply as direct delivery needs it. */
export interface DirectRow {
  id: string;
  priority: number;
  channel: string;
  chatId: string;
  /** Claimed when written: sent with no claim (and handed back, if not sent, to be released). */
  claimed?: ClaimedOutboxRow;
}

/** The row an entry written `sending` becomes, as its send needs it (nothing is recorded about a reply: no refs). */
export function claimedRowOf(entry: OutboxEntry): ClaimedOutboxRow {
  return {
    channel: entry.channel,
    chatId: entry.chatId,
    chatAccountId: entry.chatAccountId ?? null,
    payload: storedPayload(entry.message, entry.chosenLocale),
  };
}

/**
 * Rows written per statement: a bulk send of 12,000 recipients is 12 statements — not 12,000
 * round trips, nor one statement that holds the (embedded) database for seconds with no word of
 * progress.
 */
export const OUTBOX_WRITE_CHUNK = 1_000;

export interface WriteOutboxOptions {
  /**
   * Called after each chunk with the rows written so far. Runs inside the caller's transaction:
   * it must not use the database except through that transaction (on the embedded database any
   * other connection waits for the transaction to end).
   */
  onWritten?: (written: number, total: number) => void | Promise<void>;
}

/**
 * Writes rows inside the caller's transaction, {@link OUTBOX_WRITE_CHUNK} per statement, in
 * order (their `seq` follows `entries`). Touches nothing outside it.
 *
 * One plain INSERT of arrays per chunk: the ORM's bulk insert spends several times longer
 * compiling and binding each row than the database spends storing it, and on the embedded
 * database that time holds every other query up.
 */
export async function writeOutbox(tx: Tx, entries: readonly OutboxEntry[], options: WriteOutboxOptions = {}): Promise<QueuedOutboxRow[]> {
  const written: QueuedOutboxRow[] = [];
  for (let start = 0; start < entries.length; start += OUTBOX_WRITE_CHUNK) {
    const params = new SqlParams();
    const insert = outboxInsertSql(entries.slice(start, start + OUTBOX_WRITE_CHUNK), params);
    const inserted = await tx.$executeRawUnsafe(insert.sql, ...params.values);
    if (inserted !== insert.rows.length) throw new Error(`outbox: wrote ${inserted} of ${insert.rows.length} rows`);
    for (const row of insert.rows) written.push(row);
    await options.onWritten?.(written.length, entries.length);
  }
  return written;
}

/**
 * The INSERT of `entries` as outbox rows (their `seq` follows `entries`), its values added to
 * `params`, for a statement of the caller's making (the conversation's turn writes its replies
 * in the statement that saves it). `onlyIf`: an SQL condition; when false, nothing is written.
 * Returns the statement and the rows it writes (their ids are chosen here).
 *
 * `claimAt` (an SQL timestamp): the rows are written claimed, `sending` since then, for this
 * process to send at once — each unless an earlier message to its chat, at least as urgent, is
 * still to go (then `pending`, to wait its turn as any row). The statement then returns each
 * row's `id` and `status`. Rows of one chat written together are all claimed: they go one after
 * another, in order, from the process that wrote them.
 */
export function outboxInsertSql(
  entries: readonly OutboxEntry[],
  params: SqlParams,
  onlyIf?: string,
  claimAt?: string,
): { sql: string; rows: QueuedOutboxRow[] } {
  const rows = entries.map((entry) => ({
    id: randomUUID(),
    priority: entry.priority ?? PRIORITY_REPLY,
    channel: entry.channel as string,
    chatId: entry.chatId,
  }));
  const claimed = claimAt
    ? {
        columns: ', "status", "claimedAt", "attempts"',
        values: `, c.status, CASE WHEN c.status = 'sending' THEN ${claimAt} END, CASE WHEN c.status = 'sending' THEN 1 ELSE 0 END`,
        // The one rule of per-chat order, as the claim of a queued row applies it.
        status: `CROSS JOIN LATERAL (SELECT CASE WHEN EXISTS (SELECT 1 FROM "OutboxMessage" e
                   WHERE e.channel = t.channel AND e."chatId" = t.chat_id AND e.priority <= t.priority AND e.status IN (${UNFINISHED_SQL}))
                 THEN 'pending' ELSE 'sending' END AS status) c`,
        returning: 'RETURNING id, status',
      }
    : { columns: '', values: '', status: '', returning: '' };
  const sql = `
    INSERT INTO "OutboxMessage" ("id", "communityId", "channel", "chatId", "chatAccountId", "payload", "priority", "bulkSendId"${claimed.columns})
    SELECT t.id, t.community_id, t.channel, t.chat_id, t.chat_account_id, t.payload, t.priority, t.bulk_send_id${claimed.values}
      FROM unnest(
             ${params.add(rows.map((row) => row.id))}::text[],
             ${params.add(entries.map((entry) => entry.communityId))}::text[],
             ${params.add(entries.map((entry) => entry.channel))}::text[],
             ${params.add(entries.map((entry) => entry.chatId))}::text[],
             ${params.add(entries.map((entry) => entry.chatAccountId ?? null))}::text[],
             ${params.add(entries.map((entry) => JSON.stringify(storedPayload(entry.message, entry.chosenLocale))))}::jsonb[],
             ${params.add(rows.map((row) => row.priority))}::int[],
             ${params.add(entries.map((entry) => entry.bulkSendId ?? null))}::text[]
           ) WITH ORDINALITY AS t(id, community_id, channel, chat_id, chat_account_id, payload, priority, bulk_send_id, n)
     ${claimed.status}
     ${onlyIf ? `WHERE ${onlyIf}` : ''}
     ORDER BY t.n
     ${claimed.returning}`;
  return { sql, rows };
}

/** An unfinished row the sweep looks at. */
export interface RecoverableRow {
  id: string;
  channel: string;
  priority: number;
  status: string;
}

/** `alive`: its job will run; `requeued`: it had none and got one; `failed`: its retries had run out. */
export type RecoveryResult = 'alive' | 'requeued' | 'failed';

/** How rows reach the delivery queues (`DeliveryScheduler`). */
export interface DeliverySchedule {
  /**
   * Queues rows written by a transaction that has committed, and marks them `queued`; rows
   * `claimed` when written (and not sent) are let go of so.
   */
  schedule(rows: readonly QueuedOutboxRow[]): Promise<void>;
  /** Makes sure an unfinished row has a live job. */
  recover(row: RecoverableRow): Promise<RecoveryResult>;
  /** Lets go of messages still parked behind one that has finished; returns how many. */
  wakeStranded(): Promise<number>;
}

/** Rows the sweep looks at per page, and at most per run (the next run goes on from there). */
const SWEEP_PAGE = 500;
const SWEEP_BUDGET = 2_000;

export class OutboxDispatcher {
  /** Where the last sweep stopped (row seq), so a long backlog is checked a part at a time. */
  private sweepCursor = 0n;

  private readonly sql: SqlRunner;

  /** @param delivery how rows reach the queues: a `DeliveryScheduler`. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly delivery: DeliverySchedule,
    private readonly logger: Logger,
  ) {
    this.sql = sqlRunnerFor(prisma);
  }

  /**
   * Replies are sent straight from this process (see {@link sendRepliesDirectly}); set when it
   * runs the delivery workers.
   */
  private direct: DirectDelivery | undefined;
  /** Channels whose replies this process claims as it writes them (see {@link claimsOnWrite}). */
  private claimable: ((channel: string) => boolean) | undefined;

  /**
   * From now on replies go out straight from this process instead of through the delivery
   * queue: about four statements and a queue pick-up fewer for the person waiting. What cannot
   * go at once (an earlier message to the chat still on its way, the chat's budget) is queued as
   * before, with what follows it to the same chat. `claimable`: the channels whose replies may
   * be claimed by the statement that writes them (`DeliveryWorkers.claimsOnWrite`).
   */
  sendRepliesDirectly(direct: DirectDelivery, claimable?: (channel: string) => boolean): void {
    this.direct = direct;
    this.claimable = claimable;
  }

  /**
   * Whether replies to `channel` written now may be written claimed (`sending`), to go out from
   * this process at once with no claim of their own: one statement fewer per reply. Only where
   * nothing can hold a claimed reply back for long (no account budget to wait for): a claim that
   * old is taken over by the sweep, and the message would go twice. A process that dies before
   * sending leaves them `sending`; the sweep hands them over once their claim is old.
   */
  claimsOnWrite(channel: string): boolean {
    return this.direct !== undefined && (this.claimable?.(channel) ?? false);
  }

  /** Call after the transaction that wrote `rows` has committed. */
  async dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const { now, queued } = this.splitDirect(rows);
    if (queued.length > 0) await this.queue(queued);
    if (now.length > 0) void this.sendNow(now);
  }

  /** Hands rows to the delivery queues (which mark them `queued`). */
  private async queue(rows: readonly QueuedOutboxRow[]): Promise<void> {
    await this.delivery.schedule(rows);
  }

  /**
   * Replies that may go straight out: each chat's replies up to the first message that is not
   * one (what follows waits behind that, queued).
   */
  private splitDirect(rows: readonly QueuedOutboxRow[]) {
    const now: DirectRow[] = [];
    const queued: QueuedOutboxRow[] = [];
    const heldChats = new Set<string>();
    for (const row of rows) {
      const chat = row.channel !== undefined && row.chatId !== undefined ? `${row.channel}\u0000${row.chatId}` : undefined;
      if (this.direct && chat && row.priority === PRIORITY_REPLY && !heldChats.has(chat)) {
        now.push({ id: row.id, priority: row.priority, channel: row.channel!, chatId: row.chatId!, ...(row.claimed ? { claimed: row.claimed } : {}) });
      } else {
        queued.push(row);
        if (chat) heldChats.add(chat);
      }
    }
    return { now, queued };
  }

  private async sendNow(rows: DirectRow[]): Promise<void> {
    let left: DirectRow[] = rows;
    try {
      left = await this.direct!(rows);
    } catch (error) {
      this.logger.warn({ count: rows.length, err: String(error) }, 'direct delivery failed: queued instead');
    }
    if (left.length === 0) return;
    // Rows claimed when written and handed back unsent are let go of as they are queued.
    await this.queue(left).catch((error: unknown) =>
      // Still `pending` (or `sending`, claimed when written): the outbox sweep queues them.
      this.logger.error({ count: left.length, err: String(error) }, 'could not queue replies; the outbox sweep will'),
    );
  }

  /**
   * Hands over what a crash or a lost job left behind: messages parked behind one that has
   * finished (their wake-up was lost), rows never queued (older than `pendingAgeMs`), rows
   * queued or retrying for longer than `stuckSendingMs` whose job the queue no longer runs,
   * and rows "sending" for longer than that with no live job (their worker died; a row whose
   * job is still active is left to the queue's stalled-job check). Returns how many rows got a
   * new job. A row that was sending may have reached the person before the crash: it can go
   * twice, and only those.
   */
  async sweep(pendingAgeMs: number, stuckSendingMs: number): Promise<number> {
    const woken = await this.delivery.wakeStranded();
    if (woken > 0) this.logger.info({ count: woken }, 'outbox sweep woke parked messages');
    const now = Date.now();
    const pendingBefore = new Date(now - pendingAgeMs);
    const stuckBefore = new Date(now - stuckSendingMs);
    let requeued = 0;
    let looked = 0;
    while (looked < SWEEP_BUDGET) {
      const rows = await this.prisma.outboxMessage.findMany({
        where: {
          seq: { gt: this.sweepCursor },
          OR: [
            { status: 'pending', createdAt: { lt: pendingBefore } },
            { status: { in: ['queued', 'retrying'] }, createdAt: { lt: stuckBefore }, OR: [{ enqueuedAt: null }, { enqueuedAt: { lt: stuckBefore } }] },
            { status: 'sending', claimedAt: { lt: stuckBefore } },
          ],
        },
        orderBy: { seq: 'asc' },
        take: SWEEP_PAGE,
        select: { id: true, seq: true, channel: true, priority: true, status: true },
      });
      looked += rows.length;
      const again: string[] = [];
      for (const row of rows) {
        // One row that cannot be handed over now (its job in a state that refuses removal) is
        // looked at again by the next sweep; the others, and a start-up, go on.
        const recovered = await this.delivery.recover(row).catch((error: unknown) => {
          this.logger.warn({ outboxId: row.id, err: error instanceof Error ? error.message : String(error) }, 'outbox sweep could not hand a message over; the next sweep tries again');
          return 'alive' as const;
        });
        if (recovered === 'requeued') again.push(row.id);
        // A long loop of awaited queries on the embedded database starves timers (lock renewals).
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (again.length > 0) await this.markQueued(again);
      requeued += again.length;
      if (rows.length < SWEEP_PAGE) {
        this.sweepCursor = 0n;
        break;
      }
      this.sweepCursor = rows[rows.length - 1]!.seq;
    }
    if (requeued > 0) this.logger.info({ count: requeued }, 'outbox sweep re-queued messages');
    return requeued;
  }

  private async markQueued(ids: string[]): Promise<void> {
    const enqueuedAt = sqlTimestamp(new Date());
    for (let start = 0; start < ids.length; start += OUTBOX_WRITE_CHUNK) {
      await this.sql.query(
        `UPDATE "OutboxMessage" SET status = 'queued', "enqueuedAt" = ${utcTimestamp('$2')}
          WHERE id = ANY($1::text[]) AND status = 'pending'`,
        [ids.slice(start, start + OUTBOX_WRITE_CHUNK), enqueuedAt],
      );
    }
  }
}
