/**
 * Plain SQL on the hot path, sent straight to the driver under Prisma (a `pg` pool, or the
 * embedded PGlite). A statement through Prisma Client costs about 0.4 ms of CPU — its query
 * engine, tracing and result mapping — where the driver alone takes about 0.1 ms; a turn of
 * conversation and its delivery send a dozen such statements.
 *
 * Outside transactions only: on the embedded database a statement sent here waits for any open
 * Prisma transaction to end, so one sent from inside a transaction would wait for itself. Inside
 * a transaction use `tx` (`runInTransaction`).
 *
 * Results keep to types every backend returns alike — text, int4, boolean, jsonb (parsed); no
 * int8 (`pg` gives a string, PGlite a bigint) and no timestamps (`pg` reads `timestamp` in the
 * process's time zone): cast those in the statement. Timestamps go in as {@link sqlTimestamp}.
 */
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { PrismaClient, Tx } from './prisma-types.js';

/** Runs single statements outside any transaction. */
export interface SqlRunner {
  /** Runs `text` with `$1…` bound to `values`; returns the rows as objects by column name. */
  query<Row>(text: string, values: readonly unknown[]): Promise<Row[]>;
}

const runners = new WeakMap<PrismaClient, SqlRunner>();

/** Called by `openDatabase`: statements for this client go to its driver directly. */
export function registerSqlRunner(prisma: PrismaClient, runner: SqlRunner): void {
  runners.set(prisma, runner);
}

/**
 * The runner for a client opened by `openDatabase`; for any other client, one that goes through
 * Prisma's raw queries (same results, only slower).
 */
export function sqlRunnerFor(prisma: PrismaClient): SqlRunner {
  let runner = runners.get(prisma);
  if (!runner) {
    runner = { query: <Row>(text: string, values: readonly unknown[]) => prisma.$queryRawUnsafe<Row[]>(text, ...values) };
    runners.set(prisma, runner);
  }
  return runner;
}

/** Runs one statement inside a Prisma transaction (same text and values as for a runner). */
export function runInTransaction<Row>(tx: Tx, text: string, values: readonly unknown[]): Promise<Row[]> {
  return tx.$queryRawUnsafe<Row[]>(text, ...values);
}

/** A runner over a `pg` pool (the one Prisma's adapter uses, so no extra connections). */
export function pgSqlRunner(pool: pg.Pool): SqlRunner {
  return {
    async query<Row>(text: string, values: readonly unknown[]) {
      const result = await pool.query({ text, values: values as unknown[] });
      return result.rows as Row[];
    },
  };
}

/** A runner over the embedded database (statements queue behind open transactions). */
export function pgliteSqlRunner(pglite: PGlite): SqlRunner {
  return {
    async query<Row>(text: string, values: readonly unknown[]) {
      const result = await pglite.query<Row>(text, values as unknown[]);
      return result.rows;
    },
  };
}

/**
 * A timestamp parameter, written as Prisma writes `DateTime` (UTC, in a `timestamp(3)` column):
 * use it as `$n::timestamptz AT TIME ZONE 'UTC'`, so the session's time zone plays no part.
 */
export function sqlTimestamp(date: Date): string {
  return date.toISOString();
}

/** A UTC timestamp expression for a parameter made by {@link sqlTimestamp}. */
export function utcTimestamp(placeholder: string): string {
  return `(${placeholder}::timestamptz AT TIME ZONE 'UTC')`;
}

/** Collects parameters for a statement built in pieces: `add(value)` returns its placeholder. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
