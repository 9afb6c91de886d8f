/**
 * The roll-call page of the staff console in Chromium: a committee member sends the alert from the
 * console's form (通知公告 → new: kind alert, everyone, now), finds it under
 * 应急点名 and sees the counts in all, by lane and by household group, and the households not
 * answered yet with masked phones; a household answering while the page is open updates it by
 * itself; a lane's steward sees only their lane; a staff member with no area is refused (403),
 * audited. Each view passes axe-core and is photographed at 390×844 and 1280×800
 * (`STAFF_SCREENSHOTS=<dir>`).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/channels/types.js';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { checkConsoleView, CONSOLE_SIZES, signInInChromium } from '../support/staff-chromium.js';
import { button, startTestApp, type TestApp } from '../support/app.js';
import type { SentAlert } from '../support/alerts.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';
import { seedRollCallCommunity, type Person, type RollCallCommunity } from '../features/notices/rollcall/roll-call-community.js';

const screenshots = process.env['STAFF_SCREENSHOTS'];

describe.skipIf(!haveChromium).each(databaseTargets())('the roll-call page in Chromium (%s)', (target) => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let c: RollCallCommunity;
  let alert: SentAlert;

  const alertOf = (person: Person) =>
    waitFor(async () => (await person.web.received()).find((m) => m.choices?.some((choice) => choice.data.includes(alert.noticeId))), 'the alert');
  const answer = async (person: Person, label: string) => {
    const message: OutboundMessage = await alertOf(person);
    const before = (await person.web.received()).length;
    await person.web.press(button(message, label));
    await person.web.waitForMessages(before + 1);
  };

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    const address = test.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    c = await seedRollCallCommunity(test.app);
    browser = await launchChromium();
    alert = await sendFromConsole('暴雨红色预警', '今夜有特大暴雨，请勿外出，低洼处住户请转移，并确认家中平安。');
    await answer(c.people.zhao, '收到');
    await answer(c.people.zhou, '收到');
    await answer(c.people.wu, '需要帮助');
    await answer(c.people.sun, '收到');
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const signIn = (page: Page, person: Person) => signInInChromium(page, test.app, base, person.name, person.residentId);

  /** The committee member fills the console's form for an alert to everyone and presses 发送. */
  async function sendFromConsole(title: string, body: string): Promise<SentAlert> {
    const { page, errors } = await openPage(browser, CONSOLE_SIZES[1]);
    await signIn(page, c.people.chair);
    await page.goto(`${base}/staff/notices/new`);
    await page.locator('input[name="kind"][value="alert"]').check();
    await page.locator('#notice-title').fill(title);
    await page.locator('#notice-body').fill(body);
    await page.locator('input[name="everyone"]').check();
    await page.locator('button[name="action"][value="send"]').click();
    await page.waitForURL(/\/staff\/notices\/TZ-\d{4}-\d+\?done=sent$/);
    const number = /TZ-\d{4}-\d+/.exec(page.url())![0];
    expect(errors).toEqual([]);
    await page.close();
    const notice = await test.app.database.prisma.notice.findFirstOrThrow({ where: { number, status: 'sent', kind: 'alert' }, select: { id: true } });
    return { noticeId: notice.id, number };
  }

  it('shows a committee member the counts by lane and group and who has not answered, and updates as households answer', async () => {
    const { page, errors } = await openPage(browser, CONSOLE_SIZES[1]);
    await signIn(page, c.people.chair);
    await page.locator('nav a[href="/staff/alerts"]').click();
    await page.waitForURL(`${base}/staff/alerts`);
    await check(page, 'alerts-list');
    await page.locator(`a[href="/staff/alerts/${alert.number}"]`).click();
    await page.waitForURL(`${base}/staff/alerts/${alert.number}`);
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('回复情况');
    const text = (await main.textContent()) ?? '';
    expect(text).toContain('共7户：平安3，求助1，已电话联系0，未回复3');
    const laneRow = page.locator('tr', { has: page.locator('th', { hasText: '平房区/团结巷' }) });
    expect((await laneRow.locator('td').allTextContents()).map(Number)).toEqual([5, 2, 1, 0, 2]);
    const g2Row = page.locator('tr', { has: page.locator('th', { hasText: /^G-02$/ }) });
    expect((await g2Row.locator('td').allTextContents()).map(Number)).toEqual([2, 0, 1, 0, 1]);
    const notYet = page.locator('table.rollcall-not-yet tbody tr');
    expect(await notYet.locator('th').allTextContents()).toEqual(['团结巷3号', '团结巷5号', '胜利巷2号']);
    expect(text).toMatch(/钱\*\*（1\d{2}\*{4}\d{4}）/);
    // 吴奶奶's call for help, with its ticket a click away.
    const help = await test.app.database.prisma.noticeAnswer.findFirstOrThrow({ where: { noticeId: alert.noticeId, answer: 'help' } });
    const ticket = await test.app.database.prisma.ticket.findUniqueOrThrow({ where: { id: help.ticketId! } });
    const helpPart = page.locator('section[data-live="rollcall-help"]');
    expect(await helpPart.textContent()).toContain('求助的住户（1户）');
    expect(await helpPart.textContent()).toContain('团结巷4号');
    expect(await helpPart.locator('a').getAttribute('href')).toBe(`/staff/tickets/${ticket.number}`);
    expect(text).not.toMatch(/1\d{10}/);
    await check(page, 'alert-rollcall');

    // 郑阿姨 answers while the page is open: it counts again by itself.
    await answer(c.people.zheng, '收到');
    await expect.poll(async () => notYet.locator('th').allTextContents()).toEqual(['团结巷3号', '团结巷5号']);
    await expect.poll(async () => (await main.textContent()) ?? '').toContain('共7户：平安4，求助1，已电话联系0，未回复2');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a lane’s steward only their lane, and refuses a staff member with no area, audited', async () => {
    const { page } = await openPage(browser, CONSOLE_SIZES[0]);
    await signIn(page, c.people.stewardA);
    await page.goto(`${base}/staff/alerts/${alert.number}`);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('共5户');
    expect(text).toContain('团结巷3号');
    expect(text).not.toContain('胜利巷');
    await check(page, 'alert-rollcall-steward');
    // An alert that was never sent, and a number of no shape, are not found.
    expect((await page.goto(`${base}/staff/alerts/TZ-2026-99999`))?.status()).toBe(404);
    expect((await page.goto(`${base}/staff/alerts/${encodeURIComponent('<script>')}`))?.status()).toBe(404);
    await page.close();

    const prisma = test.app.database.prisma;
    const communityId = test.app.communityId;
    const nobody = await prisma.resident.create({ data: { communityId, name: '白委员' } });
    await prisma.roleAssignment.create({ data: { communityId, residentId: nobody.id, role: 'council', startsOn: new Date(Date.now() - 3_600_000) } });
    const denied = await openPage(browser, CONSOLE_SIZES[1]);
    await signInInChromium(denied.page, test.app, base, '白委员', nobody.id);
    const response = await denied.page.goto(`${base}/staff/alerts/${alert.number}`);
    expect(response?.status()).toBe(403);
    expect(await prisma.auditLog.count({ where: { actorId: nobody.id, action: 'group.view_acknowledgements', subjectId: alert.noticeId } })).toBe(1);
    await denied.page.close();
  });

  const check = (page: Page, name: string) => checkConsoleView(page, name, screenshots);
});
