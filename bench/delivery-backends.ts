/**
 * The backends the delivery benchmarks run on, each opened fresh and removed afterwards:
 * - `embedded`: PGlite (queues and pacing in it), in a temporary data directory;
 * - `postgres`: PostgreSQL for the data, the queues and the pacing (fresh schemas);
 * - `redis`: PostgreSQL for the data, Redis for the queues and the pacing (a fresh key prefix) —
 *   the production shape.
 * Plus the shared settings of both delivery benchmarks, read from the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../src/db/database.js';
import type { Logger } from '../src/log/logger.js';
import { createSendPacer } from '../src/outbox/create-send-pacer.js';
import type { SendPacer } from '../src/outbox/send-pacer.js';
import { createQueueBackend, queueSchemaFor, type QueueBackend } from '../src/queue/backend.js';
import { deleteRedisPrefix, dropSchemas, freshName, postgresProblem, redisProblem } from './bench-services.js';

export type DeliveryBackendName = 'embedded' | 'postgres' | 'redis';

export const BACKEND_LABELS: Record<DeliveryBackendName, string> = {
  embedded: 'embedded (PGlite: data, queues, pacing)',
  postgres: 'PostgreSQL (data, queues, pacing)',
  redis: 'PostgreSQL data + Redis queues and pacing',
};

export interface DeliveryBenchSettings {
  backends: DeliveryBackendName[];
  databaseUrl: string;
  redisUrl: string;
  /** Multiplies Telegram's limits (the fake's and ours alike). */
  scale: number;
  /** Households (private chats) in the bulk send: the seed community's. */
  households: number;
  groups: number;
  /** Messages each group chat gets (so a group's own rate can be measured). */
  messagesPerGroup: number;
  concurrency: number;
  /** The fake forgives a call this early for its sliding windows (network jitter). */
  graceMs: number;
  /** Shortest limiter window for the bot's overall budget (unset: the default). */
  limiterWindowMs: number | undefined;
  /**
   * The queues' PostgreSQL sessions and the database pacer wait for the disk at every commit, as
   * they did before they stopped (to compare; the outbox rows always do).
   */
  durableCommits: boolean;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
}

export function readDeliveryBenchSettings(defaultBackends: DeliveryBackendName[]): DeliveryBenchSettings {
  const backends = (process.env.BENCH_BACKENDS ?? defaultBackends.join(','))
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const backend of backends) {
    if (!(backend in BACKEND_LABELS)) throw new Error(`BENCH_BACKENDS: unknown backend "${backend}" (embedded, postgres, redis)`);
  }
  return {
    backends: backends as DeliveryBackendName[],
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    scale: positiveInt('BENCH_SCALE', 10),
    households: positiveInt('BENCH_HOUSEHOLDS', 3076),
    groups: positiveInt('BENCH_GROUPS', 50),
    messagesPerGroup: positiveInt('BENCH_MESSAGES_PER_GROUP', 20),
    // The app's default (DELIVERY_CONCURRENCY).
    concurrency: positiveInt('BENCH_CONCURRENCY', 20),
    graceMs: positiveInt('BENCH_GRACE_MS', 10),
    limiterWindowMs: process.env.BENCH_WINDOW_MS ? positiveInt('BENCH_WINDOW_MS', 0) : undefined,
    durableCommits: process.env.BENCH_DURABLE_COMMITS === '1',
  };
}

/** An opened backend. `where` lets another process open the same one (see crash.ts). */
export interface OpenedBackend {
  name: DeliveryBackendName;
  database: Database;
  queues: QueueBackend;
  pacer: SendPacer;
  where: BackendLocation;
  /** Closes the connections (the data stays; see `removeBackend`). */
  close(): Promise<void>;
}

/** Enough to open the same backend again, from any process. */
export interface BackendLocation {
  name: DeliveryBackendName;
  dataDir: string;
  databaseUrl?: string;
  schema?: string;
  redisUrl?: string;
  prefix: string;
}

/** Undefined when the backend's servers answer, else why not. */
export async function backendProblem(name: DeliveryBackendName, settings: DeliveryBenchSettings): Promise<string | undefined> {
  if (name === 'embedded') return undefined;
  const postgres = await postgresProblem(settings.databaseUrl);
  if (postgres) return `PostgreSQL at ${settings.databaseUrl}: ${postgres}`;
  if (name === 'redis') {
    const redis = await redisProblem(settings.redisUrl);
    if (redis) return `Redis at ${settings.redisUrl}: ${redis}`;
  }
  return undefined;
}

/** A fresh location for one run. */
export function freshLocation(name: DeliveryBackendName, settings: DeliveryBenchSettings): BackendLocation {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-delivery-'));
  const prefix = freshName('lbd');
  if (name === 'embedded') return { name, dataDir, prefix };
  return {
    name,
    dataDir,
    prefix,
    databaseUrl: settings.databaseUrl,
    schema: freshName('bench_delivery_'),
    ...(name === 'redis' ? { redisUrl: settings.redisUrl } : {}),
  };
}

/** Opens (and on first use migrates) the backend at `where`. */
export async function openBackend(
  where: BackendLocation,
  logger: Logger,
  options: { durableCommits?: boolean } = {},
): Promise<OpenedBackend> {
  const database = await openDatabase({
    dataDir: where.dataDir,
    ...(where.databaseUrl ? { databaseUrl: where.databaseUrl, schema: where.schema } : {}),
  });
  try {
    await database.migrate();
    const durableCommits = options.durableCommits ?? false;
    const queues = await createQueueBackend({
      database,
      logger,
      durableCommits,
      prefix: where.prefix,
      ...(where.redisUrl ? { redisUrl: where.redisUrl } : {}),
    });
    const pacer = createSendPacer({
      durableCommits,
      kind: queues.kind,
      prisma: database.prisma,
      prefix: where.prefix,
      logger,
      ...(where.redisUrl ? { redisUrl: where.redisUrl } : {}),
    });
    return {
      name: where.name,
      database,
      queues,
      pacer,
      where,
      async close() {
        await queues.close();
        await pacer.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Removes what a run left: schemas, keys, the data directory. */
export async function removeBackend(where: BackendLocation): Promise<void> {
  if (where.databaseUrl && where.schema) {
    const queueSchema = queueSchemaFor({ kind: 'postgres', postgres: { connectionString: where.databaseUrl, schema: where.schema } });
    await dropSchemas(where.databaseUrl, [where.schema, queueSchema]);
  }
  if (where.redisUrl) await deleteRedisPrefix(where.redisUrl, where.prefix);
  rmSync(where.dataDir, { recursive: true, force: true });
}
