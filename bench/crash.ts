/**
 * `npm run bench:crash` — the bulk send of bench:delivery (3,076 households + 50 groups × 20,
 * limits ×10), with the delivery process killed with SIGKILL at a random point and started
 * again, as an operator's supervisor would. The fake Bot API (this process) counts what reached
 * "Telegram": messages sent twice (at most the worker's concurrency: only those in flight at the
 * kill) and messages lost (must be 0).
 *
 * The restarted process does what the service does at start (the outbox sweep) and its workers
 * take over the jobs the dead one held once their locks expire: BENCH_LOCK_MS (5000 here; the
 * service's default is BullMQ's 30 s).
 *
 * Settings (environment): those of bench:delivery (BENCH_BACKENDS default embedded,postgres,redis,
 * BENCH_SCALE, BENCH_HOUSEHOLDS, BENCH_GROUPS, BENCH_MESSAGES_PER_GROUP, BENCH_CONCURRENCY,
 * BENCH_DATABASE_URL, BENCH_REDIS_URL), plus BENCH_LOCK_MS (5000) and BENCH_KILL_AT (a fraction
 * of the messages sent before the kill; default random between 0.2 and 0.8).
 */
import { FakeTelegramBotApi } from '../test/fakes/telegram-bot-api/index.js';
import { DeliveryChild } from './delivery-child.js';
import {
  BACKEND_LABELS,
  backendProblem,
  freshLocation,
  readDeliveryBenchSettings,
  removeBackend,
  type DeliveryBackendName,
  type DeliveryBenchSettings,
} from './delivery-backends.js';
import { countArrivals, isBulkText } from './delivery-workload.js';
import { table } from './stats.js';

const DONE_TIMEOUT_MS = 300_000;

interface CrashResult {
  backend: DeliveryBackendName;
  messages: number;
  killedAfter: number;
  inFlight: number;
  swept: number;
  resumeMs: number;
  totalS: number;
  twice: number;
  lost: number;
  failed: number;
  concurrency: number;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function runOne(name: DeliveryBackendName, settings: DeliveryBenchSettings, lockMs: number, killFraction: number): Promise<CrashResult> {
  const where = freshLocation(name, settings);
  const fake = await FakeTelegramBotApi.start({ scale: settings.scale, acceptUnknownChats: true, rateLimitGraceMs: settings.graceMs });
  const expected = settings.households + settings.groups * settings.messagesPerGroup;
  const bulkArrived = () => fake.sent.all.filter((m) => isBulkText(m.text)).length;
  const common = { where, settings, apiRoot: fake.apiRoot, token: fake.token, replyEveryMs: 0, lockDurationMs: lockMs, stalledIntervalMs: Math.max(500, Math.round(lockMs / 4)) };
  try {
    const started = Date.now();
    const first = new DeliveryChild({ ...common, mode: 'write' });
    await first.ready();
    const killAt = Math.max(1, Math.round(expected * killFraction));
    while (bulkArrived() < killAt) await new Promise((resolve) => setTimeout(resolve, 2));
    await first.kill();
    const killedAfter = bulkArrived();

    const restartedAt = Date.now();
    const second = new DeliveryChild({ ...common, mode: 'resume' });
    const ready = await second.ready();
    // The first message the new process gets out.
    while (bulkArrived() === killedAfter && Date.now() - restartedAt < DONE_TIMEOUT_MS) await new Promise((resolve) => setTimeout(resolve, 2));
    const resumeMs = Date.now() - restartedAt;
    await second.until((progress) => progress.done, DONE_TIMEOUT_MS);
    const finished = await second.finish();
    const arrivals = countArrivals(
      fake.sent.all.map((m) => m.text),
      expected,
    );
    return {
      backend: name,
      messages: expected,
      killedAfter,
      inFlight: ready.sendingAtStart,
      swept: ready.sweptOnStart,
      resumeMs,
      totalS: (Date.now() - started) / 1000,
      twice: arrivals.twice,
      lost: arrivals.lost - finished.progress.failed,
      failed: finished.progress.failed,
      concurrency: settings.concurrency,
    };
  } finally {
    await fake.close();
    await removeBackend(where);
  }
}

async function main(): Promise<void> {
  const settings = readDeliveryBenchSettings(['embedded', 'postgres', 'redis']);
  const lockMs = Number(process.env.BENCH_LOCK_MS ?? 5000);
  const killAtSetting = process.env.BENCH_KILL_AT ? Number(process.env.BENCH_KILL_AT) : undefined;
  log(
    `bench:crash — ${settings.households} households + ${settings.groups} groups × ${settings.messagesPerGroup} messages, limits ×${settings.scale}, ` +
      `concurrency ${settings.concurrency}, lock ${lockMs} ms; the delivery process is killed with SIGKILL once and restarted`,
  );
  const results: CrashResult[] = [];
  for (const name of settings.backends) {
    const problem = await backendProblem(name, settings);
    if (problem) {
      log(`\n${BACKEND_LABELS[name]}: not run (${problem})`);
      continue;
    }
    const killFraction = killAtSetting ?? 0.2 + Math.random() * 0.6;
    log(`\n${BACKEND_LABELS[name]}: running, kill after ${(killFraction * 100).toFixed(0)} % …`);
    try {
      results.push(await runOne(name, settings, lockMs, killFraction));
    } catch (error) {
      log(`${BACKEND_LABELS[name]}: failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
  if (results.length === 0) return;
  log('');
  log(
    table(
      ['backend', 'messages', 'killed after', 'in flight at kill', 'swept at restart', 'restart → first send ms', 'total s', 'sent twice', 'lost', 'given up', 'concurrency'],
      results.map((r) => [
        r.backend,
        String(r.messages),
        String(r.killedAfter),
        String(r.inFlight),
        String(r.swept),
        String(r.resumeMs),
        r.totalS.toFixed(1),
        String(r.twice),
        String(r.lost),
        String(r.failed),
        String(r.concurrency),
      ]),
    ),
  );
  log('\nTargets: lost 0; sent twice ≤ the worker’s concurrency.');
  for (const r of results) {
    if (r.lost > 0 || r.twice > r.concurrency) {
      log(`${r.backend}: TARGET MISSED (lost ${r.lost}, sent twice ${r.twice})`);
      process.exitCode = 1;
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:crash failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
