import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBrowser, startWebChat, type WebChatHarness } from './web-chat-harness.js';
import { sessionCookieHeader } from '../../../src/channels/web/session-cookie.js';

describe('web chat page and identity cookie', () => {
  let chat: WebChatHarness;
  beforeAll(async () => {
    chat = await startWebChat({ communityName: '阳光<花园>', trustProxy: true });
  });
  afterAll(async () => {
    await chat.close();
  });

  it('issues a random, HttpOnly, SameSite=Lax cookie scoped to /chat to a new browser', async () => {
    const first = await chat.app.inject({ method: 'GET', url: '/chat' });
    const second = await chat.app.inject({ method: 'GET', url: '/chat' });
    expect(first.statusCode).toBe(200);
    const cookie = String(first.headers['set-cookie']);
    // The token (43 characters) and its signature.
    const match = /^linli_chat=([A-Za-z0-9_-]{43})\.([A-Za-z0-9%_-]{43,}); /.exec(cookie);
    expect(match).not.toBeNull();
    expect(cookie).toContain('Path=/chat');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(Number(/Max-Age=(\d+)/.exec(cookie)?.[1])).toBeGreaterThan(180 * 24 * 3600);
    expect(String(second.headers['set-cookie'])).not.toBe(cookie);
  });

  it('keeps an existing cookie instead of replacing it', async () => {
    const browser = newBrowser();
    const page = await chat.app.inject({ method: 'GET', url: '/chat', headers: { cookie: browser.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('gives a browser with a forged, altered or foreign cookie a fresh session, never the one it names', async () => {
    const victim = newBrowser();
    await chat.channel.send(victim.sessionId, { text: '只给这位居民看的消息' });
    const signature = victim.cookie.slice(victim.cookie.indexOf('.'));
    const forgeries = [
      `linli_chat=${victim.token}`, // the bare token, as the cookie was before it was signed
      `linli_chat=${victim.token}${signature.slice(0, 10)}${signature[10] === 'x' ? 'y' : 'x'}${signature.slice(11)}`, // the signature altered
      `linli_chat=${newBrowser().token}${signature}`, // another token under this signature
      sessionCookieHeader(victim.token, 'a-key-this-server-does-not-have'),
    ];
    for (const cookie of forgeries) {
      const page = await chat.app.inject({ method: 'GET', url: '/chat', headers: { cookie } });
      expect(page.statusCode).toBe(200);
      const fresh = String(page.headers['set-cookie']).split(';')[0]!;
      expect(fresh, cookie).toMatch(/^linli_chat=./);
      expect(fresh).not.toContain(victim.token);
      const forged = await chat.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie } });
      expect(forged.statusCode, cookie).toBe(401);
      const history = await chat.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie: fresh } });
      expect(history.statusCode).toBe(200);
      expect(history.json()).toEqual({ rows: [] });
    }
    const own = await chat.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie: victim.cookie } });
    expect(own.json().rows).toHaveLength(1);
  });

  it('marks the cookie Secure when the page is reached over HTTPS behind a trusted proxy', async () => {
    const page = await chat.app.inject({ method: 'GET', url: '/chat', headers: { 'x-forwarded-proto': 'https' } });
    expect(String(page.headers['set-cookie'])).toMatch(/; Secure(;|$)/);
    const plain = await chat.app.inject({ method: 'GET', url: '/chat' });
    expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
  });

  it('serves the page in the browser’s language, zh-CN by default, with the community name escaped', async () => {
    const zh = await chat.app.inject({ method: 'GET', url: '/chat', headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    expect(zh.headers['content-type']).toContain('text/html');
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('placeholder="输入消息…"');
    expect(zh.body).toContain('阳光&#60;花园&#62;');
    expect(zh.body).not.toContain('阳光<花园>');

    const en = await chat.app.inject({ method: 'GET', url: '/chat', headers: { 'accept-language': 'fr-FR, en-GB;q=0.7' } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('placeholder="Type a message…"');

    const unknown = await chat.app.inject({ method: 'GET', url: '/chat', headers: { 'accept-language': 'fr, de;q=0.5' } });
    expect(unknown.body).toContain('<html lang="zh-CN">');
  });

  it('injects the script strings as JSON that cannot close its script element', async () => {
    const page = await chat.app.inject({ method: 'GET', url: '/chat' });
    const block = /<script type="application\/json" id="chat-config">([^<]*)<\/script>/.exec(page.body);
    expect(block).not.toBeNull();
    const config = JSON.parse(block?.[1] ?? '{}');
    expect(config.locale).toBe('zh-CN');
    expect(config.maxTextLength).toBe(2000);
    expect(config.strings.reconnecting).toBe('网络已断开，正在重新连接…');
    expect(config.strings.title).toBe('阳光<花园> · 邻里');
    // Every language's words, for a switch of language in the conversation without a reload.
    expect(config.locales['zh-CN'].send).toBe('发送');
    expect(config.locales.en.send).toBe('Send');
    expect(config.locales.en.placeholder).toBe('Type a message…');
  });

  it('sends a Content-Security-Policy that allows no inline or foreign script', async () => {
    const page = await chat.app.inject({ method: 'GET', url: '/chat' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('serves the page assets with an ETag and answers 304 to a revalidation', async () => {
    const css = await chat.app.inject({ method: 'GET', url: '/chat/assets/chat.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.body).toContain('Noto Sans CJK SC');
    const again = await chat.app.inject({
      method: 'GET',
      url: '/chat/assets/chat.css',
      headers: { 'if-none-match': String(css.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const script = await chat.app.inject({ method: 'GET', url: '/chat/assets/chat.js' });
    expect(script.headers['content-type']).toContain('javascript');
    expect((await chat.app.inject({ method: 'GET', url: '/chat/assets/index.html' })).statusCode).toBe(404);
    expect((await chat.app.inject({ method: 'GET', url: '/chat/assets/..%2Fweb-channel.ts' })).statusCode).toBe(404);
  });

  it('refuses every API call without a valid cookie with a localized reason', async () => {
    const calls = [
      { method: 'GET' as const, url: '/chat/api/history' },
      { method: 'GET' as const, url: '/chat/api/events' },
      { method: 'POST' as const, url: '/chat/api/messages', payload: { id: crypto.randomUUID(), text: 'hi' } },
      { method: 'POST' as const, url: '/chat/api/start', payload: {} },
    ];
    for (const call of calls) {
      const response = await chat.app.inject(call);
      expect(response.statusCode, call.url).toBe(401);
      expect(response.json().message).toBe('聊天会话已失效，请刷新页面。');
    }
    const forged = await chat.app.inject({
      method: 'GET',
      url: '/chat/api/history',
      headers: { cookie: 'linli_chat=short', 'accept-language': 'en' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().message).toBe('Your chat session has expired. Please reload the page.');
  });
});
