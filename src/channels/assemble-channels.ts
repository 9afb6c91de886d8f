/**
 * Builds the channels the configuration turns on, for the composition root: the web chat always,
 * Telegram with its token, WeChat with its puppet (in a serving process, where its login lives),
 * and a test's own beside them. Platform libraries (telegraf, wechaty) are imported only for a
 * channel that is on: a deployment without one does not pay its memory. What the app needs of the
 * channels comes back in generic terms — health checks, HTTP routes, the channels that offer
 * forums or rooms by name — so no code outside this folder names a channel (docs/architecture.md,
 * "Channels" and "Processes and composition").
 *
 * @example
 * const assembled = await assembleChannels({ config, logger, prisma, communityId, translator, secret, serve: true, staffChats, chosenLocaleOf });
 * for (const channel of assembled.channels) channels.set(channel.name, channel);
 * const http = createHttpServer(logger, [...checks, ...assembled.healthChecks], assembled.statuses);
 * if (serve) assembled.registerRoutes(http);
 * await inboxStart(assembled.started); // { forums, rooms }
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { HealthCheck } from '../http/server.js';
import type { Translator } from '../i18n/translator.js';
import type { Logger } from '../log/logger.js';
import { deriveKey } from '../security/derived-key.js';
import { offersForumCheck, offersForumTopics, offersNamedRooms, offersPostingRights, type Channel, type ChannelName, type ChatHooks, type ForumCheck, type NamedRooms, type PostingRights } from './types.js';
import { WebChannel } from './web/web-channel.js';
import { registerWebChatRoutes } from './web/web-chat-routes.js';
import type { WeChatChannelDeps } from './wechat/create-wechat-channel.js';

/** The largest photo a person may send on any channel. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface ChannelAssemblyOptions {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  /** LINLI_SECRET: each channel derives its own keys from it (cookie, address hash, admin page). */
  secret: string;
  /** Serving HTTP and taking input (false: a worker-only process, which only sends). */
  serve: boolean;
  /** The staff chats' hooks (the staff inbox module's): which chats are heard whole, forum placement, chat moves. */
  staffChats: ChatHooks;
  /** The language a person chose in the conversation, by channel and chat (the channels know no accounts). */
  chosenLocaleOf(channel: ChannelName, chatId: string): Promise<string | null>;
  /** Tests: a WeChat puppet of their own (a PuppetMock) instead of WECHATY_PUPPET's. */
  wechatPuppet?: WeChatChannelDeps['puppet'];
  /** Tests: channels of their own beside the configured ones, each under its own name. */
  extraChannels?: readonly Channel[];
}

export interface AssembledChannels {
  /** In the order they start: the web chat, then the configured platforms, then a test's own. */
  channels: readonly Channel[];
  /** For `/healthz`: a failing one makes the process unhealthy (serving processes only). */
  healthChecks: HealthCheck[];
  /** For `/healthz`, for information only (a login waiting for its code is no reason to restart). */
  statuses: Record<string, () => unknown>;
  /** The channels' HTTP routes: web chat, webhooks, admin pages (call in a serving process). */
  registerRoutes(http: FastifyInstance): void;
  /** What the modules' start gets: the channels that offer forums and rooms by name (empty when not serving). */
  started: { forums: readonly ForumCheck[]; rooms: readonly NamedRooms[]; posting: readonly PostingRights[] };
}

export async function assembleChannels(options: ChannelAssemblyOptions): Promise<AssembledChannels> {
  const { config, logger, prisma, communityId, translator, secret, serve, staffChats } = options;
  const web = new WebChannel({
    prisma,
    communityId,
    logger,
    translator,
    defaultLocale: config.DEFAULT_LOCALE,
    dataDir: config.DATA_DIR,
    maxPhotoBytes: MAX_PHOTO_BYTES,
    // Its own key: the hash of an address is no use for forging buttons or anything else.
    originKey: createHmac('sha256', secret).update('web-chat-origin').digest('base64url'),
    chosenLocale: (sessionId) => options.chosenLocaleOf(web.name, sessionId),
  });
  const healthChecks: HealthCheck[] = [];
  const statuses: Record<string, () => unknown> = {};
  const routes: ((http: FastifyInstance) => void)[] = [
    (http) =>
      registerWebChatRoutes(http, web, {
        cookieSecret: deriveKey(secret, 'web-chat-cookie'),
        limits: {
          sessionsPerMinute: config.WEB_CHAT_SESSIONS_PER_MINUTE,
          messagesPerMinute: config.WEB_CHAT_MESSAGES_PER_MINUTE,
          uploadsPerMinute: config.WEB_CHAT_UPLOADS_PER_MINUTE,
          streamsPerAddress: config.WEB_CHAT_STREAMS_PER_ADDRESS,
        },
      }),
  ];
  const built: Channel[] = [web];

  // Every process can send through Telegram; only a serving process polls or takes webhooks.
  if (config.TELEGRAM_BOT_TOKEN) {
    const [{ createTelegramChannel }, { registerTelegramWebhookRoute }, { DatabaseChatMigrations }] = await Promise.all([
      import('./telegram/create-telegram-channel.js'),
      import('./telegram/webhook-route.js'),
      import('./telegram/database-chat-migrations.js'),
    ]);
    const name = TELEGRAM_NAME;
    // Groups that became supergroups: stored moves read once here, then followed from memory.
    const chatMoves = await DatabaseChatMigrations.load(prisma, name, logger);
    const telegram = createTelegramChannel(config, {
      logger,
      maxPhotoBytes: MAX_PHOTO_BYTES,
      hearsAllIn: staffChats.hearsAllIn(name),
      chatMigrations: staffChats.followChatMoves(name, chatMoves),
    });
    if (telegram) {
      built.push(telegram);
      if (serve) healthChecks.push({ name: telegram.name, check: () => telegram.check() });
      if (telegram.webhook) routes.push((http) => registerTelegramWebhookRoute(http, telegram));
    }
  }

  // A WeChat login lives in one process: the serving one logs in, sends and receives.
  if (serve && (config.WECHATY_PUPPET || options.wechatPuppet)) {
    const [{ createWeChatChannel }, admin] = await Promise.all([import('./wechat/create-wechat-channel.js'), import('./wechat/admin-routes.js')]);
    const token = admin.deriveWeChatAdminToken(secret);
    const wechat = await createWeChatChannel(config, {
      logger,
      maxPhotoBytes: MAX_PHOTO_BYTES,
      adminUrl: admin.weChatAdminUrl(admin.localBaseUrl(config.HOST, config.PORT), token),
      ...(options.wechatPuppet ? { puppet: options.wechatPuppet } : {}),
      hearsAllIn: staffChats.hearsAllIn(WECHAT_NAME),
    });
    if (wechat) {
      built.push(wechat);
      statuses[wechat.name] = () => wechat.login.status();
      routes.push((http) =>
        admin.registerWeChatAdminRoutes(http, {
          login: wechat.login,
          translator,
          defaultLocale: config.DEFAULT_LOCALE,
          timeZone: config.COMMUNITY_TIMEZONE,
          token,
        }),
      );
    }
  }
  built.push(...(options.extraChannels ?? []));

  return {
    // Delivery sends through the inbox's placement: a ticket's messages find their topic or card.
    channels: built.map((channel) => (offersForumTopics(channel) ? staffChats.wrapThreads(channel) : channel)),
    healthChecks,
    statuses,
    registerRoutes(http) {
      for (const register of routes) register(http);
    },
    started: serve
      ? { forums: built.filter(offersForumCheck), rooms: built.filter(offersNamedRooms), posting: built.filter(offersPostingRights) }
      : { forums: [], rooms: [], posting: [] },
  };
}

/** The adapters' names, as their channels carry them (known before their library is loaded). */
const TELEGRAM_NAME: ChannelName = 'telegram';
const WECHAT_NAME: ChannelName = 'wechat';
