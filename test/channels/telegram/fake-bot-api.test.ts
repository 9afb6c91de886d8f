/**
 * The fake Bot API itself, driven by telegraf's real client and by plain fetch: if the fake
 * drifted from Telegram's behaviour, every channel test built on it would prove less.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Telegraf, TelegramError, type Telegram } from 'telegraf';
import { FakeTelegramBotApi, fakeJpeg, type FakeBotApiOptions } from '../../fakes/telegram-bot-api/index.js';
import { waitFor } from '../../support/wait-for.js';
import { RateLimiter, TELEGRAM_DEFAULT_LIMITS } from '../../fakes/telegram-bot-api/rate-limits.js';

let fake: FakeTelegramBotApi | undefined;

async function startFake(options: FakeBotApiOptions = {}): Promise<{ fake: FakeTelegramBotApi; api: Telegram }> {
  fake = await FakeTelegramBotApi.start({ webhookRetryMs: 30, ...options });
  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot, webhookReply: false } });
  return { fake, api: bot.telegram };
}

/** The raw JSON the fake answers (to check bodies exactly). */
async function rawCall(f: FakeTelegramBotApi, method: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${f.apiRoot}/bot${f.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function apiError(promise: Promise<unknown>): Promise<TelegramError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TelegramError);
  return error as TelegramError;
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('fake Bot API: updates', () => {
  it('holds updates until the bot asks, honours limit and confirms by offset', async () => {
    const { fake, api } = await startFake();
    const alice = fake.createUser();
    fake.userSays(alice, alice, 'one');
    fake.userSays(alice, alice, 'two');
    fake.userSays(alice, alice, 'three');

    const first = await api.getUpdates(0, 2, 0, undefined);
    expect(first.map((u) => ('message' in u && 'text' in u.message ? u.message.text : ''))).toEqual(['one', 'two']);
    // Not confirmed yet: asked again without an offset, the same updates come back.
    expect((await api.getUpdates(0, 2, 0, undefined)).map((u) => u.update_id)).toEqual(first.map((u) => u.update_id));

    const rest = await api.getUpdates(0, 100, first[1]!.update_id + 1, undefined);
    expect(rest).toHaveLength(1);
    expect(fake.pendingUpdates).toBe(1);
    await api.getUpdates(0, 100, rest[0]!.update_id + 1, undefined);
    expect(fake.pendingUpdates).toBe(0);
  });

  it('answers a long poll as soon as an update arrives', async () => {
    const { fake, api } = await startFake();
    const alice = fake.createUser();
    // An hour's poll: it can only end within the test because the update woke it.
    const poll = api.getUpdates(3_600, 100, 0, undefined);
    await waitFor(() => fake.pollWaiting, 'the long poll to wait');
    fake.userSays(alice, alice, 'hi');
    const updates = await poll;
    expect(updates).toHaveLength(1);
  });

  it('delivers a duplicated update twice with the same update_id', async () => {
    const { fake, api } = await startFake();
    const alice = fake.createUser();
    fake.duplicateNextUpdate();
    fake.userSays(alice, alice, 'again');
    const updates = await api.getUpdates(0, 100, 0, undefined);
    expect(updates).toHaveLength(2);
    expect(updates[0]!.update_id).toBe(updates[1]!.update_id);
  });

  it('refuses getUpdates while a webhook is set (409)', async () => {
    const { fake, api } = await startFake();
    await api.setWebhook('http://127.0.0.1:9/hook');
    const error = await apiError(api.getUpdates(0, 100, 0, undefined));
    expect(error.code).toBe(409);
    await api.deleteWebhook();
    await expect(api.getUpdates(0, 100, 0, undefined)).resolves.toEqual([]);
    expect(fake.calls('getUpdates')).toBe(2);
  });

  it('POSTs updates to the webhook with the secret header, retrying until it answers 2xx', async () => {
    const { fake, api } = await startFake();
    const { createServer } = await import('node:http');
    const seen: { secret: string | undefined; body: Record<string, unknown> }[] = [];
    let failures = 2;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        seen.push({ secret: request.headers['x-telegram-bot-api-secret-token'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString()) });
        response.statusCode = failures-- > 0 ? 500 : 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await api.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: 'the-secret_123' });
      const alice = fake.createUser();
      const message = fake.userSays(alice, alice, 'via webhook');
      await expect.poll(() => fake.webhookAttempts.filter((a) => a.status === 200).length, { timeout: 3000 }).toBe(1);
      expect(fake.webhookAttempts.map((a) => a.status)).toEqual([500, 500, 200]);
      expect(seen.every((s) => s.secret === 'the-secret_123')).toBe(true);
      expect((seen[2]!.body['message'] as { message_id: number }).message_id).toBe(message.message_id);
      const info = await api.getWebhookInfo();
      expect(info.pending_update_count).toBe(0);
      expect(info.last_error_message).toContain('500');
    } finally {
      server.close();
    }
  });
});

describe('fake Bot API: sending', () => {
  it('records what the bot sent, with timestamps, and hands new messages to a waiting test', async () => {
    const { fake, api } = await startFake({ rateLimits: false });
    const alice = fake.createUser();
    const waiting = fake.nextBotMessages(alice, 2);
    const sent = await api.sendMessage(alice.id, 'hello', {
      reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'y' }]] },
    });
    await api.sendMessage(alice.id, 'again');
    const [first, second] = await waiting;
    expect(first).toMatchObject({ method: 'sendMessage', chatId: alice.id, messageId: sent.message_id, text: 'hello' });
    expect(first!.keyboard).toEqual([[{ text: 'Yes', callback_data: 'y' }]]);
    expect(second!.text).toBe('again');
    expect(second!.at).toBeGreaterThanOrEqual(first!.at);
    await expect(fake.nextBotMessages(alice, 1, 100)).rejects.toThrow(/expected 1 new bot message/);
  });

  it('refuses what Telegram refuses: long text, long caption, callback data over 64 bytes, empty text', async () => {
    const { fake, api } = await startFake({ rateLimits: false });
    const alice = fake.createUser();
    expect((await apiError(api.sendMessage(alice.id, 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long');
    await expect(api.sendMessage(alice.id, '字'.repeat(4096))).resolves.toBeDefined();
    const keyboard = (data: string) => ({ reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: data }]] } });
    expect((await apiError(api.sendMessage(alice.id, 'pick', keyboard('d'.repeat(65))))).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    // 64 bytes is fine; 22 CJK characters are 66 bytes in UTF-8 and are not.
    await expect(api.sendMessage(alice.id, 'pick', keyboard('d'.repeat(64)))).resolves.toBeDefined();
    expect((await apiError(api.sendMessage(alice.id, 'pick', keyboard('选'.repeat(22))))).code).toBe(400);
    expect((await apiError(api.sendMessage(alice.id, ' '))).description).toBe('Bad Request: message text is empty');
    const photo = Input.fromBuffer(fakeJpeg(500), 'p.jpg');
    expect((await apiError(api.sendPhoto(alice.id, photo, { caption: 'c'.repeat(1025) }))).description).toBe(
      'Bad Request: message caption is too long',
    );
    expect(fake.sentTo(alice).map((m) => m.method)).toEqual(['sendMessage', 'sendMessage']);
  });

  it('takes photo uploads, lets the bot edit its text and answers button presses once', async () => {
    const { fake, api } = await startFake({ rateLimits: false });
    const alice = fake.createUser();
    const photo = await api.sendPhoto(alice.id, Input.fromBuffer(fakeJpeg(3000), 'p.jpg'), { caption: 'look' });
    expect(fake.sentTo(alice)[0]).toMatchObject({ method: 'sendPhoto', caption: 'look', photo: { bytes: 3000 } });
    expect(photo.photo.at(-1)!.file_size).toBe(3000);

    const message = await api.sendMessage(alice.id, 'before');
    await api.editMessageText(alice.id, message.message_id, undefined, 'after');
    expect(fake.sentTo(alice).at(-1)).toMatchObject({ method: 'editMessageText', messageId: message.message_id, text: 'after' });
    expect((await apiError(api.editMessageText(alice.id, message.message_id, undefined, 'after'))).description).toMatch(/message is not modified/);

    const pressed = fake.userPresses(alice, alice, message.message_id, 'data');
    await api.answerCbQuery(pressed);
    expect(fake.callback(pressed)?.answered).toBeDefined();
    expect((await apiError(api.answerCbQuery(pressed))).code).toBe(400);
    await expect(api.sendChatAction(alice.id, 'typing')).resolves.toBe(true);
  });

  it('serves files people sent through getFile and /file/bot<token>/<path>', async () => {
    const { fake, api } = await startFake();
    const alice = fake.createUser();
    const bytes = fakeJpeg(4321);
    const sent = fake.userSendsPhoto(alice, alice, { sizes: [fakeJpeg(100), bytes] });
    const largest = (sent['photo'] as { file_id: string }[]).at(-1)!;
    const link = await api.getFileLink(largest.file_id);
    const downloaded = Buffer.from(await (await fetch(link)).arrayBuffer());
    expect(downloaded.equals(bytes)).toBe(true);
    const wrongToken = link.href.replace(fake.token, '1:wrong');
    expect((await fetch(wrongToken)).status).toBe(404);
    expect((await apiError(api.getFile('nope'))).description).toBe('Bad Request: invalid file_id');
  });

  it('creates forum topics only in forum supergroups', async () => {
    const { fake, api } = await startFake();
    const forum = fake.createGroup({ type: 'supergroup', isForum: true });
    const plain = fake.createGroup({ type: 'group' });
    const topic = await api.createForumTopic(forum.id, 'Repairs');
    expect(topic).toMatchObject({ name: 'Repairs' });
    expect(topic.message_thread_id).toBeGreaterThan(0);
    expect((await apiError(api.createForumTopic(plain.id, 'Repairs'))).description).toBe('Bad Request: the chat is not a forum');
  });
});

describe('fake Bot API: limits and failures', () => {
  it('limits a private chat to 1 message a second with a real 429 body', async () => {
    const { fake } = await startFake();
    const alice = fake.createUser();
    expect((await rawCall(fake, 'sendMessage', { chat_id: alice.id, text: 'a' })).status).toBe(200);
    const refused = await rawCall(fake, 'sendMessage', { chat_id: alice.id, text: 'b' });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    expect(fake.stats.rateLimited).toBe(1);
    expect(fake.stats.refusals).toMatchObject([{ chatId: alice.id, limit: 'chat', retryAfter: 1 }]);
    expect(fake.sentTo(alice)).toHaveLength(1);
  });

  it('lets a sender pacing at exactly the limit through when given a grace for jitter', () => {
    // The limiter on a clock of the test's own: 950 ms after the first message is inside the
    // 1 s window (refused when strict), but within a 100 ms grace (let through when lenient).
    const strict = new RateLimiter(TELEGRAM_DEFAULT_LIMITS);
    const lenient = new RateLimiter(TELEGRAM_DEFAULT_LIMITS, 1, 100);
    const verdicts = [strict, lenient].map((limiter) => {
      expect(limiter.take(42, false, 10_000)).toEqual({ ok: true });
      return limiter.take(42, false, 10_950);
    });
    expect(verdicts).toEqual([{ ok: false, retryAfterMs: 50, limit: 'chat' }, { ok: true }]);
    // One millisecond before the grace begins is still refused; its first instant is not.
    const edge = new RateLimiter(TELEGRAM_DEFAULT_LIMITS, 1, 100);
    edge.take(7, false, 0);
    expect(edge.take(7, false, 899).ok).toBe(false);
    expect(edge.take(7, false, 900).ok).toBe(true);
  });

  it('limits a group to 20 messages a minute', async () => {
    const { fake } = await startFake();
    const group = fake.createGroup();
    for (let i = 0; i < 20; i++) expect((await rawCall(fake, 'sendMessage', { chat_id: group.id, text: `m${i}` })).status).toBe(200);
    const refused = await rawCall(fake, 'sendMessage', { chat_id: group.id, text: 'one too many' });
    expect(refused.status).toBe(429);
    const retryAfter = (refused.json['parameters'] as { retry_after: number }).retry_after;
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('limits the whole bot to 30 messages a second, and scales every limit', async () => {
    const { fake } = await startFake({ acceptUnknownChats: true });
    const results = await Promise.all(Array.from({ length: 31 }, (_, i) => rawCall(fake, 'sendMessage', { chat_id: 5000 + i, text: 'hi' })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(30);
    expect(results.filter((r) => r.status === 429)).toHaveLength(1);
    await fake.close();

    const scaled = (await startFake({ scale: 10 })).fake;
    const bob = scaled.createUser();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await rawCall(scaled, 'sendMessage', { chat_id: bob.id, text: `m${i}` })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers 403 for a chat that blocked the bot and 400 for a chat it does not know', async () => {
    const { fake, api } = await startFake();
    const alice = fake.createUser();
    fake.blockChat(alice.id);
    const blocked = await apiError(api.sendMessage(alice.id, 'hi'));
    expect([blocked.code, blocked.description]).toEqual([403, 'Forbidden: bot was blocked by the user']);
    const unknown = await apiError(api.sendMessage(424242, 'hi'));
    expect([unknown.code, unknown.description]).toEqual([400, 'Bad Request: chat not found']);
  });

  it('injects 5xx answers and calls that never answer', async () => {
    const { fake, api } = await startFake({ rateLimits: false });
    const alice = fake.createUser();
    fake.failNext('sendMessage', 502);
    expect((await apiError(api.sendMessage(alice.id, 'hi'))).code).toBe(502);
    fake.hangNext('sendMessage');
    const hung = await api
      .callApi('sendMessage', { chat_id: alice.id, text: 'hi' }, { signal: AbortSignal.timeout(300) as never })
      .then(
        () => 'answered',
        (e: Error) => e.name,
      );
    expect(hung).toBe('AbortError');
    await expect(api.sendMessage(alice.id, 'fine now')).resolves.toBeDefined();
    expect(fake.sentTo(alice).map((m) => m.text)).toEqual(['fine now']);
  });
});
