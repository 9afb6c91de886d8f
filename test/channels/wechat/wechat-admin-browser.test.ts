/**
 * The WeChat admin page in a real headless Chromium (playwright-core), fed by a real wechaty on
 * the mock WeChat: the QR code it draws must scan back to the login URL, and the page must
 * notice the login by itself. Chromium comes from CHROMIUM_PATH (default /usr/bin/chromium);
 * without it this file is skipped, unless REQUIRE_BROWSER_TESTS=1 makes that a failure.
 * Screenshots go to SCREENSHOT_DIR when it is set.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { FileBox } from 'file-box';
import type { Browser, Page } from 'playwright-core';
import { haveChromium, launchChromium, openPage } from '../../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanStatus } from 'wechaty';
import { deriveWeChatAdminToken, registerWeChatAdminRoutes, weChatAdminUrl } from '../../../src/channels/wechat/admin-routes.js';
import { startWeChat, weChatTranslator, type WeChatHarness } from './wechat-harness.js';

const screenshotDir = process.env.SCREENSHOT_DIR;

const LOGIN_URL = 'https://login.weixin.qq.com/l/4ZxPq9_Linli-test==';

describe.skipIf(!haveChromium)('WeChat admin page in Chromium', () => {
  let wx: WeChatHarness;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let url: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    wx = await startWeChat();
    await wx.start();
    const token = deriveWeChatAdminToken('s'.repeat(64));
    app = Fastify();
    registerWeChatAdminRoutes(app, { login: wx.channel.login, translator: weChatTranslator(), defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai', token });
    url = weChatAdminUrl(await app.listen({ host: '127.0.0.1', port: 0 }), token);
    browser = await launchChromium();
    ({ page } = await openPage(browser, { width: 480, height: 720 }, pageErrors));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await wx?.close();
  });

  async function screenshot(name: string): Promise<void> {
    if (!screenshotDir) return;
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
  }

  it('shows a QR code that scans back to the login URL', async () => {
    wx.mocker.scan(LOGIN_URL, ScanStatus.Waiting);
    await page.goto(url);
    await page.getByRole('status').filter({ hasText: '等待扫码登录' }).waitFor();
    const qr = page.getByRole('img', { name: '微信登录二维码' });
    const box = await qr.boundingBox();
    // Big enough to scan from a phone held to the screen.
    expect(box!.width).toBeGreaterThanOrEqual(240);
    const picture = await qr.screenshot({ type: 'png' });
    expect(await FileBox.fromBuffer(picture, 'qr.png').toQRCode()).toBe(LOGIN_URL);
    await screenshot('wechat-admin.png');
  });

  it('notices the login by itself and shows the account id', async () => {
    wx.mocker.login(wx.botUser);
    await page.getByRole('status').filter({ hasText: '已登录' }).waitFor({ timeout: 10_000 });
    expect(await page.getByText(`机器人账号 ID：${wx.botUser.id}`).count()).toBe(1);
    expect(await page.getByRole('img', { name: '微信登录二维码' }).count()).toBe(0);
    await screenshot('wechat-admin-logged-in.png');
  });

  it('ran without script errors or policy violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
