/**
 * `npm run bench:inbox` — the staff console's live updates under a minute's load: 50 staff pages
 * open, each holding its event stream (`GET /staff/events`) over real HTTP as a browser does,
 * while 1,000 tickets are filed and 500 staff actions are posted through the console's forms.
 *
 * Each backend runs in an app process of its own, started fresh (inbox-app-process.ts): the
 * embedded default (PGlite on disk in a temporary DATA_DIR, queues on it) and PostgreSQL + Redis
 * (a fresh schema and queue prefix, removed afterwards; reported as unavailable when either server
 * cannot be reached). Before the load the app writes its community (inbox-seed.ts): one area per
 * steward, a household and a resident with a bound web chat account per ticket, 10 committee
 * members and 40 stewards by default, each given a sign-in code as `linli staff login` gives one.
 * This process then plays the staff's phones (staff-page.ts): each signs in with their name and
 * code, opens the inbox and keeps its event stream open, from a loopback address of its own.
 *
 * The load, spread evenly over the window:
 * - tickets: filed by the app's process through the ticket service (`fileTicket` in a transaction,
 *   then its after-commit work, as the web chat's complaint flow ends), timed from the commit.
 *   Not through the whole conversation: its ten steps per ticket (greeting, nine answers) would
 *   be 170 flow steps a second on top of the console's load, and on the two-core machine
 *   bench:engine reaches 31 (embedded) and 72 (PostgreSQL + Redis) steps a second with 50 chats;
 * - staff actions: `POST /staff/tickets/<number>/actions/<claim|reply|note|resolve>` with the
 *   page's CSRF token, by the ticket's steward or a committee member (inbox-load.ts); timed from
 *   sending the request.
 * For each filing and action: the time until each open page's stream has the `change` event
 * naming the ticket — p50 / p99 over all (cause, page) pairs (inbox-latency.ts), and the pairs
 * never received (there must be none). Also the app process's CPU time and peak RSS under the
 * load (RSS sampled every 100 ms; its high-water mark, start-up included, printed beside it).
 * Exit code 1 when a change was never received, an action was not answered with its redirect, a
 * filing failed or a page's stream was lost.
 *
 * By default the pages do not fetch themselves again on each change (the console's script does,
 * for the parts a page shows): the figure is the stream's. BENCH_PAGE_REFRESH=1 adds the fetches.
 *
 * Settings (environment):
 *   BENCH_STAFF            staff pages open (50); BENCH_COMMITTEE of them committee (10), the rest stewards
 *   BENCH_TICKETS          tickets filed over the window (1000)
 *   BENCH_ACTIONS          staff actions over the window (500)
 *   BENCH_SECONDS          the window (60)
 *   BENCH_GRACE_SECONDS    after the window, how long a change may still arrive (15)
 *   BENCH_PAGE_REFRESH     1: each page fetches the inbox again on every ticket change, one fetch at a
 *                          time, as the console's script does (0: the streams alone)
 *   BENCH_BACKENDS         embedded,postgres-redis (both)
 *   BENCH_DATABASE_URL     (or TEST_DATABASE_URL) postgresql://postgres@127.0.0.1:5432/test
 *   BENCH_REDIS_URL        (or TEST_REDIS_URL) redis://127.0.0.1:6379
 *   BENCH_LINLI_LOG_LEVEL  the app's log level (silent); its JSON lines go to standard output
 *   BENCH_CPU_PROF_DIR     the app's process writes a V8 CPU profile there
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { deleteRedisPrefix, displayUrl, dropSchemas, freshName, postgresProblem, redisProblem, withSchema } from './bench-services.js';
import { exited, nextMessage as nextChildMessage, stopIfRunning } from './child-messages.js';
import type { FiledMessage, FilingDone, FromInboxApp, InboxAppFinished, InboxAppReady, InboxAppStart } from './inbox-app-process.js';
import { deliveries, figuresOf, type DeliveryFigures } from './inbox-latency.js';
import { ActionLoad, ACTION_STEPS, type ActionLoadResult } from './inbox-load.js';
import { readInboxBenchOptions, type InboxBackendName, type InboxBenchOptions } from './inbox-options.js';
import { loopbackAddress, StaffPage, wallNow } from './staff-page.js';
import { mb, ms, summarise, table } from './stats.js';

const READY_TIMEOUT_MS = 180_000;
const FINISH_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;
/** Staff signing in at once. */
const SIGN_IN_CONCURRENCY = 10;

const LABELS: Record<InboxBackendName, string> = {
  embedded: 'embedded (PGlite on disk, queues on PGlite)',
  'postgres-redis': 'PostgreSQL + Redis',
};

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function nextMessage<T extends FromInboxApp['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromInboxApp, { type: T }>> {
  return nextChildMessage<FromInboxApp, T>(child, type, timeoutMs, 'app');
}

interface Backend {
  env: Record<string, string>;
  queuePrefix?: string;
  describe: string;
  cleanUp: () => Promise<void>;
}

/** Where the app keeps its data for the run, and how to remove it afterwards. */
function backendFor(name: InboxBackendName, options: InboxBenchOptions): Backend {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-inbox-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (name === 'embedded') return { env: { DATA_DIR: dataDir }, describe: `DATA_DIR ${dataDir} (removed afterwards)`, cleanUp: async () => removeDir() };
  const schema = freshName('bench_inbox_');
  const prefix = freshName('benchi');
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: withSchema(options.postgresUrl, schema), REDIS_URL: options.redisUrl, LINLI_SECRET: randomBytes(32).toString('hex') },
    queuePrefix: prefix,
    describe: `PostgreSQL ${displayUrl(options.postgresUrl)} schema ${schema}, Redis ${displayUrl(options.redisUrl)} prefix ${prefix} (both removed afterwards)`,
    async cleanUp() {
      await dropSchemas(options.postgresUrl, [schema, `${schema}_bullmq`]).catch((error: unknown) => log(`  could not drop schema ${schema}: ${String(error)}`));
      await deleteRedisPrefix(options.redisUrl, prefix).catch((error: unknown) => log(`  could not delete Redis keys under ${prefix}: ${String(error)}`));
      removeDir();
    },
  };
}

/** Signs every staff member in (a few at a time) and opens their page's event stream. */
async function openPages(ready: InboxAppReady, refreshOnChange: boolean): Promise<StaffPage[]> {
  const base = new URL(ready.baseUrl);
  const pages = ready.staff.map((member, i) => new StaffPage(base, loopbackAddress(i), member.name, refreshOnChange));
  let next = 0;
  const worker = async () => {
    while (next < pages.length) {
      const i = next;
      next += 1;
      await pages[i]!.signIn(ready.staff[i]!.code);
    }
  };
  await Promise.all(Array.from({ length: SIGN_IN_CONCURRENCY }, worker));
  return pages;
}

interface LoadOutcome {
  ready: InboxAppReady;
  filing: FilingDone;
  filed: FiledMessage[];
  actions: ActionLoadResult;
  all: DeliveryFigures;
  filings: DeliveryFigures;
  actionFigures: DeliveryFigures;
  byStep: { step: string; figures: DeliveryFigures }[];
  loadSeconds: number;
  settleMs: number;
  streamsLost: string[];
  /** With BENCH_PAGE_REFRESH=1: the pages' fetches of the inbox on changes. */
  refreshes: { ms: number[]; failures: number };
  clientCpuMs: number;
  finished: InboxAppFinished;
}

type BackendOutcome = { backend: InboxBackendName; status: 'ok'; load: LoadOutcome } | { backend: InboxBackendName; status: 'unavailable' | 'failed'; reason: string };

/** Waits until every cause is heard on every open page, or `graceMs` after the load ended. */
async function settle(load: ActionLoad, pages: readonly StaffPage[], graceMs: number): Promise<number> {
  const began = performance.now();
  while (performance.now() - began < graceMs) {
    if (load.allHeard(pages)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - began;
}

async function runLoad(options: InboxBenchOptions, child: ChildProcess, ready: InboxAppReady): Promise<Omit<LoadOutcome, 'finished'>> {
  const pages = await openPages(ready, options.pageRefresh);
  try {
    log(`  ${pages.length} staff signed in, each page's event stream open (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    const load = new ActionLoad(
      ready.staff.map((member, i) => ({ page: pages[i]!, role: member.role, area: member.area })),
      wallNow,
    );
    const filed: FiledMessage[] = [];
    const onFiled = (message: FromInboxApp) => {
      if (message.type !== 'filed') return;
      filed.push(message);
      load.filed(message);
    };
    child.on('message', onFiled);
    const clientCpu = process.cpuUsage();
    const began = performance.now();
    const filingDone = nextMessage(child, 'filing-done', (options.seconds + 600) * 1000);
    // Awaited after the actions; a failure meanwhile must not count as unhandled.
    filingDone.catch(() => undefined);
    child.send({ type: 'file', tickets: options.tickets, seconds: options.seconds });
    const actions = await load.run(options.actions, options.seconds, pages);
    const filing = await filingDone;
    const loadSeconds = (performance.now() - began) / 1000;
    log(`  load done in ${loadSeconds.toFixed(1)} s (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    const settleMs = await settle(load, pages, options.graceMs);
    const clientCpuUsage = process.cpuUsage(clientCpu);
    child.off('message', onFiled);

    const all = deliveries(load.allCauses, pages);
    const byStep = ACTION_STEPS.map((step) => ({ step, figures: figuresOf(all, (c) => c.kind === step) }));
    return {
      ready,
      filing,
      filed,
      actions,
      all: figuresOf(all, () => true),
      filings: figuresOf(all, (c) => c.kind === 'filed'),
      actionFigures: figuresOf(all, (c) => c.kind !== 'filed'),
      byStep,
      loadSeconds,
      settleMs,
      streamsLost: pages.filter((p) => !p.streamOpen).map((p) => `${p.name}: ${p.streamError ?? 'closed'}`),
      refreshes: { ms: pages.flatMap((p) => p.refreshMs), failures: pages.reduce((sum, p) => sum + p.refreshFailures, 0) },
      clientCpuMs: (clientCpuUsage.user + clientCpuUsage.system) / 1000,
    };
  } finally {
    for (const page of pages) page.close();
  }
}

async function runBackend(name: InboxBackendName, options: InboxBenchOptions): Promise<BackendOutcome> {
  if (name === 'postgres-redis') {
    const [pg, redis] = await Promise.all([postgresProblem(options.postgresUrl), redisProblem(options.redisUrl)]);
    const problems = [
      ...(pg ? [`PostgreSQL at ${displayUrl(options.postgresUrl)} is unreachable: ${pg}`] : []),
      ...(redis ? [`Redis at ${displayUrl(options.redisUrl)} is unreachable: ${redis}`] : []),
    ];
    if (problems.length > 0) return { backend: name, status: 'unavailable', reason: problems.join('; ') };
  }
  const backend = backendFor(name, options);
  log(`  ${backend.describe}`);
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = fork(fileURLToPath(new URL('./inbox-app-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const start: InboxAppStart = {
      type: 'start',
      env: { ...backend.env, LOG_LEVEL: options.logLevel },
      ...(backend.queuePrefix ? { queuePrefix: backend.queuePrefix } : {}),
      people: { households: options.tickets, committee: options.committee, stewards: options.staff - options.committee },
    };
    const readyMessage = nextMessage(child, 'ready', READY_TIMEOUT_MS);
    child.send(start);
    const ready = await readyMessage;
    log(
      `  app ready at ${ready.baseUrl} (queues on ${ready.queueBackend}): started in ${(ready.startupMs / 1000).toFixed(1)} s, ` +
        `community written and ${ready.staff.length} sign-in codes issued in ${(ready.seedMs / 1000).toFixed(1)} s, RSS ${mb(ready.rssBytes)} MB`,
    );
    const load = await runLoad(options, child, ready);
    const finishedMessage = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
    child.send({ type: 'finish' });
    const finished = await finishedMessage;
    await exited(child, EXIT_TIMEOUT_MS);
    return { backend: name, status: 'ok', load: { ...load, finished } };
  } catch (error) {
    return { backend: name, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await stopIfRunning(child, EXIT_TIMEOUT_MS);
    await backend.cleanUp();
  }
}

/** What went wrong in a run that finished (none: every change reached every page). */
function problemsOf(load: LoadOutcome): string[] {
  const problems: string[] = [];
  if (load.all.missing > 0) problems.push(`${load.all.missing} (change, page) pairs never received`);
  const refused = load.actions.results.filter((r) => r.status !== 303);
  if (refused.length > 0) problems.push(`${refused.length} actions not answered with the redirect (e.g. ${load.actions.unexpectedExample ?? '?'})`);
  if (load.filing.failed > 0) problems.push(`${load.filing.failed} filings failed (e.g. ${load.filing.example ?? '?'})`);
  if (load.actions.skippedSlots > 0) problems.push(`${load.actions.skippedSlots} actions not posted: no ticket was ready for them`);
  if (load.refreshes.failures > 0) problems.push(`${load.refreshes.failures} fetches of the inbox on a change failed`);
  if (load.streamsLost.length > 0) problems.push(`${load.streamsLost.length} event streams lost (e.g. ${load.streamsLost[0]})`);
  return problems;
}

function line(label: string, figures: DeliveryFigures): string {
  const s = figures.summary;
  return `${label}: ${figures.causes} × pages = ${figures.pairs} pairs; p50 ${ms(s.p50)} ms, p99 ${ms(s.p99)} ms, max ${ms(s.max)} ms; never received ${figures.missing}`;
}

function countsLine(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([key, value]) => `${key} ${value}`).join(', ') : 'none';
}

function printDetails(outcome: BackendOutcome, options: InboxBenchOptions): void {
  if (outcome.status !== 'ok') {
    log(`  ${outcome.status.toUpperCase()}: ${outcome.reason}`);
    return;
  }
  const { load } = outcome;
  const { finished } = load;
  const late = summarise(load.filed.map((f) => f.lateMs));
  const answers = summarise(load.actions.results.filter((r) => r.status === 303).map((r) => r.answerMs));
  const statuses: Record<string, number> = {};
  for (const r of load.actions.results) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
  log(`  load: ${load.filing.filed} tickets filed and ${load.actions.results.length} actions posted in ${load.loadSeconds.toFixed(1)} s (window ${options.seconds} s); all heard ${ms(load.settleMs)} ms after`);
  log(`  filings started late against their even schedule: p50 ${ms(late.p50)} ms, p99 ${ms(late.p99)} ms, max ${ms(late.max)} ms`);
  const inTransaction = summarise(load.filed.map((f) => f.transactionMs));
  const afterCommit = summarise(load.filed.map((f) => f.afterCommitMs));
  log(
    `  a filing in the app: start → commit p50 ${ms(inTransaction.p50)} ms, p99 ${ms(inTransaction.p99)} ms; ` +
      `commit → after-commit work done (outbox rows queued, deadline jobs; on the embedded database the live update too) p50 ${ms(afterCommit.p50)} ms, p99 ${ms(afterCommit.p99)} ms`,
  );
  log(`  action slots that waited for a ticket ready for its next step: ${load.actions.waitedSlots} (longest ${ms(load.actions.longestWaitMs)} ms)`);
  if (load.actions.skippedSlots > 0) log(`  action slots skipped (no ticket became ready): ${load.actions.skippedSlots}`);
  log(`  action answers: ${countsLine(statuses)}; sent → answer read p50 ${ms(answers.p50)} ms, p99 ${ms(answers.p99)} ms, max ${ms(answers.max)} ms`);
  log(`  ${line('filing committed → change on the page', load.filings)}`);
  log(`  ${line('action sent → change on the page', load.actionFigures)}`);
  for (const { step, figures } of load.byStep) log(`    ${line(step, figures)}`);
  log(`  ${line('all', load.all)}`);
  if (options.pageRefresh) {
    const refresh = summarise(load.refreshes.ms);
    log(`  pages fetched again on changes: ${refresh.count} (${(refresh.count / load.loadSeconds).toFixed(1)}/s), p50 ${ms(refresh.p50)} ms, p99 ${ms(refresh.p99)} ms; failed ${load.refreshes.failures}`);
  }
  const cpuSeconds = finished.cpuUnderLoadMs / 1000;
  log(
    `  app process under load: CPU ${cpuSeconds.toFixed(1)} s (${((cpuSeconds / load.loadSeconds) * 100).toFixed(0)} % of one core over the load), ` +
      `peak RSS ${mb(finished.peakRssUnderLoadBytes)} MB (sampled every 100 ms), high-water mark ${mb(finished.peakRssBytes)} MB (start-up included)`,
  );
  log(`  bench client (the ${load.ready.staff.length} phones): CPU ${(load.clientCpuMs / 1000).toFixed(1)} s`);
  log(`  app tables: tickets ${countsLine(finished.tickets)}; ticket events ${countsLine(finished.ticketEvents)}; outbox ${countsLine(finished.outbox)}; audit rows ${finished.auditRows}`);
  for (const problem of problemsOf(load)) log(`  PROBLEM: ${problem}`);
}

function summaryRow(outcome: BackendOutcome): string[] {
  if (outcome.status !== 'ok') return [LABELS[outcome.backend], ...Array<string>(11).fill('–')];
  const { load } = outcome;
  return [
    LABELS[outcome.backend],
    String(load.ready.staff.length),
    String(load.filing.filed),
    String(load.actions.results.length),
    load.loadSeconds.toFixed(1),
    `${ms(load.filings.summary.p50)} / ${ms(load.filings.summary.p99)}`,
    `${ms(load.actionFigures.summary.p50)} / ${ms(load.actionFigures.summary.p99)}`,
    `${ms(load.all.summary.p50)} / ${ms(load.all.summary.p99)}`,
    String(load.all.missing),
    (load.finished.cpuUnderLoadMs / 1000).toFixed(1),
    mb(load.finished.peakRssUnderLoadBytes),
    problemsOf(load).length > 0 ? 'PROBLEMS' : 'ok',
  ];
}

async function main(): Promise<void> {
  const options = readInboxBenchOptions();
  log(
    `bench:inbox — ${options.staff} staff pages open (${options.committee} committee, ${options.staff - options.committee} stewards), each holding GET /staff/events; ` +
      `over ${options.seconds} s: ${options.tickets} tickets filed (fileTicket in the app's process) and ${options.actions} staff actions posted through the console ` +
      `(${ACTION_STEPS.join(' → ')} per ticket); latency to every page's change event` +
      (options.pageRefresh ? '; each page fetches the inbox again on every change, as the console\'s script does' : ''),
  );
  const outcomes: BackendOutcome[] = [];
  for (const backend of options.backends) {
    log(`\n[${LABELS[backend]}]`);
    const outcome = await runBackend(backend, options);
    printDetails(outcome, options);
    outcomes.push(outcome);
  }
  log('\nSummary (latency: filing committed or action sent → the change event read on a page; over all (cause, page) pairs)');
  log(
    table(
      ['backend', 'pages', 'filed', 'actions', 'seconds', 'filing p50 / p99 ms', 'action p50 / p99 ms', 'all p50 / p99 ms', 'never received', 'app CPU s', 'peak RSS MB', 'check'],
      outcomes.map(summaryRow),
    ),
  );
  for (const outcome of outcomes) if (outcome.status !== 'ok') log(`(${LABELS[outcome.backend]}: ${outcome.status} — ${outcome.reason})`);
  if (outcomes.some((o) => o.status === 'failed' || (o.status === 'ok' && problemsOf(o.load).length > 0))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:inbox failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
