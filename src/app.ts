/**
 * The composition root: the one place that knows every part and wires them together.
 * `main.ts` (web, channels and workers) and `worker.ts` (workers only) start it.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { textLimitFrom, type TextLimitOf } from './channels/text-limit.js';
import type { Channel, ChannelCapabilities, ChannelName } from './channels/types.js';
import type { WeChatChannelDeps } from './channels/wechat/create-wechat-channel.js';
import { WebChannel } from './channels/web/web-channel.js';
import { registerWebChatRoutes } from './channels/web/web-chat-routes.js';
import type { Config } from './config/config.js';
import { AccountNotifier } from './notify/account-notifier.js';
import { ConversationService } from './conversation/conversation-service.js';
import type { EffectRegistry } from './conversation/effects.js';
import { createEngine } from './conversation/engine.js';
import { assertEffectsDeclared, loadCheckedFlows } from './conversation/flow-check.js';
import { idleScheduler, startIdleWorker } from './conversation/idle-timers.js';
import { Router } from './conversation/router.js';
import { openDatabase, type Database } from './db/database.js';
import { ensureCommunity } from './features/community/bootstrap.js';
import { createTicketScheduling, type TicketScheduling } from './features/tickets/scheduling/ticket-scheduling.js';
import { BindingRequestObserverList } from './features/identity/binding-request-observer.js';
import { identityEffects } from './features/identity/identity-effects.js';
import { setLanguageEffect } from './features/preferences/set-language.js';
import { PhotoQuota } from './features/privacy/photo-quota.js';
import { PhotoSweep } from './features/privacy/photo-sweeper.js';
import { ticketEffects } from './features/tickets/service/ticket-effects.js';
import { TicketObserverList } from './features/tickets/service/ticket-observer-list.js';
import type { TicketServiceDeps } from './features/tickets/service/ticket-service-deps.js';
import { open311Filing } from './http/open311/open311-filing.js';
import { open311Routes } from './http/open311/open311-routes.js';
import { createHttpServer } from './http/server.js';
import { Inbox } from './inbox/index.js';
import { loadTranslator, type Translator } from './i18n/translator.js';
import type { Logger } from './log/logger.js';
import { createSendPacer } from './outbox/create-send-pacer.js';
import { startDeliveryWorkers } from './outbox/delivery-queue.js';
import { DeliveryScheduler } from './outbox/delivery-scheduler.js';
import { OutboxDispatcher } from './outbox/outbox.js';
import { defaultPacing } from './outbox/platform-pacing.js';
import { createQueueBackend, type QueueBackend } from './queue/backend.js';
import { QueueNames } from './queue/names.js';
import { ButtonRegistry } from './buttons/button-registry.js';
import { buttonPressesFirst, type ChatButtons } from './conversation/button-presses.js';
import { deriveKey } from './security/derived-key.js';
import { resolveSecret } from './security/secret.js';
import { FloodLimiter } from './util/flood-limiter.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** How often stuck outbox rows are looked for, and how old they must be. */
const OUTBOX_SWEEP_EVERY_MS = 60_000;
const OUTBOX_PENDING_AGE_MS = 30_000;
/**
 * A row `sending` with no live job this long after its claim was abandoned by a process that
 * died. Replies sent straight from the writer have no job at all, so this is what brings them
 * back after a crash: it must outlast the longest send (Telegram's 20 s timeout) with room.
 */
const OUTBOX_STUCK_SENDING_MS = 60_000;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** How often forgotten photos are deleted (a removed person's: within this long). */
const PHOTO_SWEEP_EVERY_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** Serve HTTP and take input from channels (false: a worker-only process). */
  serve: boolean;
  /** Tests and benchmarks: a database opened by the caller, who also closes it. */
  database?: Database;
  /** Tests: a Redis key prefix of their own. */
  queuePrefix?: string;
  /** Tests: a WeChat puppet of their own (a PuppetMock) instead of WECHATY_PUPPET's. */
  wechatPuppet?: WeChatChannelDeps['puppet'];
  /** Tests: where flows and locales are read from (default: the project's). */
  flowsDir?: string;
  localesDir?: string;
}

export interface App {
  readonly config: Config;
  readonly http: FastifyInstance;
  readonly database: Database;
  readonly queues: QueueBackend;
  readonly router: Router;
  readonly conversations: ConversationService;
  readonly outbox: OutboxDispatcher;
  /** Tells one account something outside a conversation (a request approved…); dispatch with `outbox`. */
  readonly notifier: AccountNotifier;
  /** What the ticket service takes (src/features/tickets/service); add the staff side's observer to `ticketObservers`. */
  readonly tickets: TicketServiceDeps;
  readonly ticketObservers: TicketObserverList;
  /** The staff inbox in chat (staff chats, cards, staff actions). */
  readonly inbox: Inbox;
  /** Deletes forgotten photos (every few minutes in a serving process): `sweepNow` runs one sweep at once. */
  readonly photoSweep: PhotoSweep;
  /** Ticket deadlines, satisfaction alerts and digests (`scheduleTicketDeadlines`, `recordRatingEffects`). */
  readonly ticketScheduling: TicketScheduling;
  readonly translator: Translator;
  readonly channels: ReadonlyMap<ChannelName, Channel>;
  readonly communityId: string;
  /** Listens (when serving) and starts the channels; resolves with the address. */
  start(): Promise<string | null>;
  /** Graceful: stop taking input, finish in-flight work, close connections. Safe to call twice. */
  stop(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const translator = loadTranslator(options.localesDir ?? join(projectRoot, 'locales'));
  // The same check as `npm run flows:check`, before anything is touched: a flow it refuses stops
  // start-up with one line naming the file and the problem.
  const flows = loadCheckedFlows(options.flowsDir ?? join(projectRoot, 'flows'), translator);
  const engine = createEngine(flows);

  // Before the database is opened: a weak secret file stops start-up with nothing touched.
  const secret = resolveSecret(config.LINLI_SECRET, config.DATA_DIR);
  // The one registry of buttons: every kind is made, signed and pressed through it.
  const buttons: ChatButtons = new ButtonRegistry(secret, { logger });
  // The channels this process has, added further down. Everything that writes messages asks them
  // for a channel's limits when it writes; a channel missing here gets rows all the same (another
  // process may send them), split to the safe limit.
  const channels = new Map<ChannelName, Channel>();
  const textLimitOf: TextLimitOf = (channel) => textLimitFrom(channels.get(channel)?.capabilities);
  // A channel missing here shows no buttons in what this process writes (its rows say the words to type).
  const capabilitiesIfHere = (channel: ChannelName): ChannelCapabilities | undefined => channels.get(channel)?.capabilities;
  const notifier = new AccountNotifier({
    translator,
    textLimitOf,
    buttons,
    capabilitiesOf: capabilitiesIfHere,
  });

  // The staff inbox and the scheduler, built further down, join the observers there.
  const ticketObservers = new TicketObserverList();
  const tickets: TicketServiceDeps = { translator, notifier, observer: ticketObservers };
  // Binding requests (and binding closed by too many wrong codes) are posted to the staff chats by
  // the inbox, which joins this list further down.
  const bindingRequestObservers = new BindingRequestObserverList();
  // The photo sweep is built further down; a removal asks it to run as soon as it commits.
  let sweepPhotosNow: (() => Promise<void>) | undefined;
  const effects: EffectRegistry = new Map([
    ['set_language', setLanguageEffect(translator.locales)],
    ...identityEffects({
      translator,
      timeZone: config.COMMUNITY_TIMEZONE,
      bindingRequestObserver: bindingRequestObservers,
      bindingClosedObserver: bindingRequestObservers,
      log: logger,
      afterRemoval: () => sweepPhotosNow?.() ?? Promise.resolve(),
    }),
    ...ticketEffects(tickets),
  ]);
  // The flows were checked against the declared effects: these must be exactly those.
  assertEffectsDeclared(effects);

  const database =
    options.database ??
    (await openDatabase({
      ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
      dataDir: config.DATA_DIR,
      reportTightened: (entries) => logger.warn({ entries }, 'data directory was open to other users: now owner-only (folders 0700, files 0600)'),
    }));
  const closers: (() => Promise<void>)[] = options.database ? [] : [() => database.close()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => logger.warn({ err: String(error) }, 'close failed'));
  };

  try {
    const applied = await database.migrate();
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrations applied');

    const { prisma } = database;
    const community = await ensureCommunity(prisma, {
      slug: config.COMMUNITY_SLUG,
      name: config.COMMUNITY_NAME ?? translator.t(config.DEFAULT_LOCALE, 'community.default_name'),
      timezone: config.COMMUNITY_TIMEZONE,
      defaultLocale: config.DEFAULT_LOCALE,
      officePhone: config.COMMUNITY_OFFICE_PHONE,
    });

    const queues = await createQueueBackend({
      ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
      ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}),
      database,
      logger,
    });
    // Workers close with the queues, and may be pacing a send until then: the pacer closes after.
    let closePacer: (() => Promise<void>) | undefined;
    let closeDelivery: (() => Promise<void>) | undefined;
    closers.push(async () => {
      // Replies being sent straight from here finish first (they need the queues for a retry).
      await closeDelivery?.();
      await queues.close();
      await closePacer?.();
    });

    const outbox = new OutboxDispatcher(prisma, new DeliveryScheduler(queues, prisma, logger), logger);

    const web = new WebChannel({
      prisma,
      communityId: community.id,
      logger,
      translator,
      defaultLocale: config.DEFAULT_LOCALE,
      dataDir: config.DATA_DIR,
      maxPhotoBytes: MAX_PHOTO_BYTES,
      // Its own key: the hash of an address is no use for forging buttons or anything else.
      originKey: createHmac('sha256', secret).update('web-chat-origin').digest('base64url'),
      chosenLocale: async (sessionId) => {
        const account = await prisma.chatAccount.findUnique({
          where: { communityId_channel_externalId: { communityId: community.id, channel: 'web', externalId: sessionId } },
          select: { locale: true },
        });
        return account?.locale ?? null;
      },
    });
    channels.set('web', web);
    // The staff inbox first: the channels ask it which group chats are staff chats.
    const inbox = new Inbox({
      prisma,
      communityId: community.id,
      logger,
      telegramStaffChatId: config.TELEGRAM_STAFF_CHAT_ID,
      wechatStaffRoom: config.WECHAT_STAFF_ROOM,
    });
    // Channel libraries (telegraf, wechaty) are loaded only when their channel is configured:
    // they cost memory a deployment without them should not pay.
    // Every process can send through Telegram; only a serving process polls or takes webhooks.
    const telegramModules = config.TELEGRAM_BOT_TOKEN
      ? await Promise.all([
          import('./channels/telegram/create-telegram-channel.js'),
          import('./channels/telegram/webhook-route.js'),
          import('./channels/telegram/database-chat-migrations.js'),
        ])
      : undefined;
    // Groups that became supergroups: stored moves read once here, then followed from memory.
    const chatMoves = telegramModules ? await telegramModules[2].DatabaseChatMigrations.load(prisma, 'telegram', logger) : undefined;
    const telegram =
      telegramModules && chatMoves
        ? telegramModules[0].createTelegramChannel(config, {
            logger,
            maxPhotoBytes: MAX_PHOTO_BYTES,
            hearsAllIn: inbox.hearsAllIn('telegram'),
            chatMigrations: inbox.followChatMoves(chatMoves),
          })
        : undefined;
    // Delivery sends through the inbox's wrapper: a ticket's messages find their topic or card.
    if (telegram) channels.set('telegram', inbox.wrapTelegram(telegram));
    // A WeChat login lives in one process: the serving one logs in, sends and receives.
    const wechatModules =
      options.serve && (config.WECHATY_PUPPET || options.wechatPuppet)
        ? await Promise.all([import('./channels/wechat/create-wechat-channel.js'), import('./channels/wechat/admin-routes.js')])
        : undefined;
    const wechatAdminToken = wechatModules?.[1].deriveWeChatAdminToken(secret);
    const wechat =
      wechatModules && wechatAdminToken
        ? await wechatModules[0].createWeChatChannel(config, {
            logger,
            maxPhotoBytes: MAX_PHOTO_BYTES,
            adminUrl: wechatModules[1].weChatAdminUrl(wechatModules[1].localBaseUrl(config.HOST, config.PORT), wechatAdminToken),
            ...(options.wechatPuppet ? { puppet: options.wechatPuppet } : {}),
            hearsAllIn: inbox.hearsAllIn('wechat'),
          })
        : undefined;
    if (wechat) channels.set('wechat', wechat);
    const capabilitiesOf = (name: ChannelName): ChannelCapabilities => {
      const channel = channels.get(name);
      if (!channel) throw new Error(`channel ${name} is not enabled`);
      return channel.capabilities;
    };

    const conversations = new ConversationService({
      prisma,
      engine,
      translator,
      buttons,
      effects,
      capabilitiesOf,
      outbox,
      scheduleIdle: idleScheduler(queues.queue(QueueNames.conversationTimeouts)),
      idle: { reminderMs: config.IDLE_REMINDER_MINUTES * 60_000, closeMs: config.IDLE_CLOSE_MINUTES * 60_000, quietFlowId: 'main_menu' },
      community,
      logger,
    });

    const ticketScheduling = createTicketScheduling({
      prisma,
      queues,
      notifier,
      translator,
      outbox,
      logger,
      digestHour: config.DIGEST_HOUR,
      textLimitOf,
    });
    ticketObservers.add(ticketScheduling.observer);

    inbox.connect({
      translator,
      buttons,
      capabilitiesOf: capabilitiesIfHere,
      tickets,
      observers: ticketObservers,
      bindingRequestObservers,
      outbox,
      textLimitOf,
    });

    const photoQuota = new PhotoQuota({
      prisma,
      communityId: community.id,
      dataDir: config.DATA_DIR,
      maxBytes: config.PHOTO_QUOTA_MB * 1024 * 1024,
      logger,
    });
    const router = new Router({
      prisma,
      communityId: community.id,
      defaultLocale: config.DEFAULT_LOCALE,
      translator,
      flood: new FloodLimiter(config.FLOOD_MAX_MESSAGES, config.FLOOD_WINDOW_SECONDS * 1000),
      // Button presses go through the registry to their kind's handler; staff chats and inbox
      // commands to the inbox; everything else to the flows.
      handler: buttonPressesFirst(buttons, inbox.handler(conversations)),
      outbox,
      logger,
      claimMs: config.INBOUND_CLAIM_SECONDS * 1000,
      acceptPhoto: (sender, photo) => photoQuota.accept(sender, photo),
    });

    const http = createHttpServer(
      logger,
      [
        { name: 'database', check: () => database.ping() },
        { name: 'queue', check: () => queues.ping() },
        ...(telegram && options.serve ? [{ name: 'telegram', check: () => telegram.check() }] : []),
      ],
      wechat ? { wechat: () => wechat.login.status() } : {},
      { trustProxy: config.TRUST_PROXY },
    );
    if (options.serve) {
      registerWebChatRoutes(http, web, {
        cookieSecret: deriveKey(secret, 'web-chat-cookie'),
        limits: {
          sessionsPerMinute: config.WEB_CHAT_SESSIONS_PER_MINUTE,
          messagesPerMinute: config.WEB_CHAT_MESSAGES_PER_MINUTE,
          uploadsPerMinute: config.WEB_CHAT_UPLOADS_PER_MINUTE,
          streamsPerAddress: config.WEB_CHAT_STREAMS_PER_ADDRESS,
        },
      });
      void http.register(open311Routes, {
        prefix: '/open311/v2',
        prisma,
        communityId: community.id,
        translator,
        apiKeys: config.OPEN311_API_KEYS,
        postsPerMinute: config.OPEN311_POSTS_PER_MINUTE,
        file: open311Filing({ prisma, tickets, outbox }),
      });
      if (telegram?.webhook && telegramModules) telegramModules[1].registerTelegramWebhookRoute(http, telegram);
      if (wechat && wechatModules && wechatAdminToken) {
        wechatModules[1].registerWeChatAdminRoutes(http, {
          login: wechat.login,
          translator,
          defaultLocale: config.DEFAULT_LOCALE,
          timeZone: config.COMMUNITY_TIMEZONE,
          token: wechatAdminToken,
        });
      }
    }

    let sweepTimer: NodeJS.Timeout | undefined;
    // Photos live in DATA_DIR/uploads of the process that takes them (the serving one): it sweeps
    // them now and then, and right after a removal (conversation turns run where messages arrive).
    const photoSweep = new PhotoSweep({ prisma, dataDir: config.DATA_DIR, retentionMs: config.WITHDRAWN_PHOTO_RETENTION_DAYS * DAY_MS, logger });
    sweepPhotosNow = () => photoSweep.sweepNow();
    if (config.RUN_WORKERS) {
      const pacer = createSendPacer({
        kind: queues.kind,
        ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
        ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}),
        prisma,
        logger,
      });
      closePacer = () => pacer.close();
      // One worker per channel, on that channel's queue; WeChat's only where its login lives.
      const delivery = startDeliveryWorkers(queues, { prisma, channels, logger }, {
        concurrency: config.DELIVERY_CONCURRENCY,
        pacer,
        defaultPacing: defaultPacing(config),
      });
      closeDelivery = () => delivery.close();
      // This process sends: a reply goes out from here at once rather than through the queue.
      outbox.sendRepliesDirectly((rows) => delivery.deliverNow(rows));
      startIdleWorker(queues, conversations);
      ticketScheduling.startWorkers();
    }

    let stopping: Promise<void> | undefined;
    const app: App = {
      config,
      http,
      database,
      queues,
      router,
      conversations,
      outbox,
      notifier,
      tickets,
      ticketObservers,
      ticketScheduling,
      photoSweep,
      inbox,
      translator,
      channels,
      communityId: community.id,
      async start() {
        if (config.RUN_WORKERS) {
          // Hand over what a crash left behind, then keep looking now and then.
          await outbox.sweep(0, OUTBOX_STUCK_SENDING_MS);
          sweepTimer = setInterval(() => {
            outbox.sweep(OUTBOX_PENDING_AGE_MS, OUTBOX_STUCK_SENDING_MS).catch((error: unknown) =>
              logger.warn({ err: String(error) }, 'outbox sweep failed'),
            );
          }, OUTBOX_SWEEP_EVERY_MS);
          sweepTimer.unref();
          await ticketScheduling.start(community.id);
        }
        if (!options.serve) return null;
        photoSweep.start(PHOTO_SWEEP_EVERY_MS);
        // Listen first, so Telegram's first webhook call finds the route.
        const address = await http.listen({ host: config.HOST, port: config.PORT });
        await inbox.start({ telegram, wechat });
        // Before the channels: a message a crash left unhandled goes before its chat's new ones.
        // The embedded database has one process, so every such message is this one's to take.
        await router.start({ sole: database.kind === 'embedded' });
        for (const channel of channels.values()) await channel.start(router.receive);
        return address;
      },
      stop() {
        stopping ??= (async () => {
          if (sweepTimer) clearInterval(sweepTimer);
          await photoSweep.stop();
          await http.close();
          for (const channel of channels.values()) await channel.stop();
          await router.drain();
          // After the drain: tickets filed by the last turns still get their deadline jobs.
          await ticketScheduling.stop();
          await inbox.stop();
          await closeAll();
        })();
        return stopping;
      },
    };
    return app;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
