/**
 * The queue backends a run can test: BullMQ on the embedded PGlite always, on PostgreSQL when
 * `TEST_DATABASE_URL` is set, on Redis when `TEST_REDIS_URL` is set. Each opened target gets its
 * own database schema or Redis key prefix, removed on close, so test files can run in parallel.
 * A configured server that cannot be reached fails the suite; it is never skipped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createQueueBackend, queueSchemaFor, type QueueBackend, type QueueBackendKind } from '../../../src/queue/backend.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

export interface OpenedQueueTarget {
  kind: QueueBackendKind;
  backend: QueueBackend;
  /** The database the queues live in (none for Redis). */
  database?: TestDatabase;
  close(): Promise<void>;
}

/** Backends configured for this run. */
export function queueTargets(): QueueBackendKind[] {
  const targets: QueueBackendKind[] = ['pglite'];
  if (process.env.TEST_DATABASE_URL) targets.push('postgres');
  if (process.env.TEST_REDIS_URL) targets.push('redis');
  return targets;
}

/** A fresh, unique suffix for names (queues, schemas, prefixes). */
export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

/** Opens a queue backend of that kind with its own schema or prefix. */
export async function openQueueTarget(kind: QueueBackendKind): Promise<OpenedQueueTarget> {
  if (kind === 'redis') return openRedis();
  const database = await createTestDatabase(kind === 'postgres' ? 'postgres' : 'pglite');
  let backend: QueueBackend;
  try {
    backend = await createQueueBackend({ database });
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    kind,
    backend,
    database,
    close: async () => {
      try {
        await backend.close();
      } finally {
        if (database.postgres) await dropSchema(database.postgres.connectionString, queueSchemaFor(database));
        await database.close();
      }
    },
  };
}

async function openRedis(): Promise<OpenedQueueTarget> {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: no Redis to test against');
  const prefix = `linli-test-${uniqueSuffix()}`;
  const backend = await createQueueBackend({ redisUrl: url, database: { kind: 'embedded' }, prefix });
  return {
    kind: 'redis',
    backend,
    close: async () => {
      try {
        await backend.close();
      } finally {
        await deleteKeys(url, `${prefix}:*`);
      }
    },
  };
}

/** Drops a schema with everything in it (a test's queue schema). */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Deletes the Redis keys matching `pattern` (a test's prefix). */
export async function deleteKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
