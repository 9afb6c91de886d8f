/**
 * Settings of `npm run bench:telegram`, read from the environment. The defaults are the load of
 * TARGETS.md (5,000 texts from 500 chats, then 100 inbound messages/s); on a busy machine run it
 * shorter, e.g. BENCH_TEXTS=1000 BENCH_LATENCY_SECONDS=5.
 */
import { numberSetting } from './env-settings.js';

export type TelegramBenchBot = 'echo' | 'linli';

export interface TelegramBenchOptions {
  /** Chats (people) sending; each sends texts/chats of the backlog. */
  chats: number;
  /** Texts in the backlog handed out in batches of ≤ 100 (the throughput phase). */
  texts: number;
  /** How long inbound arrives at the fixed rate (the latency phase); 0 skips it. */
  latencySeconds: number;
  inboundPerSecond: number;
  /** A phase whose replies have not all arrived after this long fails. */
  phaseTimeoutMs: number;
  /** Runs of both bots; figures are reported per run and as medians. */
  rounds: number;
  bots: TelegramBenchBot[];
  postgresUrl: string;
  redisUrl: string;
  /** Linli's pacing for the run (fair against an echo bot that paces nothing). */
  linliPerChatPerSecond: number;
  linliPerBotPerSecond: number;
  /** Linli's delivery worker concurrency (DELIVERY_CONCURRENCY; the app's default is 10). */
  linliDeliveryConcurrency: number;
  /** When set, each bot process writes a V8 CPU profile into this folder. */
  cpuProfileDir: string | undefined;
}

function botList(raw: string | undefined): TelegramBenchBot[] {
  if (!raw) return ['echo', 'linli'];
  const bots = raw.split(',').map((b) => b.trim()).filter(Boolean);
  for (const bot of bots) if (bot !== 'echo' && bot !== 'linli') throw new Error(`BENCH_BOTS may list echo, linli (got "${bot}")`);
  return bots as TelegramBenchBot[];
}

export function readTelegramBenchOptions(env: NodeJS.ProcessEnv = process.env): TelegramBenchOptions {
  const chats = Math.round(numberSetting(env, 'BENCH_CHATS', 500, 1, 100_000));
  return {
    chats,
    texts: Math.round(numberSetting(env, 'BENCH_TEXTS', 5_000, chats, 1_000_000)),
    latencySeconds: numberSetting(env, 'BENCH_LATENCY_SECONDS', 20, 0, 3_600),
    inboundPerSecond: numberSetting(env, 'BENCH_INBOUND_PER_SECOND', 100, 1, 10_000),
    phaseTimeoutMs: numberSetting(env, 'BENCH_PHASE_TIMEOUT_SECONDS', 180, 1, 3_600) * 1000,
    rounds: Math.round(numberSetting(env, 'BENCH_ROUNDS', 1, 1, 20)),
    bots: botList(env['BENCH_BOTS']),
    postgresUrl: env['BENCH_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: env['BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379',
    linliPerChatPerSecond: numberSetting(env, 'BENCH_LINLI_PER_CHAT_PER_SECOND', 1_000, 0.001, 1_000_000),
    linliPerBotPerSecond: numberSetting(env, 'BENCH_LINLI_PER_BOT_PER_SECOND', 100_000, 0.001, 10_000_000),
    linliDeliveryConcurrency: Math.round(numberSetting(env, 'BENCH_LINLI_DELIVERY_CONCURRENCY', 10, 1, 200)),
    cpuProfileDir: env['BENCH_CPU_PROF_DIR'] || undefined,
  };
}
