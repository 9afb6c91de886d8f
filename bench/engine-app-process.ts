/**
 * The application under test, one backend per process (forked by bench/engine.ts, so peak RSS
 * belongs to that backend alone). It starts the whole app serving the web chat on a free
 * loopback port, reports the address over IPC, and when told to finish reports its memory and
 * what the database saw, then stops gracefully. The data folder belongs to the parent.
 *
 * Messages: parent → `{ type: 'start', … }`, then `{ type: 'finish' }`;
 * child → `ready` | `failed`, then `finished`.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/log/logger.js';
import { serveParent } from './app-child.js';

export interface StartMessage {
  type: 'start';
  /** DATA_DIR (the embedded database lives in it); created and removed by the parent. */
  dataDir: string;
  /** Unset: the embedded default (PGlite on disk, queues on it). */
  databaseUrl?: string;
  redisUrl?: string;
  queuePrefix?: string;
}

export interface FinishMessage {
  type: 'finish';
}

export type ToAppProcess = StartMessage | FinishMessage;

export interface ReadyMessage {
  type: 'ready';
  baseUrl: string;
  startupMs: number;
  queueBackend: string;
  /** RSS and peak RSS once started (migrations applied), before any traffic. */
  rssReadyBytes: number;
  peakRssReadyBytes: number;
  /** CPU time (user + system) used so far, in milliseconds. */
  cpuReadyMs: number;
  /** The part of `cpuReadyMs` spent in the kernel. */
  systemCpuReadyMs: number;
  /** SQL statements sent over `pg` so far (PostgreSQL only; the embedded database is not counted). */
  sqlReady: number;
}

export interface FailedMessage {
  type: 'failed';
  error: string;
}

/** What the app's own tables say about the run: rows by status. */
export interface AppCounts {
  inbound: Record<string, number>;
  outbox: Record<string, number>;
  webChatRows: Record<string, number>;
}

export interface FinishedMessage {
  type: 'finished';
  /** process.resourceUsage().maxRSS, in bytes. */
  peakRssBytes: number;
  /** RSS when the load had ended, before stopping. */
  rssAfterBytes: number;
  heapUsedAfterBytes: number;
  /** CPU time (user + system) used since start, in milliseconds, taken when the load had ended. */
  cpuAfterMs: number;
  /** The part of `cpuAfterMs` spent in the kernel. */
  systemCpuAfterMs: number;
  /** SQL statements sent over `pg` since start, taken when the load had ended (PostgreSQL only). */
  sqlAfter: number;
  counts: AppCounts;
  stopMs: number;
}

export type FromAppProcess = ReadyMessage | FailedMessage | FinishedMessage;

/** Longest the process waits after it is done before it exits anyway (an open handle somewhere). */

let app: App | undefined;

/**
 * Every statement the app sends to PostgreSQL goes through `pg.Client#query` (Prisma's adapter;
 * the queues run on Redis there): counting them gives statements per step. With
 * BENCH_SQL_LOG_DIR set, the statements of the load are also written there, by text, with counts.
 */
let sqlCount = 0;
const sqlLogDir = process.env['BENCH_SQL_LOG_DIR'] || undefined;
const sqlByText = new Map<string, number>();
let sqlByTextFrom = Number.POSITIVE_INFINITY;
{
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as { query: (...args: unknown[]) => unknown }).query = function countedQuery(this: unknown, ...args: unknown[]) {
    sqlCount += 1;
    if (sqlLogDir && sqlCount > sqlByTextFrom) {
      const first = args[0];
      const text = typeof first === 'string' ? first : String((first as { text?: unknown } | undefined)?.text ?? '?');
      const key = text.replace(/\s+/g, ' ').slice(0, 160);
      sqlByText.set(key, (sqlByText.get(key) ?? 0) + 1);
    }
    return original.apply(this, args);
  };
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The kernel's share of the CPU time (socket writes and reads: one per statement and per queue call). */
function systemCpuMs(): number {
  return process.cpuUsage().system / 1000;
}

function send(message: FromAppProcess): void {
  process.send?.(message);
}

async function start(message: StartMessage): Promise<void> {
  const began = performance.now();
  const config = loadConfig({
    DATA_DIR: message.dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // The bench sends as fast as replies come back; the flood limit would throttle it.
    FLOOD_MAX_MESSAGES: '1000000',
    // Every simulated browser comes from 127.0.0.1: the per-address limits would throttle it too.
    WEB_CHAT_SESSIONS_PER_MINUTE: '1000000',
    WEB_CHAT_MESSAGES_PER_MINUTE: '1000000',
    WEB_CHAT_STREAMS_PER_ADDRESS: '1000000',
    ...(message.databaseUrl
      ? { DATABASE_URL: message.databaseUrl, LINLI_SECRET: randomBytes(32).toString('hex') }
      : {}),
    ...(message.redisUrl ? { REDIS_URL: message.redisUrl } : {}),
  });
  app = await createApp({
    config,
    logger: createLogger(config.LOG_LEVEL),
    serve: true,
    ...(message.queuePrefix ? { queuePrefix: message.queuePrefix } : {}),
  });
  const address = await app.start();
  if (!address) throw new Error('the app did not listen');
  send({
    type: 'ready',
    baseUrl: address,
    startupMs: performance.now() - began,
    queueBackend: app.queues.kind,
    rssReadyBytes: process.memoryUsage().rss,
    peakRssReadyBytes: process.resourceUsage().maxRSS * 1024,
    cpuReadyMs: cpuMs(),
    systemCpuReadyMs: systemCpuMs(),
    sqlReady: sqlCount,
  });
  sqlByTextFrom = sqlCount;
}

async function countRows(running: App): Promise<AppCounts> {
  const { prisma } = running.database;
  const [inbound, outbox, rows] = await Promise.all([
    prisma.inboundMessage.groupBy({ by: ['status'], _count: { _all: true } }),
    prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }),
    prisma.webChatMessage.groupBy({ by: ['direction'], _count: { _all: true } }),
  ]);
  return {
    inbound: Object.fromEntries(inbound.map((g) => [g.status, g._count._all])),
    outbox: Object.fromEntries(outbox.map((g) => [g.status, g._count._all])),
    webChatRows: Object.fromEntries(rows.map((g) => [g.direction, g._count._all])),
  };
}

async function finish(): Promise<void> {
  const running = app;
  if (!running) throw new Error('finish before start');
  const memory = process.memoryUsage();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const cpuAfterMs = cpuMs();
  const systemCpuAfterMs = systemCpuMs();
  const sqlAfter = sqlCount;
  if (sqlLogDir && sqlByText.size > 0) {
    const lines = [...sqlByText].sort((a, b) => b[1] - a[1]).map(([text, count]) => `${count}\t${text}`);
    writeFileSync(join(sqlLogDir, `sql-${process.pid}.tsv`), lines.join('\n') + '\n');
  }
  const counts = await countRows(running);
  const stopping = performance.now();
  await running.stop();
  const stopMs = performance.now() - stopping;
  send({
    type: 'finished',
    peakRssBytes,
    rssAfterBytes: memory.rss,
    heapUsedAfterBytes: memory.heapUsed,
    cpuAfterMs,
    systemCpuAfterMs,
    sqlAfter,
    counts,
    stopMs,
  });
}

serveParent<ToAppProcess>({
  usage: 'engine-app-process.ts is started by bench/engine.ts (npm run bench:engine)',
  begin: start,
  finish,
  stop: async () => app?.stop(),
});
