/**
 * Linli under test in `npm run bench:notice`, in a process of its own (its CPU and memory are its
 * own; a kill -9 kills only it), polling the parent's fake Bot API. The first process of a run
 * builds the app (migrations applied) and writes the demo community (notice-seed.ts) before it
 * starts taking messages; a process started again after a kill (`resume`) finds the same database
 * and counts the messages that were being sent when the other died, before it starts.
 *
 * Messages: parent → `start`, later `finish`; child → `ready` | `failed`, then `finished`. In
 * between the parent may open and close a probe window (`probe-open` → `probe-opened`,
 * `probe-close` → `probed`): CPU, statements, Redis commands and sends in flight over it
 * (send-probe.ts).
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../src/app.js';
import { createServedApp } from './served-app.js';
import { seedNoticeCommunity, type NoticeCommunity, type NoticeSeedPlan } from './notice-seed.js';
import { serveParent } from './app-child.js';
import { countRedisCommands, SendProbe, type ProbeWindow } from './send-probe.js';
import { countPgliteStatements, countPostgresStatements } from './telegram-statements.js';

export interface NoticeAppStart {
  type: 'start';
  /** Settings (environment names) on top of the app's defaults: database, Telegram, pacing. */
  env: Record<string, string>;
  /** Redis key prefix of its queues (PostgreSQL + Redis only). */
  queuePrefix?: string;
  /** Seed the community (the first process of a run); absent: it is there already (a restart). */
  seed?: NoticeSeedPlan;
}

export type ToNoticeApp = NoticeAppStart | { type: 'finish' } | { type: 'probe-open' } | { type: 'probe-close' };

export interface NoticeAppFinished {
  type: 'finished';
  /** The latest notice's messages (one per household or chat), by outbox status. */
  outbox: Record<string, number>;
  /** Chat ids the latest notice's messages were written for. */
  recipientChats: string[];
  /** Each answer to the latest notice: household code and when it was recorded (epoch ms). */
  answers: { household: string; answeredAtMs: number }[];
  cpuUnderLoadMs: number;
  peakRssBytes: number;
}

export type FromNoticeApp =
  | { type: 'ready'; startupMs: number; seedMs: number; rssBytes: number; queueBackend: string; community?: NoticeCommunity; sendingAtStart: number }
  | { type: 'failed'; error: string }
  | { type: 'probe-opened' }
  | { type: 'probed'; window: ProbeWindow }
  | NoticeAppFinished;


let app: App | undefined;
let cpuAtReady: NodeJS.CpuUsage | undefined;
const probe = new SendProbe();
// Before the app opens its pool and its Redis connections.
countPostgresStatements();
countRedisCommands();

function send(message: FromNoticeApp): void {
  process.send?.(message);
}

async function latestNotice(running: App) {
  return running.database.prisma.notice.findFirst({ where: { communityId: running.communityId }, orderBy: { createdAt: 'desc' }, select: { id: true, bulkSendId: true } });
}

async function begin(start: NoticeAppStart): Promise<void> {
  const began = performance.now();
  app = (await createServedApp(start)).app;
  if (app.database.pglite) countPgliteStatements(app.database.pglite);
  for (const channel of app.channels.values()) probe.watch(channel);
  const seeding = performance.now();
  const community = start.seed ? await seedNoticeCommunity(app.database.prisma, app.communityId, start.seed) : undefined;
  const seedMs = performance.now() - seeding;
  // What the killed process was sending: at most these may reach their chats twice.
  const sendingAtStart = await app.database.prisma.outboxMessage.count({ where: { status: 'sending' } });
  await app.start();
  cpuAtReady = process.cpuUsage();
  send({
    type: 'ready',
    startupMs: performance.now() - began - seedMs,
    seedMs,
    rssBytes: process.memoryUsage.rss(),
    queueBackend: app.queues.kind,
    sendingAtStart,
    ...(community ? { community } : {}),
  });
}

async function finish(): Promise<void> {
  const running = app;
  if (!running) throw new Error('finish before start');
  const cpu = process.cpuUsage(cpuAtReady);
  const { prisma } = running.database;
  const notice = await latestNotice(running);
  const bulkSendId = notice?.bulkSendId ?? '';
  const [outbox, rows, answers] = await Promise.all([
    prisma.outboxMessage.groupBy({ by: ['status'], where: { bulkSendId }, _count: { _all: true } }),
    prisma.outboxMessage.findMany({ where: { bulkSendId }, select: { chatId: true } }),
    prisma.noticeAnswer.findMany({ where: { noticeId: notice?.id ?? '' }, select: { answeredAt: true, household: { select: { code: true } } } }),
  ]);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  await running.stop();
  send({
    type: 'finished',
    outbox: Object.fromEntries(outbox.map((g) => [g.status, g._count._all])),
    recipientChats: rows.map((r) => r.chatId),
    answers: answers.map((a) => ({ household: a.household.code, answeredAtMs: a.answeredAt.getTime() })),
    cpuUnderLoadMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes,
  });
}

serveParent<ToNoticeApp>({
  usage: 'notice-app-process.ts is started by bench/notice.ts (npm run bench:notice)',
  begin,
  finish,
  other(message) {
    if (message.type === 'probe-open') {
      probe.open();
      send({ type: 'probe-opened' });
    } else if (message.type === 'probe-close') {
      send({ type: 'probed', window: probe.close() });
    }
  },
  stop: async () => app?.stop(),
});
