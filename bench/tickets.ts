/**
 * `npm run bench:tickets` — 1,000 residents filing a complaint at once through Telegram (the fake
 * Bot API), the whole way: main menu → kind → category → description → near home → no photo →
 * not anonymous → confirm, each prompt answered the moment it arrives (bench/tickets-residents.ts).
 *
 * Linli runs in a process of its own (tickets-app-process.ts), on PostgreSQL + Redis by default
 * (a fresh schema and queue prefix, removed afterwards) or on the embedded default (PGlite in a
 * temporary folder). Before it takes messages the bench writes its community (tickets-seed.ts):
 * one household per resident, 100 households per area by default, each area with a steward;
 * every Telegram account bound. The staff chat is a plain supergroup of the fake, set by TELEGRAM_STAFF_CHAT_ID.
 * The fake limits nothing; Linli's own pacing is raised (printed in the header), since Telegram's
 * 20 messages a minute per group would make 1,000 cards take 50 minutes.
 *
 * Figures: tickets filed per second (tickets ÷ the time from the first update handed out to the
 * last ticket number accepted), p50/p99 from the fake handing out a resident's confirm press to
 * the fake accepting the message with their ticket number (and to the staff card), and the checks:
 * every ticket number in exactly one card of the staff chat, and as many tickets in the database
 * as residents. Exit code 1 when a ticket is missing, duplicated or not filed.
 *
 * Settings (environment):
 *   BENCH_RESIDENTS            residents filing at once (1000)
 *   BENCH_HOUSEHOLDS_PER_AREA  households per area, one steward each (100)
 *   BENCH_BACKEND              postgres (PostgreSQL + Redis, default) or embedded (PGlite)
 *   BENCH_DATABASE_URL         postgresql://postgres@127.0.0.1:5432/test
 *   BENCH_REDIS_URL            redis://127.0.0.1:6379
 *   BENCH_TIMEOUT_SECONDS      how long the residents and the cards may take (600); the bench gives
 *                              up sooner once the bot has sent nothing for 30 s
 *   BENCH_LINLI_PER_CHAT_PER_SECOND, BENCH_LINLI_PER_BOT_PER_SECOND,
 *   BENCH_LINLI_PER_GROUP_PER_MINUTE, BENCH_LINLI_FLOOD_MAX_MESSAGES   Linli's raised limits
 *   BENCH_LINLI_LOG_LEVEL      the app's log level (silent); its JSON lines go to standard output
 *   BENCH_CPU_PROF_DIR         the app's process writes a V8 CPU profile there
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FakeTelegramBotApi, type FakeChat } from '../test/fakes/telegram-bot-api/index.js';
import { appBackend } from './app-backend.js';
import { displayUrl, postgresProblem, redisProblem } from './bench-services.js';
import { exited, nextMessage as nextChildMessage, stopIfRunning } from './child-messages.js';
import { mb, ms, summarise, table } from './stats.js';
import type { FromTicketsApp, TicketsAppFinished, TicketsAppStart } from './tickets-app-process.js';
import { allCarded, tallyCards } from './tickets-cards.js';
import { readTicketsBenchOptions, type TicketsBenchOptions } from './tickets-options.js';
import { complaintWalk, FilingResidents, type WalkOutcome } from './tickets-residents.js';
import { areasFor } from './tickets-seed.js';

const READY_TIMEOUT_MS = 180_000;
const FINISH_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;
/** After the last card: how long to keep looking for a second card of the same ticket. */
const SETTLE_MS = 2_000;
/** The bot sent nothing for this long: whoever still waits would wait for ever. */
const QUIET_MS = 30_000;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function nextMessage<T extends FromTicketsApp['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromTicketsApp, { type: T }>> {
  return nextChildMessage<FromTicketsApp, T>(child, type, timeoutMs, 'app');
}

/** The description prompt's opening words (zh-CN), to know when to type. */
function descriptionPrompt(): string {
  const locale = JSON.parse(readFileSync(fileURLToPath(new URL('../locales/zh-CN.json', import.meta.url)), 'utf8')) as {
    flows: { complaint: { ask_description: string } };
  };
  return locale.flows.complaint.ask_description.split('{{')[0]!;
}

/**
 * Waits until every ticket a resident got has a card (or the deadline, or the staff chat stayed
 * quiet for {@link QUIET_MS}), then a little longer for duplicates.
 */
async function waitForCards(fake: FakeTelegramBotApi, group: FakeChat, numbers: readonly string[], deadline: number): Promise<void> {
  let seen = fake.sentTo(group).length;
  let lastChangeAt = Date.now();
  while (!allCarded(fake.sentTo(group), numbers) && Date.now() < deadline && Date.now() - lastChangeAt < QUIET_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = fake.sentTo(group).length;
    if (now !== seen) [seen, lastChangeAt] = [now, Date.now()];
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** The latest of some times; NaN when there are none. */
function latest(times: readonly number[]): number {
  return times.length > 0 ? times.reduce((a, b) => Math.max(a, b)) : Number.NaN;
}

interface Run {
  walk: WalkOutcome;
  finished: TicketsAppFinished;
  lastCardAt: number;
}

async function run(options: TicketsBenchOptions, fake: FakeTelegramBotApi, group: FakeChat): Promise<Run> {
  const residents = Array.from({ length: options.residents }, () => fake.createUser({ language_code: 'zh-hans' }));
  const stewards = Array.from({ length: areasFor(options.residents, options.householdsPerArea) }, () => fake.createUser({ language_code: 'zh-hans' }));
  const backend = appBackend(options.backend, options, 'tickets', log);
  log(`  ${backend.describe}`);
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = fork(fileURLToPath(new URL('./tickets-app-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const start: TicketsAppStart = {
      type: 'start',
      env: {
        ...backend.env,
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_STAFF_CHAT_ID: String(group.id),
        TELEGRAM_MAX_PER_CHAT_PER_SECOND: String(options.perChatPerSecond),
        TELEGRAM_MAX_PER_SECOND: String(options.perBotPerSecond),
        TELEGRAM_MAX_PER_GROUP_PER_MINUTE: String(options.perGroupPerMinute),
        FLOOD_MAX_MESSAGES: String(options.floodMaxMessages),
        LOG_LEVEL: options.logLevel,
      },
      ...(backend.queuePrefix ? { queuePrefix: backend.queuePrefix } : {}),
      people: { residents: residents.map((u) => u.id), stewards: stewards.map((u) => u.id), householdsPerArea: options.householdsPerArea },
    };
    const ready = nextMessage(child, 'ready', READY_TIMEOUT_MS);
    child.send(start);
    const { startupMs, seedMs, rssBytes, queueBackend } = await ready;
    log(`  Linli polling (queues on ${queueBackend}): started in ${(startupMs / 1000).toFixed(1)} s, community written in ${(seedMs / 1000).toFixed(1)} s, RSS ${mb(rssBytes)} MB`);
    log(`  ${options.residents} residents filing now (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);

    const deadline = Date.now() + options.timeoutMs;
    const complaint = complaintWalk(descriptionPrompt());
    const walk = await new FilingResidents(fake, residents, () => complaint).run(options.timeoutMs, QUIET_MS);
    log(`  ${walk.filed.length}/${options.residents} ticket numbers received; waiting for the staff cards`);
    await waitForCards(
      fake,
      group,
      walk.filed.map((f) => f.number),
      deadline,
    );
    const lastCardAt = latest(fake.sentTo(group).map((m) => m.at));
    const finished = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
    child.send({ type: 'finish' });
    const outcome = { walk, finished: await finished, lastCardAt };
    await exited(child, EXIT_TIMEOUT_MS);
    return outcome;
  } finally {
    await stopIfRunning(child, EXIT_TIMEOUT_MS);
    await backend.cleanUp();
  }
}

/** Prints the figures; returns the problems (none: every ticket filed once, with one card). */
function report(options: TicketsBenchOptions, fake: FakeTelegramBotApi, group: FakeChat, { walk, finished, lastCardAt }: Run): string[] {
  const numbers = walk.filed.map((f) => f.number);
  const cards = tallyCards(fake.sentTo(group), numbers);
  const lastNumberAt = latest(walk.filed.map((f) => f.numberAt));
  const seconds = (lastNumberAt - walk.firstHandOutAt) / 1000;
  const toNumber = summarise(walk.filed.map((f) => f.numberAt - f.confirmHandedOutAt));
  const toCard = summarise(walk.filed.flatMap((f) => (cards.cardsOf.get(f.number)?.slice(0, 1) ?? []).map((c) => c.at - f.confirmHandedOutAt)));
  const distinctGiven = new Set(numbers).size;

  const problems: string[] = [];
  const notFiled = options.residents - walk.filed.length;
  if (notFiled > 0) problems.push(`${notFiled} residents got no ticket number (waiting to: ${[...walk.stuck].map(([at, n]) => `${at} ×${n}`).join(', ')})`);
  if (walk.stuckExample) problems.push(`one message a stuck resident got instead: "${walk.stuckExample}"`);
  if (distinctGiven < numbers.length) problems.push(`${numbers.length - distinctGiven} ticket numbers were given to two residents`);
  if (cards.missing.length > 0) problems.push(`${cards.missing.length} tickets without a card in the staff chat (e.g. ${cards.missing.slice(0, 3).join(', ')})`);
  if (cards.duplicated.length > 0) problems.push(`${cards.duplicated.length} tickets with more than one card (e.g. ${cards.duplicated.slice(0, 3).join(', ')})`);
  if (cards.strangers.length > 0) problems.push(`${cards.strangers.length} cards for numbers no resident was given (e.g. ${cards.strangers.slice(0, 3).join(', ')})`);
  if (finished.tickets !== options.residents) problems.push(`${finished.tickets} tickets in the database, ${options.residents} expected`);
  if (finished.duplicateNumbers > 0) problems.push(`${finished.duplicateNumbers} ticket numbers held by more than one ticket in the database`);

  log(`  app process CPU from ready to finish: ${(finished.cpuUnderLoadMs / 1000).toFixed(1)} s (${ms(finished.cpuUnderLoadMs / Math.max(1, walk.filed.length))} ms per ticket), peak RSS ${mb(finished.peakRssBytes)} MB`);
  log(`  Linli tables: ${JSON.stringify(finished.counts)}`);
  log(`  where Linli's time went (from its rows): ${finished.stages.map((s) => `${s.stage} p50 ${ms(s.p50Ms)} / p99 ${ms(s.p99Ms)} ms`).join('; ')}`);
  log(`  staff chat: ${cards.cardsOf.size} tickets carded, ${cards.otherMessages} other messages; last card ${ms(lastCardAt - lastNumberAt)} ms after the last ticket number`);
  if (walk.unexpectedMessages > 0) log(`  messages the residents were not waiting for (ignored): ${walk.unexpectedMessages}`);
  for (const problem of problems) log(`  PROBLEM: ${problem}`);

  const backend = options.backend === 'postgres' ? 'PostgreSQL + Redis' : 'embedded (PGlite)';
  log(`\nSummary (latency: the fake handing out the confirm press → the fake accepting the message)`);
  log(
    table(
      ['backend', 'residents', 'filed', 'seconds', 'tickets/s', '→ number p50 ms', 'p99 ms', 'max ms', '→ card p50 / p99 ms', 'cards once', 'duplicated', 'missing', 'tickets in DB', 'check'],
      [
        [
          backend,
          String(options.residents),
          String(walk.filed.length),
          Number.isFinite(seconds) ? seconds.toFixed(1) : '–',
          Number.isFinite(seconds) ? (walk.filed.length / seconds).toFixed(1) : '–',
          ms(toNumber.p50),
          ms(toNumber.p99),
          ms(toNumber.max),
          `${ms(toCard.p50)} / ${ms(toCard.p99)}`,
          String(numbers.length - cards.missing.length - cards.duplicated.length),
          String(cards.duplicated.length),
          String(cards.missing.length),
          String(finished.tickets),
          problems.length > 0 ? 'PROBLEMS' : 'ok',
        ],
      ],
    ),
  );
  return problems;
}

async function main(): Promise<void> {
  const options = readTicketsBenchOptions();
  log(
    `bench:tickets — ${options.residents} residents file a complaint at once through the fake Bot API (no rate limits), ` +
      `${options.householdsPerArea} households per area, one steward each; the staff chat a plain supergroup.\n` +
      `Linli's limits raised for the run: ${options.perChatPerSecond}/s per chat (TELEGRAM_MAX_PER_CHAT_PER_SECOND), ` +
      `${options.perBotPerSecond}/s per bot (TELEGRAM_MAX_PER_SECOND), ${options.perGroupPerMinute}/min per group ` +
      `(TELEGRAM_MAX_PER_GROUP_PER_MINUTE), flood limit ${options.floodMaxMessages} messages (FLOOD_MAX_MESSAGES); still enforced.`,
  );
  if (options.backend === 'postgres') {
    const [pg, redis] = await Promise.all([postgresProblem(options.postgresUrl), redisProblem(options.redisUrl)]);
    if (pg || redis) {
      log(`Needs PostgreSQL (${displayUrl(options.postgresUrl)}: ${pg ?? 'ok'}) and Redis (${displayUrl(options.redisUrl)}: ${redis ?? 'ok'}); or BENCH_BACKEND=embedded.`);
      process.exitCode = 1;
      return;
    }
  }
  const fake = await FakeTelegramBotApi.start({ rateLimits: false });
  try {
    const group = fake.createGroup({ title: '社区工作群', type: 'supergroup' });
    const outcome = await run(options, fake, group);
    if (report(options, fake, group, outcome).length > 0) process.exitCode = 1;
  } finally {
    await fake.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:tickets failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
