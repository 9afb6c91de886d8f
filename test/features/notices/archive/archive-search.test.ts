/**
 * The notices archive on a real database (PGlite, and PostgreSQL when configured), on a demo
 * community: residents' own questions find the right notice first ("什么时候停水？" the water cut,
 * "停电" the power cut and never the water cut, English words the English notices); a visitor
 * never sees a notice for one group or area, the group's and the area's residents do; a plain
 * notice leaves the archive exactly `archiveDays` after it was sent, a disclosure never does; a
 * person reads the version in their language.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../../../src/cli/linli-run.js';
import type { Prisma } from '../../../../src/db/prisma-types.js';
import { listArchive, loadArchivedNotice, searchNotices, type ArchiveScope } from '../../../../src/features/notices/archive/archive-query.js';
import { archiveViewerOfAccount, publicViewer, wholeCommunityViewer, type ArchiveViewer } from '../../../../src/features/notices/archive/archive-viewer.js';
import { noticeSearchText } from '../../../../src/features/notices/archive/notice-search-text.js';
import { indexSentNotice } from '../../../../src/features/notices/archive/search-text-listener.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { SAMPLE_NOTICES, SAMPLE_QUESTIONS } from './community-notices.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-07T04:00:00Z');
const quietOutput = { write: () => true, isTTY: false };
const PAGE = { offset: 0, limit: 50 };

describe.each(databaseTargets())('the notices archive on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  const ids = new Map<string, string>();
  let seq = 0;
  let groupMember: ArchiveViewer;
  let otherGroupMember: ArchiveViewer;
  let groupId: string;
  let zoneId: string;
  const scope = (viewer: ArchiveViewer, archiveDays: number | null = 365, now = NOW): ArchiveScope => ({ viewer, now, archiveDays });

  async function addNotice(fields: { key: string; kind?: string; title: string; body: string; locale?: string; versions?: Prisma.InputJsonValue; audience: Prisma.InputJsonValue; sentAt: Date; expiresAt?: Date }) {
    seq += 1;
    const notice = await db.prisma.notice.create({
      data: {
        communityId,
        number: `TZ-2026-${String(seq).padStart(5, '0')}`,
        kind: fields.kind ?? 'notice',
        locale: fields.locale ?? 'zh-CN',
        title: fields.title,
        body: fields.body,
        versions: fields.versions ?? {},
        audience: fields.audience,
        status: 'sent',
        sentAt: fields.sentAt,
        expiresAt: fields.expiresAt ?? null,
        searchText: noticeSearchText({ title: fields.title, body: fields.body, versions: fields.versions }),
      },
    });
    ids.set(fields.key, notice.id);
    return notice.id;
  }

  async function viewerOfResident(residentId: string, at = NOW): Promise<ArchiveViewer> {
    const account = await db.prisma.chatAccount.create({ data: { communityId, channel: 'web', externalId: `w-${randomBytes(4).toString('hex')}`, residentId } });
    return (await archiveViewerOfAccount(db.prisma, account.id, communityId, at))!;
  }

  beforeAll(async () => {
    db = await createTestDatabase(target);
    const slug = `arch-${randomBytes(4).toString('hex')}`;
    expect(await runLinli(['demo', 'seed', '--households', '40', '--seed', '5'], { env: { COMMUNITY_SLUG: slug }, stdout: quietOutput, stderr: quietOutput, database: db })).toBe(0);
    communityId = (await db.prisma.community.findUniqueOrThrow({ where: { slug } })).id;
    // The first of the list is the newest: one an hour back from now.
    for (const [index, notice] of SAMPLE_NOTICES.entries()) {
      await addNotice({ ...notice, audience: { everyone: true }, sentAt: new Date(NOW.getTime() - (index + 1) * 3_600_000), ...(notice.versions ? { versions: notice.versions } : {}) });
    }
    const groups = await db.prisma.householdGroup.findMany({ where: { communityId }, orderBy: { code: 'asc' }, take: 2, select: { id: true, households: { take: 1, select: { residents: { take: 1, select: { id: true } } } } } });
    groupId = groups[0]!.id;
    groupMember = await viewerOfResident(groups[0]!.households[0]!.residents[0]!.id);
    otherGroupMember = await viewerOfResident(groups[1]!.households[0]!.residents[0]!.id);
    zoneId = groupMember.areaIds.at(-1)!;
  });
  afterAll(() => db?.close());

  it.each(SAMPLE_QUESTIONS)('"$query" finds its notice first', async ({ query, first, never }) => {
    const found = await searchNotices(db.prisma, scope(publicViewer(communityId)), query, PAGE, 'zh-CN');
    expect(found.items[0]?.id).toBe(ids.get(first));
    for (const key of never ?? []) expect(found.items.map((item) => item.id)).not.toContain(ids.get(key));
  });

  it('"停电" lists the power cut and nothing about water', async () => {
    const found = await searchNotices(db.prisma, scope(publicViewer(communityId)), '停电', PAGE, 'zh-CN');
    expect(found.items.map((item) => item.id)).toEqual([ids.get('power_cut')]);
  });

  it('a question of question words only lists the latest, newest first', async () => {
    const found = await searchNotices(db.prisma, scope(publicViewer(communityId)), '什么时候？', { offset: 0, limit: 3 }, 'zh-CN');
    expect(found.items.map((item) => item.id)).toEqual(['water_cut', 'power_cut', 'heating'].map((key) => ids.get(key)));
  });

  it('a visitor never sees a notice for one group; its members do, another group does not', async () => {
    await addNotice({ key: 'group_only', title: '十户联包小组停水应急演练', body: '本组住户周六上午演练停水应急预案。', audience: { groupIds: [groupId] }, sentAt: new Date(NOW.getTime() - 60_000) });
    const visitor = publicViewer(communityId);
    const groupNotice = ids.get('group_only')!;
    expect((await listArchive(db.prisma, scope(visitor), PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(groupNotice);
    expect((await searchNotices(db.prisma, scope(visitor), '演练', PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(groupNotice);
    expect(await loadArchivedNotice(db.prisma, scope(visitor), groupNotice, 'zh-CN')).toBeNull();
    expect((await listArchive(db.prisma, scope(groupMember), PAGE, 'zh-CN')).items[0]?.id).toBe(groupNotice);
    expect((await searchNotices(db.prisma, scope(groupMember), '应急演练', PAGE, 'zh-CN')).items[0]?.id).toBe(groupNotice);
    expect((await listArchive(db.prisma, scope(otherGroupMember), PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(groupNotice);
    // A staff list reads the whole community's (its caller checked the policy).
    expect((await listArchive(db.prisma, scope(wholeCommunityViewer(communityId)), PAGE, 'zh-CN')).items[0]?.id).toBe(groupNotice);
  });

  it('a notice to a zone reaches the homes in its lanes and courtyards', async () => {
    const zoneNotice = await addNotice({ key: 'zone', title: '片区自来水管网检修', body: '检修期间水压偏低。', audience: { areaIds: [zoneId] }, sentAt: new Date(NOW.getTime() - 30_000) });
    expect((await listArchive(db.prisma, scope(groupMember), PAGE, 'zh-CN')).items[0]?.id).toBe(zoneNotice);
    expect((await listArchive(db.prisma, scope(publicViewer(communityId)), PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(zoneNotice);
  });

  it('a notice for a role reaches who holds it; one for priority households only the homes with a flag', async () => {
    const committee = await db.prisma.roleAssignment.findFirstOrThrow({ where: { communityId, role: 'committee' }, select: { residentId: true } });
    // The seeded terms begin when the seed ran: the member is read, and reads, as of now.
    const now = new Date();
    const member = await viewerOfResident(committee.residentId, now);
    const forCommittee = await addNotice({ key: 'committee_only', title: '居委会内部工作安排', body: '本周值班表。', audience: { roles: ['committee'] }, sentAt: new Date(NOW.getTime() - 20_000) });
    expect((await listArchive(db.prisma, scope(member, 365, now), PAGE, 'zh-CN')).items.map((i) => i.id)).toContain(forCommittee);
    expect((await listArchive(db.prisma, scope(groupMember), PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(forCommittee);

    const homes = await db.prisma.household.findMany({ where: { communityId }, select: { flags: true, residents: { take: 1, select: { id: true } } } });
    const flagged = homes.find((h) => h.flags.length > 0 && h.residents.length > 0)!;
    const plain = homes.find((h) => h.flags.length === 0 && h.residents.length > 0)!;
    const zone = (await viewerOfResident(flagged.residents[0]!.id)).areaIds.at(-1)!;
    const plainViewer = await viewerOfResident(plain.residents[0]!.id);
    const forPriority = await addNotice({ key: 'priority_only', title: '困难家庭冬季慰问', body: '社区将上门走访。', audience: { areaIds: [zone, plainViewer.areaIds.at(-1)!], priority: true }, sentAt: new Date(NOW.getTime() - 10_000) });
    expect((await listArchive(db.prisma, scope(await viewerOfResident(flagged.residents[0]!.id)), PAGE, 'zh-CN')).items.map((i) => i.id)).toContain(forPriority);
    expect((await listArchive(db.prisma, scope(plainViewer), PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(forPriority);
    // Priority households of the whole community: neither a plain home nor a visitor.
    const everyPriority = await addNotice({ key: 'priority_everyone', title: '高龄老人体检上门', body: '医生上门体检。', audience: { everyone: true, priority: true }, sentAt: new Date(NOW.getTime() - 9_000) });
    expect((await listArchive(db.prisma, scope(await viewerOfResident(flagged.residents[0]!.id)), PAGE, 'zh-CN')).items.map((i) => i.id)).toContain(everyPriority);
    expect((await listArchive(db.prisma, scope(plainViewer), PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(everyPriority);
    expect((await listArchive(db.prisma, scope(publicViewer(communityId)), PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(everyPriority);
  });

  it('a notice to a saved audience reaches the people it lists and the groups it names', async () => {
    const listed = await db.prisma.savedAudience.create({ data: { communityId, name: '供暖小组', audience: { residentIds: [groupMember.residentId!] } } });
    const byGroup = await db.prisma.savedAudience.create({ data: { communityId, name: '一组', audience: { groupIds: [otherGroupMember.groupIds[0]!] } } });
    const toListed = await addNotice({ key: 'saved_listed', title: '供暖小组碰头会', body: '周三晚上碰头。', audience: { savedAudienceId: listed.id }, sentAt: new Date(NOW.getTime() - 5_000) });
    const toGroup = await addNotice({ key: 'saved_group', title: '一组清扫积雪', body: '周四早上清扫。', audience: { savedAudienceId: byGroup.id }, sentAt: new Date(NOW.getTime() - 4_000) });
    const read = async (viewer: ArchiveViewer) => (await listArchive(db.prisma, scope(viewer), PAGE, 'zh-CN')).items.map((i) => i.id);
    expect(await read(groupMember)).toContain(toListed);
    expect(await read(groupMember)).not.toContain(toGroup);
    expect(await read(otherGroupMember)).toContain(toGroup);
    expect(await read(otherGroupMember)).not.toContain(toListed);
    expect(await read(publicViewer(communityId))).not.toContain(toListed);
  });

  it('a plain notice leaves the archive exactly archiveDays after it was sent; a disclosure never does', async () => {
    const days = 30;
    const sentAt = new Date(NOW.getTime() - 400 * DAY);
    const plain = await addNotice({ key: 'old_plain', title: '旧的普通通知', body: '过期测试', audience: { everyone: true }, sentAt });
    const disclosure = await addNotice({ key: 'old_disclosure', kind: 'disclosure', title: '【居务公开】旧账目', body: '过期测试', audience: { everyone: true }, sentAt });
    const viewer = publicViewer(communityId);
    const at = (ms: number) => new Date(sentAt.getTime() + ms);
    const inList = async (now: Date) => (await searchNotices(db.prisma, scope(viewer, days, now), '过期测试', PAGE, 'zh-CN')).items.map((i) => i.id);
    expect(await inList(at(days * DAY - 1))).toEqual(expect.arrayContaining([plain, disclosure]));
    expect(await inList(at(days * DAY))).toEqual([disclosure]);
    expect(await loadArchivedNotice(db.prisma, scope(viewer, days, at(days * DAY)), plain, 'zh-CN')).toBeNull();
    expect(await inList(at(3650 * DAY))).toEqual([disclosure]);
    // archiveDays null: plain notices stay too; a notice's own earlier expiry still ends it.
    const forever = await searchNotices(db.prisma, scope(viewer, null, at(3650 * DAY)), '过期测试', PAGE, 'zh-CN');
    expect(forever.items.map((i) => i.id)).toEqual(expect.arrayContaining([plain, disclosure]));
    const ending = await addNotice({ key: 'own_expiry', title: '自带期限的通知', body: '期限测试', audience: { everyone: true }, sentAt: NOW, expiresAt: new Date(NOW.getTime() + DAY) });
    expect(await loadArchivedNotice(db.prisma, scope(viewer, days, new Date(NOW.getTime() + DAY - 1)), ending, 'zh-CN')).not.toBeNull();
    expect(await loadArchivedNotice(db.prisma, scope(viewer, days, new Date(NOW.getTime() + DAY)), ending, 'zh-CN')).toBeNull();
  });

  it('a person reads the version in their language, and English words find it', async () => {
    const found = await searchNotices(db.prisma, scope(publicViewer(communityId)), 'party', PAGE, 'en');
    expect(found.items[0]).toMatchObject({ id: ids.get('festival'), title: 'New Year party' });
    const zh = await loadArchivedNotice(db.prisma, scope(publicViewer(communityId)), ids.get('festival')!, 'zh-CN');
    expect(zh).toMatchObject({ title: '元旦联欢会' });
    const en = await loadArchivedNotice(db.prisma, scope(publicViewer(communityId)), ids.get('festival')!, 'en');
    expect(en?.body).toContain('New Year party is held');
  });

  it('a notice sent without its search text is searchable once notice.sent is heard', async () => {
    const id = await addNotice({ key: 'unindexed', title: 'Lift inspection', body: 'Lane 7 lift stops on Monday.', versions: { 'zh-CN': { title: '电梯年检', body: '七巷电梯周一停运。' } }, locale: 'en', audience: { everyone: true }, sentAt: NOW });
    await db.prisma.notice.update({ where: { id }, data: { searchText: '' } });
    const viewer = publicViewer(communityId);
    expect((await searchNotices(db.prisma, scope(viewer), '电梯年检', PAGE, 'zh-CN')).items.map((i) => i.id)).not.toContain(id);
    await db.prisma.$transaction((tx) => indexSentNotice(tx, id));
    expect((await searchNotices(db.prisma, scope(viewer), '电梯年检', PAGE, 'zh-CN')).items[0]).toMatchObject({ id, title: '电梯年检' });
    expect((await searchNotices(db.prisma, scope(viewer), 'lift', PAGE, 'en')).items[0]).toMatchObject({ id, title: 'Lift inspection' });
  });

  it('pages the latest newest first with the total', async () => {
    const first = await listArchive(db.prisma, scope(publicViewer(communityId)), { offset: 0, limit: 5 }, 'zh-CN');
    const second = await listArchive(db.prisma, scope(publicViewer(communityId)), { offset: 5, limit: 5 }, 'zh-CN');
    expect(first.items).toHaveLength(5);
    expect(second.items[0]!.sentAt.getTime()).toBeLessThan(first.items[4]!.sentAt.getTime());
    expect(first.total).toBe(second.total);
  });
});
