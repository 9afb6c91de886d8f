/**
 * Each route reads no more body than it needs, and a request without its key, secret or session
 * is refused before its body is read: a stranger's 12 MB body is never parsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { createHttpServer } from '../../src/http/server.js';
import { registerTelegramWebhookRoute, SECRET_HEADER } from '../../src/channels/telegram/webhook-route.js';
import type { TelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { newBrowser, newClientId, startWebChat, type WebChatHarness } from '../channels/web/web-chat-harness.js';
import { INTERNALS } from '../support/internals.js';

const MB12 = Buffer.alloc(12 * 1024 * 1024, 'a');
const SECRET = 'webhook-secret-0123456789';

describe('body limits and checks before the body', () => {
  let chat: WebChatHarness;
  beforeAll(async () => {
    chat = await startWebChat();
  });
  afterAll(async () => {
    await chat.close();
  });

  const chatPost = (url: string, payload: Buffer | string, headers: Record<string, string> = {}) =>
    chat.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers }, payload });

  it('web chat: no session, 401 before a 12 MB body is read; with one, each route’s own limit', async () => {
    for (const url of ['/chat/api/messages', '/chat/api/start', `/chat/api/photos?id=${newClientId()}`]) {
      const stranger = await chatPost(url, MB12);
      expect(stranger.statusCode, url).toBe(401);
      expect(stranger.json().error).toBe('session');
      const forged = await chatPost(url, MB12, { cookie: 'linli_chat=not-a-token' });
      expect(forged.statusCode, url).toBe(401);
    }
    const { cookie } = newBrowser();
    const message = await chatPost('/chat/api/messages', `{"id":"${newClientId()}","text":"${'x'.repeat(20_000)}"}`, { cookie });
    expect(message.statusCode).toBe(413);
    expect(message.json().error).toBe('tooLong');
    const start = await chatPost('/chat/api/start', `{"pad":"${'x'.repeat(2_000)}"}`, { cookie });
    expect(start.statusCode).toBe(413);
    expect(start.body).not.toMatch(INTERNALS);
    // Nothing a person typed was too long: the page is told the request was not readable.
    expect(start.json().error).toBe('invalid');
    const photo = await chatPost(`/chat/api/photos?id=${newClientId()}`, MB12, { cookie, 'content-type': 'image/jpeg' });
    expect(photo.statusCode).toBe(413);
    expect(photo.json().error).toBe('photoTooLarge');
  });

  it('Telegram webhook: no secret, 401 before a 12 MB body is read; with it, a 256 KB limit', async () => {
    const http = createHttpServer(createLogger('silent'), []);
    const channel = { webhook: { url: 'https://bot.example.org/telegram/hook', secret: SECRET }, receiveWebhookUpdate: async () => 'accepted' } as unknown as TelegramChannel;
    registerTelegramWebhookRoute(http, channel);
    try {
      const post = (payload: Buffer | string, headers: Record<string, string> = {}) =>
        http.inject({ method: 'POST', url: '/telegram/hook', headers: { 'content-type': 'application/json', ...headers }, payload });
      expect((await post(MB12)).statusCode).toBe(401);
      expect((await post(MB12, { [SECRET_HEADER]: 'wrong-secret-0123456789' })).statusCode).toBe(401);
      const large = await post(`{"update_id":1,"pad":"${'x'.repeat(300 * 1024)}"}`, { [SECRET_HEADER]: SECRET });
      expect(large.statusCode).toBe(413);
      expect(large.json()).toEqual({ error: 'Payload Too Large' });
      expect((await post('{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"hi"}}', { [SECRET_HEADER]: SECRET })).statusCode).toBe(200);
    } finally {
      await http.close();
    }
  });

  it('any other route takes a small body at most', async () => {
    const http = createHttpServer(createLogger('silent'), []);
    http.post('/echo', async () => ({ ok: true }));
    try {
      const response = await http.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: `{"pad":"${'x'.repeat(20 * 1024)}"}` });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({ error: 'Payload Too Large' });
      // The connection stays (the rest of the body is read and dropped), so a client still
      // uploading receives the reason instead of a reset connection.
      expect(response.headers['connection']).not.toBe('close');
    } finally {
      await http.close();
    }
  });
});
