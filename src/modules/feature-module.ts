/**
 * What a feature module is: one object per feature folder the app wires (tickets, identity,
 * community, preferences, privacy, and the staff inbox), listed once in `src/app.ts`. It declares
 * its flow effects (names, arguments and their types: checked against the flows before anything
 * is opened) and, once the shared services exist, `install(context)` subscribes its listeners on
 * the event bus and returns what it adds to the app: the effects' handlers, HTTP routes, workers
 * and schedules to start and stop, and — for the staff inbox — the staff chats' hooks into the
 * channels and the handler in front of the conversation service.
 *
 * @example
 * export const greetings: FeatureModule = {
 *   name: 'greetings',
 *   effects: { greet: { args: { name: EffectArg.text } } },
 *   install(context) {
 *     context.events.on('ticket.changed', async (tx, change) => { … });
 *     return { effects: new Map([['greet', async (ctx, args) => ({ status: 'ok' })]]) };
 *   },
 * };
 */
import type { DocumentLink } from '../channels/media/document-links.js';
import type { FastifyInstance } from 'fastify';
import type { ChannelCapabilities, ChannelName, ChatHooks, ForumCheck, NamedRooms, PostingRights } from '../channels/types.js';
import type { Config } from '../config/config.js';
import type { EffectDeclarations } from '../conversation/effect-signature.js';
import type { ChatButtons } from '../conversation/button-presses.js';
import type { EffectEntry } from '../conversation/effects.js';
import type { MessageHandler, RouterDeps } from '../conversation/router.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { EventBus } from '../events/index.js';
import type { Translator } from '../i18n/translator.js';
import type { Logger } from '../log/logger.js';
import type { AccountNotifier } from '../notify/account-notifier.js';
import type { OutboxDispatcher } from '../outbox/outbox.js';
import type { QueueBackend } from '../queue/backend.js';
import type { KeyPurpose } from '../security/derived-key.js';
import type { ChangeListener } from '../db/change-listener.js';

/** What the channels of this process can do, asked when a message is written (channels come later). */
export interface ChannelAbilities {
  /** The text limit of a channel (`SAFE_TEXT_LIMIT` for one this process does not have). */
  textLimitOf(channel: ChannelName): number;
  /** A channel's capabilities, or undefined for one this process does not have (its rows show no buttons). */
  capabilitiesIfHere(channel: ChannelName): ChannelCapabilities | undefined;
  /** A channel's capabilities; throws for one this process does not have. */
  capabilitiesOf(channel: ChannelName): ChannelCapabilities;
  /**
   * A channel's capabilities whether this process has it or not: its own, else what its adapter
   * declares (src/channels/known-channels.ts), else the least any channel can do.
   */
  declaredCapabilitiesOf(channel: ChannelName): ChannelCapabilities;
}

/** The shared services every module is installed with; the app builds one. */
export interface FeatureContext {
  config: Config;
  logger: Logger;
  /** Serving HTTP and channels (false: a worker-only process). */
  serve: boolean;
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  notifier: AccountNotifier;
  /** The app's one button registry: a module makes its buttons and registers their handlers there. */
  buttons: ChatButtons;
  outbox: OutboxDispatcher;
  queues: QueueBackend;
  /** The in-transaction event bus: subscribe at install, publish inside a change's transaction. */
  events: EventBus;
  channels: ChannelAbilities;
  /** Where photos are stored (`DATA_DIR`). */
  dataDir: string;
  /**
   * A stored file's signed download address (`src/channels/media/document-links.ts`): what a
   * message gives a channel that cannot carry the file, and what the console links to.
   */
  documentLink: DocumentLink;
  /** A key derived from LINLI_SECRET for one purpose (the secret itself stays with the app). */
  keyFor(purpose: KeyPurpose): string;
  /** PostgreSQL only: LISTEN for what `pg_notify` tells every process (absent on the embedded database). */
  listen?: ChangeListener;
  /** Tests: the time the features act at (absent: the system clock). */
  clock?: () => Date;
}

/**
 * The channels a started module may need, by what they offer rather than by name (the staff
 * inbox: whether a configured chat is a forum, a room found by its name). Empty in a process that
 * does not serve.
 */
export interface StartedChannels {
  /** Channels that say whether one of their chats is a forum. */
  forums: readonly ForumCheck[];
  /** Channels whose rooms are found by name. */
  rooms: readonly NamedRooms[];
  /** Channels that can say whether the bot may post in a group (absent: none). */
  posting?: readonly PostingRights[];
}

/**
 * How a module joins the channels' handling of staff chats (built before the channels): the
 * channels' assembly (src/channels/assemble-channels.ts) wraps every channel with forum topics
 * (`threads: 'topics'`) in `wrapThreads`.
 */
export type StaffChatHooks = ChatHooks;

/** What one module adds to the app. Every part is optional. */
export interface FeatureContribution {
  /** The handlers of exactly the effects the module declares. */
  effects?: ReadonlyMap<string, EffectEntry>;
  /** HTTP routes (registered in a serving process only). */
  routes?(http: FastifyInstance): void;
  /** Whether a photo may be taken in (the router asks before handing it on). */
  acceptPhoto?: NonNullable<RouterDeps['acceptPhoto']>;
  staffChats?: StaffChatHooks;
  /** Takes the messages it handles and gives the rest to `next` (the conversation service). */
  handler?(next: MessageHandler): MessageHandler;
  /** Schedules and loops: at `App.start` (a serving process after HTTP listens, before the channels start). */
  start?(channels: StartedChannels): Promise<void>;
  /** After the channels stopped and the router drained; in the reverse order of the list. */
  stop?(): Promise<void>;
  /**
   * Lines for the operator once the app listens at `address` (printed under "Linli is ready"):
   * the first administrator's one-time setup address.
   */
  readyLines?(address: string): Promise<string[]>;
}

export interface FeatureModule {
  /** For problems and logs: the folder's name. */
  readonly name: string;
  /** The effects this module implements, as flows may call them. */
  readonly effects?: EffectDeclarations;
  install(context: FeatureContext): FeatureContribution | Promise<FeatureContribution>;
}
