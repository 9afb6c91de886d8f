/**
 * Records sends, several per statement: a send that finishes while the previous record is on
 * its way to the database joins the next one. An idle process records each send at once (no
 * wait is added); under a burst, when every statement queues behind others (the embedded
 * database runs one at a time), the records of the sends that finished meanwhile go as one.
 *
 * Nothing changes for a crash: a row is `sending` until its record has committed, as before, and
 * the outbox sweep takes it over once its claim is old.
 */
import { sqlTimestamp, utcTimestamp, type SqlRunner } from '../db/sql.js';

/** Records per statement at most. */
const BATCH = 500;

interface SentRecord {
  outboxId: string;
  externalMessageId: string;
  resolve: (chatHasMore: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Marks the rows sent and says, for each, whether its chat has other messages still to go (the
 * common case, one message per chat, then needs no further look to wake the next). Two rows of
 * one chat are never in one statement: the second is claimed only once the first is finished.
 */
const MARK_SENT_SQL = (unfinished: string) => `
  UPDATE "OutboxMessage" o
     SET status = 'sent', "sentAt" = ${utcTimestamp('$1')}, "externalMessageId" = v.ext, "lastError" = NULL
    FROM unnest($2::text[], $3::text[]) AS v(id, ext)
   WHERE o.id = v.id
  RETURNING o.id, EXISTS (
    SELECT 1 FROM "OutboxMessage" e
     WHERE e.channel = o.channel AND e."chatId" = o."chatId" AND e.id <> o.id
       AND e.status IN (${unfinished})) AS "chatHasMore"`;

class SentRecorder {
  private readonly waiting: SentRecord[] = [];
  private writing = false;
  private readonly statement: string;

  constructor(
    private readonly sql: SqlRunner,
    unfinishedSql: string,
  ) {
    this.statement = MARK_SENT_SQL(unfinishedSql);
  }

  record(outboxId: string, externalMessageId: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ outboxId, externalMessageId, resolve, reject });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, BATCH);
        try {
          const rows = await this.sql.query<{ id: string; chatHasMore: boolean }>(this.statement, [
            sqlTimestamp(new Date()),
            batch.map((record) => record.outboxId),
            batch.map((record) => record.externalMessageId),
          ]);
          const more = new Map(rows.map((row) => [row.id, row.chatHasMore]));
          // A row not found (gone): its chat may have more, look as before.
          for (const record of batch) record.resolve(more.get(record.outboxId) ?? true);
        } catch (error) {
          for (const record of batch) record.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

const recorders = new WeakMap<SqlRunner, SentRecorder>();

/** Records a send through `sql`, with the sends that finish while a record is being written. */
export function recordSent(sql: SqlRunner, unfinishedSql: string, outboxId: string, externalMessageId: string): Promise<boolean> {
  let recorder = recorders.get(sql);
  if (!recorder) {
    recorder = new SentRecorder(sql, unfinishedSql);
    recorders.set(sql, recorder);
  }
  return recorder.record(outboxId, externalMessageId);
}
