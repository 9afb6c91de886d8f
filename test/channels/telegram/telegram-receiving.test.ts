/**
 * Starting, stopping and staying up: long polling (updates held until the bot asks, confirmed
 * only after handling, a second poller, an unexpected error) and the webhook (the secret header
 * is required; 503 while stopped, so Telegram tries again).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import type { InboundMessage } from '../../../src/channels/types.js';
import { createLogger } from '../../../src/log/logger.js';
import { waitFor } from '../../support/wait-for.js';
import { settle, startTelegram, WEBHOOK_SECRET, type TelegramHarness } from './telegram-harness.js';

let h: TelegramHarness | undefined;
const extraChannels: TelegramChannel[] = [];

afterEach(async () => {
  for (const channel of extraChannels.splice(0)) await channel.stop();
  await h?.close();
  h = undefined;
});

function secondChannel(harness: TelegramHarness, token = harness.telegram.token): TelegramChannel {
  const channel = new TelegramChannel({
    token,
    apiRoot: harness.telegram.apiRoot,
    dataDir: harness.dataDir,
    maxPhotoBytes: 100_000,
    logger: createLogger('silent'),
    relaunchDelayMs: 100,
  });
  extraChannels.push(channel);
  return channel;
}

describe('telegram long polling', () => {
  it('gets updates sent before it started, and confirms them once handled', async () => {
    h = await startTelegram({ start: false });
    const alice = h.telegram.createUser();
    h.telegram.userSays(alice, alice, 'sent while the bot was down');
    expect(h.telegram.pendingUpdates).toBe(1);
    await h.channel.start(async (message) => {
      h!.received.push(message);
    });
    await expect.poll(() => h!.received.map((m) => m.text)).toEqual(['sent while the bot was down']);
    // The next getUpdates carries the offset past it.
    await expect.poll(() => h!.telegram.pendingUpdates).toBe(0);
  });

  it('stops: waits for the message in hand, takes no more, and leaves the rest to the next start', async () => {
    let finished = 0;
    h = await startTelegram({
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        finished += 1;
      },
    });
    const alice = h.telegram.createUser();
    h.telegram.userSays(alice, alice, 'in hand');
    await h.waitForReceived(1);
    await h.channel.stop();
    expect(finished).toBe(1);
    expect(h.telegram.pendingUpdates).toBe(0);

    // Taken by no one while stopped: the next start below gets it (a poller still running would
    // have confirmed it, and the next start would get nothing).
    h.telegram.userSays(alice, alice, 'while stopped');
    expect(h.received).toHaveLength(1);
    expect(h.telegram.pendingUpdates).toBe(1);

    const next = secondChannel(h);
    const got: InboundMessage[] = [];
    await next.start(async (message) => {
      got.push(message);
    });
    await expect.poll(() => got.map((m) => m.text)).toEqual(['while stopped']);
  });

  it('refuses to start with a token the API does not know', async () => {
    h = await startTelegram({ start: false });
    const wrong = secondChannel(h, '111:wrong-token-wrong-token-wrong');
    await expect(wrong.start(async () => undefined)).rejects.toThrow(/401/);
  });

  it('reports on /healthz when another poller took over the token (409), and does not fight it', async () => {
    h = await startTelegram();
    await expect(h.channel.check()).resolves.toBeUndefined();
    await waitFor(() => h!.telegram.pollWaiting, 'the long poll to wait');
    const other = secondChannel(h);
    await other.start(async () => undefined);
    await expect.poll(async () => h!.channel.check().then(() => 'ok', (e: Error) => e.message)).toMatch(/409/);
    const polls = h.telegram.calls('getUpdates');
    await settle(300);
    // Only the other poller goes on asking (one pending long poll at a time).
    expect(h.telegram.calls('getUpdates') - polls).toBeLessThanOrEqual(1);
  });

  it('polls again after an unexpected error ends polling', async () => {
    h = await startTelegram({ start: false });
    const channel = secondChannel(h);
    const got: InboundMessage[] = [];
    await channel.start(async (message) => {
      got.push(message);
    });
    await waitFor(() => h!.telegram.pollWaiting, 'the long poll to wait');
    h.telegram.inject({ methods: ['getUpdates'], action: { type: 'error', errorCode: 400, description: 'Bad Request: unexpected' } });
    // Ends the pending long poll, so the next one meets the error.
    const alice = h.telegram.createUser();
    h.telegram.userSays(alice, alice, 'first');
    await expect.poll(() => got.length).toBe(1);
    h.telegram.userSays(alice, alice, 'after the error');
    await expect.poll(() => got.map((m) => m.text)).toEqual(['first', 'after the error']);
    await expect(channel.check()).resolves.toBeUndefined();
    // telegraf's launch() removes any webhook first: twice means polling was started again.
    expect(h.telegram.calls('deleteWebhook')).toBe(2);
  });
});

describe('telegram logs', () => {
  it('carry neither what people wrote nor the bot token, even when things fail', async () => {
    const lines: string[] = [];
    h = await startTelegram({ start: false });
    const channel = new TelegramChannel({
      token: h.telegram.token,
      apiRoot: h.telegram.apiRoot,
      dataDir: h.dataDir,
      maxPhotoBytes: 100_000,
      logger: createLogger('debug', { write: (line: string) => lines.push(line) }),
    });
    extraChannels.push(channel);
    await channel.start(async (message) => {
      if (message.text === 'private words 1234') throw new Error(`handler failed on ${message.text}`);
    });
    const alice = h.telegram.createUser();
    const group = h.telegram.createGroup();
    h.telegram.userSays(alice, alice, 'private words 1234');
    h.telegram.userSays(group, alice, 'group chatter 5678');
    h.telegram.failNext('getFile', 500, 3);
    h.telegram.userSendsPhoto(alice, alice, { caption: 'caption words 9012' });
    h.telegram.blockChat(alice.id);
    await expect(channel.send(String(alice.id), { text: 'reply words 3456' })).rejects.toThrow(/403/);
    await expect.poll(() => lines.some((l) => l.includes('telegram photo not taken')), { timeout: 5000 }).toBe(true);
    const log = lines.join('');
    expect(log).toContain('telegram update ignored');
    for (const secret of ['private words', 'group chatter', 'caption words', 'reply words', h.telegram.token.split(':')[1]!]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('telegram webhook', () => {
  async function post(url: string, body: unknown, secret?: string): Promise<number> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  }

  const update = (updateId: number, chatId: number) => ({
    update_id: updateId,
    message: { message_id: 1, date: 0, chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'A' }, text: 'direct' },
  });

  it('registers the webhook with its secret and only the update types it uses', async () => {
    h = await startTelegram({ mode: 'webhook' });
    const info = await h.channel.bot.telegram.getWebhookInfo();
    expect(info.url).toBe(h.webhookUrl);
    expect(info.allowed_updates).toEqual(['message', 'callback_query']);
    expect(h.telegram.feed.webhook?.secretToken).toBe(WEBHOOK_SECRET);
    const alice = h.telegram.createUser();
    h.telegram.userSays(alice, alice, 'hello');
    await h.waitForReceived(1);
    await expect.poll(() => h!.telegram.webhookAttempts.map((a) => a.status)).toEqual([200]);
  });

  it('answers 401 to a request without the right secret header and hands nothing on', async () => {
    h = await startTelegram({ mode: 'webhook' });
    const url = h.webhookUrl!;
    expect(await post(url, update(1, 501))).toBe(401);
    expect(await post(url, update(2, 501), 'wrong-secret')).toBe(401);
    expect(await post(url, update(3, 501), `${WEBHOOK_SECRET}x`)).toBe(401);
    expect(await post(url, { not: 'an update' }, WEBHOOK_SECRET)).toBe(400);
    // The route answers once the update is handled: a refused one was never handed on.
    expect(h.received).toEqual([]);
    expect(await post(url, update(4, 501), WEBHOOK_SECRET)).toBe(200);
    expect(h.received.map((m) => m.externalId)).toEqual([`${h.telegram.bot.id}:4`]);
  });

  it('answers 503 while stopped; Telegram delivers the update again after a restart', async () => {
    h = await startTelegram({ mode: 'webhook' });
    await h.channel.stop();
    const alice = h.telegram.createUser();
    h.telegram.userSays(alice, alice, 'are you there?');
    await expect.poll(() => h!.telegram.webhookAttempts.some((a) => a.status === 503)).toBe(true);
    expect(h.received).toEqual([]);
    await h.channel.start(async (message) => {
      h!.received.push(message);
    });
    await expect.poll(() => h!.received.map((m) => m.text), { timeout: 5000 }).toEqual(['are you there?']);
    // Delivered once the webhook answered 200, a moment after the handler got it.
    await expect.poll(() => h!.telegram.pendingUpdates).toBe(0);
  });
});
