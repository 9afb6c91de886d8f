/**
 * The property fund's monthly disclosure is kept in the notices archive: the transaction of the
 * month's bulk send writes a `Notice` of kind `disclosure` (numbered, from the system, for the
 * fund's area, in every language), which the area's residents find in 通知公告 — by searching
 * "基金收支" too — and nobody outside the area does; a repeated send writes no second one, and it
 * never leaves the archive.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../../../src/cli/linli-run.js';
import { FundDisclosures } from '../../../../src/features/fund/disclosure/fund-disclosures.js';
import { findFund, type FundRecord } from '../../../../src/features/fund/ledger/fund-lookup.js';
import { recordExpense } from '../../../../src/features/fund/ledger/record-expense.js';
import { setUpFund } from '../../../../src/features/fund/ledger/setup-fund.js';
import { listArchive, searchNotices, type ArchiveScope } from '../../../../src/features/notices/archive/archive-query.js';
import { archiveViewerOfAccount, publicViewer, type ArchiveViewer } from '../../../../src/features/notices/archive/archive-viewer.js';
import { createLogger } from '../../../../src/log/logger.js';
import { DeliveryScheduler } from '../../../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher } from '../../../../src/outbox/outbox.js';
import { createQueueBackend, type QueueBackend } from '../../../../src/queue/backend.js';
import { QueueNames } from '../../../../src/queue/names.js';
import { queueTargetFor } from '../../../support/app.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { translator } from '../../tickets/scheduling/harness.js';

const at = (local: string) => new Date(`${local}+08:00`);
const OPERATOR = { kind: 'operator' } as const;
const quietOutput = { write: () => true, isTTY: false };
const PAGE = { offset: 0, limit: 20 };

describe.each(databaseTargets())('the fund disclosure in the archive on %s', (target) => {
  let db: TestDatabase;
  let queues: QueueBackend;
  let communityId: string;
  let fund: FundRecord;
  let bungalow: ArchiveViewer;
  let tower: ArchiveViewer;
  const clock = at('2026-12-01T08:00:30');
  const logger = createLogger('silent');
  const scope = (viewer: ArchiveViewer, now = clock, archiveDays: number | null = 365): ArchiveScope => ({ viewer, now, archiveDays });

  beforeAll(async () => {
    db = await createTestDatabase(target);
    const redisUrl = queueTargetFor(target) === 'redis' ? process.env['TEST_REDIS_URL'] : undefined;
    queues = await createQueueBackend({ ...(redisUrl ? { redisUrl } : {}), database: db, prefix: `t${randomBytes(5).toString('hex')}`, logger });
    const slug = `discarch-${randomBytes(4).toString('hex')}`;
    expect(await runLinli(['demo', 'seed', '--households', '40', '--seed', '3'], { env: { COMMUNITY_SLUG: slug }, stdout: quietOutput, stderr: quietOutput, database: db })).toBe(0);
    communityId = (await db.prisma.community.findUniqueOrThrow({ where: { slug } })).id;
    const now = at('2026-10-01T09:00:00');
    await db.prisma.$transaction((tx) => setUpFund(tx, { communityId, actor: OPERATOR, areaPath: '平房区', approvalThresholdFen: 50_000, now }));
    await db.prisma.propertyFund.updateMany({ where: { communityId }, data: { createdAt: now } });
    fund = await findFund(db.prisma, communityId);
    await db.prisma.$transaction((tx) => recordExpense(tx, { fund, actor: OPERATOR, amountFen: 350, purpose: '更换路灯灯泡', spentOn: at('2026-11-10T10:00:00'), now }));
    const residents = await db.prisma.resident.findMany({ where: { communityId, householdId: { not: null } }, orderBy: { id: 'asc' }, select: { id: true, household: { select: { area: { select: { path: true } } } } } });
    const viewerOf = async (residentId: string) => {
      const account = await db.prisma.chatAccount.create({ data: { communityId, channel: 'web', externalId: `w-${randomBytes(4).toString('hex')}`, residentId } });
      return (await archiveViewerOfAccount(db.prisma, account.id, communityId, clock))!;
    };
    bungalow = await viewerOf(residents.find((r) => r.household!.area.path.startsWith('平房区/'))!.id);
    tower = await viewerOf(residents.find((r) => !r.household!.area.path.startsWith('平房区/'))!.id);
  });
  afterAll(async () => {
    await queues?.close();
    await db?.close();
  });

  it("keeps November's accounts as a disclosure notice for the area, once", async () => {
    const outbox = new OutboxDispatcher(db.prisma, new DeliveryScheduler(queues, db.prisma, logger), logger);
    const disclosures = new FundDisclosures({ prisma: db.prisma, queue: queues.queue(QueueNames.fundDisclosures), translator, outbox, logger, hour: 8, now: () => clock });
    const sent = await disclosures.send(fund.id);
    expect(sent.sent).toBe(true);
    expect(await disclosures.send(fund.id)).toMatchObject({ sent: false, reason: 'already_sent' });
    const notices = await db.prisma.notice.findMany({ where: { communityId } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: 'disclosure',
      authorId: null,
      status: 'sent',
      number: 'TZ-2026-00001',
      title: '【居务公开】平房区物业基金2026年11月收支',
      audience: { areaIds: [fund.areaId] },
      expiresAt: null,
      bulkSendId: sent.sent ? sent.bulkSendId : undefined,
    });
    expect(notices[0]!.body).toContain('#1 11月10日 更换路灯灯泡 ¥3.50');
    expect((notices[0]!.versions as Record<string, { title: string }>)['en']?.title).toContain('2026');
  });

  it("the area's residents find it in 通知公告 and by searching; nobody outside the area does", async () => {
    const [notice] = await db.prisma.notice.findMany({ where: { communityId } });
    expect((await listArchive(db.prisma, scope(bungalow), PAGE, 'zh-CN')).items.map((i) => i.id)).toEqual([notice!.id]);
    expect((await searchNotices(db.prisma, scope(bungalow), '上个月基金收支怎么样？', PAGE, 'zh-CN')).items[0]?.id).toBe(notice!.id);
    expect((await searchNotices(db.prisma, scope(bungalow), 'property fund', PAGE, 'en')).items[0]?.title).toContain('2026');
    expect((await listArchive(db.prisma, scope(tower), PAGE, 'zh-CN')).items).toEqual([]);
    expect((await listArchive(db.prisma, scope(publicViewer(communityId)), PAGE, 'zh-CN')).items).toEqual([]);
  });

  it('never leaves the archive', async () => {
    const tenYearsOn = new Date(clock.getTime() + 3650 * 86_400_000);
    expect((await listArchive(db.prisma, scope(bungalow, tenYearsOn, 1), PAGE, 'zh-CN')).total).toBe(1);
  });
});
