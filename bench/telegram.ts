/**
 * `npm run bench:telegram` — Linli through Telegram on the embedded default and on PostgreSQL +
 * Redis, beside the bare telegraf 4.16 echo bot in the same run, on the fake Bot API, in two
 * modes (issue 13):
 * - lifted: no sending limits in the fake, Linli's pacing raised and its flood limit off, so the
 *   bots' own cost is measured: every chat greets (warm-up, not measured), then a backlog of one
 *   text per chat (2,000) is handed out in getUpdates batches of ≤ 100: replies/s (÷ the echo
 *   bot's), first reply p50/p99, CPU per flow step, statements and transactions per step, RSS
 *   idle and peak, start to first poll;
 * - real: the fake enforces Telegram's per-chat limits (1 message/s per private chat; its ~30/s
 *   for the whole bot with BENCH_REAL_FAKE_PER_SECOND=30) and Linli paces at its defaults (30/s
 *   per bot, 1/s per chat): 100 chats greet, then send 10 texts each at 100 inbound/s: first
 *   reply p99.
 * Each contender runs in a process of its own (see telegram-contender.ts); a final table puts
 * each target's figure, ratio and verdict side by side (telegram-report.ts).
 *
 * Settings: see telegram-options.ts (BENCH_MODES=lifted,real, BENCH_BACKENDS=embedded,postgres-redis,
 * BENCH_BOTS=echo,linli, BENCH_CHATS, BENCH_REAL_*, BENCH_DATABASE_URL, BENCH_REDIS_URL…).
 */
import { cpus, loadavg } from 'node:os';
import { FakeTelegramBotApi } from '../test/fakes/telegram-bot-api/index.js';
import { displayUrl, postgresProblem, redisProblem } from './bench-services.js';
import { LABELS, runContender, type Contender, type Outcome } from './telegram-contender.js';
import { readTelegramBenchOptions, type TelegramBenchMode, type TelegramBenchOptions } from './telegram-options.js';
import { printFigures, printTargets } from './telegram-report.js';
import { ms } from './stats.js';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

function startFake(mode: TelegramBenchMode, options: TelegramBenchOptions): Promise<FakeTelegramBotApi> {
  if (mode === 'lifted') return FakeTelegramBotApi.start({ rateLimits: false });
  // Telegram's limits (per chat, per group); the whole bot's as set, or out of the way.
  const perBot = options.realFakePerSecond > 0 ? options.realFakePerSecond : 1_000_000_000;
  return FakeTelegramBotApi.start({ rateLimits: { global: { max: perBot, windowMs: 1000 } }, rateLimitGraceMs: options.realGraceMs });
}

async function runMode(round: number, mode: TelegramBenchMode, contenders: readonly Contender[], options: TelegramBenchOptions): Promise<Outcome[]> {
  const fake = await startFake(mode, options);
  const outcomes: Outcome[] = [];
  try {
    for (const contender of contenders) {
      log(`\n[round ${round}, ${mode === 'lifted' ? 'limits lifted' : 'real limits'}: ${LABELS[contender]}] (load average ${load()})`);
      try {
        const outcome = await runContender(fake, contender, mode, options);
        for (const problem of outcome.problems) log(`  PROBLEM: ${problem}`);
        const { usage, measured } = outcome;
        log(
          `  measured phase: CPU ${(usage.cpuMs / 1000).toFixed(2)} s (${ms(usage.cpuMs / measured.answered)} ms per step, ${ms(usage.cpuMs / measured.replies)} ms per reply)` +
            (contender === 'echo'
              ? `; sends refused ${usage.failedSends}`
              : `; ${usage.statements} statements, ${usage.transactions} transactions (${(usage.statements / measured.answered).toFixed(1)} / ${(usage.transactions / measured.answered).toFixed(2)} per step)`) +
            `; 429s answered by the fake ${outcome.rateLimited}; peak RSS ${(usage.peakRssBytes / 1024 / 1024).toFixed(0)} MB (load average ${load()})`,
        );
        if (outcome.finished.counts) log(`  Linli tables: ${JSON.stringify(outcome.finished.counts)}`);
        if (outcome.finished.stages) {
          log(`  where Linli's time went (all phases, from its rows): ${outcome.finished.stages.map((s) => `${s.stage} p50 ${ms(s.p50Ms)} / p99 ${ms(s.p99Ms)} ms`).join('; ')}`);
        }
        outcomes.push(outcome);
      } catch (error) {
        log(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    }
  } finally {
    await fake.close();
  }
  return outcomes;
}

/** The contenders this run can have: PostgreSQL + Redis only when both answer. */
async function contenders(options: TelegramBenchOptions): Promise<Contender[]> {
  const list: Contender[] = options.bots.includes('echo') ? ['echo'] : [];
  if (!options.bots.includes('linli')) return list;
  if (options.backends.includes('embedded')) list.push('embedded');
  if (options.backends.includes('postgres-redis')) {
    const [pg, redis] = await Promise.all([postgresProblem(options.postgresUrl), redisProblem(options.redisUrl)]);
    if (pg || redis) {
      log(`Skipping PostgreSQL + Redis: PostgreSQL (${displayUrl(options.postgresUrl)}: ${pg ?? 'ok'}), Redis (${displayUrl(options.redisUrl)}: ${redis ?? 'ok'}).`);
      process.exitCode = 1;
    } else {
      list.push('postgres-redis');
    }
  }
  return list;
}

async function main(): Promise<void> {
  const options = readTelegramBenchOptions();
  log(
    `bench:telegram — modes ${options.modes.join(', ')}; ${options.rounds} round(s); load average ${load()}.\n` +
      `lifted: ${options.chats} chats greet, then a backlog of ${options.texts} texts (getUpdates batches of ≤ 100)` +
      (options.latencySeconds > 0 ? `, then ${options.inboundPerSecond} texts/s for ${options.latencySeconds} s` : '') +
      `; the fake limits nothing; Linli's pacing raised to ${options.linliPerChatPerSecond}/s per chat, ${options.linliPerBotPerSecond}/s per bot ` +
      `(still enforced), flood limit off, delivery concurrency ${options.linliDeliveryConcurrency}.\n` +
      `real: ${options.realChats} chats greet, then send ${options.realTextsPerChat} texts each at ${options.realInboundPerSecond} inbound/s; ` +
      `the fake enforces 1 message/s per private chat and ${options.realFakePerSecond > 0 ? `${options.realFakePerSecond}/s per bot` : 'nothing per bot'}; Linli at its default pacing.\n` +
      `Linli's cycle per chat: 语言 → language prompt; 中文 → set_language effect, done, menu; 帮助 → help, menu; 菜单 → menu. The echo bot answers each text with itself.`,
  );
  const who = await contenders(options);
  const rounds: Outcome[][] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    const outcomes: Outcome[] = [];
    for (const mode of options.modes) outcomes.push(...(await runMode(round, mode, who, options)));
    rounds.push(outcomes);
  }
  rounds.forEach((outcomes, index) => {
    if (rounds.length > 1) log(`\n=== round ${index + 1} ===`);
    printFigures(outcomes);
    printTargets(outcomes, options);
  });
  log(`\nMachine: ${cpus().length} cores; load average at the end ${load()} (the machine may be shared: compare ratios from the same run).`);
  if (rounds.some((r) => r.some((o) => o.problems.length > 0))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:telegram failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
