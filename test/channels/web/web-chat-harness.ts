/**
 * Test harness for the web chat: a real database (test/support/database.ts), a community, a
 * temporary data folder, the channel and its routes on a fresh fastify app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { createTestDatabase, type DatabaseTarget } from '../../support/database.js';
import { seedCommunity } from '../../support/community.js';
import { createLogger } from '../../../src/log/logger.js';
import { flattenCatalog, loadTranslator, Translator } from '../../../src/i18n/translator.js';
import type { InboundHandler, InboundMessage } from '../../../src/channels/types.js';
import { WebChannel } from '../../../src/channels/web/web-channel.js';
import { registerWebChatRoutes, type WebChatLimits } from '../../../src/channels/web/web-chat-routes.js';
import type { EventStreamTiming } from '../../../src/channels/web/event-stream.js';
import { newSessionToken, sessionCookieHeader, sessionIdFromToken } from '../../../src/channels/web/session-cookie.js';

const root = new URL('../../../', import.meta.url);

/** The project's locales; the web chat's own fragment until it is merged into them. */
export function webChatTranslator(): Translator {
  const locales = new URL('locales/', root);
  const zh = new URL('zh-CN.json', locales);
  if (existsSync(zh) && loadTranslator(locales.pathname).has('webchat.title')) return loadTranslator(locales.pathname);
  const fragment = (locale: string) =>
    flattenCatalog(JSON.parse(readFileSync(new URL(`locales-fragments/webchat.${locale}.json`, root), 'utf8')));
  return new Translator(new Map([
    ['zh-CN', fragment('zh-CN')],
    ['en', fragment('en')],
  ]));
}

/** The key the harness's channel hashes network addresses with. */
export const TEST_ORIGIN_KEY = 'a-test-key-for-web-chat-origins';

export interface WebChatHarness {
  app: FastifyInstance;
  channel: WebChannel;
  prisma: WebChannel['options']['prisma'];
  communityId: string;
  dataDir: string;
  /** Everything the channel handed to the handler, in order. */
  received: InboundMessage[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Runs after a message is recorded in `received`. */
  handler?: (message: InboundMessage, channel: WebChannel) => Promise<void>;
  maxPhotoBytes?: number;
  communityName?: string;
  /** Event stream timing (default: re-check every 150 ms, heartbeat every 500 ms). */
  eventStream?: EventStreamTiming;
  /** Database backend (default: PostgreSQL when TEST_DATABASE_URL is set, else PGlite). */
  target?: DatabaseTarget;
  /** Per-address limits (default: high enough that no other test meets them). */
  limits?: Partial<WebChatLimits>;
  /** Passed to fastify (for X-Forwarded-Proto). */
  trustProxy?: boolean;
  /** The language each session chose in the conversation (default: none chosen). */
  chosenLocale?: (sessionId: string) => Promise<string | null>;
}

export async function startWebChat(options: HarnessOptions = {}): Promise<WebChatHarness> {
  const database = await createTestDatabase(options.target);
  const community = await seedCommunity(database.prisma, { name: options.communityName ?? '阳光花园' });
  const dataDir = await mkdtemp(join(tmpdir(), 'linli-webchat-'));
  const channel = new WebChannel({
    prisma: database.prisma,
    communityId: community.id,
    logger: createLogger('silent'),
    translator: webChatTranslator(),
    defaultLocale: 'zh-CN',
    dataDir,
    maxPhotoBytes: options.maxPhotoBytes ?? 64 * 1024,
    originKey: TEST_ORIGIN_KEY,
    ...(options.chosenLocale ? { chosenLocale: options.chosenLocale } : {}),
  });
  const received: InboundMessage[] = [];
  const handler: InboundHandler = async (message) => {
    received.push(message);
    await options.handler?.(message, channel);
  };
  const app = Fastify({ trustProxy: options.trustProxy ?? false });
  registerWebChatRoutes(app, channel, { cookieSecret: HARNESS_COOKIE_SECRET, limits: { ...HARNESS_LIMITS, ...options.limits }, eventStream: options.eventStream ?? { pollMs: 150, heartbeatMs: 500 } });
  await channel.start(handler);
  await app.ready();
  return {
    app,
    channel,
    prisma: database.prisma,
    communityId: community.id,
    dataDir,
    received,
    close: async () => {
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const HARNESS_LIMITS: WebChatLimits = { sessionsPerMinute: 10_000, messagesPerMinute: 10_000, uploadsPerMinute: 10_000, streamsPerAddress: 1_000 };

/** The key the harness signs identity cookies with. */
export const HARNESS_COOKIE_SECRET = 'web-chat-harness-cookie-secret';

/** A browser identity: the cookie header to send (signed, as the page issues it) and the session id the server derives. */
export function newBrowser(): { cookie: string; sessionId: string; token: string } {
  const token = newSessionToken();
  return { cookie: sessionCookieHeader(token, HARNESS_COOKIE_SECRET), sessionId: sessionIdFromToken(token), token };
}

/** A message id as the page makes them. */
export function newClientId(): string {
  return crypto.randomUUID();
}
