/**
 * The minutes as a PDF from a sitting run through the floor's services on a real database: a
 * valid A4 document with the system's Chinese font embedded as a subset (small), read back
 * through its ToUnicode maps — header in the community's time zone, agenda, attendance running
 * onto a second page with its header row again, an open ballot with names, a secret one without,
 * the evaluation, page numbers — marked not final until the sitting closes; in English for an
 * English reader; and no document at all, but `no_font`, where no CJK font is installed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionWithAfterCommit } from '../../../src/db/after-commit.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { checkIn, openCheckIn } from '../../../src/features/meetings/floor/service/check-in.js';
import { closeMeeting } from '../../../src/features/meetings/floor/service/close-meeting.js';
import { answerPoll, closePoll, openPoll } from '../../../src/features/meetings/floor/service/evaluation-polls.js';
import type { FloorDeps } from '../../../src/features/meetings/floor/service/floor-deps.js';
import { findMeeting, type FloorMeeting } from '../../../src/features/meetings/floor/service/meeting-lookup.js';
import { addMotion, castVote, closeVote, findMotion, openVote } from '../../../src/features/meetings/floor/service/motions.js';
import { loadMinutes, type Minutes } from '../../../src/features/meetings/floor/minutes/load-minutes.js';
import { findCjkFont, minutesPdf } from '../../../src/features/meetings/floor/minutes/minutes-pdf.js';
import { ChatStaffAlerts } from '../../../src/features/tickets/scheduling/staff-alerts.js';
import type { Vars } from '../../../src/i18n/translator.js';
import { seedCommunity } from '../../support/community.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { createMeeting, createRepresentatives } from '../../support/meetings.js';
import { readPdf } from '../../support/pdf-text.js';
import { translator } from '../tickets/scheduling/harness.js';

const ZONE = 'Asia/Shanghai';
/** Shanghai keeps UTC+8 all year: the wall clock there, as the minutes print it. */
const shanghai = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const zh = (key: string, vars?: Vars) => translator.t('zh-CN', key, vars);
const en = (key: string, vars?: Vars) => translator.t('en', key, vars);

describe.skipIf(!findCjkFont()).each(databaseTargets())('the minutes as a PDF on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  let NOW: Date;
  let deps: FloorDeps;
  let chair: Actor;
  let meeting: FloorMeeting;
  let reps: string[];
  const minutes = async (): Promise<Minutes> => {
    const loaded = await db.prisma.$transaction((tx) => loadMinutes(tx, meeting, chair, NOW));
    if (loaded.status !== 'ok') throw new Error(`minutes refused: ${loaded.reason}`);
    return loaded.minutes;
  };
  const pdfOf = async (t = zh) => {
    const made = await minutesPdf(await minutes(), t, { timezone: ZONE, communityName: '幸福里社区', now: NOW });
    if (made.status !== 'ok') throw new Error('no font');
    return made;
  };

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma, { timezone: ZONE })).id;
    NOW = new Date();
    deps = { translator, staffAlerts: new ChatStaffAlerts({ now: () => NOW }), ballotKey: 'test-ballot-key', now: () => NOW };
    const chairId = (await db.prisma.resident.create({ data: { communityId, name: '李主任' } })).id;
    await db.prisma.roleAssignment.create({ data: { communityId, residentId: chairId, role: 'committee', startsOn: new Date(NOW.getTime() - 86_400_000) } });
    chair = (await loadActor(db.prisma, { residentId: chairId }, { now: new Date(NOW.getTime() + 1000) }))!;
    // Thirty representatives: the attendance table does not fit on the first page.
    reps = await createRepresentatives(db.prisma, communityId, ['周代表', '吴代表', '郑代表', ...Array.from({ length: 27 }, (_, i) => `代表${i + 4}号`)]);
    const made = await createMeeting(db.prisma, communityId, {
      startsAt: new Date(NOW.getTime() - 10 * 60_000),
      invitees: reps,
      title: '第三季度居民代表大会',
      agenda: [{ text: '车棚修缮' }, { text: '评议居委会工作' }],
    });
    await db.prisma.meeting.update({ where: { id: made.id }, data: { place: '社区活动中心二楼' } });
    meeting = (await findMeeting(db.prisma, made.id))!;
    await db.prisma.$transaction((tx) => openCheckIn(tx, meeting, chair, NOW));
    meeting = (await findMeeting(db.prisma, made.id))!;
    for (const id of reps.slice(0, 20)) await db.prisma.$transaction((tx) => checkIn(tx, meeting, id, 'button', NOW));
    await db.prisma.$transaction((tx) => addMotion(tx, meeting, chair, { title: '修缮3号院车棚', kind: 'ordinary', ballot: 'open' }, NOW));
    await db.prisma.$transaction((tx) => addMotion(tx, meeting, chair, { title: '更换保洁公司', kind: 'ordinary', ballot: 'secret' }, NOW));
    for (const position of [1, 2]) {
      const motion = (await findMotion(db.prisma, meeting.id, position))!;
      await db.prisma.$transaction((tx) => openVote(tx, meeting, motion, chair, true, NOW));
      // Open ballot: 周 yes, 吴 no, 郑 abstains. Secret ballot: the same three, all yes.
      const choices = position === 1 ? (['yes', 'no', 'abstain'] as const) : (['yes', 'yes', 'yes'] as const);
      for (const [i, choice] of choices.entries()) await db.prisma.$transaction((tx) => castVote(tx, motion, reps[i]!, choice, deps.ballotKey, NOW));
      await db.prisma.$transaction((tx) => closeVote(tx, deps, meeting, motion, chair));
    }
    const poll = await db.prisma.$transaction((tx) => openPoll(tx, meeting, chair, null, NOW));
    if (poll.status !== 'opened') throw new Error(`poll not opened: ${poll.status}`);
    const { pollId } = poll;
    for (const [i, id] of reps.slice(0, 5).entries()) await db.prisma.$transaction((tx) => answerPoll(tx, deps, pollId, id, i < 4 ? 'satisfied' : 'dissatisfied'));
    await db.prisma.$transaction((tx) => closePoll(tx, deps, meeting, chair, pollId));
  });
  afterAll(() => db?.close());

  it('is a small A4 PDF with the Chinese font embedded, saying the sitting, agenda, attendance, votes and evaluation, page by page', async () => {
    const pdf = await pdfOf();
    expect(pdf.fileName).toBe(`minutes-${meeting.number}.pdf`);
    const read = readPdf(pdf.buffer);
    expect(read.header).toMatch(/^%PDF-1\.\d/);
    expect(pdf.buffer.subarray(-6).toString('latin1')).toContain('%%EOF');
    // A subset of the glyphs used (tag+name), not the 19 MB collection.
    expect(read.fonts).toEqual(expect.arrayContaining([expect.stringMatching(/^[A-Z]{6}\+NotoSansCJKsc-Regular$/)]));
    expect(pdf.buffer.length).toBeLessThan(400_000);
    expect(read.title).toBe(`${meeting.number} 第三季度居民代表大会`);
    expect(pdf.buffer.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);

    expect(read.pages.length).toBeGreaterThanOrEqual(2);
    const [first, second] = read.pages as [string, string];
    const all = read.pages.join('\n');
    for (const text of ['幸福里社区', '会议记录', '第三季度居民代表大会', meeting.number, '居民代表大会', '社区活动中心二楼', '1、车棚修缮', '2、评议居委会工作']) expect(first).toContain(text);
    expect(first).toContain(`${shanghai(meeting.startsAt)} – ${shanghai(meeting.endsAt)}`);
    expect(first).toContain('已过半数：到会代表20人，应到30人，需16人');
    expect(first).toContain('已签到20人，邀请30人');
    // The sitting is still under way: the record says it is not final.
    expect(first).toContain('未闭会（记录尚未定稿）');
    expect(first).toContain('本记录尚未定稿');
    // Attendance goes on overleaf under its header row again, those not checked in said so.
    expect(second).toContain('姓名\n代表\n签到时间\n签到方式');
    expect(all).toContain('代表30号\n是\n未签到');
    expect(all).toContain(`周代表\n是\n${shanghai(NOW)}\n按钮`);

    const open = all.slice(all.indexOf('1、修缮3号院车棚'), all.indexOf('2、更换保洁公司'));
    expect(open).toContain('表决方式：记名');
    expect(open).toContain('到会20人，赞成1，反对1，弃权1');
    expect(open).toContain('结果：未通过');
    expect(open).toContain('赞成：周代表');
    expect(open).toContain('反对：吴代表');
    expect(open).toContain('弃权：郑代表');
    const secret = all.slice(all.indexOf('2、更换保洁公司'), all.indexOf('民主评议'));
    expect(secret).toContain('表决方式：无记名');
    expect(secret).toContain('到会20人，赞成3，反对0，弃权0');
    expect(secret).toContain('本议题为无记名表决，不公布投票人姓名。');
    expect(secret).not.toMatch(/周代表|吴代表|郑代表/);
    expect(all).toContain('居委会：满意4/5，不低于60%');

    read.pages.forEach((page, i) => {
      expect(page).toContain(`第${i + 1}页，共${read.pages.length}页`);
      expect(page).toContain(`会议记录${meeting.number}，导出于${shanghai(NOW)}`);
    });
  });

  it('speaks English to an English reader', async () => {
    const read = readPdf((await pdfOf(en)).buffer);
    const all = read.pages.join('\n');
    for (const text of ['Minutes', "Representatives' assembly", 'Quorum: 20 representatives present of 30, 16 needed', 'Ballot: secret', 'Result: not passed', 'Yes: 周代表', 'Page 1 of']) expect(all).toContain(text);
    expect(all).not.toContain('会议记录');
  });

  it('once the sitting closes, gives the time it closed and no "not final" mark', async () => {
    const events = { publish: async () => {} };
    await transactionWithAfterCommit(db.prisma, (tx) => closeMeeting(tx, deps, events, meeting, chair));
    meeting = (await findMeeting(db.prisma, meeting.id))!;
    const first = readPdf((await pdfOf()).buffer).pages[0]!;
    expect(first).toContain(`闭会时间\n${shanghai(NOW)}`);
    expect(first).not.toContain('定稿');
  });

  it('makes no document without a CJK font installed', async () => {
    const nowhere = [{ regular: '/nonexistent/fonts/NotoSansCJK-Regular.ttc', bold: '/nonexistent/fonts/NotoSansCJK-Bold.ttc', regularFace: 'NotoSansCJKsc-Regular', boldFace: 'NotoSansCJKsc-Bold' }];
    expect(await minutesPdf(await minutes(), zh, { timezone: ZONE, communityName: '幸福里社区', now: NOW, fontPlaces: nowhere })).toEqual({ status: 'no_font' });
    // A file where the font should be that is not a font collection is no font either.
    const notAFont = [{ ...nowhere[0]!, regular: join(import.meta.dirname, 'minutes-pdf.test.ts') }];
    expect(await minutesPdf(await minutes(), zh, { timezone: ZONE, communityName: '幸福里社区', now: NOW, fontPlaces: notAFont })).toEqual({ status: 'no_font' });
  });
});
