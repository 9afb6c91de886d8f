/**
 * `npm run bench:engine` — full flow steps per second through the web chat: real HTTP against
 * the started app on loopback, router, flow engine, database, outbox, delivery queue and the
 * web chat store. Each backend runs in its own app process (so its peak RSS is its own); this
 * process plays the browsers and prints the figures.
 *
 * Backends: the embedded default (PGlite on disk in a fresh temporary DATA_DIR, queues on it)
 * and PostgreSQL + Redis (a fresh schema and queue prefix, removed afterwards). When PostgreSQL
 * or Redis cannot be reached that is printed, and the embedded figures are still reported.
 *
 * Settings (environment): BENCH_SESSIONS (100), BENCH_SECONDS (30, measured window per backend),
 * BENCH_WARMUP_SECONDS (5), BENCH_STEP_TIMEOUT_SECONDS (30), BENCH_BACKENDS
 * (embedded,postgres-redis), BENCH_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test),
 * BENCH_REDIS_URL (redis://127.0.0.1:6379), BENCH_CPU_PROF_DIR (write a CPU profile of each app
 * process there).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FinishedMessage, FromAppProcess, ReadyMessage, StartMessage } from './engine-app-process.js';
import { runLoad, type LoadResult } from './engine-load.js';
import { readEngineBenchOptions, type BackendName, type EngineBenchOptions } from './engine-options.js';
import {
  deleteRedisPrefix,
  displayUrl,
  dropSchemas,
  freshName,
  postgresProblem,
  redisProblem,
  withSchema,
} from './bench-services.js';
import { mb, ms, table } from './stats.js';

const READY_TIMEOUT_MS = 180_000;
const FINISH_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 15_000;

const LABELS: Record<BackendName, string> = {
  embedded: 'embedded (PGlite on disk, queues on PGlite)',
  'postgres-redis': 'PostgreSQL + Redis',
};

type BackendOutcome =
  | { backend: BackendName; status: 'ok'; ready: ReadyMessage; load: LoadResult; finished: FinishedMessage }
  | { backend: BackendName; status: 'unavailable' | 'failed'; reason: string };

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Resolves with the first message of one of `types`; rejects on 'failed', exit or timeout. */
function nextMessage<T extends FromAppProcess['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromAppProcess, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: FromAppProcess) => {
      if (message.type === type) {
        cleanup();
        resolve(message as Extract<FromAppProcess, { type: T }>);
      } else if (message.type === 'failed') {
        cleanup();
        reject(new Error(message.error));
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`the app process exited (${signal ?? `code ${code}`}) before "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`the app process sent no "${type}" within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function forkAppProcess(options: EngineBenchOptions): ChildProcess {
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  return fork(fileURLToPath(new URL('./engine-app-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function runBackend(backend: BackendName, options: EngineBenchOptions, start: StartMessage): Promise<BackendOutcome> {
  const child = forkAppProcess(options);
  try {
    const readyMessage = nextMessage(child, 'ready', READY_TIMEOUT_MS);
    child.send(start);
    const ready = await readyMessage;
    log(`  app ready in ${(ready.startupMs / 1000).toFixed(1)} s at ${ready.baseUrl} (queues: ${ready.queueBackend}, app pid ${child.pid})`);
    const load = await runLoad(ready.baseUrl, {
      sessions: options.sessions,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      stepTimeoutMs: options.stepTimeoutMs,
      progress: (line) => log(`  ${line}`),
    });
    const finishedMessage = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
    child.send({ type: 'finish' });
    const finished = await finishedMessage;
    await exited(child, EXIT_TIMEOUT_MS);
    return { backend, status: 'ok', ready, load, finished };
  } catch (error) {
    return { backend, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited(child, EXIT_TIMEOUT_MS);
    }
  }
}

async function runEmbedded(options: EngineBenchOptions): Promise<BackendOutcome> {
  return runBackend('embedded', options, { type: 'start' });
}

async function runPostgresRedis(options: EngineBenchOptions): Promise<BackendOutcome> {
  const [pgProblem, redis] = await Promise.all([postgresProblem(options.postgresUrl), redisProblem(options.redisUrl)]);
  const problems = [
    ...(pgProblem ? [`PostgreSQL at ${displayUrl(options.postgresUrl)} is unreachable: ${pgProblem}`] : []),
    ...(redis ? [`Redis at ${displayUrl(options.redisUrl)} is unreachable: ${redis}`] : []),
  ];
  if (problems.length > 0) return { backend: 'postgres-redis', status: 'unavailable', reason: problems.join('; ') };

  const schema = freshName('bench_');
  const prefix = freshName('bench');
  log(`  schema ${schema}, queue prefix ${prefix} (both removed afterwards)`);
  try {
    return await runBackend('postgres-redis', options, {
      type: 'start',
      databaseUrl: withSchema(options.postgresUrl, schema),
      redisUrl: options.redisUrl,
      queuePrefix: prefix,
    });
  } finally {
    // The queue schema exists only when the queues run on PostgreSQL; dropping it is harmless.
    await dropSchemas(options.postgresUrl, [schema, `${schema}_bullmq`]).catch((error: unknown) =>
      log(`  could not drop schema ${schema}: ${String(error)}`),
    );
    await deleteRedisPrefix(options.redisUrl, prefix).catch((error: unknown) =>
      log(`  could not delete Redis keys under ${prefix}: ${String(error)}`),
    );
  }
}

function countsLine(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([key, value]) => `${key} ${value}`).join(', ') : 'none';
}

function printDetails(outcome: BackendOutcome): void {
  if (outcome.status !== 'ok') {
    log(`  ${outcome.status.toUpperCase()}: ${outcome.reason}`);
    return;
  }
  const { load, finished } = outcome;
  const failures = Object.entries(load.failures);
  log(`  sessions ${load.sessions}, greeted in ${load.greetingSeconds.toFixed(1)} s (greeting p50 ${ms(load.greeting.p50)} ms)`);
  log(`  steps in the ${load.windowSeconds} s window: ${load.steps} → ${load.stepsPerSecond.toFixed(1)} steps/s`);
  log(`  send → reply stored: p50 ${ms(load.delivered.p50)} ms, p95 ${ms(load.delivered.p95)} ms, p99 ${ms(load.delivered.p99)} ms, max ${ms(load.delivered.max)} ms`);
  log(`  send → POST answered: p50 ${ms(load.accepted.p50)} ms, p95 ${ms(load.accepted.p95)} ms, p99 ${ms(load.accepted.p99)} ms`);
  for (const step of load.byStep) {
    log(`    ${step.name}: ${step.delivered.count} steps, p50 ${ms(step.delivered.p50)} ms, p99 ${ms(step.delivered.p99)} ms`);
  }
  log(`  app process: peak RSS ${mb(finished.peakRssBytes)} MB, RSS after ${mb(finished.rssAfterBytes)} MB, heap used after ${mb(finished.heapUsedAfterBytes)} MB, stop ${(finished.stopMs / 1000).toFixed(1)} s`);
  log(`  app tables: inbound ${countsLine(finished.counts.inbound)}; outbox ${countsLine(finished.counts.outbox)}; web chat rows ${countsLine(finished.counts.webChatRows)}`);
  log(`  steps completed in all (greetings, warm-up, tail included): ${load.stepsCompletedInAll}; with an unexpected number of replies: ${load.unexpectedReplyCounts}`);
  for (const [message, count] of failures) log(`  FAILED sessions (${count}): ${message}`);
}

function summaryRow(outcome: BackendOutcome): string[] {
  if (outcome.status !== 'ok') return [LABELS[outcome.backend], outcome.status, '', '', '', '', '', '', '', ''];
  const { load, finished } = outcome;
  return [
    LABELS[outcome.backend],
    String(load.sessions),
    String(load.steps),
    `${load.windowSeconds}`,
    load.stepsPerSecond.toFixed(1),
    ms(load.delivered.p50),
    ms(load.delivered.p95),
    ms(load.delivered.p99),
    mb(finished.peakRssBytes),
    mb(finished.rssAfterBytes),
  ];
}

async function main(): Promise<void> {
  const options = readEngineBenchOptions();
  log(
    `bench:engine — ${options.sessions} web chat sessions, ${options.warmupSeconds} s warm-up + ${options.seconds} s measured per backend; ` +
      `workload: 菜单 → Language → 中文 → 帮助, repeated`,
  );
  const outcomes: BackendOutcome[] = [];
  for (const backend of options.backends) {
    log(`\n[${LABELS[backend]}]`);
    const outcome = backend === 'embedded' ? await runEmbedded(options) : await runPostgresRedis(options);
    printDetails(outcome);
    outcomes.push(outcome);
  }

  log('\nSummary (a step counts when its reply is stored in the web chat store; latency = send → reply stored)');
  log(
    table(
      ['backend', 'sessions', 'steps', 'seconds', 'steps/s', 'p50 ms', 'p95 ms', 'p99 ms', 'peak RSS MB', 'RSS after MB'],
      outcomes.map(summaryRow),
    ),
  );
  // Only a backend that ran and failed makes the run fail; an unreachable server is reported above.
  if (outcomes.some((o) => o.status === 'failed' || (o.status === 'ok' && Object.keys(o.load.failures).length > 0))) {
    process.exitCode = 1;
  }
}

await main();
