/**
 * Counting what Linli sends its database during `npm run bench:telegram`, for statements and
 * transactions per flow step:
 * - PostgreSQL: every statement goes through `pg.Client#query` (Prisma's adapter; the queues
 *   run on Redis and are not counted), a transaction starts with a `BEGIN` statement;
 * - embedded: the one PGlite instance's `query`/`exec`, `transaction` and the statements run
 *   inside it (Prisma's adapter and the queues on the database both go through it, so the
 *   queues' statements are counted here).
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';

export interface StatementCounts {
  statements: number;
  transactions: number;
}

const counts: StatementCounts = { statements: 0, transactions: 0 };
/** Statements by their first words (whitespace folded), when asked for (`statementKinds`). */
const kinds = new Map<string, number>();

export function statementCounts(): StatementCounts {
  return { ...counts };
}

/** Statements so far by their first 70 characters (whitespace folded). */
export function statementKinds(): Map<string, number> {
  return new Map(kinds);
}

function count(first: unknown): void {
  counts.statements += 1;
  const kind = statementText(first).replace(/\s+/g, ' ').trim().slice(0, 70);
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}

function statementText(first: unknown): string {
  return typeof first === 'string' ? first : String((first as { text?: unknown; sql?: unknown } | undefined)?.text ?? '');
}

/** Counts `pg` statements from now on (call before the app opens its pool). */
export function countPostgresStatements(): void {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as { query: (...args: unknown[]) => unknown }).query = function countedQuery(this: unknown, ...args: unknown[]) {
    count(args[0]);
    if (/^\s*begin\b/i.test(statementText(args[0]))) counts.transactions += 1;
    return original.apply(this, args);
  };
}

/** Counts the statements sent through this PGlite instance from now on. */
export function countPgliteStatements(pglite: PGlite): void {
  const counted = <A extends unknown[], R>(run: (...args: A) => R) => (...args: A): R => {
    count(args[0]);
    return run(...args);
  };
  pglite.query = counted(pglite.query.bind(pglite)) as PGlite['query'];
  pglite.exec = counted(pglite.exec.bind(pglite));
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = <T>(callback: (tx: Transaction) => Promise<T>) => {
    counts.transactions += 1;
    return transaction((tx) =>
      callback(
        new Proxy(tx, {
          get(target, property) {
            const value: unknown = Reflect.get(target, property, target);
            return typeof value === 'function' && (property === 'query' || property === 'exec' || property === 'sql')
              ? counted((value as (...args: unknown[]) => unknown).bind(target))
              : value;
          },
        }),
      ),
    );
  };
}
