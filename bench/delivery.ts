/**
 * `npm run bench:delivery` — a bulk send through the real delivery path (outbox rows, BullMQ,
 * pacing, the Telegram channel on telegraf) to the fake Bot API, with its limits and ours scaled
 * up alike (×10 by default: 300/s per bot, 10/s per private chat, 200/min per group) so it runs
 * in well under a minute. 3,076 households (one message each) plus 50 group chats (20 messages
 * each); meanwhile people chatting with the bot get a reply every 150 ms. The delivery side runs
 * in a process of its own (delivery-process.ts); this one plays the Bot API and measures.
 *
 * Prints per backend: achieved rate ÷ configured limit overall and per group chat (target
 * ≥ 0.95 in TARGETS.md, ≥ 0.90 in the issue), 429s received, messages lost and sent twice, and
 * the reply latency (committed → accepted by the fake: the delivery path) p50/p99 against one
 * send slot + 50 ms.
 *
 * Settings (environment): BENCH_BACKENDS (embedded,postgres,redis), BENCH_SCALE (10),
 * BENCH_HOUSEHOLDS (3076), BENCH_GROUPS (50), BENCH_MESSAGES_PER_GROUP (20), BENCH_CONCURRENCY
 * (20, the app's default), BENCH_GRACE_MS (10: the fake forgives a call that early for its
 * windows), BENCH_WINDOW_MS (the limiter window aimed at, for one-at-a-time accounts only), BENCH_DURABLE_COMMITS=1 (the queues' PostgreSQL
 * sessions and the database pacer wait for the disk at every commit, as before they stopped:
 * to compare), BENCH_DATABASE_URL, BENCH_REDIS_URL. A
 * backend whose server cannot be reached is reported as such and skipped.
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
import { countArrivals, groupChat, isBulkText } from './delivery-workload.js';
import { mb, ms, summarise, table, type LatencySummary } from './stats.js';

const REPLY_EVERY_MS = 150;
const DONE_TIMEOUT_MS = 240_000;

interface RunResult {
  backend: DeliveryBackendName;
  messages: number;
  writeMs: number;
  durationMs: number;
  overallRatio: number;
  groupRatioMedian: number;
  groupRatioMin: number;
  rateLimited: number;
  refusalsByLimit: string;
  lost: number;
  twice: number;
  failed: number;
  /** From the reply's commit to its arrival at the fake: the delivery path. */
  replies: LatencySummary;
  /** The transaction writing the reply (the caller's work, before delivery). */
  replyWrites: LatencySummary;
  slotMs: number;
  peakRssBytes: number;
  counts: string;
  replyStages: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function runOne(name: DeliveryBackendName, settings: DeliveryBenchSettings): Promise<RunResult> {
  const where = freshLocation(name, settings);
  const fake = await FakeTelegramBotApi.start({ scale: settings.scale, acceptUnknownChats: true, rateLimitGraceMs: settings.graceMs });
  const limits = { perSecond: 30 * settings.scale, perGroupPerMinute: 20 * settings.scale };
  try {
    const child = new DeliveryChild({ where, settings, apiRoot: fake.apiRoot, token: fake.token, mode: 'write', replyEveryMs: REPLY_EVERY_MS });
    let finished;
    let writeMs: number;
    try {
      writeMs = (await child.ready()).writeMs;
      await child.until((progress) => progress.done, DONE_TIMEOUT_MS);
    } finally {
      finished = await child.finish().catch(async (error: unknown) => {
        await child.kill();
        throw error;
      });
    }
    // Replies written last may still be on their way.
    const replyTexts = new Set(finished.replies.map(([text]) => text));
    const repliesDue = Date.now() + 10_000;
    while (fake.sent.all.filter((m) => m.text && replyTexts.has(m.text)).length < replyTexts.size && Date.now() < repliesDue) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const sent = fake.sent.all;
    const bulkSent = sent.filter((m) => isBulkText(m.text));
    const first = Math.min(...bulkSent.map((m) => m.at));
    const last = Math.max(...bulkSent.map((m) => m.at));
    const inWindow = sent.filter((m) => m.at >= first && m.at <= last).length;
    const overallRatio = (inWindow - 1) / ((last - first) / 1000) / limits.perSecond;

    const groupRatios: number[] = [];
    for (let g = 0; g < settings.groups; g += 1) {
      const times = fake.sent.to(Number(groupChat(g))).map((m) => m.at).sort((a, b) => a - b);
      if (times.length < 2) continue;
      groupRatios.push((times.length - 1) / ((times.at(-1)! - times[0]!) / 60_000) / limits.perGroupPerMinute);
    }
    groupRatios.sort((a, b) => a - b);

    const replyTimes = new Map(finished.replies.map(([text, writtenAt, committedAt]) => [text, { writtenAt, committedAt }]));
    const latencies: number[] = [];
    const writeTimes: number[] = [];
    for (const m of sent) {
      const times = m.text ? replyTimes.get(m.text) : undefined;
      if (!times) continue;
      latencies.push(m.at - times.committedAt);
      writeTimes.push(times.committedAt - times.writtenAt);
    }
    const refusals = new Map<string, number>();
    for (const refusal of fake.stats.refusals) refusals.set(refusal.limit, (refusals.get(refusal.limit) ?? 0) + 1);
    const expected = settings.households + settings.groups * settings.messagesPerGroup;
    const arrivals = countArrivals(
      sent.map((m) => m.text),
      expected,
    );
    return {
      backend: name,
      messages: expected,
      writeMs,
      durationMs: last - first,
      overallRatio,
      groupRatioMedian: groupRatios[Math.floor(groupRatios.length / 2)] ?? Number.NaN,
      groupRatioMin: groupRatios[0] ?? Number.NaN,
      rateLimited: fake.stats.rateLimited,
      refusalsByLimit: [...refusals].map(([limit, n]) => `${limit} ${n}`).join(', ') || 'none',
      lost: arrivals.lost - finished.progress.failed,
      twice: arrivals.twice,
      failed: finished.progress.failed,
      replies: summarise(latencies),
      replyWrites: summarise(writeTimes),
      slotMs: 1000 / limits.perSecond,
      peakRssBytes: finished.peakRssBytes,
      counts: JSON.stringify(finished.counts),
      replyStages: finished.replyStages.map((s) => `${s.stage} p50 ${ms(s.p50Ms)} / p99 ${ms(s.p99Ms)} ms`).join('; '),
    };
  } finally {
    await fake.close();
    await removeBackend(where);
  }
}

async function main(): Promise<void> {
  const settings = readDeliveryBenchSettings(['embedded', 'postgres', 'redis']);
  log(
    `bench:delivery — ${settings.households} households + ${settings.groups} groups × ${settings.messagesPerGroup} messages, ` +
      `limits ×${settings.scale} (${30 * settings.scale}/s per bot, ${settings.scale}/s per chat, ${20 * settings.scale}/min per group), ` +
      `concurrency ${settings.concurrency}, a reply every ${REPLY_EVERY_MS} ms` +
      (settings.limiterWindowMs ? `, limiter window ${settings.limiterWindowMs} ms` : '') +
      (settings.durableCommits ? ', queue sessions and database pacer waiting for the disk at each commit (as before)' : ''),
  );
  const results: RunResult[] = [];
  for (const name of settings.backends) {
    const problem = await backendProblem(name, settings);
    if (problem) {
      log(`\n${BACKEND_LABELS[name]}: not run (${problem})`);
      continue;
    }
    log(`\n${BACKEND_LABELS[name]}: running…`);
    try {
      results.push(await runOne(name, settings));
    } catch (error) {
      log(`${BACKEND_LABELS[name]}: failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
  if (results.length === 0) return;
  const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '–');
  log('');
  log(
    table(
      ['backend', 'messages', 'write+queue ms', 'send s', 'rate ÷ limit', 'group rate ÷ limit (median / min)', '429s', 'lost', 'twice', 'given up', 'reply p50 / p99 / max ms', 'slot + 50 ms', 'reply write p50 ms', 'delivery RSS MB'],
      results.map((r) => [
        r.backend,
        String(r.messages),
        String(r.writeMs),
        (r.durationMs / 1000).toFixed(1),
        ratio(r.overallRatio),
        `${ratio(r.groupRatioMedian)} / ${ratio(r.groupRatioMin)}`,
        `${r.rateLimited} (${r.refusalsByLimit})`,
        String(r.lost),
        String(r.twice),
        String(r.failed),
        `${ms(r.replies.p50)} / ${ms(r.replies.p99)} / ${ms(r.replies.max)}`,
        ms(r.slotMs + 50),
        ms(r.replyWrites.p50),
        mb(r.peakRssBytes),
      ]),
    ),
  );
  for (const r of results) log(`${r.backend}: worker outcomes ${r.counts}`);
  for (const r of results) log(`${r.backend}: where the replies' time went (their rows): ${r.replyStages}`);
  log('\nTargets: rate ÷ limit ≥ 0.95 overall and per chat; reply p99 ≤ one send slot + 50 ms; 0 lost; 0 sent twice without a crash.');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:delivery failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
