/**
 * Opens Linli's database: embedded PostgreSQL (PGlite, on disk in `DATA_DIR`) when no
 * `DATABASE_URL` is set, a PostgreSQL server otherwise. Both come with the same Prisma Client.
 *
 * Rules that keep both backends behaving alike (see STACK-NOTES): inside
 * `prisma.$transaction(async (tx) => …)` use only `tx` — on PGlite anything else waits for the
 * transaction to end and fails it; run `migrate()` before any traffic; always `close()`.
 */
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './data-dir-lock.js';
import { newPglite, newPrismaPglite } from './pglite-modules.js';
import type { EventLoopShareOptions } from './event-loop-share.js';
import { applyMigrations, type MigrationPaths } from './migrate.js';
import { pgliteMigrationAdapter, postgresMigrationAdapter } from './migration-adapters.js';
import type { RecordedMigration } from './recorded-migrations.js';
import { resolvePostgresTarget, withSearchPath, type PostgresTarget } from './postgres-url.js';
import { makePrivateFolder, tightenTree } from './private-data-dir.js';
import { pgliteSqlRunner, pgSqlRunner, registerSqlRunner } from './sql.js';
import { postgresChangeListener, type ChangeListener } from './change-listener.js';
import type { Logger } from '../log/logger.js';

export interface OpenDatabaseOptions {
  /** A postgresql:// URL; unset means the embedded database. A `?schema=` parameter is honoured. */
  databaseUrl?: string;
  /** Where the embedded database lives (`<dataDir>/pglite`). */
  dataDir: string;
  /** PostgreSQL schema for Linli's tables (default: the URL's `schema`, else `public`). */
  schema?: string;
  /** Embedded only: keep the database in memory (tests). */
  inMemory?: boolean;
  /** Embedded in-memory only: start from a `PGlite.dumpDataDir()` snapshot (tests). */
  loadDataDir?: Blob;
  /** Where the migrations and schema are (defaults: the project's `prisma/`). */
  migrations?: MigrationPaths;
  /**
   * Embedded on disk: told once, when the database is opened, how many entries of an existing
   * data directory other users could read or write (they are owner-only now).
   */
  reportTightened?: (entries: number) => void;
  /** Embedded only: how its statements take turns with the rest of the process (tests give a clock). */
  eventLoopShare?: EventLoopShareOptions;
  /** PostgreSQL: where the change listener says its connection dropped and came back. */
  logger?: Logger;
}

export interface Database {
  kind: 'embedded' | 'postgres';
  prisma: PrismaClient;
  /** Embedded only: the process's one PGlite instance, to be shared with the queue layer. */
  pglite?: PGlite;
  /** PostgreSQL only: the server (without Linli's schema in it) and the schema Linli uses. */
  postgres?: PostgresTarget;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  /** Disconnects Prisma and closes PGlite or the pool; safe to call twice. */
  close(): Promise<void>;
  /**
   * PostgreSQL only: LISTEN on a channel with a connection of its own (for what `pg_notify`
   * tells every process). The embedded database has one process: in-process events suffice.
   */
  listen?: ChangeListener;
}

/** Opens the database the options describe; migrations are not applied until `migrate()`. */
export function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openEmbedded(options);
}

async function openEmbedded(options: OpenDatabaseOptions): Promise<Database> {
  let release = async () => {};
  let pglite: PGlite;
  if (options.inMemory) {
    pglite = await newPglite(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}, options.eventLoopShare);
  } else {
    await makePrivateFolder(options.dataDir);
    release = await lockDataDir(join(options.dataDir, 'pglite.lock'));
    try {
      const loosened = await tightenTree(options.dataDir);
      if (loosened > 0) options.reportTightened?.(loosened);
    } catch (error) {
      await release();
      throw error;
    }
    pglite = await newPglite({ dataDir: join(options.dataDir, 'pglite') }, options.eventLoopShare);
  }
  try {
    await pglite.waitReady;
    // What PGlite unpacked or rewrote while starting (see private-data-dir.ts).
    if (!options.inMemory) await tightenTree(options.dataDir);
  } catch (error) {
    await pglite.close().catch(() => {});
    await release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: await newPrismaPglite(pglite) });
  registerSqlRunner(prisma, pgliteSqlRunner(pglite));
  return {
    kind: 'embedded',
    prisma,
    pglite,
    migrate: () =>
      applyMigrations(pgliteMigrationAdapter(pglite), options.migrations, async (sql) => (await pglite.query<RecordedMigration>(sql)).rows),
    ping: () => pingWith(prisma),
    close: once(async () => {
      try {
        await prisma.$disconnect();
        await pglite.close();
        if (!options.inMemory) await tightenTree(options.dataDir);
      } finally {
        await release();
      }
    }),
  };
}

async function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): Promise<Database> {
  const target = resolvePostgresTarget(databaseUrl, options.schema);
  // Prisma Client qualifies names with `schema`; the search path covers raw SQL. One pool serves
  // Prisma and the plain statements of the hot path (src/db/sql.ts).
  const pool = new pg.Pool({ connectionString: withSearchPath(target) });
  const adapter = new PrismaPg(pool, { schema: target.schema });
  const prisma = new PrismaClient({ adapter });
  registerSqlRunner(prisma, pgSqlRunner(pool));
  return {
    kind: 'postgres',
    prisma,
    postgres: target,
    listen: postgresChangeListener(withSearchPath(target), options.logger ? { logger: options.logger } : {}),
    migrate: () =>
      applyMigrations(postgresMigrationAdapter(target), options.migrations, async (sql) => (await pool.query<RecordedMigration>(sql)).rows),
    ping: () => pingWith(prisma),
    // Ends the pool: an open pg pool keeps the process alive (Prisma leaves a pool it was given open).
    close: once(async () => {
      try {
        await prisma.$disconnect();
      } finally {
        await pool.end();
      }
    }),
  };
}

async function pingWith(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}
