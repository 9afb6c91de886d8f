import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../../src/channels/types.js';
import { WEB_CHAT_START_TEXT } from '../../../src/channels/web/web-channel.js';
import { networkOrigin } from '../../../src/channels/web/network-origin.js';
import { newBrowser, newClientId, startWebChat, TEST_ORIGIN_KEY, type WebChatHarness } from './web-chat-harness.js';
import { databaseTargets } from '../../support/database.js';

describe.each(databaseTargets())('web chat messages over HTTP (%s)', (target) => {
  let chat: WebChatHarness;
  /** Set by a test to make the handler fail once. */
  let failNext = false;
  /** Set by a test to make the handler slow; texts are recorded when their handling ends. */
  let delayFor: ((text: string) => number) | undefined;
  const finished: string[] = [];

  beforeAll(async () => {
    chat = await startWebChat({ target,
      handler: async (message) => {
        if (delayFor && message.text) {
          await new Promise((resolve) => setTimeout(resolve, delayFor?.(message.text ?? '')));
          finished.push(message.text);
        }
        if (failNext) {
          failNext = false;
          throw new Error('handler down');
        }
      },
    });
  });
  beforeEach(() => {
    chat.received.length = 0;
  });
  afterAll(async () => {
    await chat.close();
  });

  const post = (cookie: string, payload: object, language = 'zh-CN') =>
    chat.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { cookie, 'accept-language': language },
      payload,
    });
  const history = async (cookie: string, after?: string) => {
    const response = await chat.app.inject({
      method: 'GET',
      url: after === undefined ? '/chat/api/history' : `/chat/api/history?after=${after}`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    return response.json().rows as { seq: string; direction: string; text?: string; kind: string; choices?: unknown[] }[];
  };

  it('marks each message with its origin: the sender’s network address hashed with a key, the same for every session from there', async () => {
    const fromAddress = (cookie: string, text: string, remoteAddress: string) =>
      chat.app.inject({ method: 'POST', url: '/chat/api/messages', headers: { cookie }, payload: { id: newClientId(), text }, remoteAddress });
    const [a, b] = [newBrowser(), newBrowser()];
    for (const [browser, address] of [
      [a, '203.0.113.7'],
      [b, '203.0.113.7'],
      [a, '198.51.100.2'],
    ] as const) {
      expect((await fromAddress(browser.cookie, 'ABCD-EFGH', address)).statusCode).toBe(200);
    }
    const origins = chat.received.map((message) => message.origin);
    expect(origins[0]).toBe(networkOrigin(TEST_ORIGIN_KEY, '203.0.113.7'));
    expect(origins[1]).toBe(origins[0]);
    expect(origins[2]).not.toBe(origins[0]);
    expect(origins[2]).toMatch(/^web:[A-Za-z0-9_-]{22}$/);
    for (const origin of origins) expect(origin).not.toMatch(/203|198\.51/);
    // The stored message keeps no address, hashed or not.
    const rows = await chat.prisma.webChatMessage.findMany({ where: { communityId: chat.communityId, sessionId: a.sessionId } });
    expect(JSON.stringify(rows.map((row) => row.payload))).not.toMatch(/web:|203\.0|198\.51/);
  });

  it('hands typed text to the router as a neutral message and stores it for the history', async () => {
    const browser = newBrowser();
    const id = newClientId();
    const response = await post(browser.cookie, { id, text: '楼道灯坏了\n三楼' });
    expect(response.statusCode).toBe(200);
    expect(chat.received).toHaveLength(1);
    const message = chat.received[0];
    expect(message).toMatchObject({
      channel: 'web',
      kind: 'text',
      text: '楼道灯坏了\n三楼',
      senderId: browser.sessionId,
      chatId: browser.sessionId,
      languageHint: 'zh-CN',
    });
    expect(message?.externalId).toBe(`${browser.sessionId}:${id}`);
    expect(await history(browser.cookie)).toMatchObject([{ direction: 'in', kind: 'text', text: '楼道灯坏了\n三楼' }]);
  });

  it('passes a retried message id through unchanged and stores the message once', async () => {
    const browser = newBrowser();
    const id = newClientId();
    const first = await post(browser.cookie, { id, text: '你好' });
    const retry = await post(browser.cookie, { id, text: '你好' });
    expect(first.json().duplicate).toBe(false);
    expect(retry.json().duplicate).toBe(true);
    expect(retry.json().row.seq).toBe(first.json().row.seq);
    expect(chat.received.map((m) => m.externalId)).toEqual([`${browser.sessionId}:${id}`, `${browser.sessionId}:${id}`]);
    expect(await history(browser.cookie)).toHaveLength(1);
  });

  it('answers 503 with a reason when the handler fails, and a retry with the same id is handed on again', async () => {
    const browser = newBrowser();
    const id = newClientId();
    failNext = true;
    const failed = await post(browser.cookie, { id, text: '报修' });
    expect(failed.statusCode).toBe(503);
    expect(failed.json().message).toBe('服务暂时不可用，请稍后再试。');
    const retry = await post(browser.cookie, { id, text: '报修' });
    expect(retry.statusCode).toBe(200);
    expect(chat.received.map((m) => m.externalId)).toEqual([`${browser.sessionId}:${id}`, `${browser.sessionId}:${id}`]);
    expect(await history(browser.cookie)).toHaveLength(1);
  });

  it('refuses oversize text politely, in the browser’s language, without handing it on', async () => {
    const browser = newBrowser();
    const long = '字'.repeat(2001);
    const zh = await post(browser.cookie, { id: newClientId(), text: long });
    expect(zh.statusCode).toBe(413);
    expect(zh.json()).toEqual({ error: 'tooLong', message: '消息太长了（最多2000个字），请分几次发送。' });
    const en = await post(browser.cookie, { id: newClientId(), text: long }, 'en-US,en;q=0.9');
    expect(en.json().message).toBe('That message is too long (at most 2000 characters). Please send it in parts.');
    // Far beyond the body limit: refused before parsing, with the same reason.
    const huge = await post(browser.cookie, { id: newClientId(), text: 'x'.repeat(100_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toBe('tooLong');
    // Exactly at the limit is fine (counted in characters, not bytes).
    expect((await post(browser.cookie, { id: newClientId(), text: '字'.repeat(2000) })).statusCode).toBe(200);
    expect(chat.received).toHaveLength(1);
  });

  it('refuses empty text and malformed bodies', async () => {
    const browser = newBrowser();
    const empty = await post(browser.cookie, { id: newClientId(), text: '  \n ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('empty');
    for (const payload of [{ text: 'no id' }, { id: 'bad id!', text: 'x' }, { id: newClientId() }, { id: newClientId(), text: 5 }]) {
      const response = await post(browser.cookie, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toBe('invalid');
    }
    const notJson = await chat.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { cookie: browser.cookie, 'content-type': 'application/json' },
      payload: '{"id":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().message).toBe('消息格式不对，请刷新页面后再试。');
    expect(chat.received).toHaveLength(0);
  });

  it('shows each session only its own rows', async () => {
    const alice = newBrowser();
    const bob = newBrowser();
    await post(alice.cookie, { id: newClientId(), text: 'alice' });
    await chat.channel.send(alice.sessionId, { text: 'to alice' });
    await post(bob.cookie, { id: newClientId(), text: 'bob' });
    await chat.channel.send(bob.sessionId, { text: 'to bob' });
    expect((await history(alice.cookie)).map((r) => r.text)).toEqual(['alice', 'to alice']);
    expect((await history(bob.cookie)).map((r) => r.text)).toEqual(['bob', 'to bob']);
    const bobFirst = (await history(bob.cookie))[0]?.seq ?? '0';
    expect((await history(bob.cookie, bobFirst)).map((r) => r.text)).toEqual(['to bob']);
    // A seq from someone else's conversation reveals nothing either.
    expect((await history(alice.cookie, '0')).map((r) => r.text)).toEqual(['alice', 'to alice']);
  });

  it('send() stores the neutral message and returns its seq as the external id', async () => {
    const browser = newBrowser();
    const result = await chat.channel.send(browser.sessionId, {
      text: '请选择：',
      choices: [{ label: '报修', data: 'sig:repair' }],
    });
    const rows = await history(browser.cookie);
    expect(rows).toMatchObject([
      { seq: result.externalMessageId, direction: 'out', text: '请选择：', choices: [{ label: '报修', data: 'sig:repair' }] },
    ]);
    await expect(chat.channel.send('not-a-session', { text: 'x' })).rejects.toBeInstanceOf(ChannelSendError);
  });

  it('accepts a pressed choice only if it was offered to this session, with the offered label', async () => {
    const alice = newBrowser();
    const bob = newBrowser();
    await chat.channel.send(alice.sessionId, {
      text: '您要做什么？',
      choices: [
        { label: '投诉建议', data: 'sig:complaint' },
        { label: '报修', data: 'sig:repair' },
      ],
    });
    const pressed = await post(alice.cookie, { id: newClientId(), choice: { data: 'sig:repair', label: '<b>forged</b>' } });
    expect(pressed.statusCode).toBe(200);
    expect(chat.received.at(-1)).toMatchObject({ kind: 'choice', choiceData: 'sig:repair', chatId: alice.sessionId });
    expect((await history(alice.cookie)).at(-1)).toMatchObject({ direction: 'in', kind: 'choice', text: '报修' });

    const stolen = await post(bob.cookie, { id: newClientId(), choice: { data: 'sig:repair', label: '报修' } });
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json()).toEqual({ error: 'choiceExpired', message: '这个选项已经过期了，请选择最新的选项，或直接输入。' });
    expect(chat.received).toHaveLength(1);
  });

  it('asks the router to greet an empty conversation once, and never once it has messages', async () => {
    const browser = newBrowser();
    const start = () =>
      chat.app.inject({ method: 'POST', url: '/chat/api/start', headers: { cookie: browser.cookie, 'accept-language': 'en' }, payload: {} });
    const first = await start();
    expect(first.json()).toEqual({ started: true });
    expect(chat.received).toMatchObject([
      { kind: 'text', text: WEB_CHAT_START_TEXT, externalId: `${browser.sessionId}:start`, languageHint: 'en' },
    ]);
    await chat.channel.send(browser.sessionId, { text: 'Welcome' });
    expect((await start()).json()).toEqual({ started: false });
    expect(chat.received).toHaveLength(1);
    expect(await history(browser.cookie)).toHaveLength(1);
  });

  it('hands one session’s messages on one at a time, in the order they were stored', async () => {
    const browser = newBrowser();
    const texts = Array.from({ length: 6 }, (_, i) => `第${i}条`);
    // Earlier messages take longer: without ordering, later ones would overtake them.
    delayFor = (text) => 60 - Number(/\d+/.exec(text)?.[0]) * 10;
    try {
      await Promise.all(texts.map((text) => post(browser.cookie, { id: newClientId(), text })));
    } finally {
      delayFor = undefined;
    }
    const stored = (await history(browser.cookie)).map((r) => r.text);
    expect(finished).toEqual(stored);
    expect([...stored].sort()).toEqual([...texts].sort());
  });
});
