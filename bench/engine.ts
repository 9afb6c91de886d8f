/**
 * `npm run bench:engine` — full flow steps per second through the web chat: real HTTP against
 * the started app on loopback, router, flow engine, database, outbox, delivery queue and the
 * web chat store. Each backend runs in its own app process (so its peak RSS is its own); this
 * process plays the browsers and prints the figures.
 *
 * Backends: the embedded default (PGlite on disk in a fresh temporary DATA_DIR, queues on it;
 * the database is created by a first start in a process of its own, so the measured process
 * restarts on its data as a service would) and PostgreSQL + Redis (a fresh schema and queue
 * prefix, removed afterwards). When PostgreSQL or Redis cannot be reached that is printed, and
 * the embedded figures are still reported.
 *
 * Settings (environment): BENCH_SESSIONS (100), BENCH_SECONDS (20, measured window per backend),
 * BENCH_WARMUP_SECONDS (5), BENCH_STEP_TIMEOUT_SECONDS (30), BENCH_BACKENDS
 * (embedded,postgres-redis), BENCH_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test),
 * BENCH_REDIS_URL (redis://127.0.0.1:6379), BENCH_CPU_PROF_DIR (write a CPU profile of each app
 * process there), BENCH_SAMPLES_DIR (write every step's timings there as CSV), BENCH_SQL_LOG_DIR
 * (PostgreSQL: write the statements the app sent during the load there, by text, with counts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, nextMessage as nextChildMessage, stopIfRunning } from './child-messages.js';
import type { FinishedMessage, FromAppProcess, ReadyMessage, StartMessage } from './engine-app-process.js';
import { runLoad, type LoadResult, type StepSample } from './engine-load.js';
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

/** The embedded backend's first start on an empty DATA_DIR, in a process of its own. */
interface FirstStart {
  startupMs: number;
  peakRssBytes: number;
}

type BackendOutcome =
  | { backend: BackendName; status: 'ok'; ready: ReadyMessage; load: LoadResult; finished: FinishedMessage; firstStart: FirstStart | undefined }
  | { backend: BackendName; status: 'unavailable' | 'failed'; reason: string };

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The child's first message of `type` (see child-messages.ts). */
function nextMessage<T extends FromAppProcess['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromAppProcess, { type: T }>> {
  return nextChildMessage<FromAppProcess, T>(child, type, timeoutMs, 'app');
}

function forkAppProcess(options: EngineBenchOptions): ChildProcess {
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  return fork(fileURLToPath(new URL('./engine-app-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

interface AppProcessRun<T> {
  ready: ReadyMessage;
  result: T;
  finished: FinishedMessage;
}

/** Starts an app process, runs `during` against it, then has it report and stop. */
async function withAppProcess<T>(
  options: EngineBenchOptions,
  start: StartMessage,
  during: (ready: ReadyMessage) => Promise<T>,
): Promise<AppProcessRun<T>> {
  const child = forkAppProcess(options);
  try {
    const readyMessage = nextMessage(child, 'ready', READY_TIMEOUT_MS);
    child.send(start);
    const ready = await readyMessage;
    const result = await during(ready);
    const finishedMessage = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
    child.send({ type: 'finish' });
    const finished = await finishedMessage;
    await exited(child, EXIT_TIMEOUT_MS);
    return { ready, result, finished };
  } finally {
    await stopIfRunning(child, EXIT_TIMEOUT_MS);
  }
}

async function runBackend(backend: BackendName, options: EngineBenchOptions, start: Omit<StartMessage, 'dataDir'>): Promise<BackendOutcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-'));
  try {
    let firstStart: FirstStart | undefined;
    if (backend === 'embedded') {
      // Creating the database (initdb) and migrating is a one-time peak; it gets its own process
      // so the measured process's peak RSS is that of a service restarting on its data.
      const first = await withAppProcess(options, { ...start, dataDir }, async () => undefined);
      firstStart = { startupMs: first.ready.startupMs, peakRssBytes: first.finished.peakRssBytes };
      log(`  first start on the empty DATA_DIR (database created, migrations applied): ${(firstStart.startupMs / 1000).toFixed(1)} s, peak RSS ${mb(firstStart.peakRssBytes)} MB`);
    }
    const run = await withAppProcess(options, { ...start, dataDir }, (ready) => {
      log(
        `  app ready in ${(ready.startupMs / 1000).toFixed(1)} s at ${ready.baseUrl} (queues: ${ready.queueBackend}; ` +
          `RSS ${mb(ready.rssReadyBytes)} MB, peak so far ${mb(ready.peakRssReadyBytes)} MB)`,
      );
      return runLoad(ready.baseUrl, {
        sessions: options.sessions,
        warmupSeconds: options.warmupSeconds,
        seconds: options.seconds,
        stepTimeoutMs: options.stepTimeoutMs,
        progress: (line) => log(`  ${line}`),
      });
    });
    return { backend, status: 'ok', ready: run.ready, load: run.result, finished: run.finished, firstStart };
  } catch (error) {
    return { backend, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
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

function samplesCsv(samples: readonly StepSample[]): string {
  const lines = samples.map((s) =>
    [s.sentAt.toFixed(1), JSON.stringify(s.step), s.acceptedMs.toFixed(1), s.deliveredMs.toFixed(1), s.inWindow ? 1 : 0].join(','),
  );
  return ['sent_at_ms,step,accepted_ms,delivered_ms,in_window', ...lines].join('\n') + '\n';
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
  log(`  app process: peak RSS ${mb(finished.peakRssBytes)} MB, RSS after ${mb(finished.rssAfterBytes)} MB, heap used after ${mb(finished.heapUsedAfterBytes)} MB, stop ${ms(finished.stopMs)} ms`);
  const appCpuMs = finished.cpuAfterMs - outcome.ready.cpuReadyMs;
  const perStep = (cpu: number) => ms(cpu / Math.max(1, load.stepsCompletedInAll));
  log(
    `  CPU over the ${load.loadSeconds.toFixed(1)} s of load: app ${(appCpuMs / 1000).toFixed(1)} s (${ms(appCpuPerStepMs(outcome))} ms/step, ` +
      `${((appCpuMs / 10 / load.loadSeconds)).toFixed(0)} % of one core); bench client ${(load.clientCpuMs / 1000).toFixed(1)} s (${perStep(load.clientCpuMs)} ms/step)`,
  );
  const systemCpuMs = finished.systemCpuAfterMs - outcome.ready.systemCpuReadyMs;
  log(`  of which in the kernel: ${(systemCpuMs / 1000).toFixed(1)} s (${perStep(systemCpuMs)} ms/step; user ${perStep(appCpuMs - systemCpuMs)} ms/step)`);
  if (outcome.backend === 'postgres-redis') {
    const statements = finished.sqlAfter - outcome.ready.sqlReady;
    log(`  SQL statements over the load: ${statements} (${(statements / Math.max(1, load.stepsCompletedInAll)).toFixed(1)} per step)`);
  }
  log(`  app tables: inbound ${countsLine(finished.counts.inbound)}; outbox ${countsLine(finished.counts.outbox)}; web chat rows ${countsLine(finished.counts.webChatRows)}`);
  log(`  steps completed in all (greetings, warm-up, tail included): ${load.stepsCompletedInAll}; with an unexpected number of replies: ${load.unexpectedReplyCounts}`);
  for (const [message, count] of failures) log(`  FAILED sessions (${count}): ${message}`);
}

function appCpuPerStepMs(outcome: Extract<BackendOutcome, { status: 'ok' }>): number {
  return (outcome.finished.cpuAfterMs - outcome.ready.cpuReadyMs) / Math.max(1, outcome.load.stepsCompletedInAll);
}

function summaryRow(outcome: BackendOutcome): string[] {
  if (outcome.status !== 'ok') return [LABELS[outcome.backend], ...Array<string>(10).fill('–')];
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
    ms(appCpuPerStepMs(outcome)),
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
  if (options.samplesDir) mkdirSync(options.samplesDir, { recursive: true });
  const outcomes: BackendOutcome[] = [];
  for (const backend of options.backends) {
    log(`\n[${LABELS[backend]}]`);
    const outcome = backend === 'embedded' ? await runEmbedded(options) : await runPostgresRedis(options);
    printDetails(outcome);
    if (outcome.status === 'ok' && options.samplesDir) {
      const file = join(options.samplesDir, `${backend}-steps.csv`);
      writeFileSync(file, samplesCsv(outcome.load.samples));
      log(`  step timings written to ${file}`);
    }
    outcomes.push(outcome);
  }

  log('\nSummary (a step counts when its reply is stored in the web chat store; latency = send → reply stored)');
  log(
    table(
      ['backend', 'sessions', 'steps', 'seconds', 'steps/s', 'p50 ms', 'p95 ms', 'p99 ms', 'app CPU ms/step', 'peak RSS MB', 'RSS after MB'],
      outcomes.map(summaryRow),
    ),
  );
  for (const outcome of outcomes) {
    if (outcome.status !== 'ok') log(`(${LABELS[outcome.backend]}: ${outcome.status} — ${outcome.reason})`);
    if (outcome.status === 'ok' && outcome.firstStart) {
      log(`(${LABELS[outcome.backend]}: the first start that created the database peaked at ${mb(outcome.firstStart.peakRssBytes)} MB RSS, in its own process)`);
    }
  }
  // Only a backend that ran and failed makes the run fail; an unreachable server is reported above.
  if (outcomes.some((o) => o.status === 'failed' || (o.status === 'ok' && Object.keys(o.load.failures).length > 0))) {
    process.exitCode = 1;
  }
}

await main();
