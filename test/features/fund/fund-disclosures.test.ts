/**
 * The monthly disclosure notice (居务公开) on a real database and real queues, with the clock at
 * chosen instants: the month's figures to every reachable resident of the fund's area in their
 * own language and to the chats bound for it — nobody outside it — as one bulk send; a month is
 * sent once however often it is asked for (a repeated job, a restart, the catch-up), never for a
 * month that ended before the fund existed; the scheduler at the configured hour on the 1st.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../../src/cli/linli-run.js';
import { disclosureSchedulerId, FundDisclosures } from '../../../src/features/fund/disclosure/fund-disclosures.js';
import { startDisclosureWorker } from '../../../src/features/fund/disclosure/disclosure-worker.js';
import { findFund, type FundRecord } from '../../../src/features/fund/ledger/fund-lookup.js';
import { recordContribution } from '../../../src/features/fund/ledger/record-contribution.js';
import { recordExpense } from '../../../src/features/fund/ledger/record-expense.js';
import { setUpFund } from '../../../src/features/fund/ledger/setup-fund.js';
import { parseLocalDay } from '../../../src/features/fund/rules/fund-month.js';
import { localParts } from '../../../src/features/tickets/rules/local-time.js';
import { createLogger } from '../../../src/log/logger.js';
import { DeliveryScheduler } from '../../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher, PRIORITY_BULK } from '../../../src/outbox/outbox.js';
import { createQueueBackend, type QueueBackend } from '../../../src/queue/backend.js';
import { QueueNames } from '../../../src/queue/names.js';
import { queueTargetFor } from '../../support/app.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { waitFor } from '../../support/wait-for.js';
import { translator } from '../tickets/scheduling/harness.js';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const OPERATOR = { kind: 'operator' } as const;
const quietOutput = { write: () => true, isTTY: false };

describe.each(databaseTargets())('fund disclosures on %s', (target) => {
  let db: TestDatabase;
  let queues: QueueBackend;
  let outbox: OutboxDispatcher;
  let communityId: string;
  let fund: FundRecord;
  let clock = at('2026-12-01T08:00:30');
  const slug = `disc-${randomBytes(4).toString('hex')}`;
  const logger = createLogger('silent');
  const disclosures = () => new FundDisclosures({ prisma: db.prisma, queue: queues.queue(QueueNames.fundDisclosures), translator, outbox, logger, hour: 8, now: () => clock });
  const bulkRows = (bulkSendId: string) =>
    db.prisma.outboxMessage.findMany({ where: { bulkSendId }, orderBy: { seq: 'asc' }, select: { channel: true, chatId: true, chatAccountId: true, payload: true, priority: true } });
  const textOf = (payload: unknown) => (payload as { text: string }).text;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    const redisUrl = queueTargetFor(target) === 'redis' ? process.env['TEST_REDIS_URL'] : undefined;
    queues = await createQueueBackend({ ...(redisUrl ? { redisUrl } : {}), database: db, prefix: `t${randomBytes(5).toString('hex')}`, logger });
    outbox = new OutboxDispatcher(db.prisma, new DeliveryScheduler(queues, db.prisma, logger), logger);
    const seeded = await runLinli(['demo', 'seed', '--households', '40', '--seed', '3'], { env: { COMMUNITY_SLUG: slug }, stdout: quietOutput, stderr: quietOutput, database: db });
    expect(seeded).toBe(0);
    communityId = (await db.prisma.community.findUniqueOrThrow({ where: { slug } })).id;

    // Residents with chat accounts: three in the bungalow area (one chose English, one blocked
    // the bot), one in the buildings; a chat bound for the bungalow zone, one for the buildings.
    const residents = await db.prisma.resident.findMany({ where: { communityId, householdId: { not: null } }, orderBy: { id: 'asc' }, select: { id: true, household: { select: { area: { select: { path: true } } } } } });
    const inBungalow = residents.filter((r) => r.household!.area.path.startsWith('平房区/'));
    const inBuilding = residents.filter((r) => !r.household!.area.path.startsWith('平房区/'));
    const account = (residentId: string, externalId: string, extra: object = {}) =>
      db.prisma.chatAccount.create({ data: { communityId, channel: 'kite', externalId, residentId, boundAt: new Date(), ...extra } });
    await account(inBungalow[0]!.id, 'b-zh');
    await account(inBungalow[1]!.id, 'b-en', { locale: 'en' });
    await account(inBungalow[2]!.id, 'b-gone', { unreachableAt: new Date() });
    await account(inBuilding[0]!.id, 'tower');
    const zone = (path: string) => db.prisma.area.findUniqueOrThrow({ where: { communityId_path: { communityId, path } } });
    await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'group-bungalow', purpose: 'area', targetId: (await zone('平房区')).id } });
    await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'group-tower', purpose: 'area', targetId: (await zone('楼寓')).id } });
    await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'group-staff', purpose: 'staff' } });

    const now = at('2026-10-01T09:00:00');
    await db.prisma.$transaction((tx) => setUpFund(tx, { communityId, actor: OPERATOR, areaPath: '平房区', approvalThresholdFen: 50_000, now }));
    await db.prisma.propertyFund.updateMany({ where: { communityId }, data: { createdAt: now } });
    fund = await findFund(db.prisma, communityId);
    const households = await db.prisma.household.findMany({ where: { communityId, area: { path: { startsWith: '平房区/' } } }, orderBy: { code: 'asc' }, select: { code: true } });
    await db.prisma.$transaction(async (tx) => {
      const pay = (code: string, day: string) => recordContribution(tx, { fund, actor: OPERATOR, householdCode: code, amountFen: 1000, paidOn: parseLocalDay(day, TZ)!, now });
      await pay(households[0]!.code, '2026-10-15');
      await pay(households[1]!.code, '2026-11-01');
      await pay(households[2]!.code, '2026-11-30');
      await pay(households[3]!.code, '2026-12-01');
      const spend = (fen: number, purpose: string, day: string) => recordExpense(tx, { fund, actor: OPERATOR, amountFen: fen, purpose, spentOn: parseLocalDay(day, TZ)!, now });
      await spend(350, '更换路灯灯泡', '2026-11-10');
      await spend(60_000, '更换主水管', '2026-11-20');
    });
  });
  afterAll(async () => {
    await queues?.close();
    await db?.close();
  });

  it("sends November's figures once, on 1 December, to the area's residents and its bound chat, each in their language", async () => {
    const first = await disclosures().send(fund.id);
    expect(first).toMatchObject({ sent: true, recipients: 3, month: { year: 2026, month: 11 } });
    if (!first.sent) return;
    const rows = await bulkRows(first.bulkSendId);
    expect(rows.map((r) => r.chatId).sort()).toEqual(['b-en', 'b-zh', 'group-bungalow']);
    expect(rows.every((r) => r.priority === PRIORITY_BULK)).toBe(true);
    const zh = textOf(rows.find((r) => r.chatId === 'b-zh')!.payload);
    const households = await db.prisma.household.count({ where: { communityId, area: { path: { startsWith: '平房区/' } } } });
    expect(zh.split('\n')).toEqual([
      '【居务公开】平房区物业基金2026年11月收支',
      '上月结余：¥10.00',
      `本月收入：¥20.00（2户缴纳，共${households}户）`,
      '本月支出：¥3.50',
      '#1 11月10日 更换路灯灯泡 ¥3.50',
      '#2 11月20日 更换主水管 ¥600.00（待一事一议，未计入）',
      '本月结余：¥26.50',
      '待一事一议决定：1项，共¥600.00（决定前不计入支出）',
      '如有疑问，请联系社区居委会。',
    ]);
    expect(textOf(rows.find((r) => r.chatId === 'b-en')!.payload)).toContain('Balance at the end of the month: ¥26.50');
    expect(await db.prisma.fundDisclosure.findMany({ where: { fundId: fund.id } })).toMatchObject([{ bulkSendId: first.bulkSendId, recipients: 3 }]);
  });

  it('sends nothing more for the month: a repeated job, a restart, the catch-up later in the month', async () => {
    expect(await disclosures().send(fund.id)).toMatchObject({ sent: false, reason: 'already_sent' });
    clock = at('2026-12-05T10:00:00');
    expect(await disclosures().catchUp(fund)).toBe(false);
    expect(await disclosures().send(fund.id)).toMatchObject({ sent: false, reason: 'already_sent' });
    expect(await db.prisma.bulkSend.count({ where: { communityId, purpose: 'fund_disclosure' } })).toBe(1);
  });

  it('catches up a month whose moment passed while nothing ran, through the queue', async () => {
    // January: December's notice was never sent (no worker on 1 January); before the hour nothing.
    clock = at('2027-01-01T07:59:00');
    expect(await disclosures().catchUp(fund)).toBe(false);
    clock = at('2027-01-03T12:00:00');
    const worker = startDisclosureWorker(queues, disclosures());
    try {
      expect(await disclosures().catchUp(fund)).toBe(true);
      const december = at('2026-12-01T00:00:00');
      await waitFor(async () => (await db.prisma.fundDisclosure.findUnique({ where: { fundId_monthStart: { fundId: fund.id, monthStart: december } } })) ?? undefined, 'the December notice');
      expect(await disclosures().catchUp(fund)).toBe(false);
    } finally {
      await worker.close();
    }
    expect(await db.prisma.bulkSend.count({ where: { communityId, purpose: 'fund_disclosure' } })).toBe(2);
  });

  it('never discloses a month that ended before the fund was set up', async () => {
    await db.prisma.propertyFund.update({ where: { id: fund.id }, data: { createdAt: at('2027-01-02T09:00:00') } });
    clock = at('2027-01-05T09:00:00');
    try {
      expect(await disclosures().catchUp({ ...fund, createdAt: at('2027-01-02T09:00:00') })).toBe(false);
      const sent = await db.prisma.fundDisclosure.deleteMany({ where: { fundId: fund.id, monthStart: at('2026-12-01T00:00:00') } });
      expect(sent.count).toBe(1);
      expect(await disclosures().send(fund.id)).toMatchObject({ sent: false, reason: 'before_fund' });
    } finally {
      await db.prisma.propertyFund.update({ where: { id: fund.id }, data: { createdAt: fund.createdAt } });
    }
  });

  it('schedules each fund at the hour on the 1st, in the community time zone', async () => {
    await disclosures().install(fund);
    await disclosures().install(fund);
    const queue = queues.queue(QueueNames.fundDisclosures);
    const schedulers = (await queue.getJobSchedulers()).filter((s) => s.key === disclosureSchedulerId(fund.id));
    expect(schedulers.map((s) => [s.pattern, s.tz])).toEqual([['0 8 1 * *', TZ]]);
    const next = localParts(new Date(schedulers[0]!.next!), TZ);
    expect([next.day, next.hour, next.minute]).toEqual([1, 8, 0]);
    await queue.removeJobScheduler(disclosureSchedulerId(fund.id));
  });
});
