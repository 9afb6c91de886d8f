/**
 * `npm run bench:dispatch` — 500 residents of the demo community file a repair at once through
 * Telegram (the fake Bot API), the whole way (main menu → repair → no danger → what is broken →
 * the words → at home → no photo → any time → confirm; a few report a gas smell, sparking or a
 * collapse risk instead: an emergency, filed once they say in a few words what it is), while the
 * demo's twelve-member service team answers every offer in their own chats by pressing ✅接单 or
 * ❌不接 (dispatch-members.ts: about a fifth declined, the rest accepted), so that dispatch goes
 * on as it would: one member at a time per job, each member answering one offer at a time,
 * the member with the fewest jobs in hand first, priority households first among the waiting,
 * an emergency to everyone at once.
 *
 * Linli runs in a process of its own (dispatch-app-process.ts), on the embedded default (PGlite in
 * a temporary folder) and on PostgreSQL + Redis (a fresh schema and queue prefix, removed
 * afterwards), each with its own community written before it takes messages (dispatch-seed.ts:
 * the demo community through the roster import and the staff service, accounts bound). The staff
 * chat (TELEGRAM_STAFF_CHAT_ID) and the team's group chat are plain supergroups of the fake. The
 * fake limits nothing; Linli's own pacing is raised (printed in the header).
 *
 * Figures: the fake handing out a resident's confirm → the first offer of that job reaching a
 * member (p50/p99; priority households and the others apart: they include the wait for a free
 * member, which is most of it), a member's answer → the next offer reaching them, offers and
 * declines, jobs taken and left to staff (nobody left to ask), jobs per member. Checks
 * (dispatch-checks.ts, target 0 each): an ordinary job offered to two members at once, a job
 * held by two members. Exit code 1 when a check fails or a resident or job is left hanging.
 *
 * Settings (environment):
 *   BENCH_BACKENDS             embedded,postgres (either or both)
 *   BENCH_RESIDENTS            residents filing at once (500)
 *   BENCH_EMERGENCIES          of them, reporting a danger (10)
 *   BENCH_DECLINE_SHARE        offers declined (0.2)
 *   BENCH_ANSWER_DELAY_MS      a member's time to press after an offer arrives (0)
 *   BENCH_DATABASE_URL         postgresql://postgres@127.0.0.1:5432/test
 *   BENCH_REDIS_URL            redis://127.0.0.1:6379
 *   BENCH_TIMEOUT_SECONDS      how long filing and dispatch may take (1200); the bench gives up
 *                              sooner once the bot has sent nothing for 30 s
 *   BENCH_LINLI_PER_CHAT_PER_SECOND, BENCH_LINLI_PER_BOT_PER_SECOND,
 *   BENCH_LINLI_PER_GROUP_PER_MINUTE, BENCH_LINLI_FLOOD_MAX_MESSAGES   Linli's raised limits
 *   BENCH_LINLI_LOG_LEVEL      the app's log level (silent); its JSON lines go to standard output
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FakeTelegramBotApi } from '../test/fakes/telegram-bot-api/index.js';
import { appBackend, type AppBackendKind } from './app-backend.js';
import { displayUrl, postgresProblem, redisProblem } from './bench-services.js';
import { exited, nextMessage as nextChildMessage, stopIfRunning } from './child-messages.js';
import type { DispatchAppFinished, DispatchAppStart, DispatchProgress, FromDispatchApp, WorkOrderRow } from './dispatch-app-process.js';
import { checkDispatch } from './dispatch-checks.js';
import { AnsweringMembers, REPAIR_NUMBER, type OfferSeen } from './dispatch-members.js';
import { readDispatchBenchOptions, type DispatchBenchOptions } from './dispatch-options.js';
import type { DispatchCommunity } from './dispatch-seed.js';
import { mb, ms, summarise, table } from './stats.js';
import { FilingResidents, type Answer, type WalkOutcome } from './tickets-residents.js';

const READY_TIMEOUT_MS = 300_000;
const FINISH_TIMEOUT_MS = 120_000;
const PROGRESS_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;
/** The bot sent nothing for this long: whoever still waits would wait for ever. */
const QUIET_MS = 30_000;
/** After dispatch settled: the last replies (a member's "您已接下") still reach the fake. */
const SETTLE_MS = 2_000;
/** How often the bench says how far the members have come. */
const TICK_MS = 30_000;
const FIRST_USER_ID = 700_000_001;
/** Accounts made in the fake beyond the residents': the team's (the demo has twelve). */
const SPARE_ACCOUNTS = 50;
const TIME_ZONE = 'Asia/Shanghai';
const LABELS: Record<AppBackendKind, string> = { embedded: 'embedded (PGlite)', postgres: 'PostgreSQL + Redis' };

/** What residents report, in turn: leaks and drains most often, every kind (and so every skill) some of the time. */
const KINDS = [
  'water_leak', 'drain', 'power', 'water_leak', 'heating', 'doors_windows', 'power', 'other', 'no_water', 'water_leak',
  'drain', 'heating', 'roof', 'masonry', 'doors_windows', 'other', 'water_leak', 'power', 'drain', 'heating',
] as const;
const DANGERS = ['gas', 'sparking', 'collapse'] as const;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

function nextMessage<T extends FromDispatchApp['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromDispatchApp, { type: T }>> {
  return nextChildMessage<FromDispatchApp, T>(child, type, timeoutMs, 'app');
}

/** The prompts the residents type after (zh-CN, the part before the first placeholder). */
function prompts(): { description: string; emergencyDescription: string } {
  const locale = JSON.parse(readFileSync(fileURLToPath(new URL('../locales/zh-CN.json', import.meta.url)), 'utf8')) as {
    flows: { repair: { ask_description: string; ask_emergency_description: string } };
  };
  const head = (text: string) => text.split('{{')[0]!;
  return { description: head(locale.flows.repair.ask_description), emergencyDescription: head(locale.flows.repair.ask_emergency_description) };
}

/** Which residents (from 1) report a danger: spread evenly over the run. */
function emergencyResidents(residents: number, emergencies: number): Set<number> {
  return new Set(Array.from({ length: emergencies }, (_, k) => Math.floor(((k + 0.5) * residents) / emergencies) + 1));
}

/** Resident n's walk through flows/repair.yaml after the greeting; its last answer files the repair. */
function repairWalk(options: DispatchBenchOptions): (n: number) => Answer[] {
  const words = prompts();
  const emergencies = emergencyResidents(options.residents, options.emergencies);
  let dangers = 0;
  return (n) => {
    if (emergencies.has(n)) {
      const danger = DANGERS[dangers++ % DANGERS.length]!;
      return [
        { press: 'repair' }, // the main menu's entry
        { press: danger },
        { type: (i) => `压测：${i}号院里${danger === 'gas' ? '燃气味很重' : danger === 'sparking' ? '电线冒火花' : '院墙裂开要倒'}`, whenPromptStartsWith: words.emergencyDescription },
      ];
    }
    return [
      { press: 'repair' },
      { press: 'none' }, // no danger
      { press: 'self', optional: true }, // group heads and staff are asked for whom: their own home
      { press: KINDS[(n - 1) % KINDS.length]! },
      { type: (i) => `压测：${i}号家里的东西坏了，请师傅来看看`, whenPromptStartsWith: words.description },
      { press: 'home' },
      { press: 'skip' }, // no photo
      { press: 'any' }, // someone is home any time
      { press: 'yes' }, // the summary: confirm
    ];
  };
}

/** Asks the app how far dispatch has come. */
async function progressOf(child: ChildProcess): Promise<DispatchProgress> {
  if (!child.connected) throw new Error('the app process is gone');
  const answer = nextMessage(child, 'progress', PROGRESS_TIMEOUT_MS);
  child.send({ type: 'progress' });
  return answer;
}

/** No job waiting for a member or for an answer, and every filed job has its work order. */
function settled(progress: DispatchProgress, filed: number): boolean {
  const total = Object.values(progress.workOrders).reduce((a, b) => a + b, 0);
  return total >= filed && (progress.workOrders['received'] ?? 0) === 0 && (progress.workOrders['offered'] ?? 0) === 0 && progress.openOffers === 0;
}

/** Waits until dispatch settled, the deadline, or the bot stayed quiet for {@link QUIET_MS}. */
async function untilSettled(child: ChildProcess, fake: FakeTelegramBotApi, filed: number, deadline: number): Promise<DispatchProgress> {
  let seen = fake.sent.all.length;
  let changedAt = Date.now();
  for (;;) {
    const progress = await progressOf(child);
    if (settled(progress, filed) || Date.now() > deadline || Date.now() - changedAt > QUIET_MS) return progress;
    await sleep(500);
    if (fake.sent.all.length !== seen) [seen, changedAt] = [fake.sent.all.length, Date.now()];
  }
}

interface Run {
  community: DispatchCommunity;
  walk: WalkOutcome;
  members: AnsweringMembers;
  finished: DispatchAppFinished;
  progress: DispatchProgress;
  seedMs: number;
}

async function run(kind: AppBackendKind, options: DispatchBenchOptions, fake: FakeTelegramBotApi): Promise<Run> {
  const staffChat = fake.createGroup({ title: '社区工作群', type: 'supergroup' });
  const teamChat = fake.createGroup({ title: '便民服务队', type: 'supergroup' });
  // Every account the seed will bind exists in the fake before Linli runs: a message sent to one
  // before the residents act would otherwise find no chat and mark the account unreachable.
  const users = new Map(
    Array.from({ length: options.residents + SPARE_ACCOUNTS }, (_, i) => FIRST_USER_ID + i).map((id) => [id, fake.createUser({ id, language_code: 'zh-hans' })] as const),
  );
  const backend = appBackend(kind, options, 'dispatch', log);
  log(`  ${backend.describe}`);
  const child = fork(fileURLToPath(new URL('./dispatch-app-process.ts', import.meta.url)), [], {
    // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const start: DispatchAppStart = {
      type: 'start',
      env: {
        ...backend.env,
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_STAFF_CHAT_ID: String(staffChat.id),
        TELEGRAM_MAX_PER_CHAT_PER_SECOND: String(options.perChatPerSecond),
        TELEGRAM_MAX_PER_SECOND: String(options.perBotPerSecond),
        TELEGRAM_MAX_PER_GROUP_PER_MINUTE: String(options.perGroupPerMinute),
        FLOOD_MAX_MESSAGES: String(options.floodMaxMessages),
        LOG_LEVEL: options.logLevel,
      },
      ...(backend.queuePrefix ? { queuePrefix: backend.queuePrefix } : {}),
      seed: { residents: options.residents, firstUserId: FIRST_USER_ID, teamChatId: teamChat.id, timeZone: TIME_ZONE },
    };
    const ready = nextMessage(child, 'ready', READY_TIMEOUT_MS);
    child.send(start);
    const { startupMs, seedMs, rssBytes, queueBackend, community } = await ready;
    log(
      `  Linli polling (queues on ${queueBackend}): started in ${(startupMs / 1000).toFixed(1)} s, demo community written in ${(seedMs / 1000).toFixed(1)} s ` +
        `(${community.households} households; ${community.members.length} team members: ${skillCounts(community)}), RSS ${mb(rssBytes)} MB`,
    );
    const userOf = (id: number) => {
      const user = users.get(id);
      if (!user) throw new Error(`the community has account ${id}, more than the bench made in the fake`);
      return user;
    };
    const residents = community.residentUserIds.map(userOf);
    const members = new AnsweringMembers(
      fake,
      community.members.map((m) => userOf(m.userId)),
      options.declineShare,
      options.answerDelayMs,
    );
    log(`  ${options.residents} residents filing now, ${options.emergencies} of them an emergency (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    const deadline = Date.now() + options.timeoutMs;
    members.start();
    const began = Date.now();
    const ticker = setInterval(() => log(`  … ${((Date.now() - began) / 1000).toFixed(0)} s: ${members.offers.length} offers answered, ${members.holds.length} jobs taken`), TICK_MS);
    let walk: WalkOutcome;
    let progress: DispatchProgress;
    try {
      walk = await new FilingResidents(fake, residents, repairWalk(options), REPAIR_NUMBER).run(options.timeoutMs, QUIET_MS);
      log(`  ${walk.filed.length}/${options.residents} repair numbers received after ${((Date.now() - began) / 1000).toFixed(0)} s; waiting for dispatch to settle`);
      progress = await untilSettled(child, fake, walk.filed.length, deadline);
    } finally {
      clearInterval(ticker);
    }
    await sleep(SETTLE_MS);
    await members.stop();
    const finished = nextMessage(child, 'finished', FINISH_TIMEOUT_MS);
    child.send({ type: 'finish' });
    const outcome = { community, walk, members, finished: await finished, progress, seedMs };
    await exited(child, EXIT_TIMEOUT_MS);
    return outcome;
  } finally {
    await stopIfRunning(child, EXIT_TIMEOUT_MS);
    await backend.cleanUp();
  }
}

function skillCounts(community: DispatchCommunity): string {
  const counts = new Map<string, number>();
  for (const member of community.members) for (const skill of member.skills) counts.set(skill, (counts.get(skill) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([skill, n]) => `${skill} ${n}`).join(', ');
}

/** Jobs counted by the skill they need ("any": a job any member may take; "!": emergencies). */
function bySkill(rows: readonly WorkOrderRow[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.skill ?? 'any'}${row.emergency ? '!' : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([skill, n]) => `${skill} ${n}`).join(', ') || 'none';
}

function seconds(value: number): string {
  return Number.isFinite(value) ? (value / 1000).toFixed(1) : '–';
}

/** Prints the run's figures; returns the table row and the problems. */
function report(kind: AppBackendKind, options: DispatchBenchOptions, fake: FakeTelegramBotApi, { community, walk, members, finished, progress }: Run): { row: string[]; problems: string[] } {
  const rows = finished.workOrders;
  const rowOf = new Map(rows.map((r) => [r.number, r]));
  const residentOfUser = new Map(community.members.map((m) => [m.userId, m.residentId]));
  const handOuts = members.pressHandOuts();
  const pressedAt = (offer: OfferSeen) => handOuts.get(offer.memberUserId)?.[offer.update];

  const firstOfferAt = new Map<string, number>();
  for (const offer of members.offers) firstOfferAt.set(offer.number, Math.min(offer.at, firstOfferAt.get(offer.number) ?? Number.POSITIVE_INFINITY));
  const toOffer = (pick: (number: string) => boolean) =>
    summarise(walk.filed.filter((f) => pick(f.number) && firstOfferAt.has(f.number)).map((f) => firstOfferAt.get(f.number)! - f.confirmHandedOutAt));
  const all = toOffer(() => true);
  const priority = toOffer((n) => rowOf.get(n)?.priority === true && !rowOf.get(n)!.emergency);
  const ordinary = toOffer((n) => rowOf.get(n)?.priority === false && !rowOf.get(n)!.emergency);
  const emergency = toOffer((n) => rowOf.get(n)?.emergency === true);
  const toNumber = summarise(walk.filed.map((f) => f.numberAt - f.confirmHandedOutAt));

  // A member's answer handed to Linli → the next offer reaching the same member.
  const byMember = new Map<number, OfferSeen[]>();
  for (const offer of members.offers) byMember.set(offer.memberUserId, [...(byMember.get(offer.memberUserId) ?? []), offer]);
  const nextOffer = summarise(
    [...byMember.values()].flatMap((offers) =>
      offers.slice(1).flatMap((offer, i) => {
        const answered = pressedAt(offers[i]!);
        return answered === undefined ? [] : [offer.at - answered];
      }),
    ),
  );

  const checks = checkDispatch(rows, members.offers, members.holds, pressedAt, residentOfUser);
  const statuses = new Map<string, number>();
  for (const row of rows) statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);
  const offerRows = rows.flatMap((r) => r.offers);
  const offerStatus = (status: string) => offerRows.filter((o) => o.status === status).length;
  const emergencyRows = rows.filter((r) => r.emergency);
  const heldPerMember = community.members.map((m) => rows.filter((r) => r.memberId === m.residentId).length).sort((a, b) => a - b);
  const answered = offerRows.map((o) => o.answeredAt).filter((t): t is number => t !== null);
  const firstConfirm = Math.min(...walk.filed.map((f) => f.confirmHandedOutAt));
  const spanMs = answered.length > 0 ? Math.max(...answered) - firstConfirm : Number.NaN;
  const notTold = rows.filter((r) => r.memberId !== null && !members.holds.some((h) => h.number === r.number)).length;

  const problems: string[] = [];
  const notFiled = options.residents - walk.filed.length;
  if (notFiled > 0) problems.push(`${notFiled} residents got no repair number (waiting to: ${[...walk.stuck].map(([at, n]) => `${at} ×${n}`).join(', ')})`);
  if (walk.stuckExample) problems.push(`one message a stuck resident got instead: "${walk.stuckExample}"`);
  if (rows.length !== walk.filed.length) problems.push(`${rows.length} work orders in the database, ${walk.filed.length} repairs filed`);
  if (!settled(progress, walk.filed.length)) problems.push(`dispatch did not settle: work orders ${JSON.stringify(progress.workOrders)}, ${progress.openOffers} offers open`);
  const unoffered = walk.filed.filter((f) => !firstOfferAt.has(f.number) && rowOf.get(f.number)?.status !== 'unassigned').length;
  if (unoffered > 0) problems.push(`${unoffered} jobs never reached a member and were not left to staff`);
  if (checks.offeredToTwo.length > 0) problems.push(`${checks.offeredToTwo.length} ordinary jobs offered to two members at once (e.g. ${checks.offeredToTwo.slice(0, 3).join(', ')})`);
  if (checks.heldByTwo.length > 0) problems.push(`${checks.heldByTwo.length} jobs held by two members (e.g. ${checks.heldByTwo.slice(0, 3).join(', ')})`);

  const chatName = (chatId: string) =>
    community.members.some((m) => String(m.userId) === chatId) ? 'a member' : community.residentUserIds.some((id) => String(id) === chatId) ? 'a resident' : Number(chatId) < 0 ? 'a group' : 'someone else';
  if (finished.failedDeliveries.length > 0) log(`  deliveries failed: ${finished.failedDeliveries.map((f) => `to ${chatName(f.chatId)} (${f.kind ?? 'unknown'}: "${f.text}…")`).join(', ')}`);
  log(`  app process CPU from ready to finish: ${seconds(finished.cpuUnderLoadMs)} s, peak RSS ${mb(finished.peakRssBytes)} MB; outbox ${JSON.stringify(finished.outbox)}`);
  log(`  work orders: ${JSON.stringify(Object.fromEntries(statuses))}; offers: ${offerRows.length} (accepted ${offerStatus('accepted')}, declined ${offerStatus('declined')}, expired ${offerStatus('expired')}, withdrawn ${offerStatus('withdrawn')})`);
  log(`  confirm → repair number p50 / p99 ${ms(toNumber.p50)} / ${ms(toNumber.p99)} ms; confirm → first offer: priority households p50 / p99 ${seconds(priority.p50)} / ${seconds(priority.p99)} s (${priority.count}), others ${seconds(ordinary.p50)} / ${seconds(ordinary.p99)} s (${ordinary.count}), emergencies ${seconds(emergency.p50)} / ${seconds(emergency.p99)} s (${emergency.count})`);
  log(`  emergencies: ${emergencyRows.length}, offered to ${emergencyRows.reduce((n, r) => n + r.offers.length, 0)} members in all, ${emergencyRows.filter((r) => r.memberId !== null).length} taken, each by one member`);
  log(`  jobs held per member: ${heldPerMember.join(' ')}; holders not told (yet) in chat: ${notTold}`);
  const pressed = (answer: string) => members.offers.filter((o) => o.answer === answer).length;
  const offersBefore = new Map<number, number>();
  for (const row of rows.filter((r) => r.status === 'unassigned')) offersBefore.set(row.offers.length, (offersBefore.get(row.offers.length) ?? 0) + 1);
  log(`  members pressed ✅接单 ${pressed('accept')}, ❌不接 ${pressed('decline')}; jobs left to staff by offers made before: ${[...offersBefore].sort(([a], [b]) => a - b).map(([n, jobs]) => `${n}: ${jobs}`).join(', ') || 'none'}`);
  log(`  left to staff (every member who may take it was asked): ${bySkill(rows.filter((r) => r.status === 'unassigned'))} of ${bySkill(rows)}`);
  if (walk.unexpectedMessages > 0) log(`  messages the residents were not waiting for (ignored): ${walk.unexpectedMessages}`);
  for (const problem of problems) log(`  PROBLEM: ${problem}`);
  // An offer left open: what its member's chat last showed (their messages from the bot, newest last).
  const userOf = new Map(community.members.map((m) => [m.residentId, m.userId]));
  const openOffers = rows.flatMap((r) => r.offers.filter((o) => o.status === 'open').map((o) => ({ number: r.number, userId: userOf.get(o.memberId) })));
  for (const { number, userId } of openOffers.slice(0, 2)) {
    const last = userId === undefined ? [] : fake.sentTo(userId).slice(-3);
    log(`  open offer of ${number}: its member's chat last got ${last.map((m) => JSON.stringify({ text: (m.text ?? m.caption ?? '').slice(0, 60), method: m.method, buttons: m.keyboard?.flat().map((b) => b.text).slice(0, 4) })).join(' · ')}`);
  }

  return {
    problems,
    row: [
      LABELS[kind],
      `${walk.filed.length} / ${options.residents}`,
      `${seconds(all.p50)} / ${seconds(all.p99)}`,
      `${seconds(priority.p50)} / ${seconds(ordinary.p50)}`,
      `${ms(nextOffer.p50)} / ${ms(nextOffer.p99)}`,
      `${offerRows.length} (${offerStatus('declined')})`,
      `${statuses.get('accepted') ?? 0} / ${statuses.get('unassigned') ?? 0}`,
      `${heldPerMember[0] ?? 0}–${heldPerMember[heldPerMember.length - 1] ?? 0}`,
      seconds(spanMs),
      `${checks.offeredToTwo.length} ${checks.offeredToTwo.length === 0 ? 'ok' : 'FAIL'}`,
      `${checks.heldByTwo.length} ${checks.heldByTwo.length === 0 ? 'ok' : 'FAIL'}`,
      problems.length > 0 ? 'PROBLEMS' : 'ok',
    ],
  };
}

async function main(): Promise<void> {
  const options = readDispatchBenchOptions();
  log(
    `bench:dispatch — ${options.residents} residents of the demo community file a repair at once through the fake Bot API (no rate limits), ` +
      `${options.emergencies} of them an emergency; the demo's service team answers every offer in chat, declining ${Math.round(options.declineShare * 100)} %` +
      `${options.answerDelayMs > 0 ? ` after ${options.answerDelayMs} ms` : ' at once'}.\n` +
      `Linli's limits raised for the run: ${options.perChatPerSecond}/s per chat (TELEGRAM_MAX_PER_CHAT_PER_SECOND), ` +
      `${options.perBotPerSecond}/s per bot (TELEGRAM_MAX_PER_SECOND), ${options.perGroupPerMinute}/min per group ` +
      `(TELEGRAM_MAX_PER_GROUP_PER_MINUTE), flood limit ${options.floodMaxMessages} messages (FLOOD_MAX_MESSAGES); still enforced.`,
  );
  const tableRows: string[][] = [];
  let problems = 0;
  for (const kind of options.backends) {
    if (kind === 'postgres') {
      const [pg, redis] = await Promise.all([postgresProblem(options.postgresUrl), redisProblem(options.redisUrl)]);
      if (pg || redis) {
        log(`\n${LABELS[kind]}: skipped — PostgreSQL ${displayUrl(options.postgresUrl)}: ${pg ?? 'ok'}; Redis ${displayUrl(options.redisUrl)}: ${redis ?? 'ok'}`);
        problems += 1;
        continue;
      }
    }
    log(`\n${LABELS[kind]}`);
    const fake = await FakeTelegramBotApi.start({ rateLimits: false });
    try {
      const outcome = report(kind, options, fake, await run(kind, options, fake));
      tableRows.push(outcome.row);
      if (outcome.problems.length > 0) problems += 1;
    } finally {
      await fake.close();
    }
  }
  if (tableRows.length > 0) {
    log(`\nSummary (confirm → first offer: the fake handing out the resident's confirm → an offer of the job reaching a member, the wait for a free member included; answer → next offer: a member's press handed out → the next offer reaching them)`);
    log(
      table(
        [
          'backend',
          'filed',
          'confirm → first offer p50 / p99 s',
          'p50 priority / others s',
          'answer → next offer p50 / p99 ms',
          'offers (declined)',
          'taken / left to staff',
          'jobs per member',
          'seconds',
          'offered to two at once (target 0)',
          'held by two (target 0)',
          'check',
        ],
        tableRows,
      ),
    );
  }
  if (problems > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:dispatch failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
