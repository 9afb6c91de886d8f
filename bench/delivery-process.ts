/**
 * The delivery side of the delivery benchmarks, in a process of its own (so the fake Bot API in
 * the parent does not share its CPU, and so crash.ts can kill it with SIGKILL): opens a backend,
 * writes the bulk send (or, after a crash, only resumes), runs the delivery workers with the real
 * Telegram channel against the fake, and — when asked — plays people chatting with the bot.
 * Talks to the parent over IPC: `ready`, periodic `progress`, and `finished` with its figures.
 */
import { TelegramChannel } from '../src/channels/telegram/telegram-channel.js';
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
  const backend = await openBackend(where, logger);
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
  await workers.close();
  const counts = workers.counts.get('telegram');
  await backend.close();
  send({ type: 'finished', progress, replies, counts: counts ? { ...counts } : undefined, peakRssBytes: process.resourceUsage().maxRSS * 1024, sweptOnStart });
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
