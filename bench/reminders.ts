/**
 * `npm run bench:reminders` — 10,000 meeting reminders due at the same moment, in the demo
 * community (8,689 residents, each with a bound Telegram account), through the fake Bot API with
 * Telegram's limits lifted (the fake limits nothing; Linli's pacing raised), so what is measured is
 * the reminder path and not the pacing. The meetings service calls the meetings (one of everyone,
 * one of enough ten-household groups for the rest: reminders-seed.ts) and sets their reminder
 * jobs; the jobs fall due BENCH_LEAD_SECONDS after.
 *
 * Runs per backend (each with its own fresh database, queues and community):
 * 1. **lateness**: each reminder's lateness from its due moment to its outbox row being written
 *    (the transaction that wrote it seen committed by a watcher in the app's process, polling
 *    every 20 ms), p50 / p99 / max against the goal p99 ≤ 1 s; also to the start of that
 *    transaction (the job's pick-up: the row's `createdAt`), to the row being handed to delivery
 *    (`enqueuedAt`, the delivery queue's jobs added in batches after the commit) and to the fake
 *    Bot API accepting it (delivered, limits lifted); then missing and sent twice, in the outbox
 *    and at the fake.
 * 2. **kill while writing** and 3. **kill while sending**: the same, Linli's process killed with
 *    SIGKILL BENCH_KILL_WRITING_MS after the due moment (its reminder transactions under way), or
 *    once BENCH_KILL_AT of the reminders reached the fake, then started again on the same data;
 *    counted per person, meeting and offset: missing (0), two outbox rows (0), two deliveries (at
 *    most the messages being sent at the kill: Telegram cannot be asked whether one arrived).
 *
 * Linli runs in a process of its own (reminders-app-process.ts). Settings (environment):
 *   BENCH_BACKENDS        embedded,postgres (postgres = PostgreSQL + Redis)
 *   BENCH_REMINDERS       10000
 *   BENCH_LEAD_SECONDS    30 (meetings called → reminders due; must cover binding and start-up)
 *   BENCH_RUNS            lateness,kill-writing,kill-sending (any of them)
 *   BENCH_KILL_WRITING_MS 150
 *   BENCH_KILL_AT         0.3
 *   BENCH_DATABASE_URL    postgresql://postgres@127.0.0.1:5432/test
 *   BENCH_REDIS_URL       redis://127.0.0.1:6379
 *   BENCH_CPU_PROF_DIR    unset (a folder: each app process writes a V8 CPU profile there)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FakeTelegramBotApi } from '../test/fakes/telegram-bot-api/index.js';
import { appBackend, type AppBackend, type AppBackendKind } from './app-backend.js';
import { displayUrl, postgresProblem, redisProblem } from './bench-services.js';
import { exited, nextMessage as nextChildMessage, stopIfRunning } from './child-messages.js';
import { numberSetting } from './env-settings.js';
import type { FromRemindersApp, RemindersAppFinished, RemindersAppStart } from './reminders-app-process.js';
import { countReminders, latenesses, meetingNumberIn, type ReminderCount, type ReminderKey } from './reminders-tally.js';
import { mb, ms, summarise, table, type LatencySummary } from './stats.js';

const READY_TIMEOUT_MS = 300_000;
const FINISH_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 15_000;
/** Every reminder delivered, or none more for this long (a restart waits out stalled jobs and claims: up to about two minutes). */
const QUIET_MS = 20_000;
const QUIET_AFTER_RESTART_MS = 150_000;
/** After the last owed reminder arrived: time for a second copy to show up. */
const SETTLE_MS = 3_000;
const DELIVERY_TIMEOUT_MS = 600_000;
const FIRST_USER_ID = 600_000_001;
const FIRST_GROUP_CHAT_ID = -1_008_000_000_001;
const GOAL_P99_MS = 1_000;

type RunKind = 'lateness' | 'kill-writing' | 'kill-sending';

interface Settings {
  backends: AppBackendKind[];
  reminders: number;
  leadSeconds: number;
  runs: RunKind[];
  killWritingMs: number;
  killAt: number;
  /** When set, each app process writes a V8 CPU profile into this folder. */
  cpuProfileDir: string | undefined;
  postgresUrl: string;
  redisUrl: string;
}

function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const list = <T extends string>(name: string, fallback: string, allowed: readonly T[]): T[] => {
    const words = (env[name] || fallback).split(',').map((w) => w.trim()).filter(Boolean);
    for (const word of words) if (!(allowed as readonly string[]).includes(word)) throw new Error(`${name} may list ${allowed.join(', ')} (got "${word}")`);
    return words as T[];
  };
  return {
    backends: list('BENCH_BACKENDS', 'embedded,postgres', ['embedded', 'postgres'] as const),
    reminders: Math.round(numberSetting(env, 'BENCH_REMINDERS', 10_000, 1, 100_000)),
    leadSeconds: numberSetting(env, 'BENCH_LEAD_SECONDS', 30, 5, 3_600),
    runs: list('BENCH_RUNS', 'lateness,kill-writing,kill-sending', ['lateness', 'kill-writing', 'kill-sending'] as const),
    killWritingMs: numberSetting(env, 'BENCH_KILL_WRITING_MS', 150, 0, 60_000),
    killAt: numberSetting(env, 'BENCH_KILL_AT', 0.3, 0.01, 0.99),
    cpuProfileDir: env['BENCH_CPU_PROF_DIR'] || undefined,
    postgresUrl: env['BENCH_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: env['BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379',
  };
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const LABELS: Record<AppBackendKind, string> = { embedded: 'embedded (PGlite)', postgres: 'PostgreSQL + Redis' };

type Ready = Extract<FromRemindersApp, { type: 'ready' }>;

function nextMessage<T extends FromRemindersApp['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromRemindersApp, { type: T }>> {
  return nextChildMessage<FromRemindersApp, T>(child, type, timeoutMs, 'app');
}

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

/** Starts Linli's process on `backend`; resolves once it polls. */
async function startApp(fake: FakeTelegramBotApi, backend: AppBackend, settings: Settings, from: { seed: true } | { dueAtMs: number }): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(new URL('./reminders-app-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...(settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const start: RemindersAppStart = {
    type: 'start',
    env: {
      ...backend.env,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      // Limits lifted: the reminder path is measured, not Telegram's pacing.
      TELEGRAM_MAX_PER_SECOND: '100000',
      TELEGRAM_MAX_PER_CHAT_PER_SECOND: '1000',
    },
    ...(backend.queuePrefix ? { queuePrefix: backend.queuePrefix } : {}),
    ...('seed' in from
      ? { seed: { firstUserId: FIRST_USER_ID, firstGroupChatId: FIRST_GROUP_CHAT_ID, timeZone: 'Asia/Shanghai', reminders: settings.reminders, leadMs: settings.leadSeconds * 1000 } }
      : { dueAtMs: from.dueAtMs }),
  };
  const ready = nextMessage(child, 'ready', READY_TIMEOUT_MS);
  child.send(start);
  return { child, ready: await ready };
}

async function finishApp(child: ChildProcess): Promise<RemindersAppFinished> {
  const finished = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
  child.send({ type: 'finish' });
  const result = await finished;
  await exited(child, EXIT_TIMEOUT_MS);
  return result;
}

/** The reminders the fake accepted, with when. */
function arrivals(fake: FakeTelegramBotApi, numbers: ReadonlySet<string>): (ReminderKey & { at: number })[] {
  return fake.sent.all.flatMap((m) => {
    const text = m.text ?? '';
    const number = text.startsWith('⏰') ? meetingNumberIn(text) : undefined;
    return number && numbers.has(number) ? [{ chatId: String(m.chatId), number, at: m.at }] : [];
  });
}

/** Waits until `owed` reminders arrived (then a little longer, for second copies) or none more came for `quietMs`. */
async function untilDelivered(count: () => number, owed: number, quietMs: number): Promise<void> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  let seen = -1;
  let changedAt = Date.now();
  while (Date.now() < deadline) {
    const now = count();
    if (now >= owed) {
      await sleep(SETTLE_MS);
      return;
    }
    if (now !== seen) [seen, changedAt] = [now, Date.now()];
    else if (Date.now() - changedAt > quietMs) return;
    await sleep(100);
  }
}

function describeReady(ready: Ready): string {
  const meetings = ready.meetings.map((m) => `${m.number} ${m.audience ? `(${m.audience}) ` : ''}${m.invited} invited`).join(', ');
  return `${ready.residents} residents; meetings ${meetings}; ${ready.owed} reminders owed, due in ${((ready.dueAtMs - Date.now()) / 1000).toFixed(1)} s`;
}

interface Figures {
  owed: number;
  outbox: ReminderCount;
  delivered: ReminderCount;
  recorded: number;
  recordedTwice: number;
  began: LatencySummary;
  written: LatencySummary;
  handed: LatencySummary;
  arrived: LatencySummary;
  cpuS: number;
  peakRss: number;
}

function figuresOf(finished: RemindersAppFinished, fake: FakeTelegramBotApi, dueAtMs: number): Figures {
  const numbers = new Set(finished.owed.map((k) => k.number));
  const got = arrivals(fake, numbers);
  return {
    owed: finished.owed.length,
    outbox: countReminders(finished.owed, finished.rows),
    delivered: countReminders(finished.owed, got),
    recorded: finished.recorded,
    recordedTwice: finished.recordedTwice,
    began: summarise(latenesses(dueAtMs, finished.rows.map((r) => r.createdAtMs))),
    written: summarise(latenesses(dueAtMs, finished.rows.map((r) => r.committedAtMs))),
    handed: summarise(latenesses(dueAtMs, finished.rows.map((r) => r.enqueuedAtMs))),
    arrived: summarise(latenesses(dueAtMs, got.map((a) => a.at))),
    cpuS: finished.cpuUnderLoadMs / 1000,
    peakRss: finished.peakRssBytes,
  };
}

async function withRun<T>(kind: AppBackendKind, settings: Settings, stem: string, work: (fake: FakeTelegramBotApi, backend: AppBackend, children: ChildProcess[]) => Promise<T>): Promise<T> {
  const fake = await FakeTelegramBotApi.start({ rateLimits: false, acceptUnknownChats: true });
  const backend = appBackend(kind, settings, stem, log);
  log(`  ${backend.describe}`);
  const children: ChildProcess[] = [];
  try {
    return await work(fake, backend, children);
  } finally {
    for (const child of children) await stopIfRunning(child, EXIT_TIMEOUT_MS);
    await backend.cleanUp();
    await fake.close();
  }
}

async function latenessRun(kind: AppBackendKind, settings: Settings): Promise<Figures> {
  return withRun(kind, settings, 'reminders', async (fake, backend, children) => {
    const { child, ready } = await startApp(fake, backend, settings, { seed: true });
    children.push(child);
    log(`  Linli polling: started in ${(ready.startupMs / 1000).toFixed(1)} s, community and meetings written in ${(ready.seedMs / 1000).toFixed(1)} s, RSS ${mb(ready.rssBytes)} MB`);
    log(`  ${describeReady(ready)}`);
    if (ready.dueAtMs <= Date.now()) throw new Error('the reminders fell due before Linli was ready: raise BENCH_LEAD_SECONDS');
    const numbers = new Set(ready.meetings.map((m) => m.number));
    await sleep(Math.max(0, ready.dueAtMs - Date.now()));
    log(`  due now (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    await untilDelivered(() => arrivals(fake, numbers).length, ready.owed, QUIET_MS);
    return figuresOf(await finishApp(child), fake, ready.dueAtMs);
  });
}

interface CrashFigures extends Figures {
  deliveredBeforeKill: number;
  writtenBeforeKill: number;
  sendingAtKill: number;
  killedAfterDueMs: number;
}

async function crashRun(kind: AppBackendKind, settings: Settings, when: 'kill-writing' | 'kill-sending'): Promise<CrashFigures> {
  return withRun(kind, settings, when === 'kill-writing' ? 'remindkillw' : 'remindkills', async (fake, backend, children) => {
    const first = await startApp(fake, backend, settings, { seed: true });
    children.push(first.child);
    log(`  ${describeReady(first.ready)}`);
    const { dueAtMs, owed } = first.ready;
    const numbers = new Set(first.ready.meetings.map((m) => m.number));
    if (when === 'kill-writing') {
      await sleep(Math.max(0, dueAtMs + settings.killWritingMs - Date.now()));
    } else {
      const killAt = Math.max(1, Math.round(owed * settings.killAt));
      const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
      while (arrivals(fake, numbers).length < killAt && Date.now() < deadline) await sleep(2);
    }
    first.child.kill('SIGKILL');
    const killedAfterDueMs = Date.now() - dueAtMs;
    await exited(first.child, EXIT_TIMEOUT_MS);
    const deliveredBeforeKill = arrivals(fake, numbers).length;
    const second = await startApp(fake, backend, settings, { dueAtMs });
    children.push(second.child);
    log(
      `  killed with SIGKILL ${killedAfterDueMs} ms after the due moment, ${deliveredBeforeKill} reminders delivered, ` +
        `${second.ready.writtenAtStart} written, ${second.ready.sendingAtStart} being sent; started again on the same data`,
    );
    await untilDelivered(() => arrivals(fake, numbers).length, owed, QUIET_AFTER_RESTART_MS);
    return {
      ...figuresOf(await finishApp(second.child), fake, dueAtMs),
      deliveredBeforeKill,
      writtenBeforeKill: second.ready.writtenAtStart,
      sendingAtKill: second.ready.sendingAtStart,
      killedAfterDueMs,
    };
  });
}

const p50p99 = (s: LatencySummary) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;

async function main(): Promise<void> {
  const settings = readSettings();
  log(
    `bench:reminders — ${settings.reminders} meeting reminders due at one moment in the demo community, through the fake Bot API ` +
      `with Telegram's limits lifted; goal: lateness p99 ≤ ${GOAL_P99_MS} ms from due to written (committed).`,
  );
  const latenessRows: string[][] = [];
  const crashRows: string[][] = [];
  let problems = 0;
  for (const kind of settings.backends) {
    if (kind === 'postgres') {
      const [pg, redis] = await Promise.all([postgresProblem(settings.postgresUrl), redisProblem(settings.redisUrl)]);
      if (pg || redis) {
        log(`${LABELS[kind]}: skipped — PostgreSQL ${displayUrl(settings.postgresUrl)}: ${pg ?? 'ok'}; Redis ${displayUrl(settings.redisUrl)}: ${redis ?? 'ok'}`);
        problems += 1;
        continue;
      }
    }
    for (const run of settings.runs) {
      log(`\n${LABELS[kind]}: ${run}`);
      if (run === 'lateness') {
        const f = await latenessRun(kind, settings);
        if (f.outbox.missing + f.outbox.twice + f.delivered.missing + f.delivered.twice > 0 || f.written.p99 > GOAL_P99_MS) problems += 1;
        log(`  lateness ms p50 / p99 / max: began ${p50p99(f.began)}, written ${p50p99(f.written)}, handed to delivery ${p50p99(f.handed)}, delivered ${p50p99(f.arrived)}; missing ${f.outbox.missing} / ${f.delivered.missing}, twice ${f.outbox.twice} / ${f.delivered.twice}`);
        latenessRows.push([
          LABELS[kind],
          String(f.owed),
          p50p99(f.began),
          p50p99(f.written),
          p50p99(f.handed),
          p50p99(f.arrived),
          `${f.written.p99 <= GOAL_P99_MS ? 'met' : 'MISSED'}`,
          `${f.outbox.missing} / ${f.delivered.missing}`,
          `${f.outbox.twice} / ${f.delivered.twice}`,
          f.cpuS.toFixed(1),
          mb(f.peakRss),
        ]);
      } else {
        const c = await crashRun(kind, settings, run);
        if (c.outbox.missing + c.outbox.twice + c.delivered.missing + c.recordedTwice > 0 || c.delivered.twice > c.sendingAtKill) problems += 1;
        log(`  written p99 ${ms(c.written.p99)} ms; missing ${c.outbox.missing} / ${c.delivered.missing}, twice ${c.outbox.twice} / ${c.delivered.twice} (being sent at the kill ${c.sendingAtKill}); invitations recorded ${c.recorded}, twice ${c.recordedTwice}`);
        crashRows.push([
          `${LABELS[kind]}, ${run === 'kill-writing' ? 'while writing' : 'while sending'}`,
          String(c.owed),
          String(c.killedAfterDueMs),
          `${c.writtenBeforeKill} / ${c.deliveredBeforeKill}`,
          String(c.sendingAtKill),
          `${c.recorded} (${c.recordedTwice} twice)`,
          `${c.outbox.missing} / ${c.delivered.missing}`,
          String(c.outbox.twice),
          String(c.delivered.twice),
          `${ms(c.written.p99)}`,
        ]);
      }
    }
  }
  if (latenessRows.length > 0) {
    log(
      `\nLateness from the due moment, ms p50 / p99 / max (transaction began: the row's createdAt; written: its transaction seen committed; ` +
        `handed to delivery: its enqueuedAt; delivered: the fake accepted it)`,
    );
    log(
      table(
        ['backend', 'reminders owed', 'transaction began', 'written (goal p99 ≤ 1,000)', 'handed to delivery', 'delivered (limits lifted)', 'goal', 'missing rows / deliveries (0)', 'twice rows / deliveries (0)', 'app CPU s', 'peak RSS MB'],
        latenessRows,
      ),
    );
  }
  if (crashRows.length > 0) {
    log(`\nKill -9 and restart on the same data, counted per person, meeting and offset`);
    log(
      table(
        ['backend, killed', 'owed', 'killed after due, ms', 'written / delivered before the kill', 'being sent at the kill', 'invitations recorded', 'missing rows / deliveries (0)', 'twice rows (0)', 'twice deliveries (≤ being sent)', 'written p99 ms'],
        crashRows,
      ),
    );
  }
  if (problems > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:reminders failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
