/**
 * Settings of `npm run bench:engine`, read from the environment. Defaults keep the whole run
 * (both backends, start-up and clean-up included) around two minutes on a busy two-core machine.
 */

export type BackendName = 'embedded' | 'postgres-redis';

export interface EngineBenchOptions {
  /** Concurrent web chat sessions; each waits for its reply before sending the next message. */
  sessions: number;
  /** Length of the measured window per backend. */
  seconds: number;
  /**
   * Traffic before the measured window (JIT, caches, connection pools warm up). The window also
   * waits until every session has finished two steps, so the opening burst is not measured.
   */
  warmupSeconds: number;
  /** A step whose reply has not arrived after this long counts as failed and ends its session. */
  stepTimeoutMs: number;
  backends: BackendName[];
  postgresUrl: string;
  redisUrl: string;
  /** When set, each app process writes a V8 CPU profile into this folder. */
  cpuProfileDir: string | undefined;
  /** When set, every step's timings are written there as `<backend>-steps.csv`. */
  samplesDir: string | undefined;
}

const ALL_BACKENDS: BackendName[] = ['embedded', 'postgres-redis'];

function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number, allowZero = false): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero) || value > max) {
    throw new Error(`${name} must be a number ${allowZero ? 'from 0' : 'above 0'} and at most ${max} (got "${raw}")`);
  }
  return value;
}

function backendList(raw: string | undefined): BackendName[] {
  if (!raw) return ALL_BACKENDS;
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!ALL_BACKENDS.includes(name as BackendName)) {
      throw new Error(`BENCH_BACKENDS may list: ${ALL_BACKENDS.join(', ')} (got "${name}")`);
    }
  }
  return names as BackendName[];
}

export function readEngineBenchOptions(env: NodeJS.ProcessEnv = process.env): EngineBenchOptions {
  return {
    sessions: Math.round(numberSetting(env, 'BENCH_SESSIONS', 100, 5_000)),
    seconds: numberSetting(env, 'BENCH_SECONDS', 20, 3_600),
    warmupSeconds: numberSetting(env, 'BENCH_WARMUP_SECONDS', 5, 600, true),
    stepTimeoutMs: numberSetting(env, 'BENCH_STEP_TIMEOUT_SECONDS', 30, 600) * 1000,
    backends: backendList(env['BENCH_BACKENDS']),
    postgresUrl: env['BENCH_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: env['BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379',
    cpuProfileDir: env['BENCH_CPU_PROF_DIR'] || undefined,
    samplesDir: env['BENCH_SAMPLES_DIR'] || undefined,
  };
}
