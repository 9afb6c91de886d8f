/**
 * Linli under test in `npm run bench:reminders`, in a process of its own (its CPU and memory are
 * its own; a kill -9 kills only it), polling the parent's fake Bot API. The first process of a run
 * builds the app (migrations applied), writes the demo community, has the meetings service call
 * the meetings whose reminders fall due together (reminders-seed.ts) and only then binds every
 * resident's Telegram account (notice-seed.ts): as though the meetings were called before anyone
 * bound a chat, no invitation is sent in the run, which measures the reminders alone. A process
 * started again after a kill finds the same database and queues, and counts what the other left
 * (reminders written, messages being sent) before it starts.
 *
 * Messages: parent → `start`, later `finish`; child → `ready` | `failed`, then `finished`.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../src/app.js';
import { createServedApp } from './served-app.js';
import { Prisma } from '../src/db/prisma-types.js';
import { sqlRunnerFor } from '../src/db/sql.js';
import { MeetingReminders } from '../src/features/meetings/reminders/meeting-reminders.js';
import { sentKey } from '../src/features/meetings/rules/reminders.js';
import { meetingsDepsOf } from '../src/features/meetings/schedule/meetings-deps.js';
import { createLogger } from '../src/log/logger.js';
import { QueueNames } from '../src/queue/names.js';
import { deriveKey } from '../src/security/derived-key.js';
import { resolveSecret } from '../src/security/secret.js';
import { serveParent } from './app-child.js';
import { bindTelegramChats, seedDemoHouseholds } from './notice-seed.js';
import { callReminderMeetings, REMINDER_OFFSET, type CalledMeeting } from './reminders-seed.js';
import { meetingNumberIn, type ReminderKey } from './reminders-tally.js';

export interface RemindersSeedPlan {
  firstUserId: number;
  firstGroupChatId: number;
  timeZone: string;
  /** Reminders to fall due together. */
  reminders: number;
  /** How long after the meetings are called (ms) the reminders fall due. */
  leadMs: number;
}

export interface RemindersAppStart {
  type: 'start';
  /** Settings (environment names) on top of the app's defaults: database, Telegram, pacing. */
  env: Record<string, string>;
  /** Redis key prefix of its queues (PostgreSQL + Redis only). */
  queuePrefix?: string;
  /** The first process of a run: seed and call. */
  seed?: RemindersSeedPlan;
  /** A restart: the moment the first process's reminders fell due. */
  dueAtMs?: number;
}

export type ToRemindersApp = RemindersAppStart | { type: 'finish' };

/** A reminder's outbox row. Times are epoch ms. */
export interface ReminderRow extends ReminderKey {
  status: string;
  /** The row's creation time: the start of the transaction that wrote it. */
  createdAtMs: number;
  /** When the transaction that wrote it was first seen committed (by a watcher polling the table). */
  committedAtMs: number | null;
  /** When it was handed to delivery (after its transaction committed). */
  enqueuedAtMs: number | null;
  sentAtMs: number | null;
}

export interface RemindersAppFinished {
  type: 'finished';
  owed: ReminderKey[];
  rows: ReminderRow[];
  /** Invitations with the reminder recorded, and with it recorded more than once. */
  recorded: number;
  recordedTwice: number;
  cpuUnderLoadMs: number;
  peakRssBytes: number;
}

export type FromRemindersApp =
  | {
      type: 'ready';
      startupMs: number;
      seedMs: number;
      rssBytes: number;
      queueBackend: string;
      dueAtMs: number;
      meetings: CalledMeeting[];
      /** Reminders owed (one per bound chat of each invitee not declining). */
      owed: number;
      /** Reminder rows already written when this process started (a restart: by the one killed). */
      writtenAtStart: number;
      /** Outbox rows being sent when this process started: at most these can reach their chat twice. */
      sendingAtStart: number;
      residents: number;
    }
  | { type: 'failed'; error: string }
  | RemindersAppFinished;

let app: App | undefined;
let dueAtMs = 0;
let watch: CommitWatch | undefined;

/**
 * Sees when reminder rows become visible to another connection, i.e. when the transaction that
 * wrote them committed: from just before the due moment, every WATCH_EVERY_MS, it counts the
 * reminder rows added since, and when the count grew reads which (by `seq`), each seen then. On
 * the embedded database a look waits for the one connection, so a transaction's rows may be seen
 * only after the next transaction that took it first. Stops once `rows` reminder rows are seen.
 */
class CommitWatch {
  private readonly firstSeen = new Map<string, number>();
  private stopped = false;
  readonly done: Promise<void>;

  constructor(running: App, rows: number, startAtMs: number) {
    const sql = sqlRunnerFor(running.database.prisma);
    this.done = (async () => {
      const [base] = await sql.query<{ seq: string | null }>(`SELECT max(seq)::text AS seq FROM "OutboxMessage"`, []);
      const since = [base?.seq ?? '0'];
      const added = `FROM "OutboxMessage" WHERE seq > $1::bigint AND payload->>'text' LIKE '⏰%'`;
      await sleep(Math.max(0, startAtMs - Date.now()));
      let counted = 0;
      while (!this.stopped && counted < rows) {
        const [count] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n ${added}`, since);
        const seenAt = Date.now();
        if ((count?.n ?? 0) > counted) {
          counted = count!.n;
          for (const { seq } of await sql.query<{ seq: string }>(`SELECT seq::text AS seq ${added}`, since)) {
            if (!this.firstSeen.has(seq)) this.firstSeen.set(seq, seenAt);
          }
        }
        await sleep(WATCH_EVERY_MS);
      }
    })();
  }

  committedAt(seq: string): number | null {
    return this.firstSeen.get(seq) ?? null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done.catch(() => undefined);
  }
}

const WATCH_EVERY_MS = 20;

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}
let cpuAtReady: NodeJS.CpuUsage | undefined;

/** Resolves once the message is handed to the channel: the finished report is large, and the process disconnects right after. */
function send(message: FromRemindersApp): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

/** The bench's meetings: those starting at the offset after the due moment. */
async function benchMeetings(running: App): Promise<{ id: string; number: string; version: number; invited: number }[]> {
  const meetings = await running.database.prisma.meeting.findMany({
    where: { communityId: running.communityId, startsAt: new Date(dueAtMs + REMINDER_OFFSET * 60_000) },
    orderBy: { number: 'asc' },
    select: { id: true, number: true, version: true, _count: { select: { invitations: true } } },
  });
  return meetings.map(({ id, number, version, _count }) => ({ id, number, version, invited: _count.invitations }));
}

async function owedReminders(running: App, meetingIds: readonly string[]): Promise<ReminderKey[]> {
  return running.database.prisma.$queryRaw<ReminderKey[]>(Prisma.sql`
    SELECT a."externalId" AS "chatId", m.number
      FROM "MeetingInvitation" i
      JOIN "Meeting" m ON m.id = i."meetingId"
      JOIN "ChatAccount" a ON a."residentId" = i."residentId" AND a."unreachableAt" IS NULL
     WHERE i."meetingId" = ANY(${[...meetingIds]}::text[]) AND i.rsvp <> 'cannot'`);
}

async function reminderRows(running: App, numbers: ReadonlySet<string>): Promise<ReminderRow[]> {
  const rows = await running.database.prisma.$queryRaw<{ seq: string; chatId: string; text: string | null; status: string; createdAt: Date; enqueuedAt: Date | null; sentAt: Date | null }[]>(Prisma.sql`
    SELECT seq::text AS seq, "chatId", payload->>'text' AS text, status, "createdAt", "enqueuedAt", "sentAt"
      FROM "OutboxMessage" WHERE "communityId" = ${running.communityId} AND payload->>'text' LIKE '⏰%'`);
  return rows.flatMap((row) => {
    const number = meetingNumberIn(row.text ?? '');
    if (!number || !numbers.has(number)) return [];
    const createdAtMs = row.createdAt.getTime();
    return [{ chatId: row.chatId, number, status: row.status, createdAtMs, committedAtMs: watch?.committedAt(row.seq) ?? null, enqueuedAtMs: row.enqueuedAt?.getTime() ?? null, sentAtMs: row.sentAt?.getTime() ?? null }];
  });
}

async function begin(start: RemindersAppStart): Promise<void> {
  const began = performance.now();
  const served = await createServedApp(start);
  app = served.app;
  const { config } = served;
  const { prisma } = app.database;
  const seeding = performance.now();
  let called: CalledMeeting[] = [];
  if (start.seed) {
    await seedDemoHouseholds(prisma, app.communityId, start.seed.timeZone);
    const secret = resolveSecret(config.LINLI_SECRET, config.DATA_DIR);
    const logger = createLogger('silent');
    // The meetings service with the reminders it sets after each commit, on the app's own queue.
    let reminders: MeetingReminders | undefined;
    const deps = meetingsDepsOf(
      { prisma, notifier: app.notifier, translator: app.translator, config, dataDir: config.DATA_DIR, keyFor: (purpose) => deriveKey(secret, purpose) },
      { meetingChanged: (tx, id, previous) => reminders?.meetingChanged(tx, id, previous) },
    );
    reminders = new MeetingReminders({ prisma, queue: app.queues.queue(QueueNames.meetingReminders), notices: deps.notices, outbox: app.outbox, logger, now: () => new Date() });
    dueAtMs = Date.now() + start.seed.leadMs;
    called = await callReminderMeetings(deps, app.communityId, { reminders: start.seed.reminders, dueAtMs }, app.outbox);
    await bindTelegramChats(prisma, app.communityId, start.seed);
  } else {
    dueAtMs = start.dueAtMs ?? 0;
  }
  const seedMs = performance.now() - seeding;
  const meetings = await benchMeetings(app);
  if (called.length === 0) called = meetings.map(({ number, invited }) => ({ number, invited, audience: '' }));
  const owed = await owedReminders(app, meetings.map((m) => m.id));
  const writtenAtStart = (await reminderRows(app, new Set(meetings.map((m) => m.number)))).length;
  const sendingAtStart = await prisma.outboxMessage.count({ where: { status: 'sending' } });
  const residents = await prisma.resident.count({ where: { communityId: app.communityId } });
  await app.start();
  // Reminders of this run not written yet: watched from just before they fall due (or now, after a restart).
  watch = new CommitWatch(app, owed.length - writtenAtStart, dueAtMs - 200);
  cpuAtReady = process.cpuUsage();
  await send({
    type: 'ready',
    startupMs: performance.now() - began - seedMs,
    seedMs,
    rssBytes: process.memoryUsage.rss(),
    queueBackend: app.queues.kind,
    dueAtMs,
    meetings: called,
    owed: owed.length,
    writtenAtStart,
    sendingAtStart,
    residents,
  });
}

async function finish(): Promise<void> {
  const running = app;
  if (!running) throw new Error('finish before start');
  const cpu = process.cpuUsage(cpuAtReady);
  await watch?.stop();
  const meetings = await benchMeetings(running);
  const [owed, rows] = await Promise.all([owedReminders(running, meetings.map((m) => m.id)), reminderRows(running, new Set(meetings.map((m) => m.number)))]);
  let recorded = 0;
  let recordedTwice = 0;
  for (const meeting of meetings) {
    const key = sentKey(meeting.version, REMINDER_OFFSET);
    const [counts] = await running.database.prisma.$queryRaw<{ recorded: number; twice: number }[]>(Prisma.sql`
      SELECT count(*) FILTER (WHERE ${key} = ANY("remindersSent"))::int AS recorded,
             count(*) FILTER (WHERE cardinality(array_positions("remindersSent", ${key})) > 1)::int AS twice
        FROM "MeetingInvitation" WHERE "meetingId" = ${meeting.id}`);
    recorded += counts?.recorded ?? 0;
    recordedTwice += counts?.twice ?? 0;
  }
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  await running.stop();
  await send({ type: 'finished', owed, rows, recorded, recordedTwice, cpuUnderLoadMs: (cpu.user + cpu.system) / 1000, peakRssBytes });
}

serveParent<ToRemindersApp>({
  usage: 'reminders-app-process.ts is started by bench/reminders.ts (npm run bench:reminders)',
  begin,
  finish,
  stop: async () => app?.stop(),
});
