/**
 * The notices pages of the staff console in Chromium: a committee member opens 通知公告, writes a
 * notice to one lane, previews it (the service's counts, the notice as residents read it), sends
 * it, and follows its report to "all delivered" on its page and in the list; a lane's steward is
 * offered only their lane. Each view passes axe-core and is photographed at 390×844 and 1280×800
 * (`STAFF_SCREENSHOTS=<dir>`).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { checkConsoleView, CONSOLE_SIZES, signInInChromium } from '../support/staff-chromium.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { samplePdf } from '../support/documents.js';
import { seedRollCallCommunity, type Person, type RollCallCommunity } from '../features/notices/rollcall/roll-call-community.js';

const screenshots = process.env['STAFF_SCREENSHOTS'];

describe.skipIf(!haveChromium).each(databaseTargets())('notices in the staff console in Chromium (%s)', (target) => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let c: RollCallCommunity;

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    const address = test.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    c = await seedRollCallCommunity(test.app);
    await test.app.database.prisma.community.update({ where: { id: test.app.communityId }, data: { noticeSettings: { quietHours: { from: '00:00', to: '00:00' } } } });
    browser = await launchChromium();
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const signIn = (page: Page, person: Person) => signInInChromium(page, test.app, base, person.name, person.residentId);
  const check = (page: Page, name: string) => checkConsoleView(page, name, screenshots);

  it('composes a notice to one lane, previews the right counts, sends it and sees it delivered', async () => {
    const { page, errors } = await openPage(browser, CONSOLE_SIZES[1]);
    await signIn(page, c.people.chair);
    await page.locator('nav a[href="/staff/notices"]').click();
    await page.waitForURL(`${base}/staff/notices`);
    await check(page, 'notices-empty');
    await page.locator('a[href="/staff/notices/new"]').click();
    await page.waitForURL(`${base}/staff/notices/new`);
    await page.fill('#notice-title', '周三停水通知');
    await page.fill('#notice-body', '周三上午9点到12点停水，请提前储水。\n给大家带来不便，敬请谅解。');
    await page.selectOption('#notice-areas', [c.laneA]);
    await check(page, 'notices-compose');
    await page.locator('button[name="action"][value="preview"]').click();
    await expect.poll(() => page.locator('.notices-preview').textContent()).toContain('将发给6人（5户），0个群；联系不上0人');
    // The form stays filled in after the preview.
    expect(await page.inputValue('#notice-title')).toBe('周三停水通知');
    expect(await page.locator('#notice-areas option:checked').allTextContents()).toEqual(['平房区/团结巷']);
    await check(page, 'notices-preview');
    await page.locator('button[name="action"][value="send"]').click();
    await page.waitForURL(/\/staff\/notices\/[A-Z]+-\d{4}-\d+\?done=sent$/);
    expect(await page.locator('.shell-status').textContent()).toContain('通知已发出。');
    const number = /\/staff\/notices\/([^?]+)/.exec(page.url())![1]!;
    // The page reloads itself while messages go out, until every chat is handled.
    await expect.poll(async () => page.locator('main').textContent(), { timeout: 60_000 }).toContain('已全部处理：送达6/6');
    await check(page, 'notice-report');
    await page.locator('nav a[href="/staff/notices"]').click();
    await page.waitForURL(`${base}/staff/notices`);
    const card = page.locator('li', { has: page.locator(`a[href="/staff/notices/${number}"]`) });
    expect(await card.textContent()).toContain('已送达6/6');
    await check(page, 'notices-list');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers a lane’s steward only their lane', async () => {
    const { page } = await openPage(browser, CONSOLE_SIZES[0]);
    await signIn(page, c.people.stewardA);
    await page.goto(`${base}/staff/notices/new`);
    expect(await page.locator('#notice-areas option').allTextContents()).toEqual(['平房区/团结巷']);
    expect(await page.locator('input[name="everyone"]').count()).toBe(0);
    expect(await page.locator('#notice-roles').count()).toBe(0);
    await check(page, 'notices-compose-steward');
    await page.close();
  });

  it('attaches a file, keeps it through the preview, saves the audience as a list, and sends the file with the notice', async () => {
    const { page, errors } = await openPage(browser, CONSOLE_SIZES[1]);
    await signIn(page, c.people.chair);
    await page.goto(`${base}/staff/notices/new`);
    await page.fill('#notice-title', '物业费收费标准');
    await page.fill('#notice-body', '新一年的收费标准见附件。');
    await page.selectOption('#notice-areas', [c.laneA]);
    // The audience saved under a name: chosen on the form at once.
    await page.fill('#notice-save-as', '团结巷住户');
    await page.locator('button[name="action"][value="save_audience"]').click();
    await expect.poll(() => page.locator('.shell-status').textContent()).toContain('已存为常用名单“团结巷住户”');
    expect(await page.locator('#notice-saved option:checked').textContent()).toBe('团结巷住户');
    expect(await page.inputValue('#notice-title')).toBe('物业费收费标准');
    await page.setInputFiles('#notice-file', { name: '收费标准.pdf', mimeType: 'application/pdf', buffer: samplePdf('Fees') });
    await page.locator('button[name="action"][value="preview"]').click();
    await expect.poll(() => page.locator('.notices-preview').textContent()).toContain('将发给6人（5户）');
    expect(await page.locator('.notices-file-kept').textContent()).toContain('收费标准.pdf');
    await check(page, 'notices-compose-file');
    await page.locator('button[name="action"][value="send"]').click();
    await page.waitForURL(/\/staff\/notices\/[A-Z]+-\d{4}-\d+\?done=sent$/);
    expect(await page.locator('a.notices-file').textContent()).toBe('收费标准.pdf');
    await expect.poll(async () => page.locator('main').textContent(), { timeout: 60_000 }).toContain('已全部处理：送达6/6');
    await check(page, 'notice-report-file');
    await expect.poll(async () => (await c.people.wang.web.received()).some((m) => m.document?.name === '收费标准.pdf'), { timeout: 30_000 }).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
