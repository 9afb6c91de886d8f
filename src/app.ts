/**
 * The composition root: the one place that knows every part and wires them together.
 * `main.ts` (web, channels and workers) and `worker.ts` (workers only) start it.
 */
import { documentLinks, registerDocumentLinkRoute } from './channels/media/document-links.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { assembleChannels, type ChannelAssemblyOptions } from './channels/assemble-channels.js';
import { capabilitiesIn } from './channels/known-channels.js';
import { textLimitFrom, type TextLimitOf } from './channels/text-limit.js';
import type { Channel, ChannelCapabilities, ChannelName } from './channels/types.js';
import type { Config } from './config/config.js';
import { AccountNotifier } from './notify/account-notifier.js';
import { ConversationService } from './conversation/conversation-service.js';
import { createEngine } from './conversation/engine.js';
import { loadCheckedFlows } from './conversation/flow-check.js';
import { idleScheduler, startIdleWorker } from './conversation/idle-timers.js';
import { Router } from './conversation/router.js';
import { openDatabase, type Database } from './db/database.js';
import { EventBus } from './events/index.js';
import { community as communityModule, ensureConfiguredCommunity } from './features/community/module.js';
import { fund } from './features/fund/module.js';
import { noticeArchive } from './features/notices/archive/module.js';
import { notices } from './features/notices/module.js';
import { identity } from './features/identity/module.js';
import { preferences } from './features/preferences/module.js';
import { housekeeping } from './features/housekeeping/module.js';
import { meetings } from './features/meetings/module.js';
import { privacy } from './features/privacy/module.js';
import { repairs } from './features/repairs/module.js';
import { tickets } from './features/tickets/module.js';
import { dispatch } from './features/repairs/dispatch/module.js';
import { rollCall } from './features/notices/rollcall/module.js';
import { meetingFloor } from './features/meetings/floor/module.js';
import { createHttpServer } from './http/server.js';
import { inbox } from './inbox/module.js';
import { loadTranslator, type Translator } from './i18n/translator.js';
import type { Logger } from './log/logger.js';
import { createSendPacer } from './outbox/create-send-pacer.js';
import { startDeliveryWorkers } from './outbox/delivery-queue.js';
import { deleteDocument } from './channels/media/document-files.js';
import { DeliveryScheduler } from './outbox/delivery-scheduler.js';
import { OutboxDispatcher } from './outbox/outbox.js';
import { defaultPacing } from './outbox/platform-pacing.js';
import { createQueueBackend, type QueueBackend } from './queue/backend.js';
import { QueueNames } from './queue/names.js';
import { ButtonRegistry } from './buttons/button-registry.js';
import { buttonPressesFirst, type ChatButtons } from './conversation/button-presses.js';
import { resolveSecret } from './security/secret.js';
import { deriveKey } from './security/derived-key.js';
import { staffWeb } from './staff-web/module.js';
import { declaredEffects, installFeatures, type FeatureModule } from './modules/index.js';
import { FloodLimiter } from './util/flood-limiter.js';

/**
 * The features this app is made of, in the order they are installed: listeners of one event hear
 * it in this order (the ticket clock before the staff inbox's card). `npm run flows:check` checks
 * the flows against these modules' effects too.
 */
export const APP_FEATURES: readonly FeatureModule[] = [tickets, repairs, identity, communityModule, preferences, privacy, housekeeping, fund, noticeArchive, dispatch, notices, rollCall, meetings, meetingFloor, inbox, staffWeb];

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
  wechatPuppet?: ChannelAssemblyOptions['wechatPuppet'];
  /**
   * Tests: channels of their own beside the configured ones, each under its own name with its own
   * capabilities (unpaced ones share the unpaced delivery queue).
   */
  extraChannels?: readonly Channel[];
  /** Tests: where flows and locales are read from (default: the project's). */
  flowsDir?: string;
  localesDir?: string;
  /** Tests: features installed after the app's own (`APP_FEATURES`). */
  extraFeatures?: readonly FeatureModule[];
  /** Tests: the time the features that take it act at (a fake clock); default the system clock. */
  clock?: () => Date;
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
  /** The in-transaction event bus the installed features publish on and listen to. */
  readonly events: EventBus;
  readonly translator: Translator;
  readonly channels: ReadonlyMap<ChannelName, Channel>;
  readonly communityId: string;
  /** Listens (when serving) and starts the channels; resolves with the address. */
  start(): Promise<string | null>;
  /** What the operator is told once the app listens (the first administrator's setup address). */
  readyLines(address: string): Promise<string[]>;
  /** Graceful: stop taking input, finish in-flight work, close connections. Safe to call twice. */
  stop(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const translator = loadTranslator(options.localesDir ?? join(projectRoot, 'locales'));
  const features = [...APP_FEATURES, ...(options.extraFeatures ?? [])];
  // The same check as `npm run flows:check`, before anything is touched: a flow it refuses stops
  // start-up with one line naming the file and the problem.
  const flows = loadCheckedFlows(options.flowsDir ?? join(projectRoot, 'flows'), translator, declaredEffects(features));
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
  const capabilitiesOf = (name: ChannelName): ChannelCapabilities => {
    const channel = channels.get(name);
    if (!channel) throw new Error(`channel ${name} is not enabled`);
    return channel.capabilities;
  };
  // What a message is laid out by, whether this process has the channel or not (its declared capabilities).
  const declaredCapabilitiesOf = capabilitiesIn(channels);
  const notifier = new AccountNotifier({ translator, textLimitOf, buttons, capabilitiesOf: capabilitiesIfHere });
  const events = new EventBus();

  const database =
    options.database ??
    (await openDatabase({
      ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
      dataDir: config.DATA_DIR,
      logger,
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
    const community = await ensureConfiguredCommunity(prisma, config, translator);

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

    // Every feature, installed once with the shared services: listeners subscribe, effects and
    // routes are handed over. The staff chats' hooks are the channels' to use, just below.
    const installed = await installFeatures(features, {
      config,
      logger,
      serve: options.serve,
      prisma,
      communityId: community.id,
      translator,
      notifier,
      buttons,
      outbox,
      queues,
      events,
      channels: { textLimitOf, capabilitiesIfHere, capabilitiesOf, declaredCapabilitiesOf },
      dataDir: config.DATA_DIR,
      documentLink: documentLinks(deriveKey(secret, 'document-link'), config.PUBLIC_URL),
      keyFor: (purpose) => deriveKey(secret, purpose),
      ...(database.listen ? { listen: database.listen } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    closers.push(() => installed.stop());

    // The configured channels, built (their libraries loaded) only when on; the staff chats'
    // keeper (the inbox module) says which group chats are heard whole and places forum topics.
    const assembled = await assembleChannels({
      config,
      logger,
      prisma,
      communityId: community.id,
      translator,
      secret,
      serve: options.serve,
      staffChats: installed.staffChats,
      // The language a person chose, so the web chat's own labels follow it.
      chosenLocaleOf: async (channel, chatId) => {
        const account = await prisma.chatAccount.findUnique({
          where: { communityId_channel_externalId: { communityId: community.id, channel, externalId: chatId } },
          select: { locale: true },
        });
        return account?.locale ?? null;
      },
      ...(options.wechatPuppet ? { wechatPuppet: options.wechatPuppet } : {}),
      ...(options.extraChannels ? { extraChannels: options.extraChannels } : {}),
    });
    for (const channel of assembled.channels) channels.set(channel.name, channel);

    const conversations = new ConversationService({
      prisma,
      engine,
      translator,
      buttons,
      effects: installed.effects,
      capabilitiesOf,
      outbox,
      scheduleIdle: idleScheduler(queues.queue(QueueNames.conversationTimeouts)),
      idle: { reminderMs: config.IDLE_REMINDER_MINUTES * 60_000, closeMs: config.IDLE_CLOSE_MINUTES * 60_000, quietFlowId: 'main_menu' },
      community,
      logger,
      discardFile: (ref) => deleteDocument(config.DATA_DIR, ref),
    });

    const router = new Router({
      prisma,
      communityId: community.id,
      defaultLocale: config.DEFAULT_LOCALE,
      translator,
      flood: new FloodLimiter(config.FLOOD_MAX_MESSAGES, config.FLOOD_WINDOW_SECONDS * 1000),
      // Button presses go through the registry to their kind's handler; staff chats and inbox
      // commands to the inbox (a feature's handler); everything else to the flows.
      handler: buttonPressesFirst(buttons, installed.handler(conversations)),
      outbox,
      logger,
      claimMs: config.INBOUND_CLAIM_SECONDS * 1000,
      ...(installed.acceptPhoto ? { acceptPhoto: installed.acceptPhoto } : {}),
    });

    // Healthy only once started: the app listens before its channels start (see start()).
    let started = false;
    const startedCheck = async () => {
      if (!started) throw new Error('starting');
    };
    const http = createHttpServer(
      logger,
      [{ name: 'started', check: startedCheck }, { name: 'database', check: () => database.ping() }, { name: 'queue', check: () => queues.ping() }, ...assembled.healthChecks],
      assembled.statuses,
      { trustProxy: config.TRUST_PROXY },
    );
    if (options.serve) {
      assembled.registerRoutes(http);
      installed.registerRoutes(http);
      // The files messages link to where a channel cannot carry them (signed addresses).
      registerDocumentLinkRoute(http, deriveKey(secret, 'document-link'), config.DATA_DIR);
    }

    let sweepTimer: NodeJS.Timeout | undefined;
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
      outbox.sendRepliesDirectly((rows) => delivery.deliverNow(rows), (channel) => delivery.claimsOnWrite(channel));
      startIdleWorker(queues, conversations);
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
      events,
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
        }
        if (!options.serve) {
          await installed.start(assembled.started);
          started = true;
          return null;
        }
        // Listen first, so Telegram's first webhook call finds the route.
        const address = await http.listen({ host: config.HOST, port: config.PORT });
        // The features' schedules and loops; the staff chats are bound before the channels start.
        await installed.start(assembled.started);
        // Before the channels: a message a crash left unhandled goes before its chat's new ones.
        // The embedded database has one process, so every such message is this one's to take.
        await router.start({ sole: database.kind === 'embedded' });
        for (const channel of channels.values()) await channel.start(router.receive);
        started = true;
        return address;
      },
      readyLines: (address) => installed.readyLines(address),
      stop() {
        stopping ??= (async () => {
          if (sweepTimer) clearInterval(sweepTimer);
          await http.close();
          for (const channel of channels.values()) await channel.stop();
          await router.drain();
          // After the drain: tickets filed by the last turns still get their deadline jobs. The
          // features stop first among the closers (queues and database after them).
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
