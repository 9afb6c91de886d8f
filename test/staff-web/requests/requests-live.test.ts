/**
 * The requests list keeps itself current in the browser: a committee member has the list open in
 * Chromium; a visitor asks to be bound in the web chat and the request appears without a reload;
 * a steward approves it from their own browser and it leaves the waiting list, while what the
 * committee member typed into the filter stays as it was. Skipped without Chromium.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, WebPerson, type TestApp } from '../../support/app.js';
import { signInInChromium } from '../../support/staff-chromium.js';
import { haveChromium, launchChromium, openPage } from '../../support/browser.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { askToBeBound } from '../../inbox/support.js';
import { loadPeopleInto, type PeopleCommunity } from '../people/fixture.js';

describe.skipIf(!haveChromium)('the requests list refreshes itself in Chromium', () => {
  let test: TestApp;
  let c: PeopleCommunity;
  let browser: Browser;
  let address: string;

  beforeAll(async () => {
    test = await startTestApp('pglite', {}, undefined, { serve: true });
    c = await loadPeopleInto(test.app.database.prisma, test.app.communityId);
    address = `http://127.0.0.1:${(test.app.http.server!.address() as { port: number }).port}`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const signIn = (page: Page, name: string) => signInInChromium(page, test.app, address, name, c.people[name]!);

  it('shows a new request as it is filed and drops it from the waiting list once decided elsewhere', async () => {
    const errors: string[] = [];
    const { page } = await openPage(browser, { width: 390, height: 844 }, errors);
    await signIn(page, '钱委员');
    errors.length = 0;
    // The live stream is open (its headers are sent at once) before anything happens.
    const streaming = page.waitForResponse((response) => response.url().endsWith('/staff/events'));
    await page.goto(`${address}/staff/requests`);
    expect((await streaming).status()).toBe(200);
    expect(await page.locator('.requests-card').count()).toBe(0);
    await page.evaluate(() => ((window as unknown as { stayed?: boolean }).stayed = true));

    const person = new WebPerson(test.app);
    const number = await askToBeBound(person, { name: '张小丰', address: '团结巷1号院东屋', phone: '13800005678' });
    await page.locator(`.requests-card a[href="/staff/requests/${number}"]`).waitFor();
    expect(await page.locator('.requests-card').count()).toBe(1);

    // The filter is outside the refreshed part: a choice made there is kept.
    await page.selectOption('#requests-status', 'all');
    const steward = new StaffBrowser(test.app, '198.51.100.90');
    await steward.signIn('孙片长', c.people['孙片长']!);
    await steward.get('/staff/requests');
    expect((await steward.post(`/staff/requests/${number}/approve`, { household: 'H-101' })).status).toBe(303);
    await page.locator('.requests-card').waitFor({ state: 'detached' });
    expect(await page.locator('#requests-status').inputValue()).toBe('all');
    expect(await page.locator('.requests-list').textContent()).toContain('没有这类申请');
    // All without a reload.
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await page.context().close();
    expect(errors).toEqual([]);
  }, 120_000);
});
