/**
 * The delivery side of the delivery benchmarks, in a process of its own (so the fake Bot API in
 * the parent does not share its CPU, and so crash.ts can kill it with SIGKILL): opens a backend,
 * writes the bulk send (or, after a crash, only resumes), runs the delivery workers with the real
 * Telegram channel against the fake, and — when asked — plays people chatting with the bot.
 * Talks to the parent over IPC: `ready`, periodic `progress`, and `finished` with its figures.
 */
import { TelegramChannel } from '../src/channels/telegram/telegram-channel.js';
import type { PrismaClient } from '../src/db/prisma-types.js';
import { createLogger } from '../src/log/logger.js';
import { bulkSendProgress, createBulkSend, type BulkSendProgress } from '../src/outbox/bulk-send.js';
import { startDeliveryWorkers, type DeliveryCounts } from '../src/outbox/delivery-queue.js';
import { DeliveryScheduler } from '../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher, PRIORITY_REPLY, writeOutbox } from '../src/outbox/outbox.js';
import { openBackend, type BackendLocation, type DeliveryBenchSettings } from './delivery-backends.js';
import { bulkRecipients } from './delivery-workload.js';

/** What the parent asks for. */
export interface DeliveryProcessStart {
  type: 'start';
  where: BackendLocation;
  settings: DeliveryBenchSettings;
  apiRoot: string;
  token: string;
  /** `write`: a fresh bulk send; `resume`: a restart after a crash (the start-up sweep, then work). */
  mode: 'write' | 'resume';
  /** Write a reply to someone chatting every this many ms (0: nobody chats). */
  replyEveryMs: number;
  /** Delivery worker lock: how soon a crashed worker's jobs are taken over. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export type ToDeliveryProcess = DeliveryProcessStart | { type: 'finish' };

export type FromDeliveryProcess =
  | { type: 'ready'; writeMs: number; bulkSendId: string; sendingAtStart: number; sweptOnStart: number }
  | { type: 'progress'; progress: BulkSendProgress }
  | {
      type: 'finished';
      progress: BulkSendProgress;
      /** Reply text, when its transaction began, when it committed (epoch ms). */
      replies: [string, number, number][];
      counts: DeliveryCounts | undefined;
      /** Where the replies' time went, from their rows (p50 / p99 ms). */
      replyStages: { stage: string; p50Ms: number; p99Ms: number }[];
      peakRssBytes: number;
      sweptOnStart: number;
    };

const CHATTING_PEOPLE = 20;
const PROGRESS_EVERY_MS = 200;
const logger = createLogger('silent');

function send(message: FromDeliveryProcess): void {
  process.send?.(message);
}

async function run(start: DeliveryProcessStart): Promise<void> {
  const { settings, where } = start;
  const backend = await openBackend(where, logger, { durableCommits: settings.durableCommits });
  const { prisma } = backend.database;
  const limits = { perSecond: 30 * settings.scale, perChatPerSecond: settings.scale, perGroupPerMinute: 20 * settings.scale };
  const channel = new TelegramChannel({ token: start.token, apiRoot: start.apiRoot, dataDir: where.dataDir, maxPhotoBytes: 1 << 20, logger, limits });
  const scheduler = new DeliveryScheduler(backend.queues, prisma, logger);
  const outbox = new OutboxDispatcher(prisma, scheduler, logger);

  let community = await prisma.community.findUnique({ where: { slug: 'bench' } });
  community ??= await prisma.community.create({ data: { slug: 'bench', name: 'Bench community' } });
  const communityId = community.id;

  let bulkSendId: string;
  let writeMs = 0;
  let sweptOnStart = 0;
  if (start.mode === 'write') {
    const started = Date.now();
    const bulk = await prisma.$transaction(
      (tx) => createBulkSend(tx, { communityId, purpose: 'bench', recipients: bulkRecipients(settings), message: { text: 'notice' } }),
      { timeout: 120_000 },
    );
    await outbox.dispatch(bulk.rows);
    writeMs = Date.now() - started;
    bulkSendId = bulk.bulkSendId;
  } else {
    bulkSendId = (await prisma.bulkSend.findFirstOrThrow({ where: { communityId }, orderBy: { createdAt: 'desc' } })).id;
  }
  // After a crash: the messages that were on their way (claimed, not recorded).
  const sendingAtStart = await prisma.outboxMessage.count({ where: { bulkSendId, status: 'sending' } });

  const workers = startDeliveryWorkers(
    backend.queues,
    { prisma, channels: new Map([['telegram', channel]]), logger },
    {
      concurrency: settings.concurrency,
      pacer: backend.pacer,
      scheduler,
      ...(start.lockDurationMs ? { lockDurationMs: start.lockDurationMs } : {}),
      ...(start.stalledIntervalMs ? { stalledIntervalMs: start.stalledIntervalMs } : {}),
      ...(settings.limiterWindowMs ? { limiterWindowMs: settings.limiterWindowMs } : {}),
    },
  );
  // As the app does when it runs the workers: replies go straight out from this process.
  outbox.sendRepliesDirectly((rows) => workers.deliverNow(rows));
  // What the composition root does at start: hand over what a crash left behind.
  if (start.mode === 'resume') sweptOnStart = await outbox.sweep(0, 120_000);
  send({ type: 'ready', writeMs, bulkSendId, sendingAtStart, sweptOnStart });

  const replies: [string, number, number][] = [];
  let finishing = false;
  const chatter = (async () => {
    if (start.replyEveryMs <= 0) return;
    for (let k = 0; !finishing; k += 1) {
      const text = `r${k}`;
      const chatId = String(900_000 + (k % CHATTING_PEOPLE));
      const writtenAt = Date.now();
      const rows = await prisma.$transaction((tx) =>
        writeOutbox(tx, [{ communityId, channel: 'telegram', chatId, message: { text }, priority: PRIORITY_REPLY }]),
      );
      replies.push([text, writtenAt, Date.now()]);
      await outbox.dispatch(rows);
      await new Promise((resolve) => setTimeout(resolve, start.replyEveryMs));
    }
  })();

  const reporter = setInterval(() => {
    bulkSendProgress(prisma, bulkSendId)
      .then((progress) => send({ type: 'progress', progress }))
      .catch(() => undefined);
  }, PROGRESS_EVERY_MS);

  await new Promise<void>((resolve) => {
    process.on('message', (message: ToDeliveryProcess) => {
      if (message.type === 'finish') resolve();
    });
  });
  finishing = true;
  clearInterval(reporter);
  await chatter;
  const progress = await bulkSendProgress(prisma, bulkSendId);
  const replyStages = await replyStageTimes(prisma);
  await workers.close();
  const counts = workers.counts.get('telegram');
  await backend.close();
  send({ type: 'finished', progress, replies, counts: counts ? { ...counts } : undefined, replyStages, peakRssBytes: process.resourceUsage().maxRSS * 1024, sweptOnStart });
}

/** Stages of a reply's way, read off its row: written → queued → claimed by a worker → sent. */
const REPLY_STAGES = [
  { stage: 'written → queued', from: 'createdAt', to: 'enqueuedAt' },
  { stage: 'queued → claimed', from: 'enqueuedAt', to: 'claimedAt' },
  { stage: 'claimed → sent', from: 'claimedAt', to: 'sentAt' },
] as const;

async function replyStageTimes(prisma: PrismaClient): Promise<{ stage: string; p50Ms: number; p99Ms: number }[]> {
  const stages = [];
  for (const { stage, from, to } of REPLY_STAGES) {
    // Column names from the constant above, never from input.
    const [row] = await prisma.$queryRawUnsafe<{ p50: number | null; p99: number | null }[]>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99
         FROM (SELECT extract(epoch FROM ("${to}" - "${from}")) * 1000 AS d FROM "OutboxMessage"
                WHERE "bulkSendId" IS NULL AND "${to}" IS NOT NULL AND "${from}" IS NOT NULL) AS t`,
    );
    stages.push({ stage, p50Ms: Number(row?.p50 ?? Number.NaN), p99Ms: Number(row?.p99 ?? Number.NaN) });
  }
  return stages;
}

process.once('message', (message: ToDeliveryProcess) => {
  if (message.type !== 'start') return;
  run(message)
    .then(() => process.disconnect?.())
    .catch((error: unknown) => {
      process.stderr.write(`delivery process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
});
