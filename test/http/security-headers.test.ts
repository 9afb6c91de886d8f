/**
 * Security headers (@fastify/helmet) on the running app, and the pages still work under them:
 * every script and style the web chat page and the WeChat admin page use is one their
 * Content-Security-Policy allows, and the event stream still opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { createHttpServer } from '../../src/http/server.js';
import { registerWeChatAdminRoutes } from '../../src/channels/wechat/admin-routes.js';
import { WeChatLoginStatus } from '../../src/channels/wechat/login-status.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { translator } from '../features/tickets/scheduling/harness.js';

type Headers = Record<string, string | string[] | number | undefined>;

/** The directives of a Content-Security-Policy header, by name. */
function csp(headers: Headers): Map<string, string[]> {
  const policy = String(headers['content-security-policy'] ?? '');
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
}

function expectHelmet(headers: Headers) {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['strict-transport-security']).toBe('max-age=15552000');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['x-dns-prefetch-control']).toBe('off');
}

describe('security headers on the running app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite', {}, undefined, { serve: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('JSON answers allow nothing to run or frame them elsewhere', async () => {
    const health = await t.app.http.inject({ method: 'GET', url: '/healthz' });
    expectHelmet(health.headers);
    const policy = csp(health.headers);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
  });

  it('the web chat page: its policy, and every script and style it uses is one the policy allows', async () => {
    const page = await t.app.http.inject({ method: 'GET', url: '/chat' });
    expect(page.statusCode).toBe(200);
    expectHelmet(page.headers);
    const policy = csp(page.headers);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
    // No inline script that would run (the config block is data), no inline style at all.
    const scripts = [...page.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes, attributes).toMatch(/\bsrc="\/chat\/assets\/|type="application\/json"/);
    expect(page.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    // Its own assets load from the same origin.
    for (const [, href] of page.body.matchAll(/(?:src|href)="(\/chat\/assets\/[^"]+)"/g)) {
      const asset = await t.app.http.inject({ method: 'GET', url: href! });
      expect(asset.statusCode, href).toBe(200);
      expect(asset.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });

  it('the event stream still opens under the headers', async () => {
    const address = t.app.http.server.address() as { port: number };
    const page = await fetch(`http://127.0.0.1:${address.port}/chat`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const abort = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${address.port}/chat/api/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = stream.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('retry:');
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe.skipIf(!haveChromium)('the web chat page under the headers, in Chromium', () => {
  it('greets, takes a button press and a photo, with no script error or policy violation', async () => {
    const t = await startTestApp('pglite', {}, undefined, { serve: true });
    const browser = await launchChromium();
    try {
      const address = t.app.http.server.address() as { port: number };
      const errors: string[] = [];
      const { page } = await openPage(browser, { width: 390, height: 844 }, errors);
      await page.goto(`http://127.0.0.1:${address.port}/chat`);
      // The greeting's menu arrives over the event stream; pressing a button sends a message.
      const firstButton = page.locator('#log button').first();
      await firstButton.waitFor();
      const before = await page.locator('#log .msg').count();
      await firstButton.click();
      await page.waitForFunction((count) => document.querySelectorAll('#log .msg').length > count + 1, before);
      const picture = await page.screenshot({ type: 'png' });
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: '发送照片' }).click();
      await (await chooser).setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: picture });
      await page.locator('#log img').first().waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await t.close();
    }
  }, 120_000);
});

describe('security headers on the WeChat admin page', () => {
  it('keeps its own nonce policy, and its one style carries that nonce', async () => {
    const http = createHttpServer(createLogger('silent'), []);
    registerWeChatAdminRoutes(http, { login: new WeChatLoginStatus(), translator, defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai', token: 'admin-token-0123456789' });
    try {
      const page = await http.inject({ method: 'GET', url: '/admin/wechat?token=admin-token-0123456789' });
      expect(page.statusCode).toBe(200);
      expectHelmet(page.headers);
      expect(page.headers['x-frame-options']).toBe('DENY');
      const policy = csp(page.headers);
      expect(policy.get('default-src')).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      const nonce = /^'nonce-(.+)'$/.exec(policy.get('style-src')?.[0] ?? '')?.[1];
      expect(nonce).toBeDefined();
      const styles = [...page.body.matchAll(/<style([^>]*)>/g)].map((m) => m[1]);
      expect(styles).toEqual([` nonce="${nonce}"`]);
      expect(page.body).not.toMatch(/<script|\sstyle=/i);
    } finally {
      await http.close();
    }
  });
});
