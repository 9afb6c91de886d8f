/**
 * Settings of `npm run bench:telegram`, read from the environment. The defaults are issue 13's
 * loads: limits lifted, 2,000 chats each sending one text (after an unmeasured greeting), handed
 * out in getUpdates batches of 100; real limits, 100 chats sending 10 texts each at 100 inbound/s.
 * On a busy machine run it shorter, e.g. BENCH_CHATS=500 BENCH_REAL_TEXTS_PER_CHAT=3.
 */
import { numberSetting } from './env-settings.js';

export type TelegramBenchBot = 'echo' | 'linli';
export type TelegramBenchBackend = 'embedded' | 'postgres-redis';
/** lifted: the fake limits nothing, Linli's pacing raised; real: Telegram's limits, Linli's defaults. */
export type TelegramBenchMode = 'lifted' | 'real';

export interface TelegramBenchOptions {
  modes: TelegramBenchMode[];
  bots: TelegramBenchBot[];
  /** Linli's backends (each a process of its own, beside the echo bot's). */
  backends: TelegramBenchBackend[];
  /** lifted: chats (people) sending; each sends texts/chats of the backlog. */
  chats: number;
  /** lifted: texts in the backlog handed out in batches of ≤ 100 (the throughput phase). */
  texts: number;
  /** lifted: how long inbound arrives at a fixed rate after the backlog; 0 skips it. */
  latencySeconds: number;
  inboundPerSecond: number;
  /** real: chats, texts each chat sends, and the inbound rate they arrive at, round the chats. */
  realChats: number;
  realTextsPerChat: number;
  realInboundPerSecond: number;
  /**
   * real: the fake's limit for the whole bot (Telegram's ~30/s); 0 (the default) leaves only the
   * per-chat limits: Linli paces itself at 30/s anyway, and the bare echo bot, which does not
   * retry a 429, would lose most replies and make its figures meaningless.
   */
  realFakePerSecond: number;
  /** real: a send this many ms early still counts as inside the next window (network jitter). */
  realGraceMs: number;
  /** A phase whose replies have not all arrived after this long fails. */
  phaseTimeoutMs: number;
  /** A phase stops waiting once no reply arrived for this long (a bot that dropped replies). */
  stallMs: number;
  /** Runs of everything; figures are reported per run. */
  rounds: number;
  postgresUrl: string;
  redisUrl: string;
  /** lifted: Linli's pacing for the run (fair against an echo bot that paces nothing). */
  linliPerChatPerSecond: number;
  linliPerBotPerSecond: number;
  /** lifted: Linli's delivery worker concurrency (DELIVERY_CONCURRENCY; the app's default, 20, unless set). */
  linliDeliveryConcurrency: number;
  /** When set, each bot process writes a V8 CPU profile into this folder. */
  cpuProfileDir: string | undefined;
}

function list<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] {
  if (!raw) return [...allowed];
  const items = raw.split(',').map((b) => b.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`${name} may list ${allowed.join(', ')} (got "${item}")`);
  return items as T[];
}

export function readTelegramBenchOptions(env: NodeJS.ProcessEnv = process.env): TelegramBenchOptions {
  const chats = Math.round(numberSetting(env, 'BENCH_CHATS', 2_000, 1, 100_000));
  return {
    modes: list('BENCH_MODES', env['BENCH_MODES'], ['lifted', 'real'] as const),
    bots: list('BENCH_BOTS', env['BENCH_BOTS'], ['echo', 'linli'] as const),
    backends: list('BENCH_BACKENDS', env['BENCH_BACKENDS'], ['embedded', 'postgres-redis'] as const),
    chats,
    texts: Math.round(numberSetting(env, 'BENCH_TEXTS', chats, chats, 1_000_000)),
    latencySeconds: numberSetting(env, 'BENCH_LATENCY_SECONDS', 0, 0, 3_600),
    inboundPerSecond: numberSetting(env, 'BENCH_INBOUND_PER_SECOND', 100, 1, 10_000),
    realChats: Math.round(numberSetting(env, 'BENCH_REAL_CHATS', 100, 1, 100_000)),
    realTextsPerChat: Math.round(numberSetting(env, 'BENCH_REAL_TEXTS_PER_CHAT', 10, 1, 10_000)),
    realInboundPerSecond: numberSetting(env, 'BENCH_REAL_INBOUND_PER_SECOND', 100, 1, 10_000),
    realFakePerSecond: numberSetting(env, 'BENCH_REAL_FAKE_PER_SECOND', 0, 0, 1_000_000),
    realGraceMs: numberSetting(env, 'BENCH_REAL_GRACE_MS', 100, 0, 1_000),
    phaseTimeoutMs: numberSetting(env, 'BENCH_PHASE_TIMEOUT_SECONDS', 300, 1, 3_600) * 1000,
    stallMs: numberSetting(env, 'BENCH_STALL_SECONDS', 20, 1, 3_600) * 1000,
    rounds: Math.round(numberSetting(env, 'BENCH_ROUNDS', 1, 1, 20)),
    postgresUrl: env['BENCH_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: env['BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379',
    linliPerChatPerSecond: numberSetting(env, 'BENCH_LINLI_PER_CHAT_PER_SECOND', 1_000, 0.001, 1_000_000),
    linliPerBotPerSecond: numberSetting(env, 'BENCH_LINLI_PER_BOT_PER_SECOND', 100_000, 0.001, 10_000_000),
    linliDeliveryConcurrency: Math.round(numberSetting(env, 'BENCH_LINLI_DELIVERY_CONCURRENCY', 20, 1, 200)),
    cpuProfileDir: env['BENCH_CPU_PROF_DIR'] || undefined,
  };
}
