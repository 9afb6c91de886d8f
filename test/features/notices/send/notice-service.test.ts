/**
 * Sending a notice through the service the staff chat, the group heads and the console share, on a
 * real database and real queues with the clock at chosen instants, in a community made by
 * `linli demo seed`: who it reaches (an area with its subtree, once per household, each bound chat
 * once), who may send what (a head to their own group only; forged attempts refused and audited),
 * quiet hours (held at 23:00 and sent at 07:00 by its delayed job, once), alerts (at once, ahead of
 * other bulk sends, with answer buttons), the report per chat and the retry of the failures.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeDocument } from '../../../../src/channels/media/document-files.js';
import { documentLinkPath, documentLinks } from '../../../../src/channels/media/document-links.js';
import { samplePdf } from '../../../support/documents.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelCapabilities } from '../../../../src/channels/types.js';
import { runLinli } from '../../../../src/cli/linli-run.js';
import { EventBus } from '../../../../src/events/index.js';
import { NoticeService, type NoticeDraft } from '../../../../src/features/notices/send/notice-service.js';
import { noticeJobScheduler, startNoticeSendWorker } from '../../../../src/features/notices/send/notice-jobs.js';
import { progressTick } from '../../../../src/features/notices/send/notice-progress.js';
import type { Actor } from '../../../../src/features/policy/actor.js';
import { loadActor } from '../../../../src/features/policy/load-actor.js';
import { createLogger } from '../../../../src/log/logger.js';
import { DeliveryScheduler } from '../../../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher, PRIORITY_ALERT, PRIORITY_BULK } from '../../../../src/outbox/outbox.js';
import { createQueueBackend, type QueueBackend } from '../../../../src/queue/backend.js';
import { QueueNames } from '../../../../src/queue/names.js';
import { queueTargetFor } from '../../../support/app.js';
import { BUTTONLESS, TELEGRAM_LIKE, recordingButtons } from '../../../support/buttons.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { waitFor } from '../../../support/wait-for.js';
import { translator } from '../../tickets/scheduling/harness.js';

const at = (local: string) => new Date(`${local}+08:00`);
const OPERATOR: Actor = { kind: 'operator' };
const quietOutput = { write: () => true, isTTY: false };
// kite carries files (up to 1 MB here), paper does not: its readers get the download link.
const CAPABILITIES: Record<string, ChannelCapabilities> = { kite: { ...TELEGRAM_LIKE, edits: true, documents: true, maxDocumentBytes: 1_000_000 }, paper: BUTTONLESS };
const LINK_KEY = 'test-document-link-key';

describe.each(databaseTargets())('sending notices on %s', (target) => {
  let db: TestDatabase;
  let queues: QueueBackend;
  let outbox: OutboxDispatcher;
  let communityId: string;
  let clock = at('2026-05-04T10:00:00');
  const slug = `send-${randomBytes(4).toString('hex')}`;
  const logger = createLogger('silent');
  const sent: string[] = [];
  let service: NoticeService;
  // The lane whose courtyards hold the households with accounts, a group of that lane and its head, another group.
  let lane: { id: string; path: string };
  let group: { id: string; headId: string };
  let otherGroup: { id: string };
  let laneHouseholds: { id: string; groupId: string | null; residents: { id: string }[] }[];

  const draft = (extra: Partial<NoticeDraft>): NoticeDraft => ({ kind: 'notice', title: '停水通知', body: '明天9点到12点停水。', audience: { areaIds: [lane.id] }, via: 'both', perHousehold: true, ...extra });
  const rowsOf = async (noticeId: string) => {
    const notice = await db.prisma.notice.findUniqueOrThrow({ where: { id: noticeId }, select: { bulkSendId: true } });
    return db.prisma.outboxMessage.findMany({ where: { bulkSendId: notice.bulkSendId! }, orderBy: { seq: 'asc' } });
  };
  const actorOf = async (residentId: string) => (await loadActor(db.prisma, { residentId }, { now: clock }))!;
  const denials = (action: string) => db.prisma.auditLog.count({ where: { communityId, action, details: { path: ['denied'], equals: true } } });

  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'linli-notice-files-'));
    db = await createTestDatabase(target);
    const redisUrl = queueTargetFor(target) === 'redis' ? process.env['TEST_REDIS_URL'] : undefined;
    queues = await createQueueBackend({ ...(redisUrl ? { redisUrl } : {}), database: db, prefix: `t${randomBytes(5).toString('hex')}`, logger });
    outbox = new OutboxDispatcher(db.prisma, new DeliveryScheduler(queues, db.prisma, logger), logger);
    const seeded = await runLinli(['demo', 'seed', '--households', '60', '--seed', '5'], { env: { COMMUNITY_SLUG: slug }, stdout: quietOutput, stderr: quietOutput, database: db });
    expect(seeded).toBe(0);
    communityId = (await db.prisma.community.findUniqueOrThrow({ where: { slug } })).id;
    await db.prisma.community.update({ where: { id: communityId }, data: { timezone: 'Asia/Shanghai' } });

    // A lane (depth 2) with households in its courtyards, one of its groups with a head.
    const grouped = await db.prisma.householdGroup.findMany({ where: { communityId, headId: { not: null } }, select: { id: true, headId: true, households: { select: { area: { select: { parentId: true, depth: true, id: true } } } } } });
    const withLane = grouped.find((g) => g.households.some((h) => h.area.depth === 3))!;
    const laneId = withLane.households.find((h) => h.area.depth === 3)!.area.parentId!;
    lane = await db.prisma.area.findUniqueOrThrow({ where: { id: laneId }, select: { id: true, path: true } });
    group = { id: withLane.id, headId: withLane.headId! };
    otherGroup = grouped.find((g) => g.id !== withLane.id)!;
    laneHouseholds = await db.prisma.household.findMany({
      where: { communityId, area: { path: { startsWith: `${lane.path}/` } } },
      orderBy: { code: 'asc' },
      select: { id: true, groupId: true, residents: { orderBy: { position: 'asc' }, select: { id: true } } },
    });
    expect(laneHouseholds.length).toBeGreaterThanOrEqual(3);
    // Every member of the lane's first three households has an account (one on a channel without buttons, one in English).
    let n = 0;
    for (const household of laneHouseholds.slice(0, 3)) {
      for (const resident of household.residents) {
        n += 1;
        await db.prisma.chatAccount.create({ data: { communityId, channel: n === 2 ? 'paper' : 'kite', externalId: `p-${n}`, residentId: resident.id, boundAt: new Date(), ...(n === 1 ? { locale: 'en' } : {}) } });
      }
    }
    // The head has an account too (wherever they live), and someone outside the lane.
    await db.prisma.chatAccount.upsert({ where: { communityId_channel_externalId: { communityId, channel: 'kite', externalId: 'head' } }, create: { communityId, channel: 'kite', externalId: 'head', residentId: group.headId }, update: {} });
    const outside = await db.prisma.resident.findFirstOrThrow({ where: { communityId, household: { area: { NOT: { path: { startsWith: `${lane.path}/` } } } } }, select: { id: true } });
    await db.prisma.chatAccount.create({ data: { communityId, channel: 'kite', externalId: 'outside', residentId: outside.id } });
    // Chats: the lane's, a courtyard's, the lane group's; another area's and the staff chat are not for a lane notice.
    const courtyard = await db.prisma.area.findFirstOrThrow({ where: { parentId: lane.id } });
    await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'g-lane', purpose: 'area', targetId: lane.id } });
    await db.prisma.boundChat.create({ data: { communityId, channel: 'paper', chatId: 'g-court', purpose: 'area', targetId: courtyard.id, locale: 'en' } });
    await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'g-staff', purpose: 'staff' } });
    const elsewhere = await db.prisma.area.findFirstOrThrow({ where: { communityId, depth: 2, id: { not: lane.id } } });
    await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'g-elsewhere', purpose: 'area', targetId: elsewhere.id } });
    const laneGroupIds = [...new Set(laneHouseholds.map((h) => h.groupId).filter((id): id is string => id !== null))];
    if (laneGroupIds[0]) await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'g-group', purpose: 'household_group', targetId: laneGroupIds[0] } });

    const events = new EventBus();
    events.on('notice.sent', async (_tx, payload) => {
      sent.push(payload.noticeId);
    });
    service = new NoticeService({
      prisma: db.prisma,
      communityId,
      translator,
      buttons: recordingButtons().registry,
      events,
      outbox,
      logger,
      capabilitiesOf: (channel) => CAPABILITIES[channel],
      textLimitOf: (channel) => CAPABILITIES[channel]?.maxTextLength ?? 2000,
      documentLink: documentLinks(LINK_KEY, 'https://linli.example.org'),
      dataDir,
      schedule: noticeJobScheduler(queues.queue(QueueNames.noticeSends), () => clock),
      now: () => clock,
    });
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await queues?.close();
    await db?.close();
  });

  it('previews an area notice: one per household with an account, the chats of the lane, its courtyards and its groups', async () => {
    const preview = await service.preview(OPERATOR, { audience: { areaIds: [lane.id] }, via: 'both', perHousehold: true });
    const households = await reachedHouseholds();
    expect(preview).toMatchObject({ status: 'ok', counts: { people: households, households, chats: laneHasGroupChat() ? 3 : 2 } });
    const perPerson = await service.preview(OPERATOR, { audience: { areaIds: [lane.id] }, via: 'private', perHousehold: false });
    const people = await db.prisma.resident.count({ where: { communityId, household: { area: { path: { startsWith: `${lane.path}/` } } }, chatAccounts: { some: {} } } });
    expect(perPerson).toMatchObject({ status: 'ok', counts: { people, chats: 0 } });
  });

  /** Households of the lane with a member who has an account (the first three, and the head's if it lives there). */
  function reachedHouseholds(): Promise<number> {
    return db.prisma.household.count({ where: { communityId, area: { path: { startsWith: `${lane.path}/` } }, residents: { some: { chatAccounts: { some: {} } } } } });
  }

  function laneHasGroupChat(): boolean {
    return laneHouseholds.some((h) => h.groupId !== null);
  }

  it('reaches holders of a role, and priority households (alone: all of them; with an area: those of the area), never their group chats', async () => {
    // A liaison (a current term) and a former one (ended yesterday) among the lane's members with accounts.
    const [current, former] = await db.prisma.resident.findMany({ where: { communityId, chatAccounts: { some: {} }, household: { area: { path: { startsWith: `${lane.path}/` } } } }, orderBy: { id: 'asc' }, take: 2, select: { id: true } });
    await db.prisma.roleAssignment.create({ data: { communityId, residentId: current!.id, role: 'liaison', startsOn: new Date('2026-01-01') } });
    await db.prisma.roleAssignment.create({ data: { communityId, residentId: former!.id, role: 'liaison', startsOn: new Date('2023-01-01'), endsOn: new Date('2026-05-03T00:00:00Z') } });
    expect(await service.preview(OPERATOR, { audience: { roles: ['liaison'] }, via: 'both', perHousehold: false })).toMatchObject({ status: 'ok', counts: { people: 1, chats: 0 } });

    // Priority: one household of the lane with an account gets a flag; one outside the lane (with an account) too.
    const flagged = await db.prisma.household.findFirstOrThrow({ where: { communityId, area: { path: { startsWith: `${lane.path}/` } }, residents: { some: { chatAccounts: { some: {} } } } }, select: { id: true } });
    const outsider = await db.prisma.household.findFirstOrThrow({ where: { communityId, residents: { some: { chatAccounts: { some: { externalId: 'outside' } } } } }, select: { id: true } });
    const allFlagged = await db.prisma.household.findMany({ where: { communityId, NOT: { flags: { isEmpty: true } } }, select: { id: true } });
    await db.prisma.household.updateMany({ where: { id: { in: allFlagged.map((h) => h.id) } }, data: { flags: [] } });
    await db.prisma.household.updateMany({ where: { id: { in: [flagged.id, outsider.id] } }, data: { flags: ['elderly'] } });
    try {
      expect(await service.preview(OPERATOR, { audience: { priority: true }, via: 'both', perHousehold: true })).toMatchObject({ status: 'ok', counts: { households: 2, chats: 0 } });
      expect(await service.preview(OPERATOR, { audience: { areaIds: [lane.id], priority: true }, via: 'both', perHousehold: true })).toMatchObject({ status: 'ok', counts: { households: 1, chats: 0 } });
      // Priority households community-wide are everyone's business: a head may not.
      expect(await service.preview(await actorOf(group.headId), { audience: { priority: true }, via: 'private', perHousehold: true })).toMatchObject({ status: 'denied' });
    } finally {
      await db.prisma.household.updateMany({ where: { id: { in: [flagged.id, outsider.id] } }, data: { flags: [] } });
      for (const h of allFlagged) await db.prisma.household.update({ where: { id: h.id }, data: { flags: ['elderly'] } });
    }
  });

  it('reaches the members of a saved audience, saved by whoever may send to it', async () => {
    expect(await service.saveAudience(await actorOf(group.headId), 'lane', { areaIds: [lane.id] })).toMatchObject({ status: 'denied' });
    const saved = await service.saveAudience(OPERATOR, 'lane', { areaIds: [lane.id] });
    if (saved.status !== 'saved') throw new Error('not saved');
    expect(await service.savedAudiences()).toEqual([{ id: saved.id, name: 'lane', audience: { areaIds: [lane.id] } }]);
    const direct = await service.preview(OPERATOR, { audience: { areaIds: [lane.id] }, via: 'both', perHousehold: true });
    expect(await service.preview(OPERATOR, { audience: { savedAudienceId: saved.id }, via: 'both', perHousehold: true })).toEqual(direct);
    expect(await service.preview(OPERATOR, { audience: { savedAudienceId: 'none' }, via: 'both', perHousehold: true })).toEqual({ status: 'not_found' });
  });

  it('sends it at once in the daytime: numbered, each household once in its language, each chat once, notice.sent published', async () => {
    const created = await service.create(OPERATOR, draft({ versions: { en: { title: 'Water off', body: 'Tomorrow 9 to 12.' } } }));
    expect(created).toMatchObject({ status: 'created', number: 'TZ-2026-00001' });
    if (created.status !== 'created') return;
    const confirmed = await service.confirm(OPERATOR, created.noticeId);
    expect(confirmed).toMatchObject({ status: 'sent', number: 'TZ-2026-00001' });
    const rows = await rowsOf(created.noticeId);
    const chats = rows.map((r) => r.chatId);
    expect(new Set(chats).size).toBe(chats.length);
    expect(chats).toEqual(expect.arrayContaining(['p-1', 'g-lane', 'g-court']));
    expect(chats).not.toContain('outside');
    expect(chats).not.toContain('g-staff');
    expect(chats).not.toContain('g-elsewhere');
    expect(rows.filter((r) => r.chatAccountId !== null)).toHaveLength(await reachedHouseholds());
    expect(rows.every((r) => r.priority === PRIORITY_BULK)).toBe(true);
    const text = (chatId: string) => (rows.find((r) => r.chatId === chatId)!.payload as { text: string }).text;
    expect(text('p-1')).toContain('Water off');
    expect(text('g-court')).toContain('Tomorrow 9 to 12.');
    expect(text('g-lane')).toContain('TZ-2026-00001');
    expect(text('g-lane')).toContain('停水通知');
    expect(sent).toContain(created.noticeId);
    // Confirming again sends nothing more.
    expect(await service.confirm(OPERATOR, created.noticeId)).toMatchObject({ status: 'already' });
    expect(await rowsOf(created.noticeId)).toHaveLength(rows.length);
  });

  it('sends its file as a file where the channel carries files and as a signed link where not; refuses a file that is not ours', async () => {
    const pdf = samplePdf();
    const ref = await storeDocument(dataDir, pdf, 'application/pdf');
    const created = await service.create(OPERATOR, draft({ title: '缴费通知', attachment: { ref, name: '缴费标准.pdf' } }));
    expect(created.status).toBe('created');
    if (created.status !== 'created') return;
    expect((await db.prisma.notice.findUniqueOrThrow({ where: { id: created.noticeId } })).attachment).toEqual({ ref, name: '缴费标准.pdf', mime: 'application/pdf', bytes: pdf.length });
    await service.confirm(OPERATOR, created.noticeId);
    const rows = await rowsOf(created.noticeId);
    const payload = (row: (typeof rows)[number]) => row.payload as { text: string; document?: { ref: string; name: string } };
    const kite = rows.filter((row) => row.channel === 'kite');
    const paper = rows.filter((row) => row.channel === 'paper');
    expect(kite.length).toBeGreaterThan(0);
    expect(paper.length).toBeGreaterThan(0);
    // The file rides with the text on kite (the row holds the reference, not the bytes).
    for (const row of kite) expect(payload(row)).toMatchObject({ text: expect.stringContaining('缴费通知'), document: { ref, name: '缴费标准.pdf' } });
    // On paper the text says where to get it: an address signed for this file and name.
    const link = documentLinkPath(LINK_KEY, ref, '缴费标准.pdf')!;
    for (const row of paper) {
      expect(payload(row).document).toBeUndefined();
      expect(payload(row).text).toContain('缴费标准.pdf');
      expect(payload(row).text).toContain(`https://linli.example.org${link}`);
    }

    // A file that is not one of ours, or gone from the disk, is no attachment.
    expect(await service.create(OPERATOR, draft({ attachment: { ref: '../../etc/passwd', name: 'x.pdf' } }))).toEqual({ status: 'invalid', problem: 'attachment' });
    expect(await service.create(OPERATOR, draft({ attachment: { ref: 'files/0123456789abcdef0123456789abcdef.pdf', name: 'x.pdf' } }))).toEqual({ status: 'invalid', problem: 'attachment' });
    expect(await service.create(OPERATOR, draft({ attachment: { ref, name: '../x.pdf' } }))).toEqual({ status: 'invalid', problem: 'attachment' });
  });

  it('a file over what a channel takes goes there as a link', async () => {
    const big = Buffer.concat([samplePdf(), Buffer.alloc(1_000_001, 0x20)]);
    const ref = await storeDocument(dataDir, big, 'application/pdf');
    const created = await service.create(OPERATOR, draft({ title: '大文件', attachment: { ref, name: '图纸.pdf' } }));
    if (created.status !== 'created') throw new Error(created.status);
    await service.confirm(OPERATOR, created.noticeId);
    const rows = (await rowsOf(created.noticeId)).filter((row) => row.channel === 'kite');
    expect(rows.every((row) => (row.payload as { document?: unknown }).document === undefined)).toBe(true);
    expect((rows[0]!.payload as { text: string }).text).toContain(documentLinkPath(LINK_KEY, ref, '图纸.pdf')!);
  });

  it('lets a group head send to their own group only: another group, an area or everyone is refused and audited', async () => {
    const head = await actorOf(group.headId);
    expect(await service.preview(head, { audience: { groupIds: [group.id] }, via: 'private', perHousehold: true })).toMatchObject({ status: 'ok' });
    const before = await denials('notice.send_group');
    expect(await service.create(head, draft({ audience: { groupIds: [otherGroup.id] } }))).toEqual({ status: 'denied', reason: 'not_your_group' });
    expect(await service.create(head, draft({ audience: { groupIds: [group.id, otherGroup.id] } }))).toEqual({ status: 'denied', reason: 'not_your_group' });
    expect(await denials('notice.send_group')).toBe(before + 2);
    expect(await service.create(head, draft({ audience: { areaIds: [lane.id] } }))).toMatchObject({ status: 'denied' });
    expect(await service.create(head, draft({ audience: { everyone: true } }))).toMatchObject({ status: 'denied' });
    // An id that is no group of this community (an edited form) is refused and audited too.
    expect(await service.create(head, draft({ audience: { groupIds: ['no-such-group'] } }))).toEqual({ status: 'denied', reason: 'unknown_target' });
    expect(await denials('notice.send_group')).toBe(before + 3);
    // Confirming someone else's draft for the lane is refused as well.
    const lanes = await service.create(OPERATOR, draft({}));
    if (lanes.status !== 'created') throw new Error('not created');
    expect(await service.confirm(head, lanes.noticeId)).toMatchObject({ status: 'denied' });
    expect(await db.prisma.notice.findUniqueOrThrow({ where: { id: lanes.noticeId } })).toMatchObject({ status: 'draft' });
    const own = await service.create(head, draft({ audience: { groupIds: [group.id] } }));
    expect(own).toMatchObject({ status: 'created' });
  });

  it('holds a notice confirmed at 23:00 until 07:00, then its job sends it once', async () => {
    clock = at('2026-05-04T23:00:00');
    const created = await service.create(OPERATOR, draft({ title: '夜间通知' }));
    if (created.status !== 'created') throw new Error('not created');
    const confirmed = await service.confirm(OPERATOR, created.noticeId);
    expect(confirmed).toMatchObject({ status: 'held', until: at('2026-05-05T07:00:00') });
    expect(await db.prisma.notice.findUniqueOrThrow({ where: { id: created.noticeId } })).toMatchObject({ status: 'held', bulkSendId: null });
    // At 06:59 the job is early: nothing goes.
    clock = at('2026-05-05T06:59:00');
    expect(await service.sendDue(created.noticeId, at('2026-05-05T07:00:00'))).toBe('early');
    // The delayed job, at 07:00 on the fake clock.
    clock = at('2026-05-05T07:00:00');
    const queue = queues.queue(QueueNames.noticeSends);
    const worker = startNoticeSendWorker(queues, service);
    try {
      const job = await queue.getJob(`notice-${created.noticeId}-t${at('2026-05-05T07:00:00').getTime()}`);
      expect(job).toBeTruthy();
      await job!.promote();
      await waitFor(async () => (await db.prisma.notice.findUniqueOrThrow({ where: { id: created.noticeId } })).status === 'sent', 'the held notice sent by its job');
    } finally {
      await worker.close();
    }
    const rows = await rowsOf(created.noticeId);
    expect(rows.length).toBeGreaterThan(0);
    // The job again (a restart, a second worker): nothing more.
    expect(await service.sendDue(created.noticeId, at('2026-05-05T07:00:00'))).toBe('stale');
    expect(await rowsOf(created.noticeId)).toHaveLength(rows.length);
  });

  it('a notice scheduled for a time in quiet hours is held again to their end when that time comes', async () => {
    clock = at('2026-05-05T10:00:00');
    const created = await service.create(OPERATOR, draft({ sendAt: at('2026-05-05T18:00:00') }));
    if (created.status !== 'created') throw new Error('not created');
    expect(await service.confirm(OPERATOR, created.noticeId)).toMatchObject({ status: 'scheduled', sendAt: at('2026-05-05T18:00:00') });
    // Quiet hours moved meanwhile (17:00–08:00): at 18:00 it waits for 08:00.
    await db.prisma.community.update({ where: { id: communityId }, data: { noticeSettings: { quietHours: { from: '17:00', to: '08:00' } } } });
    clock = at('2026-05-05T18:00:00');
    expect(await service.sendDue(created.noticeId, at('2026-05-05T18:00:00'))).toBe('held');
    expect(await db.prisma.notice.findUniqueOrThrow({ where: { id: created.noticeId } })).toMatchObject({ status: 'held', sendAt: at('2026-05-06T08:00:00') });
    clock = at('2026-05-06T08:00:00');
    expect(await service.sendDue(created.noticeId, at('2026-05-06T08:00:00'))).toBe('sent');
    await db.prisma.community.update({ where: { id: communityId }, data: { noticeSettings: {} } });
  });

  it('sends an alert at 23:00 at once, ahead of other bulk sends, with its answer buttons (numbered lines where there are none)', async () => {
    clock = at('2026-05-06T23:00:00');
    const created = await service.create(OPERATOR, draft({ kind: 'alert', title: '燃气泄漏', body: '请立即开窗。', perHousehold: false }));
    if (created.status !== 'created') throw new Error('not created');
    expect(await service.confirm(OPERATOR, created.noticeId)).toMatchObject({ status: 'sent' });
    const rows = await rowsOf(created.noticeId);
    expect(rows.every((r) => r.priority === PRIORITY_ALERT)).toBe(true);
    const kite = rows.find((r) => r.channel === 'kite' && r.chatAccountId !== null && r.chatId !== 'p-1')!.payload as { text: string; choices?: { label: string; data: string }[] };
    expect(kite.choices?.map((c) => c.label)).toEqual(['✅收到/平安', '🆘需要帮助']);
    expect(kite.choices?.[0]?.data.startsWith('n|')).toBe(true);
    const paper = rows.find((r) => r.chatId === 'p-2')!;
    const paperPayload = paper.payload as { text: string; choices?: unknown[] };
    expect(paperPayload.choices ?? []).toHaveLength(0);
    expect(paperPayload.text).toContain('1.');
    // The number presses the answer: the buttons are kept for that private chat.
    const kept = await db.prisma.numberedActions.findUnique({ where: { chatAccountId: paper.chatAccountId! } });
    expect(kept).toBeTruthy();
    // A group without buttons: no numbers nobody could press there (its members answer privately).
    const room = rows.find((r) => r.chatId === 'g-court')!.payload as { text: string; choices?: unknown[] };
    expect(room.text).toContain('燃气泄漏');
    expect(room.text).not.toContain('1.');
    // A group with buttons carries them: anyone there may answer for their own household.
    expect((rows.find((r) => r.chatId === 'g-lane')!.payload as { choices?: unknown[] }).choices).toHaveLength(2);
  });

  it('reports per chat and retries the failures, not the unreachable unless they came back', async () => {
    clock = at('2026-05-07T10:00:00');
    const created = await service.create(OPERATOR, draft({}));
    if (created.status !== 'created') throw new Error('not created');
    await service.confirm(OPERATOR, created.noticeId);
    const rows = await rowsOf(created.noticeId);
    // Delivery's outcomes, as its workers record them.
    const [a, b, c, ...rest] = rows;
    await db.prisma.outboxMessage.updateMany({ where: { id: { in: rest.map((r) => r.id) } }, data: { status: 'sent' } });
    await db.prisma.outboxMessage.update({ where: { id: a!.id }, data: { status: 'failed', failureKind: 'rejected' } });
    await db.prisma.outboxMessage.update({ where: { id: b!.id }, data: { status: 'failed', failureKind: 'unreachable' } });
    await db.prisma.outboxMessage.update({ where: { id: c!.id }, data: { status: 'failed', failureKind: 'exhausted' } });
    if (b!.chatAccountId) await db.prisma.chatAccount.update({ where: { id: b!.chatAccountId }, data: { unreachableAt: new Date() } });
    expect(await service.report(await actorOf(group.headId), created.noticeId)).toMatchObject({ status: 'denied' });
    expect((await service.report(OPERATOR, created.noticeId)) as { report: unknown }).toHaveProperty('report');
    expect(((await service.report(OPERATOR, created.noticeId)) as { report: unknown }).report).toMatchObject({ total: rows.length, delivered: rest.length, unreachable: 1, failed: { rejected: 1, exhausted: 1, no_channel: 0 }, pending: 0, done: true });

    const retried = await service.retryFailures(OPERATOR, created.noticeId);
    expect(retried).toMatchObject({ status: 'retried', count: 2 });
    expect((await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: b!.id } })).status).toBe('failed');
    // The unreachable one wrote to the bot again: the next retry includes it.
    if (b!.chatAccountId) {
      await db.prisma.chatAccount.update({ where: { id: b!.chatAccountId }, data: { unreachableAt: null } });
      expect(await service.retryFailures(OPERATOR, created.noticeId)).toMatchObject({ status: 'retried', count: 1 });
    }
    // A head cannot retry the lane's notice.
    expect(await service.retryFailures(await actorOf(group.headId), created.noticeId)).toMatchObject({ status: 'denied' });
  });
  describe("the sender's status message", () => {
    const progressDeps = () => ({ prisma: db.prisma, translator, buttons: recordingButtons().registry, capabilitiesOf: (channel: string) => CAPABILITIES[channel], outbox: { dispatch: async () => {} }, logger, now: () => clock });
    const statusRows = (channel: string, chatId: string) => db.prisma.outboxMessage.findMany({ where: { channel, chatId }, orderBy: { seq: 'asc' } });
    const sendWithStatus = async (channel: string, chatId: string) => {
      clock = at('2026-05-08T10:00:00');
      const created = await service.create(OPERATOR, draft({}));
      if (created.status !== 'created') throw new Error('not created');
      await service.confirm(OPERATOR, created.noticeId, { statusChat: { channel, chatId, chatAccountId: null, locale: 'zh-CN' } });
      return { noticeId: created.noticeId, rows: (await rowsOf(created.noticeId)).map((r) => r.id) };
    };
    const deliver = (ids: string[]) => db.prisma.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { status: 'sent', externalMessageId: '1' } });

    it('where the channel cannot edit: a new message at 25, 50 and 75 %, then the report — never one per recipient', async () => {
      const { noticeId, rows } = await sendWithStatus('paper', 'sender-paper');
      expect((await statusRows('paper', 'sender-paper')).map((r) => (r.payload as { text: string }).text)).toEqual([expect.stringContaining('已发送0 / ')]);
      // One message per chat here: the share delivered is the share of rows.
      const n = rows.length;
      expect(n).toBeGreaterThanOrEqual(5);
      const steps: [number, number][] = [[1, 1], [Math.ceil(n * 0.25), 2], [Math.ceil(n * 0.25), 2], [Math.ceil(n * 0.5), 3], [Math.ceil(n * 0.75), 4], [n - 1, 4]];
      for (const [upTo, expected] of steps) {
        await deliver(rows.slice(0, upTo));
        await progressTick(progressDeps(), noticeId);
        expect(await statusRows('paper', 'sender-paper'), `after ${upTo} of ${n} delivered`).toHaveLength(expected);
      }
      await deliver(rows);
      expect(await progressTick(progressDeps(), noticeId)).toBe('done');
      const texts = (await statusRows('paper', 'sender-paper')).map((r) => (r.payload as { text: string }).text);
      expect(texts.at(-1)).toContain('发送完毕');
      expect(await progressTick(progressDeps(), noticeId)).toBe('none');
    });

    it('where the channel edits: each look edits the one status message, once the previous edit is out', async () => {
      const { noticeId, rows } = await sendWithStatus('kite', 'sender-kite');
      const [first] = await statusRows('kite', 'sender-kite');
      // The status message is not out yet: nothing to edit.
      expect(await progressTick(progressDeps(), noticeId)).toBe('continue');
      expect(await statusRows('kite', 'sender-kite')).toHaveLength(1);
      await db.prisma.outboxMessage.update({ where: { id: first!.id }, data: { status: 'sent', externalMessageId: '777' } });
      await deliver(rows.slice(0, 1));
      await progressTick(progressDeps(), noticeId);
      const [, edit] = await statusRows('kite', 'sender-kite');
      expect(edit!.payload).toMatchObject({ editOf: '777', text: expect.stringContaining('已发送1 / ') });
      // The edit is still on its way: the next look waits for it.
      await progressTick(progressDeps(), noticeId);
      expect(await statusRows('kite', 'sender-kite')).toHaveLength(2);
      await db.prisma.outboxMessage.update({ where: { id: edit!.id }, data: { status: 'sent', externalMessageId: '777' } });
      await deliver(rows);
      expect(await progressTick(progressDeps(), noticeId)).toBe('done');
      const last = (await statusRows('kite', 'sender-kite')).at(-1)!;
      expect(last.payload).toMatchObject({ editOf: '777', text: expect.stringContaining('发送完毕') });
    });
  });
});
