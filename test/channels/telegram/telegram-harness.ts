/**
 * Test harness for the Telegram channel: the fake Bot API, the real channel (real telegraf)
 * talking to it over loopback, a temporary data folder, and a handler that records what it is
 * handed. In webhook mode the channel's route runs on the project's own web server.
 */
import { freePort } from '../../support/ports.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { InboundMessage } from '../../../src/channels/types.js';
import { TelegramChannel, type TelegramChannelOptions } from '../../../src/channels/telegram/telegram-channel.js';
import { registerTelegramWebhookRoute } from '../../../src/channels/telegram/webhook-route.js';
import { createHttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/log/logger.js';
import { FakeTelegramBotApi, type FakeBotApiOptions } from '../../fakes/telegram-bot-api/index.js';
import { WAIT_TIMEOUT_MS } from '../../support/wait-for.js';

export type ReceiveMode = 'polling' | 'webhook';

export const WEBHOOK_SECRET = 'webhook-secret-for-tests_0123456789';
export const WEBHOOK_PATH = '/telegram/webhook';

export interface TelegramHarness {
  telegram: FakeTelegramBotApi;
  channel: TelegramChannel;
  dataDir: string;
  /** Everything handed to the handler, in order. */
  received: InboundMessage[];
  /** Webhook mode: the web server and the webhook's full URL. */
  http?: FastifyInstance;
  webhookUrl?: string;
  /** Resolves when the handler has been handed `count` messages in total. */
  waitForReceived(count: number, timeoutMs?: number): Promise<InboundMessage[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  mode?: ReceiveMode;
  fake?: FakeBotApiOptions;
  /** Runs after a message is recorded in `received`. */
  handler?: (message: InboundMessage) => Promise<void>;
  channel?: Partial<Omit<TelegramChannelOptions, 'token' | 'apiRoot' | 'logger'>>;
  /** Start the channel (default true). */
  start?: boolean;
}

export async function startTelegram(options: HarnessOptions = {}): Promise<TelegramHarness> {
  const telegram = await FakeTelegramBotApi.start({ rateLimits: false, webhookRetryMs: 50, ...options.fake });
  const dataDir = await mkdtemp(join(tmpdir(), 'linli-telegram-'));
  const mode = options.mode ?? 'polling';
  let http: FastifyInstance | undefined;
  let webhookUrl: string | undefined;
  const logger = createLogger('silent');
  if (mode === 'webhook') {
    // The webhook URL must be known before the route exists and the server listens.
    const port = await freePort();
    webhookUrl = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
    http = createHttpServer(logger, []);
  }
  const channel = new TelegramChannel({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    dataDir,
    maxPhotoBytes: 100_000,
    logger,
    sendTimeoutMs: 2000,
    ...(webhookUrl ? { webhook: { url: webhookUrl, secret: WEBHOOK_SECRET } } : {}),
    ...options.channel,
  });
  if (http && webhookUrl) {
    registerTelegramWebhookRoute(http, channel);
    await http.listen({ host: '127.0.0.1', port: Number(new URL(webhookUrl).port) });
  }

  const received: InboundMessage[] = [];
  const waiters: (() => void)[] = [];
  const handler = async (message: InboundMessage) => {
    received.push(message);
    for (const wake of waiters.splice(0)) wake();
    await options.handler?.(message);
  };
  if (options.start ?? true) await channel.start(handler);

  return {
    telegram,
    channel,
    dataDir,
    received,
    ...(http ? { http } : {}),
    ...(webhookUrl ? { webhookUrl } : {}),
    async waitForReceived(count, timeoutMs = WAIT_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} inbound message(s), got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received.slice(0, count);
    },
    async close() {
      await channel.stop();
      await http?.close();
      await telegram.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits a little and returns: for "nothing more arrives" checks after something that did. */
export function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

