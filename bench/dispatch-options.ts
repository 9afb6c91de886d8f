/**
 * Settings of `npm run bench:dispatch`, read from the environment (see bench/dispatch.ts for what
 * the bench does). The default is the load: 500 repair requests at once with the demo
 * community's twelve-member service team, on the embedded default and on PostgreSQL + Redis.
 */
import type { AppBackendKind } from './app-backend.js';
import { numberSetting } from './env-settings.js';

export interface DispatchBenchOptions {
  backends: AppBackendKind[];
  /** Residents filing a repair at once, each from their own household. */
  residents: number;
  /** How many of them report a danger (gas, sparking, collapse): offered to every member at once. */
  emergencies: number;
  /** The share of offers a member declines (drawn per job and member from a fixed seed). */
  declineShare: number;
  /** How long a member takes to press a button after the offer reached them. */
  answerDelayMs: number;
  postgresUrl: string;
  redisUrl: string;
  /** How long the filing and the dispatch may take in all. */
  timeoutMs: number;
  /** Linli's pacing for the run: Telegram's 1 message a second per chat would make each member's chat the bottleneck. */
  perChatPerSecond: number;
  perBotPerSecond: number;
  perGroupPerMinute: number;
  floodMaxMessages: number;
  /** The app's log level (its pino JSON goes to standard output); silent by default. */
  logLevel: string;
}

function backendsSetting(raw: string | undefined): AppBackendKind[] {
  const words = (raw || 'embedded,postgres').split(',').map((w) => w.trim()).filter(Boolean);
  for (const word of words) if (word !== 'embedded' && word !== 'postgres') throw new Error(`BENCH_BACKENDS may list embedded, postgres (got "${word}")`);
  return words as AppBackendKind[];
}

export function readDispatchBenchOptions(env: NodeJS.ProcessEnv = process.env): DispatchBenchOptions {
  const residents = Math.round(numberSetting(env, 'BENCH_RESIDENTS', 500, 1, 3_000));
  return {
    backends: backendsSetting(env['BENCH_BACKENDS']),
    residents,
    emergencies: Math.round(numberSetting(env, 'BENCH_EMERGENCIES', Math.min(10, residents), 0, residents)),
    declineShare: numberSetting(env, 'BENCH_DECLINE_SHARE', 0.2, 0, 1),
    answerDelayMs: numberSetting(env, 'BENCH_ANSWER_DELAY_MS', 0, 0, 600_000),
    postgresUrl: env['BENCH_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: env['BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379',
    timeoutMs: numberSetting(env, 'BENCH_TIMEOUT_SECONDS', 1_200, 1, 7_200) * 1000,
    perChatPerSecond: numberSetting(env, 'BENCH_LINLI_PER_CHAT_PER_SECOND', 1_000, 0.001, 1_000_000),
    perBotPerSecond: numberSetting(env, 'BENCH_LINLI_PER_BOT_PER_SECOND', 100_000, 0.001, 10_000_000),
    perGroupPerMinute: numberSetting(env, 'BENCH_LINLI_PER_GROUP_PER_MINUTE', 1_000_000, 0.001, 100_000_000),
    floodMaxMessages: Math.round(numberSetting(env, 'BENCH_LINLI_FLOOD_MAX_MESSAGES', 1_000_000, 1, 100_000_000)),
    logLevel: env['BENCH_LINLI_LOG_LEVEL'] || 'silent',
  };
}
