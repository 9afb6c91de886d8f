/**
 * Settings of `npm run bench:inbox`, read from the environment (see bench/inbox.ts for what the
 * bench does). The defaults are the console's target load: 50 staff pages open, 1,000 tickets
 * and 500 staff actions in one minute, on both backends in the same run.
 */
import { numberSetting } from './env-settings.js';

export type InboxBackendName = 'embedded' | 'postgres-redis';

export interface InboxBenchOptions {
  /** Staff members signed in, each with one page's event stream open. */
  staff: number;
  /** How many of them are committee members (they see every ticket); the others are stewards, one area each. */
  committee: number;
  /** Tickets filed over the window, each by a resident of its own household. */
  tickets: number;
  /** Staff actions (claim, reply, note, resolve) posted through the console over the window. */
  actions: number;
  /** The window over which filings and actions are spread evenly. */
  seconds: number;
  /** After the window: how long a change may still take to reach the pages before it counts as never received. */
  graceMs: number;
  /** Each page fetches the inbox again on every ticket change, as the console's script does (off: the stream alone). */
  pageRefresh: boolean;
  backends: InboxBackendName[];
  postgresUrl: string;
  redisUrl: string;
  /** The app's log level (its pino JSON goes to standard output); silent by default. */
  logLevel: string;
  /** When set, the app's process writes a V8 CPU profile into this folder. */
  cpuProfileDir: string | undefined;
}

const ALL_BACKENDS: InboxBackendName[] = ['embedded', 'postgres-redis'];

function backendList(raw: string | undefined): InboxBackendName[] {
  if (!raw) return ALL_BACKENDS;
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!ALL_BACKENDS.includes(name as InboxBackendName)) throw new Error(`BENCH_BACKENDS may list: ${ALL_BACKENDS.join(', ')} (got "${name}")`);
  }
  return names as InboxBackendName[];
}

function flagSetting(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new Error(`${name} may be 0 or 1 (got "${raw}")`);
}

export function readInboxBenchOptions(env: NodeJS.ProcessEnv = process.env): InboxBenchOptions {
  const staff = Math.round(numberSetting(env, 'BENCH_STAFF', 50, 1, 250));
  // One in five on the committee (10 of 50); the rest are stewards.
  const committee = Math.round(numberSetting(env, 'BENCH_COMMITTEE', Math.floor(staff / 5), 0, staff));
  return {
    staff,
    committee,
    tickets: Math.round(numberSetting(env, 'BENCH_TICKETS', 1_000, 1, 100_000)),
    actions: Math.round(numberSetting(env, 'BENCH_ACTIONS', 500, 0, 100_000)),
    seconds: numberSetting(env, 'BENCH_SECONDS', 60, 1, 3_600),
    graceMs: numberSetting(env, 'BENCH_GRACE_SECONDS', 15, 1, 600) * 1000,
    pageRefresh: flagSetting(env, 'BENCH_PAGE_REFRESH'),
    backends: backendList(env['BENCH_BACKENDS']),
    postgresUrl: env['BENCH_DATABASE_URL'] || env['TEST_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: env['BENCH_REDIS_URL'] || env['TEST_REDIS_URL'] || 'redis://127.0.0.1:6379',
    logLevel: env['BENCH_LINLI_LOG_LEVEL'] || 'silent',
    cpuProfileDir: env['BENCH_CPU_PROF_DIR'] || undefined,
  };
}
