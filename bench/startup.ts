/**
 * `npm run bench:startup` — how fast Linli starts and how much memory it holds at rest, on the
 * embedded default and on PostgreSQL, beside issue 13's targets:
 * - start → ready with the migrations already applied (≤ 2 s): `node scripts/run-built.mjs main`,
 *   the command `npm start` execs, spawned until it prints its ready line; median of several
 *   starts on one data directory / schema (the first start, which migrates, is printed apart),
 *   with the CPU time the process had used by then, which depends far less on the machine's load;
 * - memory at rest (≤ 200 MB embedded, ≤ 150 MB PostgreSQL): the app's RSS a few seconds after
 *   ready, median over the same starts;
 * - `linli --help` (≤ 1 s) and one database command, `linli tickets list` (≤ 2 s), median of
 *   several runs, with the app stopped (the embedded database is one process's at a time);
 * - for comparison, start → ready with the sources compiled by tsx at every start, as before
 *   `dist/` (skip with BENCH_TSX=0).
 * PostgreSQL gets a fresh schema, dropped afterwards; its queues live in the same database (no
 * Redis, so nothing is shared with other users of a Redis server). A backend that cannot be
 * reached is reported and skipped. Wall-clock figures depend on what else the machine is doing:
 * compare rows of one run.
 *
 * Settings (environment): BENCH_BACKENDS (embedded,postgres), BENCH_DATABASE_URL
 * (postgresql://postgres@127.0.0.1:5432/test), BENCH_STARTS (5), BENCH_RUNS (5, per command),
 * BENCH_IDLE_MS (5000), BENCH_TSX (1).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/config/config.js';
import { displayUrl, dropSchemas, freshName, postgresProblem, withSchema } from './bench-services.js';
import { freePort, measureRun, measureStart, median, type Command, type StartMeasurement } from './startup-process.js';
import { mb, table } from './stats.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5_000);
const WITH_TSX = process.env.BENCH_TSX !== '0';

type BackendName = 'embedded' | 'postgres';
const TARGETS: Record<BackendName, { readyMs: number; idleMb: number }> = {
  embedded: { readyMs: 2_000, idleMb: 200 },
  postgres: { readyMs: 2_000, idleMb: 150 },
};
const HELP_TARGET_MS = 1_000;
const COMMAND_TARGET_MS = 2_000;

const node = process.execPath;
const builtApp = [node, 'scripts/run-built.mjs', 'main'];
const tsxApp = [node, '--import', 'tsx', 'src/main.ts'];
const linli = (...args: string[]) => [node, 'bin/linli.js', ...args];

type Row = [string, string, string, string];

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The environment of a shell with no Linli setting but the ones given (and quiet logs). */
function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const setting of Object.keys(configSchema.shape)) delete env[setting];
  return { ...env, LOG_LEVEL: 'warn', ...settings };
}

function figureRow(backend: string, figure: string, value: number, target: number, unit: 'ms' | 'MB'): Row {
  const shown = unit === 'MB' ? mb(value) : Number.isFinite(value) ? value.toFixed(0) : '–';
  const targetValue = unit === 'MB' ? target * 1024 * 1024 : target;
  return [`${backend}: ${figure}`, `${shown} ${unit}`, `≤ ${target} ${unit}`, Number.isFinite(value) ? (value / targetValue).toFixed(2) : '–'];
}

function infoRow(backend: string, figure: string, value: string): Row {
  return [`${backend}: ${figure}`, value, '', ''];
}

async function repeat<T>(times: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await run());
  return results;
}

/** Everything measured on one backend, given the settings that select it. */
async function measureBackend(name: BackendName, settings: Record<string, string>): Promise<Row[]> {
  const env = () => environment(settings);
  const app = async (argv: string[]): Promise<Command> => ({
    argv,
    cwd: projectRoot,
    env: { ...env(), PORT: String(await freePort()) },
  });
  const rows: Row[] = [];
  const first = await measureStart(await app(builtApp), 0);
  rows.push(infoRow(name, 'first start (runs the migrations) → ready', `${first.readyMs.toFixed(0)} ms`));
  // Built and tsx starts take turns, so a change in the machine's load falls on both alike.
  const starts: StartMeasurement[] = [];
  const viaTsx: StartMeasurement[] = [];
  for (let i = 1; i <= STARTS; i++) {
    log(`${name}: start ${i} of ${STARTS}`);
    starts.push(await measureStart(await app(builtApp), IDLE_MS));
    if (WITH_TSX) viaTsx.push(await measureStart(await app(tsxApp), IDLE_MS));
  }
  rows.push(figureRow(name, `start → ready, migrated (median of ${STARTS})`, median(starts.map((s) => s.readyMs)), TARGETS[name].readyMs, 'ms'));
  rows.push(infoRow(name, 'CPU used by then (median)', `${median(starts.map((s) => s.cpuMs)).toFixed(0)} ms`));
  rows.push(figureRow(name, `RSS ${IDLE_MS / 1000} s after ready (median)`, median(starts.map((s) => s.idleRssBytes)), TARGETS[name].idleMb, 'MB'));
  if (WITH_TSX) {
    rows.push(infoRow(name, 'through tsx, for comparison: start → ready (median)', `${median(viaTsx.map((s) => s.readyMs)).toFixed(0)} ms`));
    rows.push(infoRow(name, 'through tsx, for comparison: CPU used by then (median)', `${median(viaTsx.map((s) => s.cpuMs)).toFixed(0)} ms`));
    rows.push(infoRow(name, 'through tsx, for comparison: RSS after ready (median)', `${mb(median(viaTsx.map((s) => s.idleRssBytes)))} MB`));
  }
  const list = await repeat(RUNS, () => measureRun({ argv: linli('tickets', 'list'), cwd: projectRoot, env: env() }));
  rows.push(figureRow(name, `linli tickets list (median of ${RUNS})`, median(list), COMMAND_TARGET_MS, 'ms'));
  return rows;
}

async function main(): Promise<void> {
  const backends = (process.env.BENCH_BACKENDS ?? 'embedded,postgres').split(',').map((b) => b.trim()) as BackendName[];
  log(`bench:startup — ${STARTS} starts and ${RUNS} runs per command, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  // What `npm start` would do first when src/ changed: built here, so no start below pays for it.
  const build = spawnSync(node, ['scripts/build.mjs', '--if-stale'], { cwd: projectRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('scripts/build.mjs failed');

  const rows: Row[] = [];
  const help = await repeat(RUNS, () => measureRun({ argv: linli('--help'), cwd: projectRoot, env: environment({}) }));
  rows.push(figureRow('any', `linli --help (median of ${RUNS})`, median(help), HELP_TARGET_MS, 'ms'));

  for (const backend of backends) {
    if (backend === 'embedded') {
      const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-startup-'));
      try {
        rows.push(...(await measureBackend('embedded', { DATA_DIR: dataDir })));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    } else if (backend === 'postgres') {
      const problem = await postgresProblem(DATABASE_URL);
      if (problem) {
        log(`PostgreSQL skipped: ${displayUrl(DATABASE_URL)} is not reachable (${problem})`);
        continue;
      }
      const schema = freshName('bench_startup_');
      const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-startup-'));
      try {
        rows.push(
          ...(await measureBackend('postgres', {
            DATABASE_URL: withSchema(DATABASE_URL, schema),
            LINLI_SECRET: randomBytes(32).toString('hex'),
            DATA_DIR: dataDir,
          })),
        );
      } finally {
        await dropSchemas(DATABASE_URL, [schema, `${schema}_bullmq`]);
        rmSync(dataDir, { recursive: true, force: true });
      }
    } else {
      throw new Error(`BENCH_BACKENDS may list: embedded, postgres (got "${backend}")`);
    }
  }
  log('');
  log(table(['figure', 'value', 'target', '÷ target'], rows));
  log('');
  log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (two cores: figures swing with other work; compare rows of one run)`);
}

await main();
