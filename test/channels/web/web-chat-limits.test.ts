/**
 * Per-address limits on the web chat: a flood of new sessions, messages, photos or event
 * streams from one address gets 429 with Retry-After and a plain reason in the browser's
 * language, while another address goes on as if nothing happened.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBrowser, newClientId, startWebChat, type WebChatHarness } from './web-chat-harness.js';
import { databaseTargets } from '../../support/database.js';

const FLOODER = '192.0.2.10';
const NEIGHBOUR = '198.51.100.20';
/** Smallest JPEG the channel accepts: the magic bytes. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

describe.each(databaseTargets())('web chat limits per address (%s)', (target) => {
  let chat: WebChatHarness;
  beforeAll(async () => {
    chat = await startWebChat({ target, limits: { sessionsPerMinute: 5, messagesPerMinute: 4, uploadsPerMinute: 2, streamsPerAddress: 2 } });
  });
  afterAll(async () => {
    await chat.close();
  });

  const page = (remoteAddress: string, cookie?: string) =>
    chat.app.inject({ method: 'GET', url: '/chat', remoteAddress, headers: { 'accept-language': 'zh-CN', ...(cookie ? { cookie } : {}) } });

  const expectTooMany = (response: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
    expect(response.statusCode).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  };

  it('opens at most WEB_CHAT_SESSIONS_PER_MINUTE sessions for one address; returning browsers and other addresses are not held back', async () => {
    const cookies: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await page(FLOODER);
      expect(response.statusCode).toBe(200);
      cookies.push(String(response.headers['set-cookie']).split(';')[0]!);
    }
    const refused = await page(FLOODER);
    expectTooMany(refused);
    expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(refused.body).toMatch(/^您所在的网络请求太频繁了，请\d+秒后再试。$/);
    expect(refused.headers['set-cookie']).toBeUndefined();
    // A browser that already has its session comes back freely.
    expect((await page(FLOODER, cookies[0])).statusCode).toBe(200);
    // The neighbour is not locked out.
    const neighbour = await page(NEIGHBOUR);
    expect(neighbour.statusCode).toBe(200);
    expect(String(neighbour.headers['set-cookie'])).toMatch(/^linli_chat=/);
  });

  it('takes at most WEB_CHAT_MESSAGES_PER_MINUTE messages and WEB_CHAT_UPLOADS_PER_MINUTE photos from one address', async () => {
    const send = (remoteAddress: string, cookie: string) =>
      chat.app.inject({ method: 'POST', url: '/chat/api/messages', remoteAddress, headers: { cookie, 'accept-language': 'en' }, payload: { id: newClientId(), text: 'hello' } });
    // Several sessions from one address share its budget.
    const browsers = [newBrowser(), newBrowser()];
    for (let i = 0; i < 4; i += 1) expect((await send(FLOODER, browsers[i % 2]!.cookie)).statusCode).toBe(200);
    const refused = await send(FLOODER, browsers[0]!.cookie);
    expectTooMany(refused);
    expect(refused.json()).toEqual({ error: 'tooMany', message: expect.stringMatching(/^Too many requests from your network\. Please wait \d+ seconds and try again\.$/) });
    expect((await send(NEIGHBOUR, newBrowser().cookie)).statusCode).toBe(200);

    const upload = (remoteAddress: string, cookie: string) =>
      chat.app.inject({ method: 'POST', url: `/chat/api/photos?id=${newClientId()}`, remoteAddress, headers: { cookie, 'content-type': 'image/jpeg' }, payload: JPEG });
    for (let i = 0; i < 2; i += 1) expect((await upload(FLOODER, browsers[0]!.cookie)).statusCode).toBeLessThan(429);
    expectTooMany(await upload(FLOODER, browsers[0]!.cookie));
    expect((await upload(NEIGHBOUR, newBrowser().cookie)).statusCode).toBeLessThan(429);
  });

  it('keeps at most WEB_CHAT_STREAMS_PER_ADDRESS event streams open per address, and frees a place when one closes', async () => {
    await chat.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (chat.app.server.address() as { port: number }).port;
    const open = (cookie: string) =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/chat/api/events', headers: { cookie, accept: 'text/event-stream' } }, resolve);
        req.on('error', reject);
        req.end();
      });
    const first = await open(newBrowser().cookie);
    const second = await open(newBrowser().cookie);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    const third = await open(newBrowser().cookie);
    expect(third.statusCode).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    third.resume();
    // Another address (here: a request injected as one) still gets its stream.
    const other = await chat.app.inject({ method: 'GET', url: '/chat/api/events?after=99', remoteAddress: NEIGHBOUR, headers: { cookie: newBrowser().cookie }, payloadAsStream: true });
    expect(other.statusCode).toBe(200);
    other.stream().destroy();
    const closed = new Promise((resolve) => first.once('close', resolve));
    first.destroy();
    await closed;
    // The server sees the close on its side a moment later: wait for the place to come back.
    let again: IncomingMessage;
    for (;;) {
      again = await open(newBrowser().cookie);
      if (again.statusCode === 200) break;
      again.resume();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    again.destroy();
    second.destroy();
  });
});
