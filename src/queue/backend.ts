/**
 * The queue connection factory: the only module that knows which BullMQ backend runs.
 *
 * - `redisUrl` set → BullMQ on Redis (ioredis). Workers retry forever while Redis is away
 *   (`maxRetriesPerRequest: null`); producers fail fast, so a caller (the outbox) can retry later.
 * - otherwise the queues live in the application's database, in their own schema (default `bullmq`):
 *   on PostgreSQL through one `pg.Pool`, on the embedded PGlite through {@link openPglitePool}.
 *   BullMQ's migrations run when the backend is created, before any traffic.
 *
 * Everything else asks this module for a queue or a worker and never sees a connection.
 */
import pg from 'pg';
import { Redis } from 'ioredis';
import type { PGlite } from '@electric-sql/pglite';
import {
  PostgresConnection,
  PostgresQueueBackend,
  Queue,
  QueueEvents,
  Worker,
  quoteSchemaName,
  runMigrations,
  type BackendFactory,
  type DefaultJobOptions,
  type IQueueBackend,
  type JobProgress,
  type PgPool,
  type Processor,
  type QueueEventsOptions,
  type WorkerOptions,
} from 'bullmq';
import type { Logger } from '../log/logger.js';
import type { QueueName } from './names.js';
import type { JobPayload } from './jobs.js';
import { openPglitePool, type PglitePool } from './pglite-pool.js';

/** Which BullMQ backend a {@link QueueBackend} runs on. */
export type QueueBackendKind = 'redis' | 'postgres' | 'pglite';

/** A queue as the rest of Linli sees it, whatever the backend. */
export type LinliQueue<T> = Queue<T, unknown, string, T, unknown, string, IQueueBackend, unknown>;
/** A worker as the rest of Linli sees it, whatever the backend. */
export type LinliWorker<T> = Worker<T, unknown, string, IQueueBackend, JobProgress, unknown>;
/** Queue events (completed, failed, …) as the rest of Linli sees them. */
export type LinliQueueEvents = QueueEvents<unknown, IQueueBackend, unknown>;
/** A job handler. Throw to fail the attempt; throw `Worker.RateLimitError()` after `worker.rateLimit(ms)` to wait without using one. */
export type LinliProcessor<T> = Processor<T, unknown, string>;
/** Worker settings other than the connection: concurrency, limiter, lockDuration, autorun… */
export type WorkerSettings = Omit<WorkerOptions, 'connection' | 'prefix'>;
/** Queue-events settings other than the connection. */
export type QueueEventsSettings = Omit<QueueEventsOptions, 'connection' | 'prefix'>;

/** The database the queues may live in; `openDatabase(...)`'s result fits. */
export interface QueueDatabase {
  kind: 'embedded' | 'postgres';
  /** The embedded database (kind `embedded`). */
  pglite?: PGlite;
  /** The server (kind `postgres`). `schema` is the application's schema, not the queues'. */
  postgres?: { connectionString: string; schema?: string };
}

/** Options for {@link createQueueBackend}. */
export interface QueueBackendOptions {
  /** Set → BullMQ on Redis. Unset → the queues live in `database`. */
  redisUrl?: string;
  database: QueueDatabase;
  /** Redis key prefix (BullMQ's default `bull`). Tests use a fresh one per file. */
  prefix?: string;
  /**
   * Schema for BullMQ's tables and functions on PostgreSQL/PGlite. Default: `bullmq`, or
   * `<app schema>_bullmq` when the application's PostgreSQL schema is not `public` (so each
   * test schema gets its own queues).
   */
  schema?: string;
  /** Job options every queue starts from (each `add` may override them). */
  defaultJobOptions?: DefaultJobOptions;
  /** PostgreSQL: pool connections for queries; each worker and queue-events holds one more for LISTEN. */
  poolSize?: number;
  /**
   * PostgreSQL: wait for every queue change to reach the disk before going on (default false).
   * Off, the queue's sessions commit with `synchronous_commit = off`: BullMQ serialises every
   * rate-limited claim of a queue on a lock held until its commit, so waiting for the disk at
   * each one (≈ 5 ms here) capped a paced queue below its rate. Nothing is lost to a crash of the
   * app; a crash of PostgreSQL itself can lose the last fraction of a second of queue changes,
   * which the outbox sweep repairs (its rows, written with durable commits, are the truth).
   */
  durableCommits?: boolean;
  /** Where worker and connection errors are reported. */
  logger?: Logger;
}

/** Queues and workers on one backend; {@link QueueBackend.close} closes all it made. */
export interface QueueBackend {
  readonly kind: QueueBackendKind;
  /** The queue of that name (one instance per name). */
  queue<N extends QueueName>(name: N): LinliQueue<JobPayload<N>>;
  queue<T>(name: string): LinliQueue<T>;
  /** A new worker; it starts at once unless `autorun: false`. */
  worker<N extends QueueName>(name: N, processor: LinliProcessor<JobPayload<N>>, settings?: WorkerSettings): LinliWorker<JobPayload<N>>;
  worker<T>(name: string, processor: LinliProcessor<T>, settings?: WorkerSettings): LinliWorker<T>;
  /** A listener for a queue's events (completed, failed, …). */
  queueEvents(name: string, settings?: QueueEventsSettings): LinliQueueEvents;
  /** Resolves when the backend answers; rejects within a few seconds otherwise. */
  ping(): Promise<void>;
  /** Closes every worker (letting active jobs finish), queue-events and queue made here, then the connections. */
  close(): Promise<void>;
}

/** Jobs kept after they finish: enough for dedup by id and for a look at recent failures. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  // Age only: on the database backends a count makes every completion scan all finished jobs.
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const PING_TIMEOUT_MS = 5_000;
const DEFAULT_SCHEMA = 'bullmq';
const DEFAULT_POOL_SIZE = 10;
/** How long a PostgreSQL query may wait for a connection (also bounds connecting to a silent host). */
const CONNECT_TIMEOUT_MS = 10_000;

/** How one backend connects each kind of BullMQ object; {@link createQueueBackend} adds the bookkeeping. */
interface Connector {
  kind: QueueBackendKind;
  queue<T>(name: string, defaultJobOptions: DefaultJobOptions): LinliQueue<T>;
  worker<T>(name: string, processor: LinliProcessor<T>, settings: WorkerSettings): LinliWorker<T>;
  queueEvents(name: string, settings: QueueEventsSettings): LinliQueueEvents;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to the backend the options select, applies BullMQ's migrations when the queues live in
 * the database, and checks that the backend answers. Rejects if it cannot be reached.
 *
 * @example
 * const queues = await createQueueBackend({ redisUrl: config.REDIS_URL, database, logger });
 * await queues.queue('deliveries').add('deliver', { outboxId }, { jobId: jobIds.deliveries({ outboxId }) });
 */
export async function createQueueBackend(options: QueueBackendOptions): Promise<QueueBackend> {
  const connector = await connect(options);
  try {
    await connector.ping();
  } catch (error) {
    await connector.close().catch(() => undefined);
    throw error;
  }
  return track(connector, options);
}

async function connect(options: QueueBackendOptions): Promise<Connector> {
  if (options.redisUrl) return redisConnector(options.redisUrl, options);
  const { database } = options;
  const schema = options.schema ?? queueSchemaFor(database);
  quoteSchemaName(schema);
  if (database.kind === 'postgres') {
    if (!database.postgres) throw new Error('A postgres database needs its connection string for the queues');
    return postgresConnector(database.postgres.connectionString, schema, options);
  }
  if (!database.pglite) throw new Error('An embedded database needs its PGlite instance for the queues');
  return pgliteConnector(database.pglite, schema, options);
}

/** The default schema for the queues: beside the application's own schema. */
export function queueSchemaFor(database: QueueDatabase): string {
  const appSchema = database.kind === 'postgres' ? database.postgres?.schema : undefined;
  return appSchema && appSchema !== 'public' ? `${appSchema}_bullmq` : DEFAULT_SCHEMA;
}

/** Wraps a connector so every object it makes is closed with the backend, and gets an error listener. */
function track(connector: Connector, options: QueueBackendOptions): QueueBackend {
  const log = options.logger;
  const defaultJobOptions = { ...DEFAULT_JOB_OPTIONS, ...options.defaultJobOptions };
  const queues = new Map<string, LinliQueue<unknown>>();
  const workers = new Set<LinliWorker<unknown>>();
  const events = new Set<LinliQueueEvents>();
  let closing: Promise<void> | undefined;

  const assertOpen = () => {
    if (closing) throw new Error('The queue backend is closed');
  };
  const reportTo = (what: string, name: string) => (error: Error) => {
    log?.error({ err: error, queue: name, backend: connector.kind }, `queue ${what} error`);
  };

  const backend: QueueBackend = {
    kind: connector.kind,
    queue<T>(name: string): LinliQueue<T> {
      assertOpen();
      let queue = queues.get(name);
      if (!queue) {
        queue = connector.queue<unknown>(name, defaultJobOptions);
        queue.on('error', reportTo('producer', name));
        queues.set(name, queue);
      }
      return queue as LinliQueue<T>;
    },
    worker<T>(name: string, processor: LinliProcessor<T>, settings: WorkerSettings = {}): LinliWorker<T> {
      assertOpen();
      const worker = connector.worker<T>(name, processor, settings);
      worker.on('error', reportTo('worker', name));
      workers.add(worker as unknown as LinliWorker<unknown>);
      return worker;
    },
    queueEvents(name: string, settings: QueueEventsSettings = {}): LinliQueueEvents {
      assertOpen();
      const listener = connector.queueEvents(name, settings);
      listener.on('error', reportTo('events', name));
      events.add(listener);
      return listener;
    },
    ping: () => connector.ping(),
    close(): Promise<void> {
      closing ??= (async () => {
        // Workers first (they finish active jobs and may still add jobs), then listeners and producers.
        const failures = [
          ...(await Promise.allSettled([...workers].map((worker) => worker.close()))),
          ...(await Promise.allSettled([...events].map((listener) => listener.close()))),
          ...(await Promise.allSettled([...queues.values()].map((queue) => queue.close()))),
          ...(await Promise.allSettled([connector.close()])),
        ].filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        for (const failure of failures) log?.warn({ err: failure.reason, backend: connector.kind }, 'queue close error');
        if (failures.length > 0) throw failures[0]!.reason;
      })();
      return closing;
    },
  };
  return backend;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Redis

function redisConnector(url: string, options: QueueBackendOptions): Connector {
  const prefix = options.prefix;
  const log = options.logger;
  // Producers fail fast: with no offline queue an add during an outage rejects instead of hanging.
  const producerConnection = { url, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  // Workers and event listeners block and must ride out an outage.
  const blockingConnection = { url, maxRetriesPerRequest: null };
  const pinger = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: PING_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  pinger.on('error', (error: Error) => log?.debug({ err: error }, 'redis ping connection error'));

  return {
    kind: 'redis',
    queue: <T>(name: string, defaultJobOptions: DefaultJobOptions) =>
      new Queue<T>(name, { connection: producerConnection, prefix, defaultJobOptions }) as unknown as LinliQueue<T>,
    worker: <T>(name: string, processor: LinliProcessor<T>, settings: WorkerSettings) =>
      new Worker<T>(name, processor, { ...settings, connection: blockingConnection, prefix }) as unknown as LinliWorker<T>,
    queueEvents: (name: string, settings: QueueEventsSettings) =>
      new QueueEvents(name, { ...settings, connection: blockingConnection, prefix }) as unknown as LinliQueueEvents,
    async ping() {
      await withTimeout(pinger.ping(), 'Redis');
    },
    async close() {
      pinger.disconnect();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL and PGlite: BullMQ's PostgreSQL backend over a pool we own

/**
 * BullMQ's connection for a caller-supplied pool checks the default schema's migration ledger, once
 * for every queue and worker. This one names the schema the queues really live in, and checks
 * nothing: the connector applied BullMQ's migrations to that schema on this very pool before it
 * made any queue (`migrate` below), so each further read of the ledger — one statement per queue
 * and worker, some twenty at every start — could only say what is already known.
 */
class SchemaPostgresConnection extends PostgresConnection {
  private ready: Promise<void> | undefined;

  constructor(pool: PgPool, schema: string) {
    super(pool);
    (this as unknown as { schema: string }).schema = schema;
  }

  override waitUntilReady(): Promise<void> {
    if (!this.ready) {
      this.ready = Promise.resolve();
      // As BullMQ's own does: deferred, so listeners attached right after construction still hear it.
      setTimeout(() => this.emit('ready'), 0);
    }
    return this.ready;
  }
}

/**
 * A backend factory over one shared pool: every Queue/Worker gets its own BullMQ connection object
 * (for its LISTEN client and lifecycle) while queries share the pool, which it does not end.
 * Connections are named as BullMQ's own factory names them, so its worker discovery keeps working;
 * naming also opens a worker's or queue events' LISTEN client as it gets ready, so no event is
 * missed between ready and the first wait (on PGlite too, where the name itself means little).
 */
function sharedPoolBackend(schema: string): BackendFactory<PostgresQueueBackend, PgPool> {
  return (name, opts, factoryOptions = {}) => {
    const connection = new SchemaPostgresConnection(opts.connection, schema);
    const workerName = (opts as { name?: string }).name;
    let listenClientName: string | undefined;
    if (factoryOptions.withBlockingConnection) listenClientName = `${name}${workerName ? `:w:${workerName}` : ''}`;
    else if (factoryOptions.blocking) listenClientName = `${name}:qe`;
    return new PostgresQueueBackend(connection, name, opts, true, listenClientName);
  };
}

/** Applies BullMQ's migrations on one checked-out client (they run in one transaction). */
async function migrate(pool: PgPool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await runMigrations(client, schema);
  } finally {
    client.release();
  }
}

function databaseConnector(
  kind: 'postgres' | 'pglite',
  pool: PgPool,
  schema: string,
  onBlockingClient: () => void,
  closePool: () => Promise<void>,
): Connector {
  const factory = sharedPoolBackend(schema);
  return {
    kind,
    queue: <T>(name: string, defaultJobOptions: DefaultJobOptions) =>
      new Queue<T, unknown, string, T, unknown, string, PostgresQueueBackend, PgPool>(
        name,
        { connection: pool, defaultJobOptions },
        factory,
      ) as unknown as LinliQueue<T>,
    worker: <T>(name: string, processor: LinliProcessor<T>, settings: WorkerSettings) => {
      onBlockingClient();
      return new Worker<T, unknown, string, PostgresQueueBackend, JobProgress, PgPool>(
        name,
        processor,
        { ...settings, connection: pool },
        factory,
      ) as unknown as LinliWorker<T>;
    },
    queueEvents: (name: string, settings: QueueEventsSettings) => {
      onBlockingClient();
      return new QueueEvents<unknown, PostgresQueueBackend, PgPool>(name, { ...settings, connection: pool }, factory) as unknown as LinliQueueEvents;
    },
    async ping() {
      await withTimeout(pool.query('SELECT 1'), 'The queue database');
    },
    close: closePool,
  };
}

/**
 * BullMQ's commands name its functions unqualified, so every session of this pool (which only ever
 * serves BullMQ) searches its schema. It goes into the URL because node-postgres lets URL
 * parameters override the config object's `options`.
 */
function withSearchPath(connectionString: string, schema: string, durableCommits = false): string {
  const url = new URL(connectionString);
  const option = `-c search_path=${quoteSchemaName(schema)}${durableCommits ? '' : ' -c synchronous_commit=off'}`;
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', existing ? `${existing} ${option}` : option);
  return url.toString();
}

async function postgresConnector(connectionString: string, schema: string, options: QueueBackendOptions): Promise<Connector> {
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  const pool = new pg.Pool({
    connectionString: withSearchPath(connectionString, schema, options.durableCommits),
    max: poolSize,
    keepAlive: true,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // One listener per BullMQ object is attached to the shared pool.
  pool.setMaxListeners(0);
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'queue database connection error'));
  try {
    await migrate(pool as unknown as PgPool, schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return databaseConnector(
    'postgres',
    pool as unknown as PgPool,
    schema,
    // Each worker / queue-events holds one client for LISTEN for its whole life. `max` is only a
    // ceiling (connections open on demand), so it is not lowered when one closes.
    () => {
      pool.options.max = (pool.options.max ?? poolSize) + 1;
    },
    () => pool.end(),
  );
}

async function pgliteConnector(db: PGlite, schema: string, _options: QueueBackendOptions): Promise<Connector> {
  const pool: PglitePool = await openPglitePool(db, { searchSchema: schema });
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return databaseConnector('pglite', pool, schema, () => undefined, () => pool.end());
}
