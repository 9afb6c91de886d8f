/**
 * A repair ticket's page of the staff console in Chromium: the area's steward sees the job's
 * dispatch — its status, the member it is offered to, every offer — reassigns it to the other
 * plumber picked from the team's list, and the page then shows the first offer withdrawn and the
 * new one open; the job is then cancelled from the page. Each view passes axe-core and is
 * photographed at 390×844 and 1280×800 (`STAFF_SCREENSHOTS=<dir>`).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { checkConsoleView, CONSOLE_SIZES, signInInChromium } from '../support/staff-chromium.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { fileRepairIn } from '../features/repairs/dispatch/app-filing.js';
import { loadPeopleInto, type PeopleCommunity } from '../staff-web/people/fixture.js';
import { wordsOf } from '../staff-web/inbox/support.js';

const SIZES = CONSOLE_SIZES;
const screenshots = process.env['STAFF_SCREENSHOTS'];
const t = wordsOf('zh-CN');
const DAY = 24 * 3_600_000;

describe.skipIf(!haveChromium).each(databaseTargets())('a repair ticket’s page in Chromium (%s)', (target) => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let c: PeopleCommunity;
  const team: { id: string; name: string }[] = [];

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
    const address = test.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const prisma = test.app.database.prisma;
    c = await loadPeopleInto(prisma, test.app.communityId);
    for (const name of ['钱师傅', '孙师傅']) {
      const resident = await prisma.resident.create({ data: { communityId: c.communityId, name } });
      await prisma.roleAssignment.create({ data: { communityId: c.communityId, residentId: resident.id, role: 'service_team', skills: ['plumbing'], startsOn: new Date(Date.now() - DAY) } });
      // A chat the bot can reach: a member without one is offered nothing.
      await prisma.chatAccount.create({ data: { communityId: c.communityId, channel: 'web', externalId: new WebPerson(test.app).sessionId, residentId: resident.id, boundAt: new Date() } });
      team.push({ id: resident.id, name });
    }
    browser = await launchChromium();
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const signIn = (page: Page, name: string, residentId: string) => signInInChromium(page, test.app, base, name, residentId);

  const check = (page: Page, name: string) => checkConsoleView(page, name, screenshots);

  it('shows the dispatch, reassigns to the member picked from the team, and cancels the job', async () => {
    const prisma = test.app.database.prisma;
    const leak = await fileRepairIn(test.app, c.people['张三丰']!);
    const firstOffer = await prisma.dispatchOffer.findFirstOrThrow({ where: { workOrderId: leak.workOrderId } });
    const first = team.find((m) => m.id === firstOffer.memberId)!;
    const other = team.find((m) => m !== first)!;

    const { page, errors } = await openPage(browser, SIZES[1]);
    await signIn(page, '孙片长', c.people['孙片长']!);
    await page.goto(`${base}/staff/tickets/${leak.number}`);
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain(t('staffweb.inbox.dispatch.title'));
    expect(await main.textContent()).toContain(`${first.name} · ${t('dispatch.offer_status.open')}`);
    await check(page, 'repair-offered');

    const reassign = page.locator(`form[action="/staff/tickets/${leak.number}/dispatch/reassign"]`);
    await reassign.locator('select').selectOption(other.id);
    await reassign.locator('button[type="submit"]').click();
    await page.waitForURL(/dispatched=reassign/);
    await expect.poll(() => main.textContent()).toContain(`${other.name} · ${t('dispatch.offer_status.open')}`);
    expect(await main.textContent()).toContain(`${first.name} · ${t('dispatch.offer_status.withdrawn')}`);
    await check(page, 'repair-reassigned');

    await page.locator(`form[action="/staff/tickets/${leak.number}/dispatch/cancel"] button[type="submit"]`).click();
    await page.waitForURL(/dispatched=cancel/);
    await expect.poll(() => main.textContent()).toContain(t('dispatch.status.cancelled'));
    expect(await page.locator(`form[action="/staff/tickets/${leak.number}/dispatch/cancel"]`).count()).toBe(0);
    await check(page, 'repair-cancelled');
    expect((await prisma.workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId } })).status).toBe('cancelled');
    expect(errors).toEqual([]);
  });
});
