/**
 * The requests, people and figures pages as staff get them from the running app, in Chromium, on
 * a phone's screen and a desk's, in Chinese and English: axe-core finds no violation of the WCAG
 * 2.1 A/AA rules (colour contrast judged with the console's own stylesheets), nothing is wider
 * than the screen (a wide table scrolls inside its own box), and the Content-Security-Policy
 * blocks nothing the pages need. Includes the pages that answer a button: a code just made and a
 * phone number shown. Skipped without Chromium, like the other browser tests.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBindingRequest } from '../../../src/features/identity/binding-requests.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { axeViolations } from '../../support/axe.js';
import { signInInChromium } from '../../support/staff-chromium.js';
import { haveChromium, launchChromium, openPage } from '../../support/browser.js';
import { fileComplaint } from '../../inbox/support.js';
import { loadPeopleInto, type PeopleCommunity } from './fixture.js';

describe.skipIf(!haveChromium)('the requests, people and figures pages in Chromium', () => {
  let test: TestApp;
  let c: PeopleCommunity;
  let browser: Browser;
  let address: string;
  let firstRequest = 0;

  beforeAll(async () => {
    test = await startTestApp('pglite', {}, undefined, { serve: true });
    const prisma = test.app.database.prisma;
    const communityId = test.app.communityId;
    c = await loadPeopleInto(prisma, communityId);
    const asks = [
      { name: '张小丰', phone: '13800005678', channel: 'web', address: '团结巷1号院东屋' },
      { name: '路人甲', phone: '13011112222', channel: 'wechat', address: '胜利巷附近一个很长很长很长很长很长很长很长的地址描述' },
    ];
    for (const ask of asks) {
      const account = await prisma.chatAccount.create({ data: { communityId, channel: ask.channel, externalId: `a11y-${ask.phone}`, locale: 'zh-CN' } });
      const filed = await prisma.$transaction((tx) => createBindingRequest(tx, { communityId, chatAccountId: account.id, ...ask }));
      if (filed.status !== 'created') throw new Error(filed.status);
      firstRequest ||= filed.number;
    }
    await fileComplaint(test.app, c.people['张三丰']!, '楼道灯坏了');
    await fileComplaint(test.app, c.people['王五']!, '下水道堵了');
    address = `http://127.0.0.1:${(test.app.http.server!.address() as { port: number }).port}`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const signIn = (page: Page) => signInInChromium(page, test.app, address, '赵管理', c.people['赵管理']!);

  /** What is wrong with the page now open: axe's violations and anything wider than the screen. */
  async function problemsOf(page: Page): Promise<string[]> {
    const violations = (await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.join(', ')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    return [...violations, ...(overflow > 0 ? [`${overflow}px wider than the screen`] : [])];
  }

  for (const locale of ['zh-CN', 'en']) {
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      it(`finds nothing wrong in ${locale} at ${viewport.width}×${viewport.height}`, async () => {
        const errors: string[] = [];
        const { page } = await openPage(browser, { locale, ...viewport }, errors);
        await signIn(page);
        errors.length = 0;
        const found: Record<string, string[]> = {};
        const check = async (name: string) => {
          const problems = await problemsOf(page);
          if (problems.length > 0) found[name] = problems;
        };
        const paths = [
          '/staff/requests',
          `/staff/requests/${firstRequest}?q=${encodeURIComponent('张')}`,
          `/staff/people?q=${encodeURIComponent('巷')}`,
          '/staff/households/H-101',
          '/staff/team?ended=1',
          '/staff/figures',
        ];
        for (const path of paths) {
          const response = await page.goto(`${address}${path}`);
          expect(response?.status(), path).toBe(200);
          await check(path);
        }
        await page.goto(`${address}/staff/households/H-101`);
        await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/households/H-101/code"] button')]);
        expect(await page.locator('.people-code-text').count()).toBe(1);
        await check('a household code');
        await page.goto(`${address}/staff/households/H-101`);
        await Promise.all([page.waitForNavigation(), page.click(`form[action="/staff/people/${c.people['张三丰']}/phone"] button`)]);
        expect(await page.locator('a[href="tel:13800001234"]').count()).toBe(1);
        await check('a phone shown');
        await page.context().close();
        expect(found).toEqual({});
        expect(errors).toEqual([]);
      }, 120_000);
    }
  }
});
