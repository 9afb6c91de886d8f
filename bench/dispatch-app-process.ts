/**
 * Linli under test in `npm run bench:dispatch`, in a process of its own (its CPU and memory are
 * its own), polling the parent's fake Bot API. It builds the app (migrations applied), writes the
 * bench's community (dispatch-seed.ts) before it starts taking messages, says on request how far
 * dispatch has come (work orders by status, open offers), and when told to finish reports what
 * its tables say: every work order with its offers, and the accepts the audit log recorded.
 *
 * Messages: parent → `start`, `progress` (any number), later `finish`; child → `ready` | `failed`,
 * `progress` for each asked, then `finished`.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../src/app.js';
import { createServedApp } from './served-app.js';
import { serveParent } from './app-child.js';
import { seedDispatchCommunity, type DispatchCommunity, type DispatchSeedPlan } from './dispatch-seed.js';

export interface DispatchAppStart {
  type: 'start';
  /** Settings (environment names) on top of the app's defaults: database, Telegram, pacing. */
  env: Record<string, string>;
  /** Redis key prefix of its queues (PostgreSQL + Redis only). */
  queuePrefix?: string;
  seed: DispatchSeedPlan;
}

export type ToDispatchApp = DispatchAppStart | { type: 'progress' } | { type: 'finish' };

export interface DispatchProgress {
  type: 'progress';
  /** Work orders by status. */
  workOrders: Record<string, number>;
  openOffers: number;
}

/** One offer as its row says (times epoch ms). */
export interface OfferRow {
  memberId: string;
  status: string;
  offeredAt: number;
  answeredAt: number | null;
  expiresAt: number;
}

export interface WorkOrderRow {
  number: string;
  status: string;
  emergency: boolean;
  priority: boolean;
  skill: string | null;
  memberId: string | null;
  /** `job.accept` audit rows of this work order (each one a member taking it). */
  acceptsAudited: number;
  offers: OfferRow[];
}

export interface DispatchAppFinished {
  type: 'finished';
  workOrders: WorkOrderRow[];
  outbox: Record<string, number>;
  /** The chats of messages whose delivery failed, with the failure's kind. */
  failedDeliveries: { chatId: string; kind: string | null; text: string }[];
  /** CPU time (user + system) from ready to finish, ms. */
  cpuUnderLoadMs: number;
  peakRssBytes: number;
}

export type FromDispatchApp =
  | { type: 'ready'; startupMs: number; seedMs: number; rssBytes: number; queueBackend: string; community: DispatchCommunity }
  | { type: 'failed'; error: string }
  | DispatchProgress
  | DispatchAppFinished;

let app: App | undefined;
let cpuAtReady: NodeJS.CpuUsage | undefined;

function send(message: FromDispatchApp): void {
  process.send?.(message);
}

async function begin(start: DispatchAppStart): Promise<void> {
  const began = performance.now();
  app = (await createServedApp(start)).app;
  const seeding = performance.now();
  const community = await seedDispatchCommunity(app.database.prisma, app.communityId, start.seed);
  const seedMs = performance.now() - seeding;
  await app.start();
  cpuAtReady = process.cpuUsage();
  send({ type: 'ready', startupMs: performance.now() - began - seedMs, seedMs, rssBytes: process.memoryUsage.rss(), queueBackend: app.queues.kind, community });
}

async function progress(): Promise<void> {
  const running = app;
  if (!running) return;
  const { prisma } = running.database;
  const [orders, openOffers] = await Promise.all([
    prisma.workOrder.groupBy({ by: ['status'], where: { communityId: running.communityId }, _count: { _all: true } }),
    prisma.dispatchOffer.count({ where: { status: 'open' } }),
  ]);
  send({ type: 'progress', workOrders: Object.fromEntries(orders.map((g) => [g.status, g._count._all])), openOffers });
}

async function finish(): Promise<void> {
  const running = app;
  if (!running) throw new Error('finish before start');
  const cpu = process.cpuUsage(cpuAtReady);
  const { prisma } = running.database;
  const [orders, accepts, outbox] = await Promise.all([
    prisma.workOrder.findMany({
      where: { communityId: running.communityId },
      select: {
        id: true,
        status: true,
        emergency: true,
        priority: true,
        skill: true,
        memberId: true,
        ticket: { select: { number: true } },
        offers: { select: { memberId: true, status: true, offeredAt: true, answeredAt: true, expiresAt: true } },
      },
    }),
    prisma.auditLog.findMany({ where: { communityId: running.communityId, action: 'job.accept', subjectType: 'work_order' }, select: { subjectId: true, details: true } }),
    prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }),
  ]);
  const failedDeliveries = await prisma.outboxMessage.findMany({ where: { status: 'failed' }, select: { chatId: true, failureKind: true, payload: true } });
  const acceptsOf = new Map<string | null, number>();
  // A refused accept leaves a row too (`denied`): only those that took the job count.
  for (const row of accepts.filter((a) => (a.details as { denied?: boolean } | null)?.denied !== true)) acceptsOf.set(row.subjectId, (acceptsOf.get(row.subjectId) ?? 0) + 1);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  await running.stop();
  send({
    type: 'finished',
    workOrders: orders.map((o) => ({
      number: o.ticket.number,
      status: o.status,
      emergency: o.emergency,
      priority: o.priority,
      skill: o.skill,
      memberId: o.memberId,
      acceptsAudited: acceptsOf.get(o.id) ?? 0,
      offers: o.offers.map((f) => ({
        memberId: f.memberId,
        status: f.status,
        offeredAt: f.offeredAt.getTime(),
        answeredAt: f.answeredAt?.getTime() ?? null,
        expiresAt: f.expiresAt.getTime(),
      })),
    })),
    outbox: Object.fromEntries(outbox.map((g) => [g.status, g._count._all])),
    failedDeliveries: failedDeliveries.map((f) => ({ chatId: f.chatId, kind: f.failureKind, text: String((f.payload as { text?: unknown } | null)?.text ?? '').slice(0, 40) })),
    cpuUnderLoadMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes,
  });
}

serveParent<ToDispatchApp>({
  usage: 'dispatch-app-process.ts is started by bench/dispatch.ts (npm run bench:dispatch)',
  begin,
  finish,
  other: (message) => {
    if (message.type === 'progress') void progress().catch(() => send({ type: 'progress', workOrders: {}, openOffers: -1 }));
  },
  stop: async () => app?.stop(),
});
