/**
 * `npm run bench:notice` — an emergency alert to the whole demo community (3,076 households,
 * 8,689 residents, a bound Telegram group per household group) through the fake Bot API, the way
 * staff send one: a committee member types `/alert all …` to the bot and presses 发送 under the
 * preview. Telegram's limits are scaled up alike in the fake and in Linli (×10 by default: 300/s
 * per bot, 10/s per private chat, 200/min per group), so a run takes about a minute.
 *
 * Two runs per backend (each with its own fresh database, queues and community):
 * 1. **rate and roll-call**: the alert's messages as they reach the fake — rate ÷ the bot's limit
 *    (first to last arrival), 429s, lost (a recipient row whose chat never got it) and sent twice;
 *    then one member of every household presses 收到/平安 under their private copy, the presses
 *    spread evenly over BENCH_PRESS_SECONDS (60): each press → its `NoticeAnswer` row recorded
 *    (p50 / p99, every household recorded once).
 * 2. **crash**: the same alert, Linli's process killed with SIGKILL once BENCH_KILL_AT (0.4) of the
 *    messages arrived and started again on the same data: lost (must be 0) and sent twice (at most
 *    what was being sent at the kill).
 *
 * Linli runs in a process of its own (notice-app-process.ts). Settings (environment):
 *   BENCH_BACKENDS        embedded,postgres (postgres = PostgreSQL + Redis)
 *   BENCH_SCALE           10 (multiplies Telegram's limits, the fake's and Linli's)
 *   BENCH_PRESS_SECONDS   60
 *   BENCH_KILL_AT         0.4
 *   BENCH_RUNS            rate,crash (either or both)
 *   BENCH_DELIVERY_CONCURRENCY  unset (the app's default); Linli's DELIVERY_CONCURRENCY
 *   BENCH_PROFILE_DIR     unset; a folder: Linli's processes run with `--cpu-prof` there (a profile
 *                         of each process's whole life, written when it exits; not after a kill)
 *   BENCH_DATABASE_URL    postgresql://postgres@127.0.0.1:5432/test
 *   BENCH_REDIS_URL       redis://127.0.0.1:6379
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FakeTelegramBotApi, type FakeUser } from '../test/fakes/telegram-bot-api/index.js';
import { appBackend, type AppBackend, type AppBackendKind } from './app-backend.js';
import { displayUrl, postgresProblem, redisProblem } from './bench-services.js';
import { exited, nextMessage as nextChildMessage, stopIfRunning } from './child-messages.js';
import { numberSetting } from './env-settings.js';
import type { FromNoticeApp, NoticeAppFinished, NoticeAppStart, ToNoticeApp } from './notice-app-process.js';
import { mainThreadSchedule, type ProbeWindow } from './send-probe.js';
import type { NoticeCommunity } from './notice-seed.js';
import { mb, ms, summarise, table } from './stats.js';

const READY_TIMEOUT_MS = 300_000;
const SEND_TIMEOUT_MS = 600_000;
const FINISH_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 15_000;
/** After a restart: no new copy for this long ends the wait (the queue's locks and the outbox sweep's age both pass within it). */
const RESUME_QUIET_MS = 75_000;
const FIRST_USER_ID = 500_000_001;
const FIRST_GROUP_CHAT_ID = -1_009_000_000_001;
const TITLE = '紧急停水通知';
const BODY = '因主管道爆裂，今晚20:00起全社区停水，预计明早6:00恢复。请各户提前储水，收到请按“收到/平安”，需要帮助请按“需要帮助”。';

interface Settings {
  backends: AppBackendKind[];
  scale: number;
  pressSeconds: number;
  killAt: number;
  runs: ('rate' | 'crash')[];
  profileDir: string | undefined;
  deliveryConcurrency: string | undefined;
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
    scale: numberSetting(env, 'BENCH_SCALE', 10, 0.1, 1_000),
    pressSeconds: numberSetting(env, 'BENCH_PRESS_SECONDS', 60, 1, 3_600),
    killAt: numberSetting(env, 'BENCH_KILL_AT', 0.4, 0.01, 0.99),
    runs: list('BENCH_RUNS', 'rate,crash', ['rate', 'crash'] as const),
    profileDir: env['BENCH_PROFILE_DIR'] || undefined,
    deliveryConcurrency: env['BENCH_DELIVERY_CONCURRENCY'] || undefined,
    postgresUrl: env['BENCH_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test',
    redisUrl: env['BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379',
  };
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const LABELS: Record<AppBackendKind, string> = { embedded: 'embedded (PGlite)', postgres: 'PostgreSQL + Redis' };

function nextMessage<T extends FromNoticeApp['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromNoticeApp, { type: T }>> {
  return nextChildMessage<FromNoticeApp, T>(child, type, timeoutMs, 'app');
}

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

/** Starts Linli's process on `backend`; resolves once it polls. */
async function startApp(fake: FakeTelegramBotApi, backend: AppBackend, settings: Settings, seed: boolean): Promise<{ child: ChildProcess; ready: Extract<FromNoticeApp, { type: 'ready' }> }> {
  const child = fork(fileURLToPath(new URL('./notice-app-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: [...process.execArgv, ...(settings.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const start: NoticeAppStart = {
    type: 'start',
    env: {
      ...backend.env,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_MAX_PER_SECOND: String(30 * settings.scale),
      TELEGRAM_MAX_PER_CHAT_PER_SECOND: String(settings.scale),
      TELEGRAM_MAX_PER_GROUP_PER_MINUTE: String(20 * settings.scale),
      // Thousands of presses from one bot's users: Linli's per-person flood limit is not what is measured.
      FLOOD_MAX_MESSAGES: '1000',
      ...(settings.deliveryConcurrency ? { DELIVERY_CONCURRENCY: settings.deliveryConcurrency } : {}),
    },
    ...(backend.queuePrefix ? { queuePrefix: backend.queuePrefix } : {}),
    ...(seed ? { seed: { firstUserId: FIRST_USER_ID, firstGroupChatId: FIRST_GROUP_CHAT_ID, timeZone: 'Asia/Shanghai' } } : {}),
  };
  const ready = nextMessage(child, 'ready', READY_TIMEOUT_MS);
  child.send(start);
  return { child, ready: await ready };
}

async function finishApp(child: ChildProcess): Promise<NoticeAppFinished> {
  const finished = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
  child.send({ type: 'finish' });
  const result = await finished;
  await exited(child, EXIT_TIMEOUT_MS);
  return result;
}

/** The alert's copies the fake accepted: they carry its body (the sender's preview and status lines do not). */
function alertArrivals(fake: FakeTelegramBotApi) {
  const mark = BODY.slice(0, 12);
  return fake.sent.all.filter((m) => (m.text ?? '').includes(mark));
}

/**
 * The committee member types the alert and presses 发送 under the preview. Other messages the
 * member gets meanwhile (the committee's daily report, when the run crosses its hour) are passed by.
 */
async function sendAlert(fake: FakeTelegramBotApi, sender: FakeUser): Promise<void> {
  fake.userSays(sender, sender, `/alert all ${TITLE}\n${BODY}`);
  const deadline = Date.now() + 120_000;
  const seen: string[] = [];
  for (;;) {
    const message = await fake.nextBotMessage(sender, Math.max(1, deadline - Date.now()));
    const button = message.keyboard?.flat().find((b) => (b.text ?? '').includes('发送'));
    if (button?.callback_data) {
      fake.userPresses(sender, sender, message.messageId, button.callback_data);
      return;
    }
    seen.push(message.text ?? '');
    if (seen.length >= 5) throw new Error(`no preview with a 发送 button among: ${seen.join(' | ')}`);
  }
}

/** Waits until the alert's copies stop growing for `quietMs`, or every chat got one. */
async function untilDelivered(fake: FakeTelegramBotApi, expected: () => number, timeoutMs: number, quietMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  let changedAt = Date.now();
  while (Date.now() < deadline) {
    const now = alertArrivals(fake).length;
    if (now >= expected() && expected() > 0) return;
    if (now !== seen) [seen, changedAt] = [now, Date.now()];
    else if (Date.now() - changedAt > quietMs && seen > 0) return;
    await sleep(100);
  }
}

/**
 * What Linli's process did while it sent (from 发送 pressed to the last copy): per copy, CPU,
 * statements and Redis commands; sends on their way at once against what the rate needs (the
 * limit × one send's time); and the copies arriving in each second, to show a slow start or tail.
 */
function logSendWindow(fake: FakeTelegramBotApi, window: ProbeWindow, pressedAt: number, limit: number, fakeWaitMs: number): void {
  const arrivals = alertArrivals(fake);
  const copies = Math.max(1, arrivals.length);
  const first = Math.min(...arrivals.map((m) => m.at));
  const perSecond: number[] = [];
  for (const m of arrivals) {
    const second = Math.floor((m.at - first) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  }
  log(
    `  sending: 发送 → first copy ${((first - pressedAt) / 1000).toFixed(1)} s; per copy ${(window.cpuMs / copies).toFixed(2)} ms CPU, ` +
      `${(window.statements / copies).toFixed(2)} statements (${(window.transactions / copies).toFixed(2)} transactions), ${(window.redisCommands / copies).toFixed(2)} Redis commands; ` +
      `app CPU ${((window.cpuMs / window.ms) * 100).toFixed(0)} % of a core over ${(window.ms / 1000).toFixed(1)} s`,
  );
  log(
    `  sends to the platform: ${window.sends}, one takes p50 / p99 ${ms(window.sendMs.p50)} / ${ms(window.sendMs.p99)} ms; in flight mean ${window.meanInFlight.toFixed(1)}, max ${window.maxInFlight} ` +
      `(the limit needs ${((limit * window.sendMs.p50) / 1000).toFixed(1)} at that time per send)`,
  );
  log(
    `  waiting for a CPU (runnable, the machine busy): Linli's main thread ${((window.runQueueWaitMs / window.ms) * 100).toFixed(0)} % of the time, ` +
      `the fake Bot API's ${((fakeWaitMs / window.ms) * 100).toFixed(0)} % (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`,
  );
  log(`  copies per second: ${Array.from(perSecond, (n) => n ?? 0).join(' ')}`);
  for (const [statement, n] of window.topStatements) log(`    ${(n / copies).toFixed(2)} per copy: ${statement}`);
}

interface Tally {
  messages: number;
  chats: number;
  twice: number;
  lost: number;
  rate: number;
  seconds: number;
}

/** Copies per chat against the recipient rows: lost, twice, the rate from first to last arrival. */
function tally(fake: FakeTelegramBotApi, finished: NoticeAppFinished): Tally {
  const arrivals = alertArrivals(fake);
  const perChat = new Map<string, number>();
  for (const m of arrivals) perChat.set(String(m.chatId), (perChat.get(String(m.chatId)) ?? 0) + 1);
  const rows = new Set(finished.recipientChats);
  const lost = [...rows].filter((chat) => !perChat.has(chat)).length;
  const twice = [...perChat.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const times = arrivals.map((m) => m.at);
  const seconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : Number.NaN;
  return { messages: arrivals.length, chats: rows.size, twice, lost, rate: arrivals.length / seconds, seconds };
}

interface RateResult {
  tally: Tally;
  limit: number;
  rateLimited: number;
  presses: number;
  recorded: number;
  recordedTwice: number;
  pressToRecord: ReturnType<typeof summarise>;
  cpuS: number;
  peakRss: number;
}

async function rateRun(kind: AppBackendKind, settings: Settings): Promise<RateResult> {
  const fake = await FakeTelegramBotApi.start({ scale: settings.scale, acceptUnknownChats: true, rateLimitGraceMs: 10 });
  const backend = appBackend(kind, settings, 'notice', log);
  log(`  ${backend.describe}`);
  let child: ChildProcess | undefined;
  try {
    const started = await startApp(fake, backend, settings, true);
    child = started.child;
    const community = started.ready.community!;
    log(`  Linli polling: started in ${(started.ready.startupMs / 1000).toFixed(1)} s, demo community written in ${(started.ready.seedMs / 1000).toFixed(1)} s (${community.households.length} households, ${community.residents} accounts, ${community.groupChats} group chats), RSS ${mb(started.ready.rssBytes)} MB`);
    const sender = fake.createUser({ id: community.senderUserId, language_code: 'zh-hans' });
    const probeOpened = nextMessage(child, 'probe-opened', FINISH_TIMEOUT_MS);
    child.send({ type: 'probe-open' } satisfies ToNoticeApp);
    await probeOpened;
    const pressedSendAt = Date.now();
    const fakeSchedule = mainThreadSchedule();
    await sendAlert(fake, sender);
    // One copy per household and one per bound group chat; quiet for 10 s ends the wait too.
    await untilDelivered(fake, () => community.households.length + community.groupChats, SEND_TIMEOUT_MS, 10_000);
    const probed = nextMessage(child, 'probed', FINISH_TIMEOUT_MS);
    child.send({ type: 'probe-close' } satisfies ToNoticeApp);
    const window = (await probed).window;
    const fakeWaitMs = mainThreadSchedule().waitMs - fakeSchedule.waitMs;
    logSendWindow(fake, window, pressedSendAt, 30 * settings.scale, fakeWaitMs);
    if (fake.stats.refusals.length > 0) {
      const kinds = new Map<string, number>();
      for (const r of fake.stats.refusals) {
        const kind = `${r.limit} limit, ${r.chatId < 0 ? 'a group' : r.chatId === community.senderUserId ? "the sender's chat" : 'a private chat'}, retry after ${r.retryAfter} s`;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      log(`  429s while sending: ${[...kinds].map(([kind, n]) => `${n} × ${kind}`).join('; ')}`);
    }
    log(`  ${alertArrivals(fake).length} copies arrived; ${community.households.length} households press 收到/平安 over ${settings.pressSeconds} s (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);

    const pressedAt = await pressAll(fake, community, settings.pressSeconds);
    await untilThanked(fake, community, pressedAt, SEND_TIMEOUT_MS);
    const finished = await finishApp(child);
    const byHousehold = new Map(finished.answers.map((a) => [a.household, a.answeredAtMs]));
    const latencies = [...pressedAt].flatMap(([code, at]) => (byHousehold.has(code) ? [byHousehold.get(code)! - at] : []));
    return {
      tally: tally(fake, finished),
      limit: 30 * settings.scale,
      rateLimited: fake.stats.rateLimited,
      presses: pressedAt.size,
      recorded: finished.answers.length,
      recordedTwice: finished.answers.length - byHousehold.size,
      pressToRecord: summarise(latencies),
      cpuS: finished.cpuUnderLoadMs / 1000,
      peakRss: finished.peakRssBytes,
    };
  } finally {
    if (child) await stopIfRunning(child, EXIT_TIMEOUT_MS);
    await backend.cleanUp();
    await fake.close();
  }
}

/** One member of every household presses the first answer button under their copy; returns when each pressed. */
async function pressAll(fake: FakeTelegramBotApi, community: NoticeCommunity, seconds: number): Promise<Map<string, number>> {
  const pressedAt = new Map<string, number>();
  const gapMs = (seconds * 1000) / Math.max(1, community.households.length);
  const began = Date.now();
  let n = 0;
  for (const household of community.households) {
    const userId = household.userIds[0];
    if (userId === undefined) continue;
    const copy = fake.sentTo(userId).find((m) => (m.text ?? '').includes(BODY.slice(0, 12)) && m.keyboard);
    const data = copy?.keyboard?.[0]?.[0]?.callback_data;
    if (!copy || !data) continue;
    const due = began + n * gapMs;
    n += 1;
    if (due > Date.now()) await sleep(due - Date.now());
    const user = fake.createUser({ id: userId, language_code: 'zh-hans' });
    fake.userPresses(user, user, copy.messageId, data);
    pressedAt.set(household.code, Date.now());
  }
  return pressedAt;
}

/**
 * Waits until every presser got the bot's answer in their chat (sent after the answer is
 * recorded), or nothing more came for 30 s.
 */
async function untilThanked(fake: FakeTelegramBotApi, community: NoticeCommunity, pressedAt: Map<string, number>, timeoutMs: number): Promise<void> {
  const presser = new Map(community.households.map((h) => [h.code, h.userIds[0]!]));
  const deadline = Date.now() + timeoutMs;
  let thanked = 0;
  let changedAt = Date.now();
  while (Date.now() < deadline && Date.now() - changedAt < 30_000) {
    const now = [...pressedAt].filter(([code, at]) => fake.sentTo(presser.get(code)!).some((m) => m.at >= at)).length;
    if (now === pressedAt.size) return;
    if (now !== thanked) [thanked, changedAt] = [now, Date.now()];
    await sleep(250);
  }
}

interface CrashResult {
  tally: Tally;
  killedAfter: number;
  inFlight: number;
  /** From the kill to the last copy's arrival. */
  lastCopyAfterKillS: number;
}

async function crashRun(kind: AppBackendKind, settings: Settings): Promise<CrashResult> {
  const fake = await FakeTelegramBotApi.start({ scale: settings.scale, acceptUnknownChats: true, rateLimitGraceMs: 10 });
  const backend = appBackend(kind, settings, 'noticecrash', log);
  let first: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  try {
    const started = await startApp(fake, backend, settings, true);
    first = started.child;
    const community = started.ready.community!;
    // One copy per household (to one of its members) and one per bound group chat.
    const expected = community.households.length + community.groupChats;
    const sender = fake.createUser({ id: community.senderUserId, language_code: 'zh-hans' });
    await sendAlert(fake, sender);
    const killAt = Math.round(expected * settings.killAt * 0.9);
    const deadline = Date.now() + SEND_TIMEOUT_MS;
    while (alertArrivals(fake).length < killAt && Date.now() < deadline) await sleep(2);
    first.kill('SIGKILL');
    await exited(first, EXIT_TIMEOUT_MS);
    const killedAfter = alertArrivals(fake).length;
    log(`  killed with SIGKILL after ${killedAfter} copies; starting again on the same data`);
    const killedAt = Date.now();
    const restarted = await startApp(fake, backend, settings, false);
    second = restarted.child;
    // Jobs the killed process had taken come back when their queue locks run out (30 s), and rows
    // it left `sending` when the sweep takes them over (60 s): wait that long for quiet.
    await untilDelivered(fake, () => expected, SEND_TIMEOUT_MS, RESUME_QUIET_MS);
    const finished = await finishApp(second);
    const lastAt = Math.max(...alertArrivals(fake).map((m) => m.at));
    return { tally: tally(fake, finished), killedAfter, inFlight: restarted.ready.sendingAtStart, lastCopyAfterKillS: (lastAt - killedAt) / 1000 };
  } finally {
    if (first) await stopIfRunning(first, EXIT_TIMEOUT_MS);
    if (second) await stopIfRunning(second, EXIT_TIMEOUT_MS);
    await backend.cleanUp();
    await fake.close();
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  log(
    `bench:notice — an alert to the demo community through the fake Bot API, Telegram's limits ×${settings.scale} ` +
      `(${30 * settings.scale}/s per bot, ${settings.scale}/s per chat, ${20 * settings.scale}/min per group) in the fake and in Linli.`,
  );
  const rateRows: string[][] = [];
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
    if (settings.runs.includes('rate')) {
      log(`\n${LABELS[kind]}: rate and roll-call`);
      const r = await rateRun(kind, settings);
      if (r.tally.lost > 0 || r.tally.twice > 0 || r.recorded !== r.presses || r.recordedTwice > 0) problems += 1;
      rateRows.push([
        LABELS[kind],
        String(r.tally.chats),
        String(r.tally.messages),
        r.tally.seconds.toFixed(1),
        r.tally.rate.toFixed(1),
        (r.tally.rate / r.limit).toFixed(3),
        String(r.rateLimited),
        String(r.tally.lost),
        String(r.tally.twice),
        `${r.recorded} / ${r.presses}`,
        `${ms(r.pressToRecord.p50)} / ${ms(r.pressToRecord.p99)}`,
        r.cpuS.toFixed(1),
        mb(r.peakRss),
      ]);
    }
    if (settings.runs.includes('crash')) {
      log(`\n${LABELS[kind]}: crash`);
      const c = await crashRun(kind, settings);
      if (c.tally.lost > 0 || c.tally.twice > c.inFlight) problems += 1;
      crashRows.push([LABELS[kind], String(c.tally.chats), String(c.killedAfter), String(c.inFlight), String(c.tally.lost), String(c.tally.twice), c.lastCopyAfterKillS.toFixed(1)]);
    }
  }
  if (rateRows.length > 0) {
    log(`\nRate and roll-call (rate: first to last copy accepted by the fake; press → record: the fake taking the press → the answer's row)`);
    log(
      table(
        ['backend', 'recipient chats', 'copies', 'seconds', 'copies/s', 'rate ÷ limit (≥ 0.95)', '429s', 'lost (0)', 'sent twice (0)', 'answers recorded / presses', 'press → record p50 / p99 ms', 'app CPU s', 'peak RSS MB'],
        rateRows,
      ),
    );
  }
  if (crashRows.length > 0) {
    log(`\nKill -9 mid-send and restart`);
    log(table(['backend', 'recipient chats', 'copies before the kill', 'being sent at the kill', 'lost (0)', 'sent twice (≤ being sent)', 'kill → last copy s'], crashRows));
  }
  if (problems > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:notice failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
