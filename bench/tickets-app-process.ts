/**
 * Linli under test in `npm run bench:tickets`, in a process of its own (its CPU and memory are
 * its own), polling the parent's fake Bot API. It builds the app (migrations applied), writes the
 * bench's community (tickets-seed.ts) before it starts taking messages, and when told to finish
 * reports what its tables say: tickets and their numbers, rows by status, where a message's time
 * went.
 *
 * Messages: parent → `start`, later `finish`; child → `ready` | `failed`, then `finished`.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../src/app.js';
import { createServedApp } from './served-app.js';
import { seedTicketsPeople, type TicketsPeople } from './tickets-seed.js';
import { serveParent } from './app-child.js';

export interface TicketsAppStart {
  type: 'start';
  /** Settings (environment names) on top of the app's defaults: database, Telegram, pacing. */
  env: Record<string, string>;
  /** Redis key prefix of its queues (PostgreSQL + Redis only). */
  queuePrefix?: string;
  people: TicketsPeople;
}

export type ToTicketsApp = TicketsAppStart | { type: 'finish' };

/** p50 / p99 of one stage, from two timestamps of the app's rows (ms). */
export interface TicketsStage {
  stage: string;
  p50Ms: number;
  p99Ms: number;
}

export interface TicketsAppFinished {
  type: 'finished';
  tickets: number;
  /** Ticket numbers held by more than one ticket (must be none). */
  duplicateNumbers: number;
  counts: Record<string, Record<string, number>>;
  stages: TicketsStage[];
  /** CPU time (user + system) from ready to finish, ms. */
  cpuUnderLoadMs: number;
  peakRssBytes: number;
}

export type FromTicketsApp =
  | { type: 'ready'; startupMs: number; seedMs: number; rssBytes: number; queueBackend: string }
  | { type: 'failed'; error: string }
  | TicketsAppFinished;


/** Stages read off the rows; names from this constant only, never from input. */
const STAGES: { stage: string; table: 'InboundMessage' | 'OutboxMessage'; from: string; to: string }[] = [
  { stage: 'inbound received → handled', table: 'InboundMessage', from: 'receivedAt', to: 'handledAt' },
  { stage: 'outbox written → queued', table: 'OutboxMessage', from: 'createdAt', to: 'enqueuedAt' },
  { stage: 'outbox queued → claimed', table: 'OutboxMessage', from: 'enqueuedAt', to: 'claimedAt' },
  { stage: 'outbox claimed → sent', table: 'OutboxMessage', from: 'claimedAt', to: 'sentAt' },
];

let app: App | undefined;
let cpuAtReady: NodeJS.CpuUsage | undefined;

function send(message: FromTicketsApp): void {
  process.send?.(message);
}

async function begin(start: TicketsAppStart): Promise<void> {
  const began = performance.now();
  app = (await createServedApp(start)).app;
  const seeding = performance.now();
  await seedTicketsPeople(app.database.prisma, app.communityId, start.people);
  const seedMs = performance.now() - seeding;
  await app.start();
  cpuAtReady = process.cpuUsage();
  send({ type: 'ready', startupMs: performance.now() - began - seedMs, seedMs, rssBytes: process.memoryUsage.rss(), queueBackend: app.queues.kind });
}

async function stages(running: App): Promise<TicketsStage[]> {
  const timings: TicketsStage[] = [];
  for (const { stage, table, from, to } of STAGES) {
    const [row] = await running.database.prisma.$queryRawUnsafe<{ p50: number | null; p99: number | null }[]>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99
         FROM (SELECT extract(epoch FROM ("${to}" - "${from}")) * 1000 AS d FROM "${table}" WHERE "${to}" IS NOT NULL AND "${from}" IS NOT NULL) AS t`,
    );
    timings.push({ stage, p50Ms: Number(row?.p50 ?? Number.NaN), p99Ms: Number(row?.p99 ?? Number.NaN) });
  }
  return timings;
}

async function finish(): Promise<void> {
  const running = app;
  if (!running) throw new Error('finish before start');
  const cpu = process.cpuUsage(cpuAtReady);
  const { prisma } = running.database;
  const [tickets, repeated, inbound, outbox] = await Promise.all([
    prisma.ticket.count({ where: { communityId: running.communityId } }),
    prisma.ticket.groupBy({ by: ['number'], where: { communityId: running.communityId }, _count: { _all: true }, having: { number: { _count: { gt: 1 } } } }),
    prisma.inboundMessage.groupBy({ by: ['status'], _count: { _all: true } }),
    prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }),
  ]);
  const timings = await stages(running);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  await running.stop();
  send({
    type: 'finished',
    tickets,
    duplicateNumbers: repeated.length,
    counts: {
      inbound: Object.fromEntries(inbound.map((g) => [g.status, g._count._all])),
      outbox: Object.fromEntries(outbox.map((g) => [g.status, g._count._all])),
    },
    stages: timings,
    cpuUnderLoadMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes,
  });
}

serveParent<ToTicketsApp>({
  usage: 'tickets-app-process.ts is started by bench/tickets.ts (npm run bench:tickets)',
  begin,
  finish,
  stop: async () => app?.stop(),
});
