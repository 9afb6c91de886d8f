/**
 * The whole application on a real test database and real queues (BullMQ on the database by
 * default; on Redis with a fresh prefix when TEST_REDIS_URL is set), with helpers that talk to
 * it the way a web chat browser would and read what it sent back.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import type { InboundMessage, OutboundMessage } from '../../src/channels/types.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createTestDatabase, type DatabaseTarget, type TestDatabase } from './database.js';
import { waitFor } from './wait-for.js';

export interface TestApp {
  app: App;
  db: TestDatabase;
  /** Stops the app (and, unless kept, closes the database). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export function queueTargetFor(target: DatabaseTarget): 'redis' | 'database' {
  return target === 'postgres' && process.env['TEST_REDIS_URL'] ? 'redis' : 'database';
}

export interface TestAppOptions {
  /** Listen on HTTP and start the channels (Telegram polling, WeChat login…). Default false. */
  serve?: boolean;
  wechatPuppet?: AppOptions['wechatPuppet'];
  /** Features of the test's own, installed after the app's (see test/example-feature/). */
  extraFeatures?: AppOptions['extraFeatures'];
  /** Flows and locales read from here instead of the project's (a flow of an extra feature). */
  flowsDir?: string;
  localesDir?: string;
  extraChannels?: AppOptions['extraChannels'];
  /** A fake clock for the features that take one. */
  clock?: AppOptions['clock'];
}

export async function startTestApp(
  target: DatabaseTarget,
  env: Record<string, string> = {},
  existing?: TestDatabase,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const db = existing ?? (await createTestDatabase(target));
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-app-'));
  const redis = queueTargetFor(target) === 'redis' ? process.env['TEST_REDIS_URL'] : undefined;
  const config: Config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LINLI_SECRET: 'test-secret-test-secret-test-secret-42',
    PORT: '0',
    ...(redis ? { REDIS_URL: redis } : {}),
    ...env,
  });
  const app = await createApp({
    config,
    logger: createLogger(config.LOG_LEVEL),
    serve: options.serve ?? false,
    database: db,
    ...(options.wechatPuppet ? { wechatPuppet: options.wechatPuppet } : {}),
    ...(options.extraFeatures ? { extraFeatures: options.extraFeatures } : {}),
    ...(options.flowsDir ? { flowsDir: options.flowsDir } : {}),
    ...(options.localesDir ? { localesDir: options.localesDir } : {}),
    ...(options.extraChannels ? { extraChannels: options.extraChannels } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    queuePrefix: `t${randomBytes(5).toString('hex')}`,
  });
  await app.start();
  return {
    app,
    db,
    async close(options) {
      await app.stop();
      if (!options?.keepDatabase) await db.close();
    },
  };
}

/** A person at a web chat browser. */
export class WebPerson {
  readonly sessionId = randomBytes(16).toString('hex');
  constructor(private readonly app: App) {}

  message(text: string, externalId: string = randomUUID()): InboundMessage {
    return { channel: 'web', externalId, senderId: this.sessionId, chatId: this.sessionId, kind: 'text', text, receivedAt: new Date() };
  }

  say(text: string, externalId?: string) {
    return this.app.router.route(this.message(text, externalId));
  }

  press(data: string, externalId: string = randomUUID()) {
    return this.app.router.route({
      channel: 'web',
      externalId,
      senderId: this.sessionId,
      chatId: this.sessionId,
      kind: 'choice',
      choiceData: data,
      receivedAt: new Date(),
    });
  }

  send(inbound: Partial<InboundMessage>) {
    return this.app.router.route({ ...this.message(''), ...inbound } as InboundMessage);
  }

  /** Everything Linli has delivered to this browser so far, oldest first. */
  async received(): Promise<OutboundMessage[]> {
    const rows = await this.app.database.prisma.webChatMessage.findMany({
      where: { sessionId: this.sessionId, direction: 'out' },
      orderBy: { seq: 'asc' },
    });
    return rows.map((row) => row.payload as unknown as OutboundMessage);
  }

  /** Waits until at least `count` messages have been delivered; returns them all. */
  async waitForMessages(count: number): Promise<OutboundMessage[]> {
    try {
      return await waitFor(async () => {
        const messages = await this.received();
        return messages.length >= count ? messages : undefined;
      }, `${count} messages`);
    } catch {
      const messages = await this.received();
      return expect.fail(`expected ${count} messages, got ${messages.length}: ${messages.map((m) => m.text.slice(0, 40)).join(' | ')}`);
    }
  }

  /** Says something and waits for the replies it causes; returns only those. */
  async ask(text: string, expectedReplies = 1): Promise<OutboundMessage[]> {
    const before = (await this.received()).length;
    await this.say(text);
    const all = await this.waitForMessages(before + expectedReplies);
    return all.slice(before);
  }

  async pressAndWait(data: string, expectedReplies = 1): Promise<OutboundMessage[]> {
    const before = (await this.received()).length;
    await this.press(data);
    const all = await this.waitForMessages(before + expectedReplies);
    return all.slice(before);
  }
}

/** The data of the button whose label contains `label` in a message's choices. */
export function button(message: OutboundMessage | undefined, label: string): string {
  const choice = message?.choices?.find((c) => c.label.includes(label));
  if (!choice) expect.fail(`no button "${label}" in: ${message?.choices?.map((c) => c.label).join(', ') ?? 'no choices'}`);
  return choice.data;
}
