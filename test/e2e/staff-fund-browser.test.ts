/**
 * The property fund page of the staff console in Chromium: a committee member sees the balance,
 * the month's figures and the expense waiting for the per-item decision, approves it (the balance
 * then counts it, the decision is audited from the console); the area's steward records a
 * household's payment (a typo answered in words) and an expense above the threshold, sees no
 * decision buttons, and a decision posted anyway is refused and audited. Each
 * view passes axe-core and is photographed at 390×844 and 1280×800 (`STAFF_SCREENSHOTS=<dir>`).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFund } from '../../src/features/fund/ledger/fund-lookup.js';
import { recordContribution } from '../../src/features/fund/ledger/record-contribution.js';
import { recordExpense } from '../../src/features/fund/ledger/record-expense.js';
import { setUpFund } from '../../src/features/fund/ledger/setup-fund.js';
import { monthContaining, parseLocalDay } from '../../src/features/fund/rules/fund-month.js';
import { localDateKey } from '../../src/features/tickets/rules/local-time.js';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { checkConsoleView, CONSOLE_SIZES, signInInChromium } from '../support/staff-chromium.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { seedInboxPeople, type InboxPeople } from '../inbox/support.js';

const SIZES = CONSOLE_SIZES;
const screenshots = process.env['STAFF_SCREENSHOTS'];
const TZ = 'Asia/Shanghai';
const OPERATOR = { kind: 'operator' } as const;

describe.skipIf(!haveChromium).each(databaseTargets())('the fund page in Chromium (%s)', (target) => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let people: InboxPeople;

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    const address = test.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const prisma = test.app.database.prisma;
    const communityId = test.app.communityId;
    people = await seedInboxPeople(prisma, communityId);
    const zone = await prisma.area.findUniqueOrThrow({ where: { id: people.areaId } });
    const now = new Date();
    // This month's days, whatever day the test runs on: the 1st and today.
    const today = parseLocalDay(localDateKey(now, TZ), TZ)!;
    const first = monthContaining(now, TZ).from;
    await prisma.$transaction(async (tx) => {
      await setUpFund(tx, { communityId, actor: OPERATOR, areaPath: zone.path, approvalThresholdFen: 50_000, now });
      const fund = await findFund(tx, communityId);
      const households = await tx.household.findMany({ where: { areaId: people.areaId }, orderBy: { code: 'asc' } });
      for (const household of households) await recordContribution(tx, { fund, actor: OPERATOR, householdCode: household.code, amountFen: 1000, paidOn: first, now });
      await recordExpense(tx, { fund, actor: OPERATOR, amountFen: 800, purpose: '更换路灯灯泡', spentOn: today, now });
      await recordExpense(tx, { fund, actor: OPERATOR, amountFen: 80_000, purpose: '更换巷道主水管', spentOn: today, now });
    });
    browser = await launchChromium();
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const signIn = (page: Page, name: string, residentId: string) => signInInChromium(page, test.app, base, name, residentId);

  const check = (page: Page, name: string) => checkConsoleView(page, name, screenshots);

  it('lets a committee member approve the expense waiting for the decision; the balance then counts it', async () => {
    const { page, errors } = await openPage(browser, SIZES[1]);
    await signIn(page, '李主任', people.chairId);
    await page.locator('nav a[href="/staff/fund"]').click();
    await page.waitForURL(`${base}/staff/fund`);
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('余额');
    const text = (await main.textContent()) ?? '';
    // 20 in, 8 spent: the 800 waiting for the decision is not.
    expect(text).toContain('¥12.00');
    expect(text).toContain('待一事一议：1项，共¥800.00');
    expect(text).toContain('（2/2户缴纳）');
    await check(page, 'fund-pending');

    await page.locator('form[action="/staff/fund/expenses/2/approve"] button').click();
    await page.waitForURL(/done=approved/);
    await expect.poll(() => page.locator('.shell-status').textContent()).toContain('支出#2（¥800.00）已批准，计入支出。');
    expect(await main.textContent()).toContain('¥-788.00');
    expect(await main.textContent()).toContain('没有待决定的支出。');
    await check(page, 'fund-decided');
    expect(errors).toEqual([]);

    const audit = await test.app.database.prisma.auditLog.findFirstOrThrow({ where: { communityId: test.app.communityId, action: 'fund.expense_decided', subjectType: 'fund_expense' } });
    expect(audit).toMatchObject({ actorId: people.chairId, via: 'console', details: { decision: 'approve', number: 2 } });
  });

  it("lets the area's steward record a payment and an expense, without deciding: a decision posted anyway is refused", async () => {
    const prisma = test.app.database.prisma;
    const { page, errors } = await openPage(browser, SIZES[0]);
    await signIn(page, '张网格', people.stewardId);
    await page.goto(`${base}/staff/fund`);
    const main = page.locator('main');
    expect(await page.locator('form[action$="/approve"]').count()).toBe(0);
    const household = await prisma.household.findUniqueOrThrow({ where: { id: people.householdId } });

    // A typo in the amount is answered in words, and nothing is recorded.
    const before = await prisma.fundContribution.count();
    await page.fill('#fund-c-household', household.code);
    await page.fill('#fund-c-amount', '十元');
    await page.locator('form[action="/staff/fund/contributions"] button').click();
    await expect.poll(() => page.locator('.shell-status').textContent()).toContain('金额无效');
    expect(await prisma.fundContribution.count()).toBe(before);
    await page.fill('#fund-c-household', household.code);
    await page.fill('#fund-c-amount', '10');
    await page.fill('#fund-c-receipt', 'R-2026-0001');
    await page.locator('form[action="/staff/fund/contributions"] button').click();
    await expect.poll(() => page.locator('.shell-status').textContent()).toContain(`已登记：户号${household.code}缴纳¥10.00。`);
    expect(await prisma.fundContribution.count()).toBe(before + 1);

    await page.fill('#fund-e-amount', '600');
    await page.fill('#fund-e-purpose', '修补巷道路面');
    await page.locator('form[action="/staff/fund/expenses"] button').click();
    await expect.poll(() => page.locator('.shell-status').textContent()).toContain('已登记支出#3：¥600.00，超过门槛，等待居委会一事一议');
    expect(await main.textContent()).toContain('超过门槛的支出由居委会成员逐项决定。');
    await check(page, 'fund-steward');
    // The typo's answer is a 400 page, as meant; nothing else went wrong.
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);

    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const answer = await page.evaluate(async (csrf) => {
      const response = await fetch('/staff/fund/expenses/3/approve', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf)}` });
      return { status: response.status, text: await response.text() };
    }, token);
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('您目前的职务不能办理这件事');
    const expense = await prisma.fundExpense.findFirstOrThrow({ where: { number: 3, fund: { communityId: test.app.communityId } } });
    expect(expense.status).toBe('pending');
    const refusal = await prisma.auditLog.findFirstOrThrow({ where: { communityId: test.app.communityId, action: 'fund.expense_decided', actorId: people.stewardId } });
    expect(refusal).toMatchObject({ via: 'console', details: { denied: true, reason: 'role_required', number: 3 } });
  });
});
