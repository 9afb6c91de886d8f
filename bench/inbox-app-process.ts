/**
 * Linli under test in `npm run bench:inbox`, in a process of its own (its CPU and memory are its
 * own), serving the staff console on a loopback port. It builds the app (migrations applied),
 * writes the bench's community (inbox-seed.ts), issues each staff member a sign-in code as
 * `linli staff login` does, and reports the address and the codes. Told to file, it files the
 * tickets spread evenly over the window through the ticket service (`fileTicket` in a transaction,
 * then the after-commit work: outbox rows queued, deadline jobs; the console's live update goes
 * out on commit through PostgreSQL's notifications, or with that work on the embedded database)
 * and reports each one's commit time. Told to finish, it reports its CPU time and memory
 * under load and what its tables say.
 *
 * Times sent to the parent are wall-clock milliseconds with a fraction
 * (`performance.timeOrigin + performance.now()`): both processes read the same clock.
 *
 * Messages: parent → `start`, `file`, later `finish`; child → `ready` | `failed`, `filed` per
 * ticket, `filing-done`, then `finished`.
 */
import { performance } from 'node:perf_hooks';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { finishCommitted, transactionWithAfterCommit } from '../src/db/after-commit.js';
import { loadActor } from '../src/features/policy/load-actor.js';
import { ticketServiceOf } from '../src/features/tickets/module.js';
import { fileTicket } from '../src/features/tickets/service/index.js';
import { createLogger } from '../src/log/logger.js';
import { deriveKey } from '../src/security/derived-key.js';
import { resolveSecret } from '../src/security/secret.js';
import { issueLoginCode } from '../src/staff-web/auth/login-codes.js';
import { seedInboxCommunity, type InboxCommunity, type InboxPeopleCounts, type SeededStaff } from './inbox-seed.js';
import { serveParent } from './app-child.js';

export interface InboxAppStart {
  type: 'start';
  /** Settings (environment names) on top of the app's defaults: data folder, database, queues. */
  env: Record<string, string>;
  /** Redis key prefix of its queues (PostgreSQL + Redis only). */
  queuePrefix?: string;
  people: InboxPeopleCounts;
}

export interface InboxAppFile {
  type: 'file';
  tickets: number;
  /** The window the filings are spread over. */
  seconds: number;
}

export type ToInboxApp = InboxAppStart | InboxAppFile | { type: 'finish' };

export interface StaffWithCode extends SeededStaff {
  /** A one-time sign-in code, as `linli staff login` prints it. */
  code: string;
}

export interface InboxAppReady {
  type: 'ready';
  baseUrl: string;
  startupMs: number;
  seedMs: number;
  queueBackend: string;
  rssBytes: number;
  staff: StaffWithCode[];
  residents: number;
}

export interface FiledMessage {
  type: 'filed';
  ticketId: string;
  number: string;
  /** The area of the household it was filed for (index, as in inbox-seed.ts). */
  area: number;
  /** When the filing's transaction had committed (wall clock, ms). */
  committedAt: number;
  /** How late the filing started against its even schedule, ms. */
  lateMs: number;
  /** Start → commit (actor loaded, the transaction), ms. */
  transactionMs: number;
  /** Commit → its after-commit work done (outbox rows queued, deadline jobs; on the embedded database the live update too), ms. */
  afterCommitMs: number;
}

export interface FilingDone {
  type: 'filing-done';
  filed: number;
  failed: number;
  /** One failure's message, if any failed. */
  example?: string;
}

export interface InboxAppFinished {
  type: 'finished';
  /** CPU time (user + system) from the first filing to finish, ms. */
  cpuUnderLoadMs: number;
  /** The largest RSS sampled every 100 ms from the first filing to finish. */
  peakRssUnderLoadBytes: number;
  /** The process's high-water mark (start-up, migrations and seeding included). */
  peakRssBytes: number;
  tickets: Record<string, number>;
  ticketEvents: Record<string, number>;
  outbox: Record<string, number>;
  auditRows: number;
}

export type FromInboxApp = InboxAppReady | { type: 'failed'; error: string } | FiledMessage | FilingDone | InboxAppFinished;

const RSS_SAMPLE_MS = 100;
/** The complaint flow's filing turn may wait this long for a connection and to finish (src/conversation/conversation-service.ts). */
const FILING_TRANSACTION_LIMITS = { maxWait: 10_000, timeout: 20_000 };

let app: App | undefined;
let community: InboxCommunity | undefined;
let cpuAtLoad: NodeJS.CpuUsage | undefined;
let peakRssUnderLoad = 0;
let rssSampler: NodeJS.Timeout | undefined;
const filings: Promise<void>[] = [];

function send(message: FromInboxApp): void {
  process.send?.(message);
}

function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function begin(start: InboxAppStart): Promise<void> {
  const began = performance.now();
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...start.env });
  const running = await createApp({
    config,
    logger: createLogger(config.LOG_LEVEL),
    serve: true,
    ...(start.queuePrefix ? { queuePrefix: start.queuePrefix } : {}),
  });
  app = running;
  const seeding = performance.now();
  community = await seedInboxCommunity(running.database.prisma, running.communityId, start.people);
  // The key `linli staff login` issues codes with (the console checks them with the same one).
  const key = deriveKey(resolveSecret(config.LINLI_SECRET, config.DATA_DIR), 'staff-login-code');
  const staff: StaffWithCode[] = [];
  for (const member of community.staff) {
    const { code } = await running.database.prisma.$transaction((tx) =>
      issueLoginCode(tx, { communityId: running.communityId, residentId: member.residentId, via: 'cli', key, now: new Date() }),
    );
    staff.push({ ...member, code });
  }
  const seedMs = performance.now() - seeding;
  const baseUrl = await running.start();
  if (!baseUrl) throw new Error('the app did not listen');
  send({
    type: 'ready',
    baseUrl,
    startupMs: performance.now() - began - seedMs,
    seedMs,
    queueBackend: running.queues.kind,
    rssBytes: process.memoryUsage.rss(),
    staff,
    residents: community.residents.length,
  });
}

/** Files one ticket for resident `index` and reports when it committed. */
async function fileOne(running: App, seeded: InboxCommunity, index: number, scheduledAt: number): Promise<void> {
  const began = wallNow();
  const lateMs = Math.max(0, began - scheduledAt);
  const resident = seeded.residents[index % seeded.residents.length]!;
  const { prisma } = running.database;
  const now = new Date();
  const actor = await loadActor(prisma, { residentId: resident.residentId }, { now });
  if (!actor) throw new Error('a seeded resident has no actor');
  const committed = await transactionWithAfterCommit(prisma, (tx) =>
    fileTicket(tx, ticketServiceOf(running), {
      communityId: running.communityId,
      actor,
      kind: 'complaint',
      category: 'other',
      description: `楼道灯坏了，第${index + 1}号压测工单`,
      filerAnsweredInChat: true,
      at: now,
    }),
    FILING_TRANSACTION_LIMITS,
  );
  const committedAt = wallNow();
  await finishCommitted(committed, running.outbox);
  send({
    type: 'filed',
    ticketId: committed.value.ticketId,
    number: committed.value.number,
    area: resident.area,
    committedAt,
    lateMs,
    transactionMs: committedAt - began,
    afterCommitMs: wallNow() - committedAt,
  });
}

/** Starts each filing at its even slot over the window, without waiting for the one before. */
function fileTickets(request: InboxAppFile): void {
  const running = app;
  const seeded = community;
  if (!running || !seeded) throw new Error('file before start');
  cpuAtLoad = process.cpuUsage();
  rssSampler = setInterval(() => {
    peakRssUnderLoad = Math.max(peakRssUnderLoad, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  rssSampler.unref();
  const interval = (request.seconds * 1000) / Math.max(1, request.tickets);
  const startedAt = wallNow();
  let failed = 0;
  let example: string | undefined;
  let next = 0;
  const tick = () => {
    // Every filing whose slot has come (a timer may fire late on a busy machine).
    while (next < request.tickets && startedAt + next * interval <= wallNow()) {
      const index = next;
      next += 1;
      filings.push(
        fileOne(running, seeded, index, startedAt + index * interval).catch((error: unknown) => {
          failed += 1;
          example ??= describe(error);
        }),
      );
    }
    if (next < request.tickets) {
      setTimeout(tick, Math.max(0, startedAt + next * interval - wallNow()));
      return;
    }
    void Promise.all(filings).then(() => send({ type: 'filing-done', filed: request.tickets - failed, failed, ...(example ? { example } : {}) }));
  };
  tick();
}

function byKey<T extends { _count: { _all: number } }>(groups: T[], key: (g: T) => string): Record<string, number> {
  return Object.fromEntries(groups.map((g) => [key(g), g._count._all]));
}

async function finish(): Promise<void> {
  const running = app;
  if (!running) throw new Error('finish before start');
  const cpu = process.cpuUsage(cpuAtLoad);
  if (rssSampler) clearInterval(rssSampler);
  peakRssUnderLoad = Math.max(peakRssUnderLoad, process.memoryUsage.rss());
  await Promise.all(filings);
  const { prisma } = running.database;
  const [tickets, events, outbox, auditRows] = await Promise.all([
    prisma.ticket.groupBy({ by: ['status'], where: { communityId: running.communityId }, _count: { _all: true } }),
    prisma.ticketEvent.groupBy({ by: ['kind'], _count: { _all: true } }),
    prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }),
    prisma.auditLog.count({ where: { communityId: running.communityId } }),
  ]);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  await running.stop();
  send({
    type: 'finished',
    cpuUnderLoadMs: (cpu.user + cpu.system) / 1000,
    peakRssUnderLoadBytes: peakRssUnderLoad,
    peakRssBytes,
    tickets: byKey(tickets, (g) => g.status),
    ticketEvents: byKey(events, (g) => g.kind),
    outbox: byKey(outbox, (g) => g.status),
    auditRows,
  });
}

serveParent<ToInboxApp>({
  usage: 'inbox-app-process.ts is started by bench/inbox.ts (npm run bench:inbox)',
  begin,
  finish,
  other: (message) => {
    if (message.type === 'file') fileTickets(message);
  },
  stop: async () => app?.stop(),
});
