/**
 * The router's statements per message — record it (once per channel and external id) and claim
 * it, find who wrote, record how it ended — as plain SQL (src/db/sql.ts): they run for every
 * message, outside any transaction, and through Prisma Client each costs several times the CPU.
 *
 * A message stays `received` until the turn that handles it marks it handled in its own writes
 * (`settleInboundIn`, or the turn's one statement): a crash before that commit leaves it
 * `received`, and it is taken up again — by a re-delivery, or by the sweep — once its claim has
 * run out. The claim (`claimedUntil`, renewed while a process works on it) only keeps two
 * processes from working on one message at once; the settling guard alone makes it once.
 */
import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';
import { runInTransaction, sqlTimestamp, utcTimestamp, type SqlRunner } from '../db/sql.js';
import { conversationJsonSql, type ConversationRow } from './turn-sql.js';

export interface InboundFields {
  communityId: string;
  channel: string;
  externalId: string;
  kind: string;
  receivedAt: Date;
}

/** A claim on a message: taken at `now`, held until `until` unless renewed. */
export interface ClaimTimes {
  now: Date;
  until: Date;
}

/** A message this process now works on: new, or `takenUp` again after a crash left it. */
export interface ClaimedInbound {
  id: string;
  takenUp: boolean;
}

/** The inbound row a turn settles, and whose it is. */
export interface InboundReceipt {
  inboundId: string;
  chatAccountId: string;
  /**
   * Set once a committed write of the turn marked the message (`markSettled`): the router then
   * has nothing left to record and spares the statement. Unset: it records the end itself.
   */
  settled?: boolean;
}

/** Notes, after the commit that marked the message, that it is settled. */
export function markSettled(receipt: InboundReceipt | undefined): void {
  if (receipt) receipt.settled = true;
}

/** The turn's message was settled by another turn (a re-delivery or the sweep got there first). */
export class InboundAlreadySettled extends Error {
  constructor() {
    super('inbound message already settled');
    this.name = 'InboundAlreadySettled';
  }
}

/**
 * Records an inbound message and claims it. A re-delivery of one still `received` whose claim
 * has run out (its process died) claims it again. Undefined: it ended already, or a live
 * process is working on it — a true duplicate.
 */
export async function recordInbound(
  sql: SqlRunner,
  fields: InboundFields,
  message: InboundMessage,
  claim: ClaimTimes,
): Promise<ClaimedInbound | undefined> {
  const rows = await sql.query<{ id: string; fresh: boolean }>(
    `INSERT INTO "InboundMessage" (id, "communityId", channel, "externalId", kind, status, "receivedAt", payload, "claimedUntil")
     VALUES ($1, $2, $3, $4, $5, 'received', ${utcTimestamp('$6')}, $7::jsonb, ${utcTimestamp('$8')})
     ON CONFLICT (channel, "externalId") DO UPDATE SET "claimedUntil" = EXCLUDED."claimedUntil"
       WHERE "InboundMessage".status = 'received'
         AND ("InboundMessage"."claimedUntil" IS NULL OR "InboundMessage"."claimedUntil" <= ${utcTimestamp('$9')})
     RETURNING id, (xmax::text = '0') AS fresh`,
    [
      randomUUID(),
      fields.communityId,
      fields.channel,
      fields.externalId,
      fields.kind,
      sqlTimestamp(fields.receivedAt),
      JSON.stringify(message),
      sqlTimestamp(claim.until),
      sqlTimestamp(claim.now),
    ],
  );
  const row = rows[0];
  return row && { id: row.id, takenUp: !row.fresh };
}

/** Keeps this process's claims on messages it still works on. */
export async function renewClaims(sql: SqlRunner, ids: readonly string[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql.query(
    `UPDATE "InboundMessage" SET "claimedUntil" = ${utcTimestamp('$2')} WHERE id = ANY($1::text[]) AND status = 'received'`,
    [ids, sqlTimestamp(until)],
  );
}

/** A stranded message claimed by the sweep; `message` undefined when it was recorded without one. */
export interface StrandedInbound {
  id: string;
  message: InboundMessage | undefined;
}

/**
 * Claims up to `limit` messages still `received` whose claim ran out (`ignoreClaims`: every one,
 * for a process that knows it is the only one), oldest first. Rows another process is claiming
 * at this moment are skipped, not waited for.
 */
export async function claimStranded(
  sql: SqlRunner,
  communityId: string,
  claim: ClaimTimes,
  /** `held`: rows this process works on already, never taken twice. */
  options: { limit: number; ignoreClaims: boolean; held: readonly string[] },
): Promise<StrandedInbound[]> {
  const rows = await sql.query<{ id: string; payload: unknown; receivedAtMs: number }>(
    `UPDATE "InboundMessage" m SET "claimedUntil" = ${utcTimestamp('$2')}
      WHERE m.id IN (
        SELECT id FROM "InboundMessage"
         WHERE "communityId" = $1 AND status = 'received'
           AND ($5::boolean OR "claimedUntil" IS NULL OR "claimedUntil" <= ${utcTimestamp('$3')})
           AND NOT (id = ANY($6::text[]))
         ORDER BY "receivedAt", id
         LIMIT $4::int
         FOR UPDATE SKIP LOCKED)
      RETURNING m.id, m.payload, (extract(epoch FROM m."receivedAt") * 1000)::float8 AS "receivedAtMs"`,
    [communityId, sqlTimestamp(claim.until), sqlTimestamp(claim.now), options.limit, options.ignoreClaims, options.held],
  );
  return rows
    .sort((a, b) => a.receivedAtMs - b.receivedAtMs || (a.id < b.id ? -1 : 1))
    .map((row) => ({ id: row.id, message: messageOf(row.payload) }));
}

/** The neutral message as it was recorded (its instant revived), if the row kept a usable one. */
function messageOf(payload: unknown): InboundMessage | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const stored = payload as Partial<Record<keyof InboundMessage, unknown>>;
  if (typeof stored.channel !== 'string' || typeof stored.chatId !== 'string' || typeof stored.senderId !== 'string') return undefined;
  if (typeof stored.externalId !== 'string' || typeof stored.kind !== 'string' || typeof stored.receivedAt !== 'string') return undefined;
  return { ...(payload as InboundMessage), receivedAt: new Date(stored.receivedAt) };
}

const SETTLE_SET = `status = $2, "chatAccountId" = $3, "handledAt" = ${utcTimestamp('$4')}, payload = NULL, "claimedUntil" = NULL`;

/**
 * Records how a message ended — if no turn has settled it yet (a handler that wrote nothing, a
 * failure, a message that cannot be read back). Returns whether this call ended it.
 */
export async function finishInbound(sql: SqlRunner, id: string, status: 'handled' | 'failed', chatAccountId: string | null): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE "InboundMessage" SET ${SETTLE_SET} WHERE id = $1 AND status = 'received' RETURNING id`,
    [id, status, chatAccountId, sqlTimestamp(new Date())],
  );
  return rows.length === 1;
}

/**
 * Inside a turn's transaction, first: marks its message `status` (locking the row, so a second
 * turn of the same message waits here and then finds it settled). Throws
 * {@link InboundAlreadySettled} when another turn settled it: the transaction must roll back.
 */
export async function settleInboundIn(tx: Tx, receipt: InboundReceipt, status: 'handled' | 'failed' = 'handled'): Promise<void> {
  const rows = await runInTransaction<{ id: string }>(
    tx,
    `UPDATE "InboundMessage" SET ${SETTLE_SET} WHERE id = $1 AND status = 'received' RETURNING id`,
    [receipt.inboundId, status, receipt.chatAccountId, sqlTimestamp(new Date())],
  );
  if (rows.length === 0) throw new InboundAlreadySettled();
}

/** A chat account as the router needs it. */
export interface AccountSeen {
  id: string;
  locale: string | null;
  lastSeenAt: Date;
  residentId: string | null;
}

/**
 * The account of (community, channel, external id), if there is one, and with it (`chatId`
 * given) its conversation in that chat — null when it has none yet — in the same round trip:
 * the turn that follows needs both.
 */
export async function findAccount(
  sql: SqlRunner,
  key: { communityId: string; channel: string; externalId: string },
  chatId?: string,
): Promise<(AccountSeen & { conversation?: ConversationRow | null }) | undefined> {
  const conversation = chatId === undefined ? 'NULL::jsonb' : conversationJsonSql('a.channel', '$4', 'a.id');
  const rows = await sql.query<{ id: string; locale: string | null; lastSeenAtMs: number; residentId: string | null; conversation: ConversationRow | null }>(
    `SELECT a.id, a.locale, a."residentId", (extract(epoch FROM a."lastSeenAt") * 1000)::float8 AS "lastSeenAtMs",
            ${conversation} AS conversation
       FROM "ChatAccount" a WHERE a."communityId" = $1 AND a.channel = $2 AND a."externalId" = $3`,
    chatId === undefined ? [key.communityId, key.channel, key.externalId] : [key.communityId, key.channel, key.externalId, chatId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const account = { id: row.id, locale: row.locale, residentId: row.residentId, lastSeenAt: new Date(row.lastSeenAtMs) };
  return chatId === undefined ? account : { ...account, conversation: row.conversation };
}
