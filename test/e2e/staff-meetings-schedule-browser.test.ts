/**
 * Meetings convened, moved, cancelled and closed in the staff console in Chromium, and the
 * petitions page: the committee fills the form on /staff/meetings (a representatives' assembly,
 * its time in the community's zone), a representative finds the invitation in the web chat,
 * then the meeting is moved and cancelled from its page, each told to them; a sitting under way
 * is closed with its button; a typed mistake is answered in words beside the form. Every view
 * passes axe-core at a phone's and a desk's size and is photographed (`STAFF_SCREENSHOTS=<dir>`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCommitted, transactionWithAfterCommit } from '../../src/db/after-commit.js';
import { closeMeeting } from '../../src/features/meetings/floor/service/close-meeting.js';
import { findMeeting } from '../../src/features/meetings/floor/service/meeting-lookup.js';
import { signPetition, startPetition } from '../../src/features/meetings/floor/service/petitions.js';
import type { Actor } from '../../src/features/policy/actor.js';
import { loadActor } from '../../src/features/policy/load-actor.js';
import { localMinute } from '../../src/features/tickets/scheduling/local-format.js';
import { ChatStaffAlerts } from '../../src/features/tickets/scheduling/staff-alerts.js';
import { translator } from '../features/tickets/scheduling/harness.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { axeViolations } from '../support/axe.js';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { databaseTargets } from '../support/database.js';
import { createMeeting, createRepresentatives } from '../support/meetings.js';
import { CONSOLE_SIZES, signInInChromium } from '../support/staff-chromium.js';
import { waitFor } from '../support/wait-for.js';

const screenshots = process.env['STAFF_SCREENSHOTS'];

/** No axe-core violation at a phone's size nor at a desk's; photographed at each when asked. */
async function checkAtBothSizes(page: Page, name: string): Promise<void> {
  for (const size of CONSOLE_SIZES) {
    await page.setViewportSize(size);
    expect(await axeViolations(page), `${name} at ${size.width}: axe-core`).toEqual([]);
    if (screenshots) await page.screenshot({ path: join(screenshots, `${name}-${size.width}.png`), fullPage: true });
  }
}

describe.skipIf(!haveChromium).each(databaseTargets())('convening meetings and petitions in the console in Chromium (%s)', (target) => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let people: InboxPeople;
  let reps: string[];
  let repChat: WebPerson;
  let timezone: string;
  const prisma = () => test.app.database.prisma;
  const local = (at: Date) => localMinute(at, timezone).replace(' ', 'T');
  const told = (part: string) => waitFor(async () => (await repChat.received()).find((m) => m.text.includes(part)), `"${part}" in the representative's chat`);

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    const address = test.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const communityId = test.app.communityId;
    people = await seedInboxPeople(prisma(), communityId);
    timezone = (await prisma().community.findUniqueOrThrow({ where: { id: communityId } })).timezone;
    reps = await createRepresentatives(prisma(), communityId, ['周代表', '吴代表', '郑代表']);
    repChat = new WebPerson(test.app);
    await bindAccount(prisma(), communityId, 'web', repChat.sessionId, reps[0]!);
    // Petitions: one bound at a third of the representatives, one still collecting.
    const floor = { translator, staffAlerts: new ChatStaffAlerts(), ballotKey: 'k', now: () => new Date() };
    const as = async (id: string) => (await loadActor(prisma(), { residentId: id })) as Extract<Actor, { kind: 'person' }>;
    const [first, second, steward] = [await as(reps[0]!), await as(reps[1]!), await as(people.stewardId)];
    const bound = await prisma().$transaction((tx) => startPetition(tx, floor, first, { title: '加装电梯', reason: '加装电梯' }));
    await prisma().$transaction((tx) => signPetition(tx, floor, second, 'petition' in bound ? bound.petition.number : ''));
    await prisma().$transaction((tx) => startPetition(tx, floor, steward, { title: '增设快递柜', reason: '增设快递柜' }));
    browser = await launchChromium();
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('convenes an assembly from the form; the representative is invited; a typed mistake is answered beside the form', async () => {
    const { page } = await openPage(browser, CONSOLE_SIZES[0]);
    await signInInChromium(page, test.app, base, '李主任', people.chairId);
    await page.locator('nav a[href="/staff/meetings"]').click();
    await page.waitForURL(`${base}/staff/meetings`);
    await checkAtBothSizes(page, 'meetings-list-form');

    const starts = new Date(Date.now() + 5 * 86_400_000);
    await page.locator('input[name="type"][value="assembly"]').check();
    await page.fill('#meeting-title', '第四季度居民代表大会');
    await page.fill('#meeting-starts', local(starts));
    await page.fill('#meeting-place', '社区活动室');
    await page.fill('#meeting-agenda', '增设路灯\n车棚修缮');
    await page.fill('#meeting-reminders', '明天');
    await page.locator('form[action="/staff/meetings"] button[type="submit"]').click();
    await page.waitForLoadState('domcontentloaded');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('提醒时间不对');
    // What was typed is still there.
    expect(await page.inputValue('#meeting-title')).toBe('第四季度居民代表大会');
    await checkAtBothSizes(page, 'meetings-form-mistake');

    await page.fill('#meeting-reminders', '24h 2h');
    await page.locator('form[action="/staff/meetings"] button[type="submit"]').click();
    await page.waitForURL(/\/staff\/meetings\/HY-\d{4}-\d{5}\?done=called$/);
    const number = /HY-\d{4}-\d{5}/.exec(page.url())![0];
    const main = page.locator('main');
    expect(await main.textContent()).toContain(`已召集会议${number}，邀请已发出。`);
    expect(await main.textContent()).toContain('增设路灯');
    expect(await page.inputValue('#move-starts')).toBe(local(starts));
    await checkAtBothSizes(page, 'meeting-ahead');
    const invitation = await told('会议通知：第四季度居民代表大会');
    expect(invitation.text).toContain('社区活动室');
    expect(await prisma().meetingInvitation.count({ where: { meeting: { number } } })).toBe(3);
  });

  it('moves the meeting and then cancels it from its page, the representative told each time', async () => {
    const meeting = await prisma().meeting.findFirstOrThrow({ where: { title: '第四季度居民代表大会' } });
    const { page } = await openPage(browser, CONSOLE_SIZES[1]);
    await signInInChromium(page, test.app, base, '李主任', people.chairId);
    await page.goto(`${base}/staff/meetings/${meeting.number}`);
    const later = new Date(meeting.startsAt.getTime() + 2 * 86_400_000);
    await page.fill('#move-starts', local(later));
    await page.fill('#move-place', '社区二楼会议室');
    await page.locator(`form[action="/staff/meetings/${meeting.number}/move"] button`).click();
    await page.waitForURL(/done=moved$/);
    expect(await page.locator('[role="status"]').first().textContent()).toContain(`会议${meeting.number}已改期，已通知受邀人。`);
    expect(await page.locator('main').textContent()).toContain('社区二楼会议室');
    expect((await told('会议改期：第四季度居民代表大会')).text).toContain('社区二楼会议室');
    // The same time and place again: answered in words above the page, nothing sent.
    await page.locator(`form[action="/staff/meetings/${meeting.number}/move"] button`).click();
    await page.waitForLoadState('domcontentloaded');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('新时间与原时间相同，没有改动。');
    await checkAtBothSizes(page, 'meeting-move-refused');

    await page.fill('#cancel-reason', '与区里会议冲突');
    await page.locator(`form[action="/staff/meetings/${meeting.number}/cancel"] button`).click();
    await page.waitForURL(/done=cancelled$/);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('这次会议已取消。');
    expect(text).toContain('与区里会议冲突');
    expect(await page.locator('#move-starts').count()).toBe(0);
    await checkAtBothSizes(page, 'meeting-cancelled');
    expect((await told('会议取消：第四季度居民代表大会')).text).toContain('与区里会议冲突');
  });

  it('closes a sitting under way with its button; the page says its minutes are final', async () => {
    const made = await createMeeting(prisma(), test.app.communityId, { startsAt: new Date(Date.now() - 20 * 60_000), invitees: reps, title: '临时居民代表会议' });
    await prisma().meeting.update({ where: { id: made.id }, data: { status: 'held', checkInCode: '135790', rollSize: 3 } });
    const { page } = await openPage(browser, CONSOLE_SIZES[0]);
    await signInInChromium(page, test.app, base, '李主任', people.chairId);
    await page.goto(`${base}/staff/meetings/${made.number}`);
    await checkAtBothSizes(page, 'meeting-under-way');
    // The minutes printed from this page carry no button.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator(`form[action="/staff/meetings/${made.number}/close"] button`).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator(`form[action="/staff/meetings/${made.number}/close"] button`).isVisible()).toBe(true);
    await page.locator(`form[action="/staff/meetings/${made.number}/close"] button`).click();
    await page.waitForURL(/done=closed$/);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('已闭会，会议记录已定稿。闭会时间：');
    expect(await page.locator(`form[action="/staff/meetings/${made.number}/close"]`).count()).toBe(0);
    expect((await prisma().meeting.findUniqueOrThrow({ where: { id: made.id } })).status).toBe('closed');
    await checkAtBothSizes(page, 'meeting-closed');
    // The workbook of the minutes says when they became final.
    const response = await page.request.get(`${base}/staff/meetings/${made.number}/minutes.xlsx`);
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.Workbook();
    await workbook.xlsx.load((await response.body()) as unknown as ArrayBuffer);
    const closedRow = workbook.getWorksheet('会议')!.getSheetValues().find((row) => Array.isArray(row) && row[1] === '闭会时间') as unknown[];
    const closedAt = (await prisma().meeting.findUniqueOrThrow({ where: { id: made.id } })).closedAt!;
    expect(closedRow[2]).toBe(localMinute(closedAt, timezone));
    // The representative who had not checked in is told politely it is over.
    await repChat.ask(`/checkin ${made.number}`, 1);
    await told(`会议${made.number}已经闭会，不能再签到了`);
  });

  it('takes the close button away on an open page when the sitting is closed from the staff chat', async () => {
    const made = await createMeeting(prisma(), test.app.communityId, { startsAt: new Date(Date.now() - 20 * 60_000), invitees: reps, title: '片区议事会' });
    await prisma().meeting.update({ where: { id: made.id }, data: { status: 'held', checkInCode: '246801', rollSize: 3 } });
    const { page } = await openPage(browser, CONSOLE_SIZES[1]);
    await signInInChromium(page, test.app, base, '李主任', people.chairId);
    await page.goto(`${base}/staff/meetings/${made.number}`);
    const button = page.locator(`form[action="/staff/meetings/${made.number}/close"] button`);
    expect(await button.isVisible()).toBe(true);
    // Closed elsewhere, as /close_meeting in the staff chat does it: the page follows.
    const chair = (await loadActor(prisma(), { residentId: people.chairId }))!;
    const floor = { translator, staffAlerts: new ChatStaffAlerts(), ballotKey: 'k', now: () => new Date() };
    const committed = await transactionWithAfterCommit(prisma(), async (tx) => closeMeeting(tx, floor, test.app.events, (await findMeeting(tx, made.id))!, chair));
    expect(committed.value).toMatchObject({ status: 'closed' });
    await finishCommitted(committed, { dispatch: async () => {} });
    await expect.poll(() => page.locator('[data-live="meeting-actions"]').textContent(), { timeout: 15_000 }).toContain('已闭会，会议记录已定稿。');
    expect(await button.count()).toBe(0);
  });

  it('lists the petitions against each threshold, the one met marked', async () => {
    const { page } = await openPage(browser, CONSOLE_SIZES[0]);
    await signInInChromium(page, test.app, base, '李主任', people.chairId);
    await page.goto(`${base}/staff/meetings`);
    await page.locator('a[href="/staff/meetings/petitions"]').click();
    await page.waitForURL(`${base}/staff/meetings/petitions`);
    const cards = page.locator('main li.requests-card');
    expect(await cards.count()).toBe(2);
    const bound = (await cards.filter({ hasText: '加装电梯' }).textContent()) ?? '';
    expect(bound).toContain('已达到：三分之一以上居民代表');
    expect(bound).toContain('达到时的人数');
    const open = (await cards.filter({ hasText: '增设快递柜' }).textContent()) ?? '';
    expect(open).toContain('征集签名中');
    expect(open).toContain('还差1');
    await checkAtBothSizes(page, 'meeting-petitions');
  });
});
