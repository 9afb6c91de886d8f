/**
 * One bot under test in `npm run bench:telegram`, in a process of its own (so its peak RSS is
 * its own), polling the parent's fake Bot API:
 * - `echo`: the bare telegraf 4.16 echo bot the targets are measured against — one sendMessage
 *   per text, nothing else;
 * - `linli`: the whole Linli app in Telegram polling mode, on the embedded default (no
 *   DATABASE_URL in the settings the parent gives) or on PostgreSQL + Redis.
 *
 * Messages: parent → `start`, then any number of `sample`, later `finish`; child → `ready` |
 * `failed`, a `sampled` per `sample`, then `finished`.
 * Only the `linli` bot loads the app (and the `echo` bot only telegraf), so each RSS is its own.
 */
import { performance } from 'node:perf_hooks';
import { countPgliteStatements, countPostgresStatements, statementCounts } from './telegram-statements.js';
import { serveParent } from './app-child.js';

export interface BotStart {
  type: 'start';
  bot: 'echo' | 'linli';
  apiRoot: string;
  token: string;
  /** linli: settings (environment names) on top of its defaults. */
  env?: Record<string, string>;
  /** linli: Redis key prefix of its queues. */
  queuePrefix?: string;
}

export type ToBotProcess = BotStart | { type: 'sample' } | { type: 'finish' };

/** The process's counters now; the parent subtracts two samples to get a phase's share. */
export interface BotSample {
  type: 'sampled';
  /** CPU time (user + system) since the process started, ms. */
  cpuMs: number;
  rssBytes: number;
  /** The highest RSS seen since the previous sample (or ready). */
  peakRssSinceBytes: number;
  /** linli: statements and transactions sent to its database (see telegram-statements.ts). */
  statements: number;
  transactions: number;
  /** echo: sends the fake refused (telegraf does not retry a 429). */
  failedSends: number;
}

export type FromBotProcess =
  | { type: 'ready'; startupMs: number; rssBytes: number; detail: string }
  | { type: 'failed'; error: string }
  | BotSample
  | {
      type: 'finished';
      /** The whole life's peak (start-up included: migrations on the empty schema for linli). */
      peakRssBytes: number;
      /** The highest RSS seen from ready to finish (sampled every {@link RSS_SAMPLE_MS} ms). */
      peakRssUnderLoadBytes: number;
      /** CPU time (user + system) from ready to finish, ms. */
      cpuUnderLoadMs: number;
      /** RSS when told to finish (the load over: idle again). */
      rssAtFinishBytes: number;
      /** linli: its tables' rows by status. */
      counts?: Record<string, Record<string, number>>;
      /** linli: where a message's time went, from the rows' timestamps (p50 / p99 ms). */
      stages?: StageTiming[];
    };

const RSS_SAMPLE_MS = 20;

/** One stage of a message's way through Linli, from two timestamps of its row. */
export interface StageTiming {
  stage: string;
  p50Ms: number;
  p99Ms: number;
}

interface RunningBot {
  stop(): Promise<void>;
  counts?(): Promise<Record<string, Record<string, number>>>;
  stages?(): Promise<StageTiming[]>;
}

/** Stages read off the rows: inbound recorded → handled, outbox row written → queued → claimed → sent. */
const STAGES: { stage: string; table: 'InboundMessage' | 'OutboxMessage'; from: string; to: string }[] = [
  { stage: 'inbound received → handled', table: 'InboundMessage', from: 'receivedAt', to: 'handledAt' },
  { stage: 'outbox written → queued', table: 'OutboxMessage', from: 'createdAt', to: 'enqueuedAt' },
  { stage: 'outbox queued → claimed', table: 'OutboxMessage', from: 'enqueuedAt', to: 'claimedAt' },
  { stage: 'outbox claimed → sent', table: 'OutboxMessage', from: 'claimedAt', to: 'sentAt' },
];

let running: RunningBot | undefined;
let peakUnderLoad = 0;
let peakSinceSample = 0;
let failedSends = 0;
let sampler: NodeJS.Timeout | undefined;
let cpuAtReady: NodeJS.CpuUsage | undefined;

function send(message: FromBotProcess): void {
  process.send?.(message);
}

async function startEcho(start: BotStart): Promise<RunningBot> {
  const { Telegraf } = await import('telegraf');
  const { message } = await import('telegraf/filters');
  const bot = new Telegraf(start.token, { telegram: { apiRoot: start.apiRoot } });
  bot.on(message('text'), (ctx) => ctx.sendMessage(ctx.message.text));
  // Without this a refused send (a 429 under real limits) would stop the polling loop.
  bot.catch(() => {
    failedSends += 1;
  });
  let polling: Promise<void> | undefined;
  await new Promise<void>((resolve, reject) => {
    polling = bot.launch(() => resolve()).catch(reject);
  });
  return {
    async stop() {
      bot.stop('bench finished');
      await polling;
    },
  };
}

async function startLinli(start: BotStart): Promise<RunningBot> {
  const [{ createApp }, { loadConfig }, { createLogger }] = await Promise.all([
    import('../src/app.js'),
    import('../src/config/config.js'),
    import('../src/log/logger.js'),
  ]);
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: start.token,
    TELEGRAM_API_ROOT: start.apiRoot,
    ...start.env,
  });
  const app = await createApp({
    config,
    logger: createLogger(config.LOG_LEVEL),
    serve: true,
    ...(start.queuePrefix ? { queuePrefix: start.queuePrefix } : {}),
  });
  if (app.database.pglite) countPgliteStatements(app.database.pglite);
  await app.start();
  return {
    stop: () => app.stop(),
    async counts() {
      const { prisma } = app.database;
      const [inbound, outbox] = await Promise.all([
        prisma.inboundMessage.groupBy({ by: ['status'], _count: { _all: true } }),
        prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }),
      ]);
      return {
        inbound: Object.fromEntries(inbound.map((g) => [g.status, g._count._all])),
        outbox: Object.fromEntries(outbox.map((g) => [g.status, g._count._all])),
      };
    },
    async stages() {
      const timings: StageTiming[] = [];
      for (const { stage, table, from, to } of STAGES) {
        // Names from the constant above, never from input.
        const [row] = await app.database.prisma.$queryRawUnsafe<{ p50: number | null; p99: number | null }[]>(
          `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99
             FROM (SELECT extract(epoch FROM ("${to}" - "${from}")) * 1000 AS d FROM "${table}" WHERE "${to}" IS NOT NULL AND "${from}" IS NOT NULL) AS t`,
        );
        timings.push({ stage, p50Ms: Number(row?.p50 ?? Number.NaN), p99Ms: Number(row?.p99 ?? Number.NaN) });
      }
      return timings;
    },
  };
}

async function begin(start: BotStart): Promise<void> {
  const began = performance.now();
  running = start.bot === 'echo' ? await startEcho(start) : await startLinli(start);
  cpuAtReady = process.cpuUsage();
  peakUnderLoad = process.memoryUsage.rss();
  peakSinceSample = peakUnderLoad;
  sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    peakUnderLoad = Math.max(peakUnderLoad, rss);
    peakSinceSample = Math.max(peakSinceSample, rss);
  }, RSS_SAMPLE_MS);
  send({
    type: 'ready',
    startupMs: performance.now() - began,
    rssBytes: process.memoryUsage.rss(),
    detail: start.bot === 'echo' ? 'telegraf echo bot polling' : `Linli app polling (${start.env?.['DATABASE_URL'] ? 'PostgreSQL + Redis' : 'embedded database'})`,
  });
}

function sample(): void {
  const cpu = process.cpuUsage();
  const rssBytes = process.memoryUsage.rss();
  const peakRssSinceBytes = Math.max(peakSinceSample, rssBytes);
  peakSinceSample = rssBytes;
  send({ type: 'sampled', cpuMs: (cpu.user + cpu.system) / 1000, rssBytes, peakRssSinceBytes, ...statementCounts(), failedSends });
}

async function finish(): Promise<void> {
  if (!running) throw new Error('finish before start');
  if (sampler) clearInterval(sampler);
  const rssAtFinishBytes = process.memoryUsage.rss();
  peakUnderLoad = Math.max(peakUnderLoad, process.memoryUsage.rss());
  const cpu = process.cpuUsage(cpuAtReady);
  const counts = await running.counts?.();
  const stages = await running.stages?.();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  await running.stop();
  send({
    type: 'finished',
    peakRssBytes,
    peakRssUnderLoadBytes: peakUnderLoad,
    cpuUnderLoadMs: (cpu.user + cpu.system) / 1000,
    rssAtFinishBytes,
    ...(counts ? { counts } : {}),
    ...(stages ? { stages } : {}),
  });
}

countPostgresStatements();

serveParent<ToBotProcess>({
  usage: 'telegram-bot-process.ts is started by bench/telegram.ts (npm run bench:telegram)',
  begin,
  finish,
  other: (message) => {
    if (message.type === 'sample') sample();
  },
  stop: async () => running?.stop(),
});
