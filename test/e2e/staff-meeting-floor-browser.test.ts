/**
 * A sitting's page in the staff console in Chromium: the committee sees attendance and whether
 * the quorum holds, updated live when a representative checks in by code in the web chat; the
 * motions with their results (names on the open ballot only); the minutes as a workbook read back
 * with exceljs, and as a PDF downloaded from the page's link and read back. A steward of one area, who does not run a community-wide sitting, is refused
 * (403, audited). Each view passes axe-core and is photographed (`STAFF_SCREENSHOTS=<dir>`).
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMotion, castVote, closeVote, findMotion, openVote } from '../../src/features/meetings/floor/service/motions.js';
import { checkIn, openCheckIn } from '../../src/features/meetings/floor/service/check-in.js';
import { findMeeting } from '../../src/features/meetings/floor/service/meeting-lookup.js';
import { loadActor } from '../../src/features/policy/load-actor.js';
import { ChatStaffAlerts } from '../../src/features/tickets/scheduling/staff-alerts.js';
import { translator } from '../features/tickets/scheduling/harness.js';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { checkConsoleView, CONSOLE_SIZES, signInInChromium } from '../support/staff-chromium.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { readPdf } from '../support/pdf-text.js';
import { findCjkFont } from '../../src/features/meetings/floor/minutes/minutes-pdf.js';
import { createMeeting, createRepresentatives, type TestMeeting } from '../support/meetings.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../inbox/support.js';

const screenshots = process.env['STAFF_SCREENSHOTS'];

describe.skipIf(!haveChromium).each(databaseTargets())('a sitting in the console in Chromium (%s)', (target) => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let people: InboxPeople;
  let meeting: TestMeeting;
  let reps: string[];
  let code: string;

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    const address = test.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const prisma = test.app.database.prisma;
    const communityId = test.app.communityId;
    people = await seedInboxPeople(prisma, communityId);
    reps = await createRepresentatives(prisma, communityId, ['周代表', '吴代表', '郑代表']);
    meeting = await createMeeting(prisma, communityId, {
      startsAt: new Date(Date.now() + 10 * 60_000),
      invitees: reps,
      title: '第三季度居民代表大会',
      agenda: [{ text: '车棚修缮' }, { text: '评议居委会工作' }],
    });
    const now = new Date(Date.now() + 1000);
    const chair = (await loadActor(prisma, { residentId: people.chairId }, { now }))!;
    let m = (await findMeeting(prisma, meeting.id))!;
    await prisma.$transaction((tx) => openCheckIn(tx, m, chair, now));
    m = (await findMeeting(prisma, meeting.id))!;
    code = m.checkInCode!;
    for (const id of reps.slice(0, 2)) await prisma.$transaction((tx) => checkIn(tx, m, id, 'button', now));
    await prisma.$transaction((tx) => addMotion(tx, m, chair, { title: '修缮3号院车棚', kind: 'ordinary', ballot: 'open' }, now));
    await prisma.$transaction((tx) => addMotion(tx, m, chair, { title: '更换保洁公司', kind: 'ordinary', ballot: 'secret' }, now));
    const first = (await findMotion(prisma, meeting.id, 1))!;
    await prisma.$transaction((tx) => openVote(tx, m, first, chair, true, now));
    await prisma.$transaction((tx) => castVote(tx, first, reps[0]!, 'yes', 'k', now));
    await prisma.$transaction((tx) => castVote(tx, first, reps[1]!, 'no', 'k', now));
    const floor = { translator, staffAlerts: new ChatStaffAlerts(), ballotKey: 'k', now: () => now };
    await prisma.$transaction((tx) => closeVote(tx, floor, m, first, chair));
    browser = await launchChromium();
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('shows attendance and the quorum, live as a representative checks in by code', async () => {
    const { page } = await openPage(browser, CONSOLE_SIZES[1]);
    await signInInChromium(page, test.app, base, '李主任', people.chairId);
    await page.locator('nav a[href="/staff/meetings"]').click();
    await page.waitForURL(`${base}/staff/meetings`);
    await page.locator(`a[href="/staff/meetings/${meeting.number}"]`).click();
    await page.waitForURL(`${base}/staff/meetings/${meeting.number}`);
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('✅已过半数：到会代表2人，应到3人，需2人');
    let text = (await main.textContent()) ?? '';
    expect(text).toContain('已签到2人，邀请3人');
    expect(text).toContain(`签到码${code}`);
    expect(text).toContain('修缮3号院车棚');
    expect(text).toContain('到会2人，赞成1，反对1，弃权0');
    expect(text).toContain('赞成：周代表');
    expect(text).toContain('更换保洁公司（无记名）—未开始表决');
    await checkConsoleView(page, 'meeting-floor', screenshots);
    // Printed to PDF from the browser, the minutes carry no navigation and no download links.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.shell-nav').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: '下载 PDF' }).isVisible()).toBe(false);
    expect(await page.locator('main h1').isVisible()).toBe(true);
    if (screenshots) await page.screenshot({ path: `${screenshots}/meeting-floor-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    // The third representative types the room's code in the web chat: the page follows.
    const person = new WebPerson(test.app);
    await bindAccount(test.app.database.prisma, test.app.communityId, 'web', person.sessionId, reps[2]!);
    await person.ask(code, 1);
    await expect.poll(() => main.textContent()).toContain('已签到3人，邀请3人');
    text = (await main.textContent()) ?? '';
    expect(text).toContain('到会代表3人');
  });

  it('exports the minutes as a workbook with attendance and the votes', async () => {
    const { page } = await openPage(browser, CONSOLE_SIZES[1]);
    await signInInChromium(page, test.app, base, '李主任', people.chairId);
    const response = await page.request.get(`${base}/staff/meetings/${meeting.number}/minutes.xlsx`);
    expect(response.status()).toBe(200);
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.Workbook();
    await workbook.xlsx.load((await response.body()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['会议', '签到', '表决', '评议']);
    const votes = workbook.getWorksheet('表决')!;
    expect(votes.getRow(2).values).toEqual(expect.arrayContaining([1, '修缮3号院车棚', '记名', 2, 1, 1, 0, '未通过']));
    const summary = workbook.getWorksheet('会议')!;
    expect(summary.getColumn(2).values).toEqual(expect.arrayContaining([meeting.number, '车棚修缮', '评议居委会工作']));
  });

  it.skipIf(!findCjkFont())('downloads the minutes as a PDF from the link on the page', async () => {
    const { page } = await openPage(browser, CONSOLE_SIZES[1]);
    await signInInChromium(page, test.app, base, '李主任', people.chairId);
    await page.goto(`${base}/staff/meetings/${meeting.number}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 PDF' }).click()]);
    expect(download.suggestedFilename()).toBe(`minutes-${meeting.number}.pdf`);
    const response = await page.request.get(`${base}/staff/meetings/${meeting.number}/minutes.pdf`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const read = readPdf(await response.body());
    expect(read.header).toMatch(/^%PDF-/);
    const text = read.pages.join('\n');
    expect(text).toContain(meeting.number);
    expect(text).toContain('第三季度居民代表大会');
    expect(text).toContain('赞成：周代表');
    // A steward of one area gets no file either.
    const { page: other } = await openPage(browser, CONSOLE_SIZES[0]);
    await signInInChromium(other, test.app, base, '张网格', people.stewardId);
    const refused = await other.request.get(`${base}/staff/meetings/${meeting.number}/minutes.pdf`);
    expect(refused.status()).toBe(403);
    expect(refused.headers()['content-type']).not.toContain('pdf');
  });

  it('refuses a steward of one area a community-wide sitting, audited', async () => {
    const { page } = await openPage(browser, CONSOLE_SIZES[0]);
    await signInInChromium(page, test.app, base, '张网格', people.stewardId);
    const response = await page.goto(`${base}/staff/meetings/${meeting.number}`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('main').textContent()).not.toContain('周代表');
    const audit = await test.app.database.prisma.auditLog.findFirst({ where: { action: 'meeting.minutes_viewed', actorId: people.stewardId } });
    expect(audit?.details).toMatchObject({ denied: true });
    await checkConsoleView(page, 'meeting-floor-refused', screenshots);
  });
});
