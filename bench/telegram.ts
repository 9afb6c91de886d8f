/**
 * `npm run bench:telegram` — a full flow step through Telegram (inbound recorded, state saved,
 * effect, outbox, delivery, send) against the bare telegraf 4.16 echo bot, in one run, on one
 * fake Bot API (no rate limits for either bot).
 *
 * Each round starts the fake, then for each bot, in a process of its own: every chat greets
 * (warm-up, not measured); a backlog of texts from all chats is handed out in getUpdates batches
 * of ≤ 100 (throughput: steps/s, replies/s, hand-out → reply p50/p99); then texts arrive at a
 * fixed rate (latency). The echo bot answers each text with itself; Linli runs its main menu and
 * language flows on PostgreSQL + Redis (a fresh schema and queue prefix, removed afterwards),
 * with its per-chat and per-bot pacing raised (the echo bot paces nothing) and the flood limit
 * off. A step's latency is the fake handing the update out → the fake accepting the step's last
 * reply (first reply also shown). Figures: Linli steps/s ÷ echo replies/s (target ≥ 0.40), and
 * the latency Linli adds at 100 inbound/s: its p50/p99 minus the echo bot's in the same round
 * (target ≤ 20 / 100 ms).
 *
 * Settings: see telegram-options.ts (BENCH_CHATS, BENCH_TEXTS, BENCH_LATENCY_SECONDS,
 * BENCH_INBOUND_PER_SECOND, BENCH_ROUNDS, BENCH_BOTS, BENCH_DATABASE_URL, BENCH_REDIS_URL…).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, nextMessage as nextChildMessage, stopIfRunning } from './child-messages.js';
import { FakeTelegramBotApi } from '../test/fakes/telegram-bot-api/index.js';
import { deleteRedisPrefix, displayUrl, dropSchemas, freshName, postgresProblem, redisProblem, withSchema } from './bench-services.js';
import { ECHO_PROFILE, LINLI_PROFILE, TelegramLoad, type PhaseResult } from './telegram-load.js';
import type { BotStart, FromBotProcess } from './telegram-bot-process.js';
import { readTelegramBenchOptions, type TelegramBenchBot, type TelegramBenchOptions } from './telegram-options.js';
import { mb, ms, table } from './stats.js';

const READY_TIMEOUT_MS = 180_000;
const FINISH_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;

const LABELS: Record<TelegramBenchBot, string> = {
  echo: 'telegraf 4.16 echo bot',
  linli: 'Linli (PostgreSQL + Redis)',
};

type Finished = Extract<FromBotProcess, { type: 'finished' }>;

interface BotOutcome {
  bot: TelegramBenchBot;
  throughput: PhaseResult;
  latency: PhaseResult | undefined;
  finished: Finished;
  /** Anything that makes the figures untrustworthy. */
  problems: string[];
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The child's first message of `type` (see child-messages.ts). */
function nextMessage<T extends FromBotProcess['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromBotProcess, { type: T }>> {
  return nextChildMessage<FromBotProcess, T>(child, type, timeoutMs, 'bot');
}

/** Starts a bot process, runs the load against it, then has it report and stop. */
async function withBot(
  start: BotStart,
  options: TelegramBenchOptions,
  during: () => Promise<Omit<BotOutcome, 'finished' | 'bot'>>,
): Promise<BotOutcome> {
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = fork(fileURLToPath(new URL('./telegram-bot-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = nextMessage(child, 'ready', READY_TIMEOUT_MS);
    child.send(start);
    const { startupMs, rssBytes, detail } = await ready;
    log(`  ${detail}: ready in ${(startupMs / 1000).toFixed(1)} s, RSS ${mb(rssBytes)} MB`);
    const measured = await during();
    const finished = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
    child.send({ type: 'finish' });
    const outcome = { bot: start.bot, ...measured, finished: await finished };
    await exited(child, EXIT_TIMEOUT_MS);
    return outcome;
  } finally {
    await stopIfRunning(child, EXIT_TIMEOUT_MS);
  }
}

function describePhase(name: string, result: PhaseResult): string {
  const rate =
    result.inboundPerSecond !== undefined
      ? `, inbound ${result.inboundPerSecond.toFixed(1)}/s, the last reply ${ms(result.tailMs ?? Number.NaN)} ms after the last text`
      : '';
  return (
    `  ${name}: ${result.answered}/${result.texts} texts answered in ${result.seconds.toFixed(2)} s${rate} → ` +
    `${result.stepsPerSecond.toFixed(0)} steps/s, ${result.repliesPerSecond.toFixed(0)} replies/s; ` +
    `step p50 ${ms(result.stepLatency.p50)} / p99 ${ms(result.stepLatency.p99)} / max ${ms(result.stepLatency.max)} ms, ` +
    `first reply p50 ${ms(result.firstReplyLatency.p50)} / p99 ${ms(result.firstReplyLatency.p99)} ms`
  );
}

/** Problems that make a phase's figures meaningless: texts unanswered, wrong or extra replies. */
function phaseProblems(name: string, result: PhaseResult): string[] {
  const problems: string[] = [];
  if (result.unanswered > 0) problems.push(`${name}: ${result.unanswered} texts without all their replies`);
  if (result.wrongAnswers > 0) problems.push(`${name}: ${result.wrongAnswers} texts answered wrongly`);
  if (result.extraReplies > 0) problems.push(`${name}: ${result.extraReplies} replies more than expected`);
  return problems;
}

async function runLoad(fake: FakeTelegramBotApi, bot: TelegramBenchBot, options: TelegramBenchOptions): Promise<Omit<BotOutcome, 'finished' | 'bot'>> {
  const load = new TelegramLoad(fake, bot === 'echo' ? ECHO_PROFILE : LINLI_PROFILE, options.chats);
  const greeting = await load.greet(options.phaseTimeoutMs);
  log(describePhase('warm-up (every chat greets)', greeting));
  const throughput = await load.backlog(options.texts, options.phaseTimeoutMs);
  log(describePhase(`backlog of ${options.texts} texts`, throughput));
  const latency =
    options.latencySeconds > 0 ? await load.steady(options.inboundPerSecond, options.latencySeconds, options.phaseTimeoutMs) : undefined;
  if (latency) log(describePhase(`${options.inboundPerSecond}/s for ${options.latencySeconds} s`, latency));
  return {
    throughput,
    latency,
    problems: [...phaseProblems('warm-up', greeting), ...phaseProblems('backlog', throughput), ...(latency ? phaseProblems('fixed rate', latency) : [])],
  };
}

async function runEcho(fake: FakeTelegramBotApi, options: TelegramBenchOptions): Promise<BotOutcome> {
  return withBot({ type: 'start', bot: 'echo', apiRoot: fake.apiRoot, token: fake.token }, options, () => runLoad(fake, 'echo', options));
}

async function runLinli(fake: FakeTelegramBotApi, options: TelegramBenchOptions): Promise<BotOutcome> {
  const schema = freshName('bench_telegram_');
  const prefix = freshName('bencht');
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-telegram-'));
  log(`  schema ${schema}, queue prefix ${prefix} (both removed afterwards)`);
  try {
    return await withBot(
      {
        type: 'start',
        bot: 'linli',
        apiRoot: fake.apiRoot,
        token: fake.token,
        queuePrefix: prefix,
        env: {
          DATA_DIR: dataDir,
          DATABASE_URL: withSchema(options.postgresUrl, schema),
          REDIS_URL: options.redisUrl,
          LINLI_SECRET: randomBytes(32).toString('hex'),
          // The echo bot paces nothing and the fake limits nothing: Linli's own limits are
          // raised so they do not cap it (their code still runs for every message).
          TELEGRAM_MAX_PER_CHAT_PER_SECOND: String(options.linliPerChatPerSecond),
          TELEGRAM_MAX_PER_SECOND: String(options.linliPerBotPerSecond),
          // Each chat sends far slower than a flood, but a backlog arrives all at once.
          FLOOD_MAX_MESSAGES: '1000000',
          DELIVERY_CONCURRENCY: String(options.linliDeliveryConcurrency),
        },
      },
      options,
      () => runLoad(fake, 'linli', options),
    );
  } finally {
    await dropSchemas(options.postgresUrl, [schema, `${schema}_bullmq`]).catch((error: unknown) => log(`  could not drop schema ${schema}: ${String(error)}`));
    await deleteRedisPrefix(options.redisUrl, prefix).catch((error: unknown) => log(`  could not delete Redis keys under ${prefix}: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface RoundResult {
  round: number;
  outcomes: Partial<Record<TelegramBenchBot, BotOutcome>>;
}

async function runRound(round: number, options: TelegramBenchOptions): Promise<RoundResult> {
  const fake = await FakeTelegramBotApi.start({ rateLimits: false });
  const outcomes: RoundResult['outcomes'] = {};
  try {
    for (const bot of options.bots) {
      log(`\n[round ${round}: ${LABELS[bot]}] (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
      try {
        const outcome = bot === 'echo' ? await runEcho(fake, options) : await runLinli(fake, options);
        for (const problem of outcome.problems) log(`  PROBLEM: ${problem}`);
        const texts = outcome.throughput.texts + (outcome.latency?.texts ?? 0) + options.chats;
        log(`  bot process CPU from ready to finish: ${(outcome.finished.cpuUnderLoadMs / 1000).toFixed(1)} s (${ms(outcome.finished.cpuUnderLoadMs / texts)} ms per text)`);
        if (outcome.finished.counts) log(`  Linli tables: ${JSON.stringify(outcome.finished.counts)}`);
        if (outcome.finished.stages) {
          log(`  where Linli's time went (all phases, from its rows): ${outcome.finished.stages.map((s) => `${s.stage} p50 ${ms(s.p50Ms)} / p99 ${ms(s.p99Ms)} ms`).join('; ')}`);
        }
        outcomes[bot] = outcome;
      } catch (error) {
        log(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    }
  } finally {
    await fake.close();
  }
  return { round, outcomes };
}

function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

function printSummary(rounds: readonly RoundResult[], options: TelegramBenchOptions): void {
  const rows: string[][] = [];
  for (const { round, outcomes } of rounds) {
    for (const bot of options.bots) {
      const o = outcomes[bot];
      if (!o) continue;
      rows.push([
        `${round}: ${LABELS[bot]}`,
        o.throughput.stepsPerSecond.toFixed(0),
        o.throughput.repliesPerSecond.toFixed(0),
        ms(o.throughput.stepLatency.p50),
        ms(o.throughput.stepLatency.p99),
        o.latency ? `${ms(o.latency.stepLatency.p50)} / ${ms(o.latency.stepLatency.p99)}` : '–',
        o.latency ? `${ms(o.latency.firstReplyLatency.p50)} / ${ms(o.latency.firstReplyLatency.p99)}` : '–',
        mb(o.finished.peakRssUnderLoadBytes),
        mb(o.finished.peakRssBytes),
        o.problems.length > 0 ? 'PROBLEMS' : 'ok',
      ]);
    }
  }
  log('\nSummary (a step: one text and every reply it causes; times from the update handed out to the reply accepted by the fake)');
  log(
    table(
      ['round: bot', 'steps/s', 'replies/s', 'backlog p50 ms', 'p99 ms', `at ${options.inboundPerSecond}/s step p50 / p99`, 'first reply p50 / p99', 'peak RSS under load MB', 'peak RSS MB', 'check'],
      rows,
    ),
  );

  const ratios: number[] = [];
  const added = { stepP50: [] as number[], stepP99: [] as number[], firstP50: [] as number[], firstP99: [] as number[] };
  for (const { outcomes } of rounds) {
    const { echo, linli } = outcomes;
    if (!echo || !linli || echo.problems.length > 0 || linli.problems.length > 0) continue;
    ratios.push(linli.throughput.stepsPerSecond / echo.throughput.repliesPerSecond);
    if (echo.latency && linli.latency) {
      added.stepP50.push(linli.latency.stepLatency.p50 - echo.latency.stepLatency.p50);
      added.stepP99.push(linli.latency.stepLatency.p99 - echo.latency.stepLatency.p99);
      added.firstP50.push(linli.latency.firstReplyLatency.p50 - echo.latency.firstReplyLatency.p50);
      added.firstP99.push(linli.latency.firstReplyLatency.p99 - echo.latency.firstReplyLatency.p99);
    }
  }
  if (ratios.length === 0) {
    const why = options.bots.length < 2 ? 'it needs both bots (BENCH_BOTS=echo,linli)' : 'no round had both bots without problems';
    log(`\nNo ratio: ${why}.`);
    return;
  }
  const of = rounds.length > 1 ? ` (median of ${ratios.length} rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})` : '';
  log(`\nLinli full flow steps/s ÷ echo bot replies/s: ${median(ratios).toFixed(2)}${of} — target ≥ 0.40`);
  if (added.stepP50.length > 0) {
    log(
      `Latency added by Linli at ${options.inboundPerSecond} inbound messages/s (Linli − echo, same round): ` +
        `whole step p50 ${ms(median(added.stepP50))} ms / p99 ${ms(median(added.stepP99))} ms; ` +
        `first reply p50 ${ms(median(added.firstP50))} ms / p99 ${ms(median(added.firstP99))} ms — target ≤ 20 / 100 ms`,
    );
  }
}

async function main(): Promise<void> {
  const options = readTelegramBenchOptions();
  log(
    `bench:telegram — ${options.chats} chats; a backlog of ${options.texts} texts (getUpdates batches of ≤ 100), ` +
      `then ${options.inboundPerSecond} texts/s for ${options.latencySeconds} s; ${options.rounds} round(s).\n` +
      `Fake Bot API without rate limits for both bots. Linli's pacing raised for the run: ` +
      `${options.linliPerChatPerSecond}/s per chat, ${options.linliPerBotPerSecond}/s per bot (TELEGRAM_MAX_PER_CHAT_PER_SECOND, ` +
      `TELEGRAM_MAX_PER_SECOND; still enforced, through Redis); flood limit off; delivery concurrency ${options.linliDeliveryConcurrency} (DELIVERY_CONCURRENCY).\n` +
      `Linli's cycle per chat: 语言 → language prompt; 中文 → set_language effect, done, menu; 帮助 → help, menu; 菜单 → menu.`,
  );
  if (options.bots.includes('linli')) {
    const [pg, redis] = await Promise.all([postgresProblem(options.postgresUrl), redisProblem(options.redisUrl)]);
    if (pg || redis) {
      log(`Linli needs PostgreSQL (${displayUrl(options.postgresUrl)}: ${pg ?? 'ok'}) and Redis (${displayUrl(options.redisUrl)}: ${redis ?? 'ok'}).`);
      process.exitCode = 1;
      return;
    }
  }
  const rounds: RoundResult[] = [];
  for (let round = 1; round <= options.rounds; round += 1) rounds.push(await runRound(round, options));
  printSummary(rounds, options);
  if (rounds.some((r) => Object.values(r.outcomes).some((o) => o.problems.length > 0))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:telegram failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
