/**
 * The notices archive in the web chat page, in Chromium: a newcomer presses 📢 通知公告, sees the
 * latest notices for everyone as buttons (the disclosure marked 【公开】), opens the water cut and
 * sees its photo, its words and its ✅收到 button, then presses 🔍 搜索, types
 * "什么时候停水？" and finds it. Photographed at each step when `E2E_SCREENSHOT_DIR` names a folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storePhoto } from '../../src/channels/media/photo-files.js';
import { noticeSearchText } from '../../src/features/notices/archive/notice-search-text.js';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';

const screenshots = process.env['E2E_SCREENSHOT_DIR'];
const HOUR = 3_600_000;

/** A notice board's photo, drawn offline (resvg, the system's CJK fonts): what a notice carries. */
async function posterPng(): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300"><rect width="480" height="300" fill="#e8f1fb"/>
    <text x="240" y="120" font-size="56" text-anchor="middle" fill="#174a7c">停水通知</text>
    <text x="240" y="190" font-size="28" text-anchor="middle" fill="#333">12月10日 8:00–18:00</text></svg>`;
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng());
}

describe.skipIf(!haveChromium).each(databaseTargets())('the notices archive in the web chat, in Chromium (%s)', (target) => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  const errors: string[] = [];

  const snap = async (name: string) => {
    if (screenshots) await page.screenshot({ path: join(screenshots, `notices-${name}.png`), fullPage: true });
  };
  /** Bot bubbles containing `words`. */
  const countSaying = (words: string) => page.evaluate((wanted) => [...document.querySelectorAll('#log .msg-out')].filter((node) => (node.textContent ?? '').includes(wanted)).length, words);
  /** Does `action` and waits for a new bot bubble containing `words` (one said earlier does not count). */
  const botSaysAfter = async (action: () => Promise<void>, words: string) => {
    const before = await countSaying(words);
    await action();
    await page.waitForFunction(
      ([wanted, seen]) => [...document.querySelectorAll('#log .msg-out')].filter((node) => (node.textContent ?? '').includes(wanted as string)).length > (seen as number),
      [words, before] as const,
      { timeout: 15_000 },
    );
  };
  const type = async (text: string) => {
    await page.locator('#text').click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  };
  /** Presses the newest button labelled with `label`. */
  const press = async (label: string) => {
    const buttons = page.locator('#log .msg-out .choice-button', { hasText: label });
    await buttons.last().click();
  };

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    const address = test.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const prisma = test.app.database.prisma;
    const photoRef = await storePhoto(test.app.config.DATA_DIR, await posterPng(), 'image/png');
    const notices = [
      { title: '停水通知', body: '因市政管网改造，12月10日（周四）8:00至18:00，团结巷、光明巷全体住户停水。请提前储备生活用水。', photoRef, asksConfirmation: true },
      { title: '计划停电通知', body: '供电公司检修线路，12月12日9:00至15:00停电，电梯暂停运行。' },
      { title: '物业基金11月收支', body: '11月收入：住户缴费3,200元；支出：公共照明维修850元；月末余额12,430元。', kind: 'disclosure' },
      { title: '垃圾分类投放新规', body: '厨余垃圾、可回收物、有害垃圾、其他垃圾分别投放。' },
    ];
    for (const [index, notice] of notices.entries()) {
      await prisma.notice.create({
        data: {
          communityId: test.app.communityId,
          number: `TZ-2026-${String(index + 1).padStart(5, '0')}`,
          kind: notice.kind ?? 'notice',
          locale: 'zh-CN',
          title: notice.title,
          body: notice.body,
          audience: { everyone: true },
          status: 'sent',
          sentAt: new Date(Date.now() - (index + 1) * HOUR),
          photoRef: notice.photoRef ?? null,
          asksConfirmation: notice.asksConfirmation ?? false,
          searchText: noticeSearchText(notice),
        },
      });
    }
    browser = await launchChromium();
    ({ page } = await openPage(browser, { width: 390, height: 844 }, errors));
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('lists the latest notices, the disclosure marked', async () => {
    await page.goto(`${base}/chat`);
    await page.locator('#log .msg-out .choice-button', { hasText: '通知公告' }).waitFor();
    await botSaysAfter(() => press('通知公告'), '最新通知（第1–4条，共4条）');
    const labels = await page.locator('#log .msg-out').last().locator('.choice-button').allTextContents();
    expect(labels.slice(0, 4).map((label) => label.replace(/（.*）$/, ''))).toEqual(['停水通知', '计划停电通知', '【公开】物业基金11月收支', '垃圾分类投放新规']);
    expect(labels.slice(4)).toEqual(['🔍 搜索', '回到主菜单']);
    await snap('list');
  });

  it('opens the water cut: its photo, its words and its 收到 button', async () => {
    await botSaysAfter(() => press('停水通知'), '请用上面通知下方的按钮回复');
    const notice = page.locator('#log .msg-out', { hasText: '📢停水通知' }).last();
    await expect.poll(() => notice.locator('img.bubble-photo').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(480);
    expect(await notice.textContent()).toContain('团结巷、光明巷全体住户停水');
    expect(await notice.locator('.choice-button').allTextContents()).toEqual(['✅收到']);
    await snap('opened');
  });

  it('finds it with the person’s own words', async () => {
    await botSaysAfter(() => type('通知'), '最新通知（第1–4条，共4条）');
    await botSaysAfter(() => press('搜索'), '请说说您想找什么通知');
    await botSaysAfter(() => type('什么时候停水？'), '与“什么时候停水？”有关的通知（第1–1条，共1条）');
    const labels = await page.locator('#log .msg-out').last().locator('.choice-button').allTextContents();
    expect(labels[0]).toMatch(/^停水通知（/);
    expect(labels.join()).not.toContain('停电');
    await snap('found');
    expect(errors).toEqual([]);
  });
});
