/**
 * A turn's writes as one SQL statement: the flow runs begun and ended, the conversation's new
 * state (only if its version is still the one read), and the replies as outbox rows. One
 * statement is atomic by itself, so a turn that ran no effect needs no transaction around it;
 * a turn that did runs it inside the effects' transaction. If the version moved on, nothing at
 * all is written and `updated` is 0.
 *
 * A person's turn also settles the inbound message it answers (`inbound`): the row is locked and
 * marked handled in the same statement, and nothing is written unless it was still `received` —
 * so a message taken up again after a crash, or handled by two processes at once, changes the
 * conversation once (`claimed` 0 tells the caller another turn settled it).
 *
 * Loading goes the same way: the conversation's columns the turn needs, in one plain statement.
 */
import { SqlParams, sqlTimestamp, utcTimestamp } from '../db/sql.js';
import { outboxInsertSql, type OutboxEntry, type QueuedOutboxRow } from '../outbox/outbox.js';
import type { InboundReceipt } from './inbound-records.js';
import type { EngineResult, Json } from './engine-types.js';

/** The conversation columns a turn reads. */
export interface ConversationRow {
  id: string;
  chatAccountId: string;
  channel: string;
  chatId: string;
  flowRunId: string | null;
  flowId: string | null;
  stepId: string | null;
  data: Json;
  history: Json;
  wrongAnswers: number;
  /** When a reply last offered numbered choices here (a channel without buttons), epoch ms. */
  numberedAtMs: number | null;
  version: number;
}

const CONVERSATION_COLUMNS = `id, "chatAccountId", channel, "chatId", "flowRunId", "flowId", "stepId", data, history, "wrongAnswers",
  (extract(epoch FROM "numberedAt") * 1000)::float8 AS "numberedAtMs", version`;

/**
 * The {@link ConversationRow} of chat `chatId` on channel `channel` with account `chatAccountId`
 * (SQL expressions), as one jsonb value (null when there is none): for a statement that reads
 * the conversation beside something else.
 */
export function conversationJsonSql(channel: string, chatId: string, chatAccountId: string): string {
  return `(SELECT to_jsonb(c) FROM (SELECT ${CONVERSATION_COLUMNS} FROM "Conversation"
            WHERE channel = ${channel} AND "chatId" = ${chatId} AND "chatAccountId" = ${chatAccountId}) c)`;
}

/** Selects {@link ConversationRow} by its unique key (`$1` channel, `$2` chat, `$3` account). */
export const SELECT_CONVERSATION_SQL = `
  SELECT ${CONVERSATION_COLUMNS} FROM "Conversation" WHERE channel = $1 AND "chatId" = $2 AND "chatAccountId" = $3`;

/** Selects {@link ConversationRow} by id (`$1`). */
export const SELECT_CONVERSATION_BY_ID_SQL = `SELECT ${CONVERSATION_COLUMNS} FROM "Conversation" WHERE id = $1`;

export interface TurnWrite {
  conversation: Pick<ConversationRow, 'id' | 'version'>;
  result: Pick<EngineResult, 'state' | 'runsStarted' | 'runsEnded'>;
  /** Leave the conversation row alone (nothing about the person's place changed). */
  keepVersion: boolean;
  idleStage: number;
  replies: readonly OutboxEntry[];
  /** The replies offer numbered choices: a number typed next answers them (`numberedAt` becomes now). */
  numbered?: boolean;
  now: Date;
  /** The inbound message this turn answers, settled by it (absent for an idle timer's turn). */
  inbound?: InboundReceipt;
  /**
   * Write the replies claimed, for this process to send at once (`OutboxDispatcher.claimsOnWrite`);
   * those it could claim are named in `sending`.
   */
  claimReplies?: boolean;
}

/** Reads `updated`: 1 when the conversation was saved (or left alone on purpose), 0 on a version conflict. */
export interface TurnWriteResult {
  updated: number;
  /** 0 when the turn's inbound message was no longer `received`: nothing was written. */
  claimed: number;
  /** With `claimReplies`: the replies written claimed (`sending`), to be sent by this process now. */
  sending?: string[];
}

/** The statement that saves a turn, and the outbox rows it writes. */
export function turnWriteSql(write: TurnWrite): { sql: string; values: unknown[]; rows: QueuedOutboxRow[] } {
  const params = new SqlParams();
  const { conversation, result, now } = write;
  // Added when first used: a parameter the statement never mentions has no type, an error.
  const once = (make: () => string) => {
    let made: string | undefined;
    return () => (made ??= make());
  };
  const at = once(() => utcTimestamp(params.add(sqlTimestamp(now))));
  const conversationId = once(() => `${params.add(conversation.id)}::text`);
  const parts: string[] = [];
  const inbound = write.inbound;
  // Locked first: a second turn of the same message waits here, then finds it settled.
  if (inbound) {
    parts.push(`claim AS (
      SELECT id FROM "InboundMessage" WHERE id = ${params.add(inbound.inboundId)}::text AND status = 'received' FOR UPDATE)`);
  }
  const claimed = inbound ? 'EXISTS (SELECT 1 FROM claim)' : undefined;
  // Every other write happens only if the guarded update did.
  const guard = write.keepVersion ? claimed : 'EXISTS (SELECT 1 FROM saved)';
  const and = guard ? `AND ${guard}` : '';

  if (!write.keepVersion) {
    const next = result.state;
    parts.push(`saved AS (
      UPDATE "Conversation"
         SET "flowRunId" = ${params.add(next?.runId ?? null)}, "flowId" = ${params.add(next?.flowId ?? null)},
             "stepId" = ${params.add(next?.stepId ?? null)}, data = ${params.add(JSON.stringify(next?.data ?? {}))}::jsonb,
             history = ${params.add(JSON.stringify(next?.history ?? []))}::jsonb, "wrongAnswers" = ${params.add(next?.wrongAnswers ?? 0)}::int,
             "idleStage" = ${params.add(write.idleStage)}::int, "lastActivityAt" = ${at()}, "updatedAt" = ${at()}, version = version + 1${write.numbered ? `, "numberedAt" = ${at()}` : ''}
       WHERE id = ${conversationId()} AND version = ${params.add(conversation.version)}::int ${claimed ? `AND ${claimed}` : ''}
      RETURNING id)`);
  }
  if (inbound) {
    parts.push(`settled AS (
      UPDATE "InboundMessage"
         SET status = 'handled', "chatAccountId" = ${params.add(inbound.chatAccountId)}::text, "handledAt" = ${at()},
             payload = NULL, "claimedUntil" = NULL
       WHERE id IN (SELECT id FROM claim) ${and})`);
  }

  // A run that begins and ends in the same turn is written ended: the update below cannot see a
  // row this statement inserts. The first end given counts, as when each was applied in turn.
  const endOf = new Map<string, string>();
  for (const run of result.runsEnded) if (!endOf.has(run.runId)) endOf.set(run.runId, run.how);
  const started = new Set(result.runsStarted.map((run) => run.runId));
  if (result.runsStarted.length > 0) {
    const ids = result.runsStarted.map((run) => run.runId);
    const ended = ids.map((id) => endOf.get(id) ?? null);
    parts.push(`begun AS (
      INSERT INTO "FlowRun" (id, "conversationId", "flowId", status, "startedAt", "endedAt")
      SELECT r.id, ${conversationId()}, r.flow_id, COALESCE(r.ended_how, 'active'), ${at()}, CASE WHEN r.ended_how IS NULL THEN NULL ELSE ${at()} END
        FROM unnest(${params.add(ids)}::text[], ${params.add(result.runsStarted.map((run) => run.flowId))}::text[],
                    ${params.add(ended)}::text[]) AS r(id, flow_id, ended_how)
       ${guard ? `WHERE ${guard}` : ''})`);
  }
  const endedEarlier = [...endOf].filter(([runId]) => !started.has(runId));
  if (endedEarlier.length > 0) {
    parts.push(`ended AS (
      UPDATE "FlowRun" f SET status = e.how, "endedAt" = ${at()}
        FROM unnest(${params.add(endedEarlier.map(([runId]) => runId))}::text[], ${params.add(endedEarlier.map(([, how]) => how))}::text[]) AS e(id, how)
       WHERE f.id = e.id AND f.status = 'active' ${and})`);
  }
  let rows: QueuedOutboxRow[] = [];
  if (write.replies.length > 0) {
    const insert = outboxInsertSql(write.replies, params, guard, write.claimReplies ? at() : undefined);
    rows = insert.rows;
    parts.push(`replies AS (${insert.sql})`);
  }

  const updated = write.keepVersion ? '1' : '(SELECT count(*)::int FROM saved)';
  const sending = write.claimReplies && write.replies.length > 0 ? `, ARRAY(SELECT id FROM replies WHERE status = 'sending') AS sending` : '';
  const answer = `SELECT ${updated} AS updated, ${inbound ? '(SELECT count(*)::int FROM claim)' : '1'} AS claimed${sending}`;
  const sql = parts.length > 0 ? `WITH ${parts.join(',\n')}\n${answer}` : answer;
  return { sql, values: params.values, rows };
}
