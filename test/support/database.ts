/**
 * Real databases for tests, never mocks. By default an in-memory PGlite; with
 * `TEST_DATABASE_URL` set, also (and by default) PostgreSQL in a fresh schema `t_<random>`,
 * dropped on `close()`, so test files can run in parallel on one server.
 *
 * Typical use, running a suite on every available backend:
 *
 *   describe.each(databaseTargets())('on %s', (target) => {
 *     let db: TestDatabase;
 *     beforeAll(async () => { db = await createTestDatabase(target); });
 *     afterAll(() => db.close());
 *   });
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migratedPgliteSnapshot } from './pglite-snapshot.js';

export type DatabaseTarget = 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  target: DatabaseTarget;
}

export interface TestDatabaseOptions {
  /** Apply the migrations (default true); false gives an empty database. */
  migrate?: boolean;
}

/** The backends this run can test: PGlite always, PostgreSQL when `TEST_DATABASE_URL` is set. */
export function databaseTargets(): DatabaseTarget[] {
  return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

/** Opens a database for one test file: PostgreSQL when configured, else PGlite, unless `target` says. */
export async function createTestDatabase(
  target: DatabaseTarget = testDatabaseUrl() ? 'postgres' : 'pglite',
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  return target === 'postgres' ? createPostgres(migrate) : createPglite(migrate);
}

async function createPglite(migrate: boolean): Promise<TestDatabase> {
  const loadDataDir = migrate ? await migratedPgliteSnapshot() : undefined;
  const database = await openDatabase({ dataDir: tmpdir(), inMemory: true, loadDataDir });
  // A no-op on the snapshot (tens of ms), kept so a wrong snapshot fails loudly here.
  if (migrate) await migrateOrClose(database);
  return { ...database, target: 'pglite' };
}

async function createPostgres(migrate: boolean): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  if (!url) throw new Error('TEST_DATABASE_URL is not set: no PostgreSQL to test against');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ databaseUrl: url, dataDir: tmpdir(), schema });
  const close = async () => {
    await database.close();
    await dropSchema(url, schema);
  };
  const testDatabase: TestDatabase = { ...database, target: 'postgres', close: once(close) };
  if (migrate) await migrateOrClose(testDatabase);
  return testDatabase;
}

async function migrateOrClose(database: Database): Promise<void> {
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Drops the test schema and the queue schema that lives beside it (see queueSchemaFor). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}_bullmq" CASCADE`);
  } finally {
    await client.end();
  }
}

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}
