/**
 * Input an attacker (or a broken client) sends to the web chat is refused at the edge with a
 * 400 and a plain reason in the browser's language: never a 500, never anything internal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBrowser, newClientId, startWebChat, type WebChatHarness } from './web-chat-harness.js';
import { databaseTargets } from '../../support/database.js';
import { INTERNALS } from '../../support/internals.js';


describe.each(databaseTargets())('web chat input at the edge (%s)', (target) => {
  let chat: WebChatHarness;

  beforeAll(async () => {
    chat = await startWebChat({ target });
  });
  afterAll(async () => {
    await chat.close();
  });

  const post = (cookie: string, payload: string, language = 'zh-CN') =>
    chat.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { cookie, 'accept-language': language, 'content-type': 'application/json' },
      payload,
    });

  it('refuses a NUL character or a lone surrogate in a message with a plain 400, in the browser’s language', async () => {
    const browser = newBrowser();
    // Written as JSON escapes, exactly as a script would send them.
    for (const text of ['abc\\u0000def', 'half an emoji \\ud83d', '\\udc4d backwards']) {
      const zh = await post(browser.cookie, `{"id":"${newClientId()}","text":"${text}"}`);
      expect(zh.statusCode, text).toBe(400);
      expect(zh.json()).toEqual({ error: 'unreadable', message: '消息里有无法识别的字符，请删掉后再发送。' });
      const en = await post(browser.cookie, `{"id":"${newClientId()}","text":"${text}"}`, 'en');
      expect(en.json().message).toBe('The message contains characters that cannot be read. Please remove them and send it again.');
    }
    const choice = await post(browser.cookie, `{"id":"${newClientId()}","choice":{"data":"c|x\\u0000|1|t","label":"ok"}}`);
    expect(choice.statusCode).toBe(400);
    expect(choice.body).not.toMatch(INTERNALS);
    expect(chat.received).toHaveLength(0);
  });

  it('refuses a sequence number beyond 64 bits with a plain 400 on history and events', async () => {
    const browser = newBrowser();
    for (const after of ['9223372036854775808', '9999999999999999999', '99999999999999999999999', '-1', '1e3']) {
      for (const path of ['/chat/api/history', '/chat/api/events']) {
        const response = await chat.app.inject({ method: 'GET', url: `${path}?after=${after}`, headers: { cookie: browser.cookie, 'accept-language': 'en' } });
        expect(response.statusCode, `${path} ${after}`).toBe(400);
        expect(response.json()).toEqual({ error: 'invalid', message: 'That message could not be read. Please reload the page and try again.' });
      }
    }
    // The largest 64-bit sequence number is a valid (if empty) position.
    const last = await chat.app.inject({ method: 'GET', url: '/chat/api/history?after=9223372036854775807', headers: { cookie: browser.cookie } });
    expect(last.statusCode).toBe(200);
    expect(last.json()).toEqual({ rows: [] });
  });

  it('answers malformed JSON and wrong content types with a plain 4xx', async () => {
    const browser = newBrowser();
    const cases = [
      { type: 'application/json', payload: '{"id":' },
      { type: 'application/json', payload: '\u0000' },
      { type: 'text/plain', payload: 'hello' },
      { type: 'application/xml', payload: '<a/>' },
      { type: 'multipart/form-data; boundary=x', payload: '--x--' },
    ];
    for (const { type, payload } of cases) {
      const response = await chat.app.inject({ method: 'POST', url: '/chat/api/messages', headers: { cookie: browser.cookie, 'content-type': type }, payload });
      expect(response.statusCode, type).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, type).toBeLessThan(500);
      expect(typeof response.json().message).toBe('string');
      expect(response.body).not.toMatch(INTERNALS);
    }
  });
});
