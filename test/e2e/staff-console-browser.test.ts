/**
 * The default install's whole loop in Chromium: a resident binds and files a complaint in the web
 * chat; a staff member signed in on /staff sees it appear without reloading, claims it, replies
 * (the resident reads the reply in the web chat) and resolves it; the resident rates it. A
 * steward of another area is refused and nothing changes; a form sent without its CSRF token is
 * refused. Every console page passes axe-core and is photographed at 390×844 and 1280×800
 * (`STAFF_SCREENSHOTS=<dir>` keeps the pictures).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createInviteCode } from '../../src/features/identity/invite-codes.js';
import { axeViolations } from '../support/axe.js';
import { signInInChromium } from '../support/staff-chromium.js';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { seedInboxPeople, type InboxPeople } from '../inbox/support.js';

const FAST = { FLOOD_MAX_MESSAGES: '1000' };
const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const;
const screenshots = process.env['STAFF_SCREENSHOTS'];

describe.skipIf(!haveChromium).each(databaseTargets())('the staff console in Chromium (%s)', (target) => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let people: InboxPeople;
  let otherStewardId: string;

  beforeAll(async () => {
    test = await startTestApp(target, FAST, undefined, { serve: true });
    const address = test.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const prisma = test.app.database.prisma;
    people = await seedInboxPeople(prisma, test.app.communityId);
    const otherZone = await prisma.area.create({ data: { communityId: test.app.communityId, name: '胜利片区', path: '胜利片区', depth: 1 } });
    const other = await prisma.resident.create({ data: { communityId: test.app.communityId, name: '孙网格', phone: '13500004444' } });
    await prisma.roleAssignment.create({ data: { communityId: test.app.communityId, residentId: other.id, role: 'steward', areaId: otherZone.id } });
    otherStewardId = other.id;
    browser = await launchChromium();
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const signIn = (page: Page, name: string, residentId: string) => signInInChromium(page, test.app, base, name, residentId);

  /** The resident's web chat: press a bot button by its label, or type. */
  async function press(chat: Page, label: string): Promise<void> {
    // The newest message's button: older messages' buttons are greyed out as new ones arrive.
    const buttonOf = chat.locator('#log .msg-out').last().locator('button:not([disabled])', { hasText: label });
    await buttonOf.waitFor();
    await buttonOf.click();
  }
  async function type(chat: Page, text: string): Promise<void> {
    await chat.getByLabel('输入消息').fill(text);
    await chat.getByLabel('输入消息').press('Enter');
  }
  async function botSays(chat: Page, words: string): Promise<void> {
    await chat.locator('#log .msg-out', { hasText: words }).last().waitFor();
  }

  async function check(page: Page, name: string): Promise<void> {
    expect(await axeViolations(page), `${name}: axe-core`).toEqual([]);
    if (screenshots) await page.screenshot({ path: join(screenshots, `${name}-${page.viewportSize()!.width}.png`), fullPage: true });
  }

  it('runs the loop: filed in the web chat, answered on /staff, rated in the web chat', async () => {
    const prisma = test.app.database.prisma;
    const invite = await createInviteCode(prisma, { communityId: test.app.communityId, residentId: people.residentId, ttlDays: 7, actor: { kind: 'operator' } });

    const { page: staff, errors: staffErrors } = await openPage(browser, SIZES[1]);
    await signIn(staff, '李主任', people.chairId);
    await staff.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await check(staff, 'inbox-empty');

    const { page: chat } = await openPage(browser, SIZES[0]);
    await chat.goto(`${base}/chat`);
    await chat.locator('#log .msg-out').first().waitFor();
    await type(chat, invite.code);
    await botSays(chat, '王秀英');
    await botSays(chat, '请选择您要办理的事项');
    await press(chat, '投诉或建议');
    await press(chat, '投诉 / 反映问题');
    await press(chat, '环境卫生');
    await type(chat, '院里的垃圾三天没人清运了');
    await press(chat, '就在家附近');
    await press(chat, '跳过');
    await press(chat, '不用隐去');
    await press(chat, '不公开内容');
    await press(chat, '确认');
    await botSays(chat, '工单编号');
    const number = /工单编号(MQ-\d{4}-\d{5})/.exec((await chat.locator('#log .msg-out', { hasText: '工单编号' }).last().textContent()) ?? '')![1]!;

    // The staff page shows it without a reload.
    await staff.locator('[data-card]', { hasText: number }).waitFor();
    expect(await staff.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await check(staff, 'inbox');

    await staff.locator('[data-card]', { hasText: number }).click();
    await staff.waitForURL(`${base}/staff/tickets/${number}`);
    await check(staff, 'ticket');
    await staff.locator(`form[action$="/actions/claim"] button`).click();
    await staff.waitForURL(/done=claim/);
    await staff.locator(`form[action$="/actions/reply"] textarea`).fill('您好，明天上午安排清运。');
    await staff.locator(`form[action$="/actions/reply"] button`).click();
    await staff.waitForURL(/done=reply/);
    await botSays(chat, '明天上午安排清运');

    await staff.locator(`form[action$="/actions/resolve"] textarea`).fill('已清运完毕');
    await staff.locator(`form[action$="/actions/resolve"] button`).click();
    await staff.waitForURL(/done=resolve/);
    await botSays(chat, '已清运完毕');
    await check(staff, 'ticket-resolved');

    // The resident rates it from the web chat.
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { number } });
    expect(ticket.status).toBe('resolved');
    expect(ticket.assigneeId).toBe(people.chairId);
    await type(chat, `评价 ${number}`);
    await press(chat, '非常满意');
    await press(chat, '解决了');
    await press(chat, '不用了，提交');
    await botSays(chat, '谢谢您的评价');
    await expectRated(number);
    expect(staffErrors).toEqual([]);
  });

  async function expectRated(number: string): Promise<void> {
    const prisma = test.app.database.prisma;
    for (let i = 0; i < 50; i++) {
      const row = await prisma.ticket.findFirstOrThrow({ where: { number }, select: { rating: true } });
      if (row.rating !== null) return void expect(row.rating).toBe(5);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect.fail(`${number} was not rated`);
  }

  it('refuses a steward of another area, and a form without its CSRF token; nothing changes', async () => {
    const prisma = test.app.database.prisma;
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { householdId: people.householdId }, orderBy: { createdAt: 'desc' } });
    const before = await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { version: true, status: true } });

    const { page } = await openPage(browser, SIZES[0]);
    await signIn(page, '孙网格', otherStewardId);
    await check(page, 'inbox-other-area');
    expect(await page.locator('[data-card]', { hasText: ticket.number }).count()).toBe(0);
    const response = await page.goto(`${base}/staff/tickets/${ticket.number}`);
    expect(response?.status()).toBe(403);
    await check(page, 'denied');
    // A forged form (their own valid token) to reopen it: refused by the policy, audited.
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post(`${base}/staff/tickets/${ticket.number}/actions/reopen`, { form: { _csrf: token, text: '重开' } });
    expect(forged.status()).toBe(403);
    // No token at all: refused before anything is read.
    const noToken = await page.request.post(`${base}/staff/tickets/${ticket.number}/actions/reopen`, { form: { text: '重开' } });
    expect(noToken.status()).toBe(403);
    expect(await noToken.text()).toContain('页面已过期');
    const after = await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { version: true, status: true } });
    expect(after).toEqual(before);
    const refusals = await prisma.auditLog.count({ where: { actorId: otherStewardId, subjectId: ticket.id } });
    expect(refusals).toBeGreaterThan(0);
  });

  it.each(SIZES)('passes axe-core on the sign-in, setup, figures and account pages at $width×$height', async (size) => {
    const { page } = await openPage(browser, size);
    await page.goto(`${base}/staff/sign-in`);
    await check(page, 'sign-in');
    // No administrator yet: the start-up line's setup page, and the form refusing a bad name.
    const [line] = await test.app.readyLines(base);
    await page.goto(/https?:\/\/\S+\/staff\/setup\/\S+/.exec(line!)![0]);
    await check(page, 'setup');
    await page.fill('#setup-name', ' ');
    await page.locator('form.auth-form button[type="submit"]').click();
    await check(page, 'setup-refused');
    await signIn(page, '李主任', people.chairId);
    for (const path of ['/staff/figures', '/staff/account']) {
      await page.goto(`${base}${path}`);
      await check(page, path.slice(7));
    }
  });
});
