/**
 * A `pg.Pool` look-alike over ONE in-process PGlite instance, so BullMQ's PostgreSQL backend runs on
 * the embedded database that Prisma also uses.
 *
 * Why not PGlite's socket server: it funnels every client into one session, ignores the
 * `search_path` start-up option and delivers NOTIFY to the sender, so workers only wake on their
 * poll. Here every "connection" is a view of the same session, which shapes the rules below:
 *
 * - PGlite serialises callers with a mutex that a plain `query` holds for one statement and
 *   `db.transaction(cb)` holds for the whole callback. A raw `BEGIN` sent as a plain statement would
 *   let other callers' statements (Prisma's, other workers') land inside that transaction and be
 *   rolled back with it. So a checked-out client turns `BEGIN … COMMIT | ROLLBACK` into ONE
 *   `db.transaction` and routes its statements into it; the pool itself refuses transaction control.
 * - `LISTEN x` / `UNLISTEN x` become `db.listen` / its unsubscribe, and arrive as `notification`
 *   events on the client, as node-postgres emits them.
 * - int8 (oid 20) and numeric (1700) come back as strings, as node-postgres returns them; parameters
 *   are prepared the way node-postgres prepares them (Date → ISO text, objects → JSON).
 * - Each statement first yields to the event loop: PGlite resolves on microtasks only, so a busy
 *   caller (a worker draining a backlog) would otherwise starve timers such as BullMQ's lock renewal.
 * - The session's `search_path` gets BullMQ's schema appended AFTER the existing entries, so
 *   BullMQ's unqualified function calls resolve while unqualified DDL (Prisma migrations) still
 *   lands in `public`. Only one BullMQ schema per PGlite instance can be on the path at a time.
 *
 * A client that opens a transaction holds the whole database until it commits or rolls back.
 */
import { EventEmitter } from 'node:events';
import { TransactionAbortedError, type PGlite, type Results, type Transaction } from '@electric-sql/pglite';

/** One column of a result, as node-postgres describes it. */
export interface PgliteField {
  name: string;
  dataTypeID: number;
}

/** The subset of node-postgres's `QueryResult` that callers of a pool rely on. */
export interface PgliteQueryResult<R = Record<string, unknown>> {
  command: string;
  rowCount: number | null;
  oid: number | null;
  rows: R[];
  fields: PgliteField[];
}

/** A `LISTEN`/`NOTIFY` message, shaped like node-postgres's `Notification`. */
export interface PgliteNotification {
  channel: string;
  payload?: string;
  processId: number;
}

/** Options for {@link openPglitePool}. */
export interface PglitePoolOptions {
  /**
   * Schema appended to the session's `search_path` (after the entries already there) so that
   * unqualified names of that schema resolve. BullMQ's functions live in its own schema.
   */
  searchSchema?: string;
}

const STRING_PARSERS = {
  20: (value: string) => value,
  1700: (value: string) => value,
};

const POOL_ENDED_MESSAGE = 'Cannot use a pool after calling end on the pool';

/**
 * The schema each PGlite instance has on its path, how many open pools use it, and the path to
 * restore when the last one ends. Two schemas at once would shadow each other's functions.
 */
const schemaOnPath = new WeakMap<PGlite, { schema: string; pools: number; previous: string }>();

type Statement =
  | { kind: 'begin'; modes: string }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'listen'; channel: string }
  | { kind: 'unlisten'; channel: string | null }
  | { kind: 'sql' };

/** Removes comments and surrounding blanks/semicolons; used only to classify a statement. */
function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .trim()
    .replace(/;\s*$/, '')
    .trim();
}

const IDENTIFIER = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const BEGIN = /^(?:begin|start\s+transaction)(?:\s+(?:work|transaction))?(?:\s+([\s\S]*))?$/i;
const COMMIT = /^(?:commit|end)(?:\s+(?:work|transaction))?$/i;
const ROLLBACK = /^(?:rollback|abort)(?:\s+(?:work|transaction))?$/i;
const LISTEN = new RegExp(`^listen\\s+${IDENTIFIER}$`, 'i');
const UNLISTEN = new RegExp(`^unlisten\\s+(?:\\*|${IDENTIFIER})$`, 'i');

/** The channel name PostgreSQL uses: unquoted identifiers fold to lower case. */
function channelName(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

function classify(text: string): Statement {
  const statement = stripComments(text);
  if (statement.includes(';')) return { kind: 'sql' };
  let match = BEGIN.exec(statement);
  if (match) return { kind: 'begin', modes: match[1]?.trim() ?? '' };
  if (COMMIT.test(statement)) return { kind: 'commit' };
  if (ROLLBACK.test(statement)) return { kind: 'rollback' };
  match = LISTEN.exec(statement);
  if (match) return { kind: 'listen', channel: match[1]! };
  match = UNLISTEN.exec(statement);
  if (match) return { kind: 'unlisten', channel: match[1] ?? null };
  return { kind: 'sql' };
}

/** Prepares a parameter the way node-postgres does, so values mean the same on both drivers. */
function prepareValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (Array.isArray(value)) return value.map(prepareValue);
  if (typeof value === 'object') {
    const withToPostgres = value as { toPostgres?: () => unknown };
    if (typeof withToPostgres.toPostgres === 'function') return prepareValue(withToPostgres.toPostgres());
    return JSON.stringify(value);
  }
  return value;
}

function toResult<R>(results: Results | undefined): PgliteQueryResult<R> {
  if (!results) return emptyResult<R>('');
  return {
    command: results.command ?? '',
    rowCount: results.rowCount ?? results.affectedRows ?? results.rows.length,
    oid: null,
    rows: results.rows as R[],
    fields: results.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })),
  };
}

function emptyResult<R>(command: string): PgliteQueryResult<R> {
  return { command, rowCount: null, oid: null, rows: [], fields: [] };
}

// Taken at load so a test's fake timers (installed later) cannot stop the database from answering.
const realSetImmediate = globalThis.setImmediate;
const yieldToEventLoop = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/** Runs one statement (or, without parameters, a script) on the database or an open transaction. */
async function run<R>(target: PGlite | Transaction, text: string, params?: readonly unknown[]): Promise<PgliteQueryResult<R>> {
  await yieldToEventLoop();
  if (!params || params.length === 0) {
    // Without parameters node-postgres uses the simple protocol, which allows several statements
    // (BullMQ's migrations are scripts); like pg's single result, return the last statement's.
    const results = await target.exec(text, { parsers: STRING_PARSERS });
    return toResult<R>(results.at(-1));
  }
  const results = await target.query<Record<string, unknown>>(text, params.map(prepareValue), { parsers: STRING_PARSERS });
  return toResult<R>(results);
}

/** A transaction opened by a client's BEGIN, held open until its COMMIT or ROLLBACK. */
interface OpenTransaction {
  tx: Transaction;
  finish: (outcome: 'commit' | 'rollback') => void;
  done: Promise<void>;
}

/**
 * One checked-out "connection". Statements run in the order they were sent, as on a real
 * connection; between BEGIN and COMMIT/ROLLBACK they run inside one PGlite transaction.
 */
export class PglitePoolClient extends EventEmitter {
  #chain: Promise<unknown> = Promise.resolve();
  #transaction: OpenTransaction | undefined;
  #listening = new Map<string, (tx?: Transaction) => Promise<void>>();
  #released = false;

  constructor(
    private readonly db: PGlite,
    private readonly onRelease: (client: PglitePoolClient) => void,
  ) {
    super();
  }

  /** True between this client's BEGIN and its COMMIT/ROLLBACK. */
  get inTransaction(): boolean {
    return this.#transaction !== undefined;
  }

  /** Runs a statement after every statement this client sent before it. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<PgliteQueryResult<R>> {
    if (this.#released) return Promise.reject(new Error('Client was released to the pool and cannot be used'));
    const next = this.#chain.then(
      () => this.#execute<R>(text, params),
      () => this.#execute<R>(text, params),
    );
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /** Gives the client back: an open transaction rolls back and its LISTENs end. */
  release(_destroy?: boolean | Error): void {
    if (this.#released) return;
    this.#released = true;
    this.#chain = this.#chain
      .then(async () => {
        if (this.#transaction) await this.#endTransaction('rollback');
        await this.#unlistenAll();
      })
      .catch((error: unknown) => this.#reportError(error))
      .finally(() => this.onRelease(this));
  }

  /** Settles once every statement sent so far (and a release's clean-up) has finished. */
  whenIdle(): Promise<void> {
    return this.#chain.then(() => undefined);
  }

  async #execute<R>(text: string, params?: readonly unknown[]): Promise<PgliteQueryResult<R>> {
    const statement = params && params.length > 0 ? ({ kind: 'sql' } as const) : classify(text);
    switch (statement.kind) {
      case 'begin':
        await this.#begin(statement.modes);
        return emptyResult<R>('BEGIN');
      case 'commit':
        return emptyResult<R>(await this.#endTransaction('commit'));
      case 'rollback':
        await this.#endTransaction('rollback');
        return emptyResult<R>('ROLLBACK');
      case 'listen':
        await this.#listen(statement.channel);
        return emptyResult<R>('LISTEN');
      case 'unlisten':
        await (statement.channel === null ? this.#unlistenAll() : this.#unlisten(channelName(statement.channel)));
        return emptyResult<R>('UNLISTEN');
      case 'sql':
        return run<R>(this.#transaction?.tx ?? this.db, text, params);
    }
  }

  async #begin(modes: string): Promise<void> {
    // PostgreSQL only warns about a nested BEGIN; the transaction stays as it was.
    if (this.#transaction) return;
    let started!: (tx: Transaction) => void;
    let finish!: (outcome: 'commit' | 'rollback') => void;
    const opened = new Promise<Transaction>((resolve) => (started = resolve));
    const outcome = new Promise<'commit' | 'rollback'>((resolve) => (finish = resolve));
    const done = this.db.transaction(async (tx) => {
      started(tx);
      if ((await outcome) === 'rollback') await tx.rollback();
    });
    const tx = await Promise.race([
      opened,
      done.then(() => {
        throw new Error('The transaction ended before it began');
      }),
    ]);
    this.#transaction = { tx, finish, done };
    if (modes) await run(tx, `SET TRANSACTION ${modes}`);
  }

  /** Ends the open transaction; resolves with the command tag PostgreSQL would report. */
  async #endTransaction(outcome: 'commit' | 'rollback'): Promise<'COMMIT' | 'ROLLBACK'> {
    const open = this.#transaction;
    // PostgreSQL only warns about COMMIT/ROLLBACK outside a transaction.
    if (!open) return outcome === 'commit' ? 'COMMIT' : 'ROLLBACK';
    this.#transaction = undefined;
    open.finish(outcome);
    try {
      await open.done;
    } catch (error) {
      // COMMIT of a failed transaction rolls it back; PostgreSQL reports that as ROLLBACK, not an error.
      if (outcome === 'commit' && error instanceof TransactionAbortedError) return 'ROLLBACK';
      throw error;
    }
    return outcome === 'commit' ? 'COMMIT' : 'ROLLBACK';
  }

  async #listen(identifier: string): Promise<void> {
    const channel = channelName(identifier);
    if (this.#listening.has(channel)) return;
    // Inside this client's own transaction, go through it: the database mutex is held by it.
    const unsubscribe = await this.db.listen(
      identifier,
      (payload) => {
        const notification: PgliteNotification = { channel, payload, processId: 0 };
        this.emit('notification', notification);
      },
      this.#transaction?.tx,
    );
    this.#listening.set(channel, unsubscribe);
  }

  async #unlisten(channel: string): Promise<void> {
    const unsubscribe = this.#listening.get(channel);
    this.#listening.delete(channel);
    if (unsubscribe && !this.db.closed) await unsubscribe(this.#transaction?.tx);
  }

  async #unlistenAll(): Promise<void> {
    for (const channel of [...this.#listening.keys()]) await this.#unlisten(channel);
  }

  #reportError(error: unknown): void {
    // Like a pg client, an error with nobody listening must not crash the process.
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}

/**
 * The pool: `query` runs single statements (or parameterless scripts) on the shared session;
 * `connect` hands out a {@link PglitePoolClient}. Ending it releases its clients, restores the
 * session's `search_path`, and leaves the PGlite instance open (its owner closes it).
 */
export class PglitePool extends EventEmitter {
  /**
   * Read by BullMQ: with keep-alive it trusts its LISTEN connection to report a drop. There is no
   * network here, so nothing can drop.
   */
  readonly options = { keepAlive: true };
  #clients = new Set<PglitePoolClient>();
  #ended = false;

  constructor(
    readonly db: PGlite,
    private readonly restoreSearchPath?: () => Promise<void>,
  ) {
    super();
    // Every BullMQ queue and worker sharing the pool adds its own error listener.
    this.setMaxListeners(0);
  }

  /** Number of checked-out clients. */
  get totalCount(): number {
    return this.#clients.size;
  }

  /** Runs one statement outside any client's transaction. Transaction control is refused here. */
  async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<PgliteQueryResult<R>> {
    if (this.#ended) throw new Error(POOL_ENDED_MESSAGE);
    if (!params || params.length === 0) {
      const kind = classify(text).kind;
      if (kind === 'begin' || kind === 'commit' || kind === 'rollback') {
        throw new Error('Transaction control through pool.query would span other callers: use pool.connect()');
      }
      if (kind === 'listen' || kind === 'unlisten') {
        throw new Error('LISTEN through pool.query would be lost: use a client from pool.connect()');
      }
    }
    return run<R>(this.db, text, params);
  }

  /** Checks out a client (there is no limit: every client shares the one session). */
  async connect(): Promise<PglitePoolClient> {
    if (this.#ended) throw new Error(POOL_ENDED_MESSAGE);
    const client = new PglitePoolClient(this.db, (released) => this.#clients.delete(released));
    this.#clients.add(client);
    this.emit('connect', client);
    return client;
  }

  /** Releases every client (rolling back open transactions) and restores the `search_path`. */
  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    const clients = [...this.#clients];
    for (const client of clients) client.release();
    // A released client finishes its queued statements first; wait for those before restoring.
    await Promise.all(clients.map((client) => client.whenIdle()));
    await this.restoreSearchPath?.();
    this.emit('end');
  }
}

/**
 * Opens a {@link PglitePool} on `db`. With `searchSchema`, appends that schema to the session's
 * `search_path` (public and whatever else is there stay first) until the pool ends.
 */
export async function openPglitePool(db: PGlite, options: PglitePoolOptions = {}): Promise<PglitePool> {
  const schema = options.searchSchema;
  if (!schema) return new PglitePool(db);
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(schema)) throw new Error(`Invalid schema name for the search_path: ${schema}`);
  let entry = schemaOnPath.get(db);
  if (entry && entry.schema !== schema) {
    throw new Error(`This PGlite instance already has schema ${entry.schema} on its search_path; one queue schema per instance`);
  }
  if (!entry) {
    const { rows } = await db.query<{ path: string }>(`SELECT current_setting('search_path') AS path`);
    const previous = rows[0]!.path;
    const quoted = `"${schema}"`;
    const onPath = previous.split(',').map((item) => item.trim());
    if (!onPath.includes(quoted) && !onPath.includes(schema)) {
      await db.query(`SELECT set_config('search_path', $1, false)`, [`${previous}, ${quoted}`]);
    }
    entry = { schema, pools: 0, previous };
    schemaOnPath.set(db, entry);
  }
  entry.pools += 1;
  const used = entry;
  return new PglitePool(db, async () => {
    used.pools -= 1;
    if (used.pools > 0) return;
    schemaOnPath.delete(db);
    if (!db.closed) await db.query(`SELECT set_config('search_path', $1, false)`, [used.previous]);
  });
}
