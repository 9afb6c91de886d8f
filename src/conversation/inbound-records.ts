/**
 * The router's three statements per message — record it (once per channel and external id), find
 * who wrote, record how it ended — as plain SQL (src/db/sql.ts): they run for every message,
 * outside any transaction, and through Prisma Client each costs several times the CPU.
 */
import { randomUUID } from 'node:crypto';
import { sqlTimestamp, utcTimestamp, type SqlRunner } from '../db/sql.js';

export interface InboundFields {
  communityId: string;
  channel: string;
  externalId: string;
  kind: string;
  receivedAt: Date;
}

/** Records an inbound message; returns its id, or undefined when it was recorded before (a re-delivery). */
export async function recordInbound(sql: SqlRunner, fields: InboundFields): Promise<string | undefined> {
  const rows = await sql.query<{ id: string }>(
    `INSERT INTO "InboundMessage" (id, "communityId", channel, "externalId", kind, status, "receivedAt")
     VALUES ($1, $2, $3, $4, $5, 'received', ${utcTimestamp('$6')})
     ON CONFLICT (channel, "externalId") DO NOTHING
     RETURNING id`,
    [randomUUID(), fields.communityId, fields.channel, fields.externalId, fields.kind, sqlTimestamp(fields.receivedAt)],
  );
  return rows[0]?.id;
}

/** Records how an inbound message ended, and whose it was. */
export async function finishInbound(sql: SqlRunner, id: string, status: 'handled' | 'failed', chatAccountId: string): Promise<void> {
  await sql.query(
    `UPDATE "InboundMessage" SET status = $2, "chatAccountId" = $3, "handledAt" = ${utcTimestamp('$4')} WHERE id = $1`,
    [id, status, chatAccountId, sqlTimestamp(new Date())],
  );
}

/** A chat account as the router needs it. */
export interface AccountSeen {
  id: string;
  locale: string | null;
  lastSeenAt: Date;
  residentId: string | null;
}

/** The account of (community, channel, external id), if there is one. */
export async function findAccount(
  sql: SqlRunner,
  key: { communityId: string; channel: string; externalId: string },
): Promise<AccountSeen | undefined> {
  const rows = await sql.query<{ id: string; locale: string | null; lastSeenAtMs: number; residentId: string | null }>(
    `SELECT id, locale, "residentId", (extract(epoch FROM "lastSeenAt") * 1000)::float8 AS "lastSeenAtMs"
       FROM "ChatAccount" WHERE "communityId" = $1 AND channel = $2 AND "externalId" = $3`,
    [key.communityId, key.channel, key.externalId],
  );
  const row = rows[0];
  return row && { id: row.id, locale: row.locale, residentId: row.residentId, lastSeenAt: new Date(row.lastSeenAtMs) };
}
