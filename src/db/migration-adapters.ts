/**
 * Driver adapter factories for the schema engine (migrations), as opposed to the ones Prisma
 * Client uses at run time. They fix two things the stock adapters get wrong for migrations:
 * - a migration script must run as one simple-protocol call, so it is atomic and its semicolons
 *   are left to PostgreSQL: `PrismaPg` splits the script on every `;` (breaking string literals
 *   and function bodies), and `PrismaPGlite` does not await it (a failing migration would be
 *   recorded as applied);
 * - the shadow database is always a throwaway in-memory PGlite, closed when the engine lets go
 *   of it, so diffs need no server and no CREATE DATABASE privilege.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { newPglite, newPrismaPglite } from './pglite-modules.js';
import { withSearchPath, type PostgresTarget } from './postgres-url.js';

/** The key of the session-level advisory lock the engine takes around migrations. */
const engineMigrationLockKey = 72707369;

/**
 * Migrations on an open PGlite instance, shared with the app: disposing leaves it open, and
 * releases the engine's advisory lock, which would otherwise stay held by PGlite's one session.
 */
export function pgliteMigrationAdapter(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: 'linli-pglite-migrations',
    connect: () =>
      connectPglite(pglite, async () => {
        await pglite.query(
          `SELECT pg_advisory_unlock(objid::bigint) FROM pg_locks
           WHERE locktype = 'advisory' AND objid = $1 AND pid = pg_backend_pid() AND granted`,
          [engineMigrationLockKey],
        );
      }),
    connectToShadowDb: connectThrowawayPglite,
  };
}

/**
 * Migrations on PostgreSQL in `target.schema`. Each connection is a pool of exactly one client:
 * the engine takes a session-level advisory lock and never releases it, so lock and migrations
 * must share a session, and ending the pool on dispose is what frees the lock.
 */
export function postgresMigrationAdapter(target: PostgresTarget): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: 'linli-postgres-migrations',
    async connect() {
      const pool = new pg.Pool({ connectionString: withSearchPath(target), max: 1 });
      const adapter = await new PrismaPg(pool, { schema: target.schema }).connect();
      return withScriptRunner(adapter, async (script) => {
        await pool.query(script);
      }, () => pool.end());
    },
    connectToShadowDb: connectThrowawayPglite,
  };
}

/**
 * The database side of a diff: an empty in-memory PGlite that the migrations are replayed into
 * as the shadow database. The engine also opens its main connection at start but, for a diff,
 * only asks it whether a schema exists; starting a PGlite takes seconds, so the main connection
 * and the first shadow share one instance, closed once both are disposed. Later shadows get
 * their own, so each starts empty.
 */
export function diffBaseAdapter(): SqlMigrationAwareDriverAdapterFactory {
  let shared: { pglite: Promise<PGlite>; users: number; shadowTaken: boolean } | undefined;
  const connectShared = async (asShadow: boolean): Promise<SqlDriverAdapter> => {
    // Taken synchronously, so two connections opened at once share one instance.
    shared ??= { pglite: newPglite(), users: 0, shadowTaken: false };
    const instance = shared;
    if (asShadow) instance.shadowTaken = true;
    instance.users++;
    const pglite = await instance.pglite;
    await pglite.waitReady;
    return connectPglite(pglite, async () => {
      if (--instance.users > 0) return;
      if (shared === instance) shared = undefined;
      await pglite.close();
    });
  };
  return {
    provider: 'postgres',
    adapterName: 'linli-pglite-diff-base',
    connect: () => connectShared(false),
    connectToShadowDb: () => (shared?.shadowTaken ? connectThrowawayPglite() : connectShared(true)),
  };
}

async function connectThrowawayPglite(): Promise<SqlDriverAdapter> {
  const pglite = await newPglite();
  await pglite.waitReady;
  return connectPglite(pglite, () => pglite.close());
}

async function connectPglite(pglite: PGlite, release: () => Promise<void>): Promise<SqlDriverAdapter> {
  const adapter = await (await newPrismaPglite(pglite)).connect();
  return withScriptRunner(adapter, async (script) => {
    await pglite.exec(script);
  }, release);
}

function withScriptRunner(
  adapter: SqlDriverAdapter,
  runScript: (script: string) => Promise<void>,
  release: () => Promise<void>,
): SqlDriverAdapter {
  let disposed: Promise<void> | undefined;
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: adapter.getConnectionInfo ? () => adapter.getConnectionInfo!() : undefined,
    async executeScript(script) {
      try {
        await runScript(script);
      } catch (error) {
        throw toDriverAdapterError(error);
      }
    },
    dispose() {
      disposed ??= adapter.dispose().then(release);
      return disposed;
    },
  };
}

/** Lets the engine report PostgreSQL's own message (code, detail, hint) for a failed script. */
function toDriverAdapterError(error: unknown): unknown {
  if (error instanceof DriverAdapterError || !(error instanceof Error)) return error;
  const { code, severity, detail, column, hint } = error as Error & Record<string, unknown>;
  if (typeof code !== 'string' || typeof severity !== 'string') return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code,
    severity,
    message: error.message,
    detail: typeof detail === 'string' ? detail : undefined,
    column: typeof column === 'string' ? column : undefined,
    hint: typeof hint === 'string' ? hint : undefined,
  });
}
