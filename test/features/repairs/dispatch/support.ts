/**
 * Dispatch on a real test database and real queues, with a clock the test moves: the community of
 * the scheduling tests (a zone and lane, a steward with a chat, a committee member, the staff
 * chat), a resident who reports, service-team members with their skills and chats, and a repair
 * filed as the resident side files it — a ticket of kind `repair` through the ticket service, its
 * work order, and `work_order.changed` `filed`, all in one transaction.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { capabilitiesIn } from '../../../../src/channels/known-channels.js';
import { finishCommitted, transactionWithAfterCommit } from '../../../../src/db/after-commit.js';
import type { PrismaClient } from '../../../../src/db/prisma-types.js';
import { EventBus } from '../../../../src/events/index.js';
import { loadTranslator } from '../../../../src/i18n/translator.js';
import { createLogger } from '../../../../src/log/logger.js';
import { AccountNotifier } from '../../../../src/notify/account-notifier.js';
import { DeliveryScheduler } from '../../../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher } from '../../../../src/outbox/outbox.js';
import { createQueueBackend, type LinliQueue, type QueueBackend } from '../../../../src/queue/backend.js';
import { QueueNames } from '../../../../src/queue/names.js';
import { loadActor } from '../../../../src/features/policy/load-actor.js';
import { fileTicket } from '../../../../src/features/tickets/service/file-ticket.js';
import { skillFor, type RepairKind } from '../../../../src/features/repairs/rules/repair-kinds.js';
import type { WorkOrderChange } from '../../../../src/features/repairs/work-order-events.js';
import { DEFAULT_OFFER_TIMING } from '../../../../src/features/repairs/dispatch/rules/offer-timing.js';
import type { DispatchDeps } from '../../../../src/features/repairs/dispatch/service/dispatch-deps.js';
import { offerTimeoutJobs, type OfferTimeoutJob } from '../../../../src/features/repairs/dispatch/service/offer-timeouts.js';
import { listenForWorkOrders } from '../../../../src/features/repairs/dispatch/service/work-order-listener.js';
import { queueTargetFor } from '../../../support/app.js';
import { createTestDatabase, type DatabaseTarget, type TestDatabase } from '../../../support/database.js';
import { seedTicketCommunity, type SeededCommunity } from '../../tickets/scheduling/seed.js';

export const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', '..', 'locales'));

/** Monday 7 December 2026, 10:00 in Beijing. */
export const MONDAY_10 = new Date('2026-12-07T02:00:00Z');
export const MINUTE = 60_000;

export interface DispatchHarness {
  db: TestDatabase;
  prisma: PrismaClient;
  queues: QueueBackend;
  queue: LinliQueue<OfferTimeoutJob>;
  outbox: OutboxDispatcher;
  events: EventBus;
  deps: DispatchDeps;
  clock: { now: Date };
  /** Every `work_order.changed` heard, in order. */
  changes: WorkOrderChange[];
  community: SeededCommunity;
  reporter: { residentId: string; householdId: string };
  close(): Promise<void>;
}

export async function openDispatchHarness(target: DatabaseTarget): Promise<DispatchHarness> {
  const db = await createTestDatabase(target);
  const logger = createLogger('silent');
  const redisUrl = queueTargetFor(target) === 'redis' ? process.env['TEST_REDIS_URL'] : undefined;
  const queues = await createQueueBackend({ ...(redisUrl ? { redisUrl } : {}), database: db, prefix: `t${randomBytes(5).toString('hex')}`, logger });
  const queue = queues.queue(QueueNames.dispatchOffers);
  const outbox = new OutboxDispatcher(db.prisma, new DeliveryScheduler(queues, db.prisma, logger), logger);
  const clock = { now: MONDAY_10 };
  const events = new EventBus();
  const changes: WorkOrderChange[] = [];
  const deps: DispatchDeps = {
    translator,
    notifier: new AccountNotifier({ translator }),
    events,
    timing: DEFAULT_OFFER_TIMING,
    timeouts: offerTimeoutJobs(queue, () => clock.now),
    textLimitOf: () => 4000,
    capabilitiesOf: capabilitiesIn(new Map()),
    logger,
    now: () => clock.now,
  };
  events.on('work_order.changed', async (_tx, change) => {
    changes.push(change);
  });
  listenForWorkOrders(events, deps);
  const community = await seedTicketCommunity(db.prisma, { ticketSettings: { timezone: 'Asia/Shanghai' } });
  const reporter = await db.prisma.resident.create({ data: { communityId: community.communityId, name: '赵大爷', phone: '13900000001', householdId: community.householdId } });
  return {
    db,
    prisma: db.prisma,
    queues,
    queue,
    outbox,
    events,
    deps,
    clock,
    changes,
    community,
    reporter: { residentId: reporter.id, householdId: community.householdId },
    async close() {
      await queues.close();
      await db.close();
    },
  };
}

let memberSeq = 0;

/** A service-team member with these skills and a web chat account; their id and chat. */
export async function addMember(
  h: DispatchHarness,
  name: string,
  skills: string[],
  terms: { areaIds?: string[]; hours?: object; away?: boolean } = {},
): Promise<{ residentId: string; chatId: string; chatAccountId: string }> {
  memberSeq += 1;
  const { communityId } = h.community;
  const resident = await h.prisma.resident.create({ data: { communityId, name, phone: `1370000${String(memberSeq).padStart(4, '0')}` } });
  await h.prisma.roleAssignment.create({ data: { communityId, residentId: resident.id, role: 'service_team', skills, startsOn: new Date('2026-01-01T00:00:00Z') } });
  if (terms.areaIds || terms.hours || terms.away) {
    await h.prisma.serviceMember.create({
      data: { residentId: resident.id, communityId, areaIds: terms.areaIds ?? [], hours: terms.hours ?? {}, awaySince: terms.away ? h.clock.now : null },
    });
  }
  const chatId = randomBytes(8).toString('hex');
  const account = await h.prisma.chatAccount.create({ data: { communityId, channel: 'web', externalId: chatId, residentId: resident.id, boundAt: h.clock.now, locale: 'zh-CN' } });
  return { residentId: resident.id, chatId, chatAccountId: account.id };
}

/** Files a repair as the resident side does; returns the work order's and ticket's ids and the number. */
export async function fileRepair(
  h: DispatchHarness,
  options: { job?: RepairKind; emergency?: boolean; priority?: boolean; reporterId?: string } = {},
): Promise<{ workOrderId: string; ticketId: string; number: string }> {
  const job = options.job ?? 'water_leak';
  const committed = await transactionWithAfterCommit(h.prisma, async (tx) => {
    const actor = await loadActor(tx, { residentId: options.reporterId ?? h.reporter.residentId }, { now: h.clock.now });
    if (actor?.kind !== 'person') throw new Error('the reporter is not a person');
    const filed = await fileTicket(tx, { translator, notifier: h.deps.notifier, events: h.events, now: () => h.clock.now }, {
      communityId: h.community.communityId,
      actor,
      kind: 'repair',
      category: 'other',
      description: '厨房水管漏水',
      filerAnsweredInChat: true,
      at: h.clock.now,
    });
    const order = await tx.workOrder.create({
      data: { communityId: h.community.communityId, ticketId: filed.ticketId, job, skill: skillFor(job), emergency: options.emergency ?? false, priority: options.priority ?? false, createdAt: h.clock.now },
      select: { id: true },
    });
    await h.events.publish(tx, 'work_order.changed', { communityId: h.community.communityId, workOrderId: order.id, ticketId: filed.ticketId, kind: 'filed', actorId: h.reporter.residentId });
    return { workOrderId: order.id, ticketId: filed.ticketId, number: filed.number, rows: filed.rows };
  });
  await finishCommitted(committed, h.outbox, committed.value.rows);
  const { workOrderId, ticketId, number } = committed.value;
  return { workOrderId, ticketId, number };
}

/** Runs `work` in a transaction as the app does (rows and tasks after commit). */
export async function inTransaction<T>(h: DispatchHarness, work: Parameters<typeof transactionWithAfterCommit<T>>[1]): Promise<T> {
  const committed = await transactionWithAfterCommit(h.prisma, work, { timeout: 20_000, maxWait: 20_000 });
  await finishCommitted(committed, h.outbox);
  return committed.value;
}

/** Texts written to one chat, oldest first. */
export async function textsTo(h: DispatchHarness, chatId: string): Promise<string[]> {
  const rows = await h.prisma.outboxMessage.findMany({ where: { chatId }, orderBy: { seq: 'asc' }, select: { payload: true } });
  return rows.map((row) => (row.payload as { text: string }).text);
}

/** The person actor of a member, as a chat press would load it. */
export async function memberActor(h: DispatchHarness, residentId: string) {
  const actor = await h.prisma.$transaction((tx) => loadActor(tx, { residentId }, { now: h.clock.now }));
  if (actor?.kind !== 'person') throw new Error('not a person');
  return actor;
}
