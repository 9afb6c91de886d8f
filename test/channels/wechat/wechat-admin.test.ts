/**
 * The WeChat admin page over HTTP (fastify inject): the token rule, what each login state
 * shows, the language, and the headers that keep it out of caches, frames and search engines.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deriveWeChatAdminToken,
  localBaseUrl,
  registerWeChatAdminRoutes,
  WECHAT_ADMIN_PATH,
  weChatAdminUrl,
} from '../../../src/channels/wechat/admin-routes.js';
import { WeChatLoginStatus } from '../../../src/channels/wechat/login-status.js';
import { weChatTranslator } from './wechat-harness.js';

const SECRET = 'a'.repeat(64);
const TOKEN = deriveWeChatAdminToken(SECRET);
const LOGIN_URL = 'https://login.weixin.qq.com/l/4ZxPq9_test==';

describe('WeChat admin page', () => {
  let app: FastifyInstance;
  let login: WeChatLoginStatus;
  let clock: number;

  beforeEach(async () => {
    clock = Date.parse('2026-03-01T08:00:00Z');
    login = new WeChatLoginStatus(() => clock);
    app = Fastify();
    registerWeChatAdminRoutes(app, { login, translator: weChatTranslator(), defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai', token: TOKEN });
    await app.ready();
  });
  afterEach(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('derives a stable token from the secret, different for another secret', () => {
    expect(TOKEN).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(deriveWeChatAdminToken(SECRET)).toBe(TOKEN);
    expect(deriveWeChatAdminToken('b'.repeat(64))).not.toBe(TOKEN);
    expect(weChatAdminUrl('http://127.0.0.1:3000/', TOKEN)).toBe(`http://127.0.0.1:3000/admin/wechat?token=${TOKEN}`);
  });

  it('prints a local address an operator can open, also for wildcard hosts', () => {
    expect(localBaseUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000');
    expect(localBaseUrl('0.0.0.0', 3000)).toBe('http://127.0.0.1:3000');
    expect(localBaseUrl('::', 8080)).toBe('http://[::1]:8080');
    expect(localBaseUrl('192.168.1.20', 3000)).toBe('http://192.168.1.20:3000');
  });

  it('refuses without the token, or with a wrong one, and shows no QR code then', async () => {
    login.waitingForScan({ value: LOGIN_URL, scanned: false });
    for (const response of [
      await get(WECHAT_ADMIN_PATH),
      await get(`${WECHAT_ADMIN_PATH}?token=wrong`),
      await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN.slice(0, -1)}`),
      await get(WECHAT_ADMIN_PATH, { authorization: 'Bearer wrong', 'x-forwarded-for': '127.0.0.1' }),
    ]) {
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('需要访问令牌');
      expect(response.body).not.toContain('<svg');
      expect(response.body).not.toContain('等待扫码');
    }
  });

  it('takes the token from the query or an Authorization header', async () => {
    expect((await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN}`)).statusCode).toBe(200);
    expect((await get(WECHAT_ADMIN_PATH, { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
  });

  it('shows the QR code while waiting for a scan, and that it was scanned', async () => {
    clock += 5_000;
    login.waitingForScan({ value: LOGIN_URL, scanned: false });
    const waiting = await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN}`);
    expect(waiting.body).toContain('等待扫码登录');
    expect(waiting.body).toContain('<svg role="img" aria-label="微信登录二维码"');
    expect(waiting.body).toContain('请用作为机器人的那个微信号扫描');
    expect(waiting.body).toContain('<time datetime="2026-03-01T08:00:05.000Z">');
    expect(waiting.body).toContain('16:00:05');
    expect(waiting.body).toContain('<meta http-equiv="refresh" content="5">');

    login.waitingForScan({ value: LOGIN_URL, scanned: true });
    const scanned = await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN}`);
    expect(scanned.body).toContain('已扫码，请在手机上确认登录');
    expect(scanned.body).toContain('class="qr scanned"');
  });

  it('shows the bot’s account id once logged in, and no QR code', async () => {
    login.waitingForScan({ value: LOGIN_URL, scanned: false });
    login.loggedIn('wxid_bot123');
    const page = await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN}`);
    expect(page.body).toContain('已登录');
    expect(page.body).toContain('机器人账号 ID：wxid_bot123');
    expect(page.body).not.toContain('<svg');
    expect(page.body).toContain('<meta http-equiv="refresh" content="30">');
  });

  it('shows starting and logged out', async () => {
    expect((await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN}`)).body).toContain('正在启动微信');
    login.loggedOut();
    expect((await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN}`)).body).toContain('已退出登录');
  });

  it('speaks the browser’s language', async () => {
    login.waitingForScan({ value: LOGIN_URL, scanned: false });
    const page = await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN}`, { 'accept-language': 'en-GB,en;q=0.8' });
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Waiting for the login code to be scanned');
    expect(page.body).toContain('aria-label="WeChat login QR code"');
    const refused = await get(WECHAT_ADMIN_PATH, { 'accept-language': 'en' });
    expect(refused.body).toContain('This page needs an access token');
  });

  it('is kept out of caches, frames, referrers and search engines, and runs no script', async () => {
    login.waitingForScan({ value: LOGIN_URL, scanned: false });
    for (const response of [await get(`${WECHAT_ADMIN_PATH}?token=${TOKEN}`), await get(WECHAT_ADMIN_PATH)]) {
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-robots-tag']).toBe('noindex');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toMatch(/^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+';/);
      expect(csp).toContain("frame-ancestors 'none'");
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      expect(response.body).toContain(`<style nonce="${nonce}">`);
      expect(response.body).not.toContain('<script');
    }
  });
});
