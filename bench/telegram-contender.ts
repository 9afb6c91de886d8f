/**
 * One contender of `npm run bench:telegram` in one mode: the bare echo bot or Linli on one
 * backend, each in a process of its own (bench/telegram-bot-process.ts), polling the mode's fake
 * Bot API. Linli on the embedded default gets a fresh DATA_DIR whose database a first start
 * creates in a process of its own, so the measured start is a restart on applied migrations (as
 * a service restarts) and its peak RSS is not the first start's; on PostgreSQL + Redis a fresh
 * schema and queue prefix, removed afterwards.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { exited, nextMessage as nextChildMessage, stopIfRunning } from './child-messages.js';
import type { FakeTelegramBotApi } from '../test/fakes/telegram-bot-api/index.js';
import { deleteRedisPrefix, dropSchemas, freshName, withSchema } from './bench-services.js';
import { ECHO_PROFILE, LINLI_PROFILE, TelegramLoad, type PhaseResult } from './telegram-load.js';
import type { BotSample, BotStart, FromBotProcess } from './telegram-bot-process.js';
import type { TelegramBenchBackend, TelegramBenchMode, TelegramBenchOptions } from './telegram-options.js';
import { mb, ms } from './stats.js';

const READY_TIMEOUT_MS = 180_000;
const SAMPLE_TIMEOUT_MS = 30_000;
const FINISH_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;
/** Longer than Telegram's per-chat window (1 s). */
const REAL_LIMITS_SETTLE_MS = 1_500;

export type Contender = 'echo' | TelegramBenchBackend;

export const LABELS: Record<Contender, string> = {
  echo: 'telegraf 4.16 echo bot',
  embedded: 'Linli, embedded default',
  'postgres-redis': 'Linli, PostgreSQL + Redis',
};

type Finished = Extract<FromBotProcess, { type: 'finished' }>;

/** What the bot process spent during the measured phase. */
export interface PhaseUsage {
  cpuMs: number;
  statements: number;
  transactions: number;
  peakRssBytes: number;
  failedSends: number;
}

export interface Outcome {
  contender: Contender;
  mode: TelegramBenchMode;
  /** In the process: start message → polling (modules loaded, database open, migrations checked). */
  startupMs: number;
  /** Process spawned → polling (Node and the TypeScript loader included). */
  spawnToReadyMs: number;
  /** RSS once polling, before any traffic (idle), and once the load is over. */
  rssReadyBytes: number;
  rssAfterBytes: number;
  /** embedded: the first start on the empty DATA_DIR (database created, migrations applied). */
  firstStart?: { startupMs: number; peakRssBytes: number };
  /** lifted: the backlog; real: the texts at a fixed rate. */
  measured: PhaseResult;
  usage: PhaseUsage;
  /** lifted with BENCH_LATENCY_SECONDS: texts at a fixed rate after the backlog. */
  fixedRate?: PhaseResult;
  finished: Finished;
  /** 429s the fake answered this contender. */
  rateLimited: number;
  /** Anything that makes the figures untrustworthy. */
  problems: string[];
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function nextMessage<T extends FromBotProcess['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromBotProcess, { type: T }>> {
  return nextChildMessage<FromBotProcess, T>(child, type, timeoutMs, 'bot');
}

interface BotRun<T> {
  startupMs: number;
  spawnToReadyMs: number;
  rssReadyBytes: number;
  result: T;
  finished: Finished;
}

/** Starts a bot process, runs `during` against it (with a way to sample its counters), then has it report and stop. */
async function withBot<T>(start: BotStart, options: TelegramBenchOptions, during: (sample: () => Promise<BotSample>) => Promise<T>): Promise<BotRun<T>> {
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const spawned = performance.now();
  const child = fork(fileURLToPath(new URL('./telegram-bot-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = nextMessage(child, 'ready', READY_TIMEOUT_MS);
    child.send(start);
    const { startupMs, rssBytes, detail } = await ready;
    const spawnToReadyMs = performance.now() - spawned;
    log(`  ${detail}: ready in ${(startupMs / 1000).toFixed(2)} s (${(spawnToReadyMs / 1000).toFixed(2)} s from spawning the process), RSS ${mb(rssBytes)} MB`);
    const sample = () => {
      const sampled = nextMessage(child, 'sampled', SAMPLE_TIMEOUT_MS);
      child.send({ type: 'sample' });
      return sampled;
    };
    const result = await during(sample);
    const finished = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
    child.send({ type: 'finish' });
    const run = { startupMs, spawnToReadyMs, rssReadyBytes: rssBytes, result, finished: await finished };
    await exited(child, EXIT_TIMEOUT_MS);
    return run;
  } finally {
    await stopIfRunning(child, EXIT_TIMEOUT_MS);
  }
}

export function describePhase(name: string, result: PhaseResult): string {
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
function phaseProblems(name: string, result: PhaseResult, droppedByBot: number): string[] {
  const problems: string[] = [];
  // The bare echo bot does not retry a refused send: under real limits those texts stay
  // unanswered, and as replies are paired with texts in order, later texts of that chat get
  // an earlier text's reply (counted wrong); its latency figures are then approximate.
  const unanswered = result.unanswered - droppedByBot;
  if (unanswered > 0) problems.push(`${name}: ${unanswered} texts without all their replies`);
  if (result.wrongAnswers > 0 && droppedByBot === 0) problems.push(`${name}: ${result.wrongAnswers} texts answered wrongly`);
  if (result.extraReplies > 0) problems.push(`${name}: ${result.extraReplies} replies more than expected`);
  return problems;
}

function usageBetween(before: BotSample, after: BotSample): PhaseUsage {
  return {
    cpuMs: after.cpuMs - before.cpuMs,
    statements: after.statements - before.statements,
    transactions: after.transactions - before.transactions,
    peakRssBytes: after.peakRssSinceBytes,
    failedSends: after.failedSends - before.failedSends,
  };
}

type Measured = Pick<Outcome, 'measured' | 'usage' | 'fixedRate' | 'problems'>;

async function runLoad(fake: FakeTelegramBotApi, contender: Contender, mode: TelegramBenchMode, options: TelegramBenchOptions, sample: () => Promise<BotSample>): Promise<Measured> {
  const profile = contender === 'echo' ? ECHO_PROFILE : LINLI_PROFILE;
  const chats = mode === 'lifted' ? options.chats : options.realChats;
  const load = new TelegramLoad(fake, profile, chats, options.stallMs);
  const atStart = await sample();
  const greeting = await load.greet(options.phaseTimeoutMs);
  log(describePhase('warm-up (every chat greets, not measured)', greeting));
  // Under real limits a chat's first reply must not fall in the same second as its greeting's.
  if (mode === 'real') await new Promise((resolve) => setTimeout(resolve, REAL_LIMITS_SETTLE_MS));
  const before = await sample();
  let measured: PhaseResult;
  let name: string;
  if (mode === 'lifted') {
    measured = await load.backlog(options.texts, options.phaseTimeoutMs);
    name = `backlog of ${options.texts} texts`;
  } else {
    const seconds = (options.realChats * options.realTextsPerChat) / options.realInboundPerSecond;
    measured = await load.steady(options.realInboundPerSecond, seconds, options.phaseTimeoutMs);
    name = `${options.realTextsPerChat} texts from each chat at ${options.realInboundPerSecond}/s`;
  }
  const usage = usageBetween(before, await sample());
  const droppedInWarmUp = contender === 'echo' ? before.failedSends - atStart.failedSends : 0;
  log(describePhase(name, measured));
  const fixedRate =
    mode === 'lifted' && options.latencySeconds > 0 ? await load.steady(options.inboundPerSecond, options.latencySeconds, options.phaseTimeoutMs) : undefined;
  if (fixedRate) log(describePhase(`${options.inboundPerSecond}/s for ${options.latencySeconds} s`, fixedRate));
  return {
    measured,
    usage,
    ...(fixedRate ? { fixedRate } : {}),
    problems: [
      ...phaseProblems('warm-up', greeting, droppedInWarmUp),
      ...phaseProblems(name, measured, contender === 'echo' ? usage.failedSends : 0),
      ...(fixedRate ? phaseProblems('fixed rate', fixedRate, 0) : []),
    ],
  };
}

/** Linli's settings for the mode: lifted raises its pacing (the echo bot paces nothing); real keeps its defaults. */
function linliPacing(mode: TelegramBenchMode, options: TelegramBenchOptions): Record<string, string> {
  if (mode === 'real') return {};
  return {
    TELEGRAM_MAX_PER_CHAT_PER_SECOND: String(options.linliPerChatPerSecond),
    TELEGRAM_MAX_PER_SECOND: String(options.linliPerBotPerSecond),
    // Each chat sends far slower than a flood, but a backlog arrives all at once.
    FLOOD_MAX_MESSAGES: '1000000',
    DELIVERY_CONCURRENCY: String(options.linliDeliveryConcurrency),
  };
}

export async function runContender(fake: FakeTelegramBotApi, contender: Contender, mode: TelegramBenchMode, options: TelegramBenchOptions): Promise<Outcome> {
  const rateLimitedBefore = fake.stats.rateLimited;
  const base = { type: 'start' as const, apiRoot: fake.apiRoot, token: fake.token };
  const finishOutcome = (run: BotRun<Measured>, firstStart?: Outcome['firstStart']): Outcome => ({
    contender,
    mode,
    startupMs: run.startupMs,
    spawnToReadyMs: run.spawnToReadyMs,
    rssReadyBytes: run.rssReadyBytes,
    rssAfterBytes: run.finished.rssAtFinishBytes,
    ...(firstStart ? { firstStart } : {}),
    ...run.result,
    finished: run.finished,
    rateLimited: fake.stats.rateLimited - rateLimitedBefore,
  });

  if (contender === 'echo') {
    return finishOutcome(await withBot({ ...base, bot: 'echo' }, options, (sample) => runLoad(fake, 'echo', mode, options, sample)));
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-telegram-'));
  const schema = freshName('bench_telegram_');
  const prefix = freshName('bencht');
  try {
    const start: BotStart = { ...base, bot: 'linli', env: { DATA_DIR: dataDir, ...linliPacing(mode, options) } };
    if (contender === 'postgres-redis') {
      log(`  schema ${schema}, queue prefix ${prefix} (both removed afterwards)`);
      start.env = {
        ...start.env,
        DATABASE_URL: withSchema(options.postgresUrl, schema),
        REDIS_URL: options.redisUrl,
        LINLI_SECRET: randomBytes(32).toString('hex'),
      };
      start.queuePrefix = prefix;
      return finishOutcome(await withBot(start, options, (sample) => runLoad(fake, contender, mode, options, sample)));
    }
    // Creating the database (initdb) and migrating is a one-time peak: it gets its own process.
    const first = await withBot(start, options, async () => undefined);
    const firstStart = { startupMs: first.startupMs, peakRssBytes: first.finished.peakRssBytes };
    log(`  first start on the empty DATA_DIR (database created, migrations applied): ${(firstStart.startupMs / 1000).toFixed(1)} s, peak RSS ${mb(firstStart.peakRssBytes)} MB; now the restart:`);
    return finishOutcome(await withBot(start, options, (sample) => runLoad(fake, contender, mode, options, sample)), firstStart);
  } finally {
    if (contender === 'postgres-redis') {
      await dropSchemas(options.postgresUrl, [schema, `${schema}_bullmq`]).catch((error: unknown) => log(`  could not drop schema ${schema}: ${String(error)}`));
      await deleteRedisPrefix(options.redisUrl, prefix).catch((error: unknown) => log(`  could not delete Redis keys under ${prefix}: ${String(error)}`));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
