/**
 * Settings of `npm run bench:tickets`, read from the environment (see bench/tickets.ts for what
 * the bench does). The default is the load: 1,000 residents filing at once on
 * PostgreSQL + Redis; on a busy machine try BENCH_RESIDENTS=200 first.
 */
import { numberSetting } from './env-settings.js';

export type TicketsBenchBackend = 'postgres' | 'embedded';

export interface TicketsBenchOptions {
  /** Residents filing at once, each from their own household. */
  residents: number;
  /** Households per area; each area has one steward, who is told of every ticket filed there. */
  householdsPerArea: number;
  /** postgres: PostgreSQL + Redis (a fresh schema and key prefix); embedded: PGlite in a temporary folder. */
  backend: TicketsBenchBackend;
  postgresUrl: string;
  redisUrl: string;
  /** How long the residents may take to get all their ticket numbers (and the staff chat its cards). */
  timeoutMs: number;
  /** Linli's pacing for the run: Telegram's own limits would make 1,000 cards take 50 minutes. */
  perChatPerSecond: number;
  perBotPerSecond: number;
  perGroupPerMinute: number;
  floodMaxMessages: number;
  /** The app's log level (its pino JSON goes to standard output); silent by default. */
  logLevel: string;
  /** When set, the app's process writes a V8 CPU profile into this folder. */
  cpuProfileDir: string | undefined;
}

function backendSetting(raw: string | undefined): TicketsBenchBackend {
  if (raw === undefined || raw === '' || raw === 'postgres') return 'postgres';
  if (raw === 'embedded') return 'embedded';
  throw new Error(`BENCH_BACKEND may be postgres or embedded (got "${raw}")`);
}

export function readTicketsBenchOptions(env: NodeJS.ProcessEnv = process.env): TicketsBenchOptions {
  return {
    residents: Math.round(numberSetting(env, 'BENCH_RESIDENTS', 1_000, 1, 99_999)),
    householdsPerArea: Math.round(numberSetting(env, 'BENCH_HOUSEHOLDS_PER_AREA', 100, 1, 100_000)),
    backend: backendSetting(env['BENCH_BACKEND']),
    postgresUrl: env['BENCH_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: env['BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379',
    timeoutMs: numberSetting(env, 'BENCH_TIMEOUT_SECONDS', 600, 1, 7_200) * 1000,
    perChatPerSecond: numberSetting(env, 'BENCH_LINLI_PER_CHAT_PER_SECOND', 1_000, 0.001, 1_000_000),
    perBotPerSecond: numberSetting(env, 'BENCH_LINLI_PER_BOT_PER_SECOND', 100_000, 0.001, 10_000_000),
    perGroupPerMinute: numberSetting(env, 'BENCH_LINLI_PER_GROUP_PER_MINUTE', 1_000_000, 0.001, 100_000_000),
    floodMaxMessages: Math.round(numberSetting(env, 'BENCH_LINLI_FLOOD_MAX_MESSAGES', 1_000_000, 1, 100_000_000)),
    logLevel: env['BENCH_LINLI_LOG_LEVEL'] || 'silent',
    cpuProfileDir: env['BENCH_CPU_PROF_DIR'] || undefined,
  };
}
