/**
 * The staff inbox, assembled in one step by its module (module.ts): what the channels need (which
 * chats are staff chats, the sender that places a ticket's messages in its forum topic or under
 * its card, for a channel with topics), the listeners that post cards, lines, binding requests and closings (`listen`), and
 * the handler that takes staff messages before the conversation service.
 *
 * @example
 * const inbox = new Inbox({ prisma, communityId, logger, configuredStaffChats: [{ channel, chatId }], namedStaffRoom: { channel, name }, translator, buttons, capabilitiesOf, tickets, events, outbox, textLimitOf });
 * inbox.listen(events);
 * // channels: built with { hearsAllIn: inbox.hearsAllIn(name) } …
 * channels.set(forum.name, inbox.wrapThreads(forum));
 * const router = new Router({ …, handler: buttonPressesFirst(buttons, inbox.handler(conversations)) });
 * await inbox.start({ forums: [forum], rooms: [roomsByName] });
 */
import { StaffChatFollowingMigrations } from './staff-chat-moves.js';
import type { CapabilitiesOf } from '../channels/known-channels.js';
import type { Channel, ChannelName, ChatMigrations, ForumCheck, ForumTopics, NamedRooms } from '../channels/types.js';
import type { ChatButtons } from '../conversation/button-presses.js';
import type { MessageHandler } from '../conversation/router.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { EventPublisher, EventSubscriber } from '../events/index.js';
import type { TicketServiceDeps } from '../features/tickets/service/index.js';
import type { Translator } from '../i18n/translator.js';
import type { Logger } from '../log/logger.js';
import type { OutboxDispatcher } from '../outbox/outbox.js';
import { BindingClosedPosts } from './binding-closed-posts.js';
import { BindingRequestPosts } from './binding-request-posts.js';
import { InboxObserver } from './inbox-observer.js';
import { bindConfiguredStaffChat } from './chat-binding.js';
import { StaffChatDirectory } from './staff-chat-directory.js';
import { StaffInbox } from './staff-inbox.js';
import { writeAnswer, type TextLimitOf } from './staff-posts.js';
import { StaffThreadChannel } from './staff-thread-channel.js';
import { WeChatStaffRoomKeeper } from './wechat-staff-room.js';

export { BindingClosedPosts } from './binding-closed-posts.js';
export { BindingRequestPosts } from './binding-request-posts.js';
export { InboxObserver } from './inbox-observer.js';
export { StaffChatDirectory } from './staff-chat-directory.js';
export { StaffInbox } from './staff-inbox.js';

/** How often other processes' bindings are picked up, and a staff room not found yet looked for again. */
const DIRECTORY_REFRESH_MS = 30_000;

export interface InboxDeps {
  prisma: PrismaClient;
  communityId: string;
  logger: Logger;
  /** Staff chats the configuration fixes by id (src/channels/configured-staff-chats.ts): bound at start, and `/setup_staff_chat` cannot move them. */
  configuredStaffChats?: readonly { channel: ChannelName; chatId: string }[];
  /** A staff room the configuration names (src/channels/configured-staff-chats.ts): found by its name once, then pinned by its id. */
  namedStaffRoom?: { channel: ChannelName; name: string } | undefined;
  translator: Translator;
  /** The app's buttons: the inbox makes its card and request buttons there and registers their handlers. */
  buttons: ChatButtons;
  tickets: TicketServiceDeps;
  /** Where the staff's binding decisions are published (`binding_request.changed`: the inbox's own posts hear them too). */
  events: EventPublisher;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
  textLimitOf: TextLimitOf;
  /** What each channel can do: how cards, buttons, prompts and hints are written to its chats. */
  capabilitiesOf: CapabilitiesOf;
  now?: () => Date;
}

/** What `start` needs of the channels that are on, by what they offer. */
export interface InboxChannels {
  /** Channels that say whether a chat is a forum: asked about a configured staff chat on them. */
  forums?: readonly ForumCheck[];
  /** Channels whose rooms are found by name: the named staff room is looked for on its own. */
  rooms?: readonly NamedRooms[];
}

export class Inbox {
  readonly directory: StaffChatDirectory;
  private readonly stops: (() => void)[] = [];

  constructor(private readonly base: InboxDeps) {
    this.directory = new StaffChatDirectory(base.prisma, base.communityId, base.logger);
  }

  /**
   * Subscribes the staff chats' posts: a ticket's card and lines (`ticket.changed`), binding
   * requests and decisions (`binding_request.changed`), the alert when the community-wide limit
   * closes binding (`binding.closed`) — each written in the change's transaction.
   */
  listen(events: EventSubscriber): void {
    const { translator, buttons, capabilitiesOf, textLimitOf, now } = this.base;
    const tickets = new InboxObserver({ translator, buttons, capabilitiesOf, textLimitOf, ...(now ? { now } : {}) });
    const requests = new BindingRequestPosts({ translator, buttons, capabilitiesOf, textLimitOf });
    const closings = new BindingClosedPosts({ translator, textLimitOf, capabilitiesOf });
    events.on('ticket.changed', (tx, change) => tickets.ticketChanged(tx, change));
    events.on('binding_request.changed', (tx, change) => requests.bindingRequestChanged(tx, change));
    events.on('binding.closed', (tx, closed) => closings.bindingClosed(tx, closed));
  }

  /** For a channel's options: every message in that channel's staff chat is handed on. */
  hearsAllIn(channel: ChannelName): (chatId: string) => boolean {
    return this.directory.hearsAllIn(channel);
  }

  /** A channel's record of group chats that changed their id, moving their bindings along. */
  followChatMoves(channel: ChannelName, inner: ChatMigrations): ChatMigrations {
    return new StaffChatFollowingMigrations(inner, channel, this.base.prisma, this.base.communityId, () => this.directory.refresh(), this.base.logger);
  }

  /** A channel with forum topics as delivery should use it (staff messages find their topic or card). */
  wrapThreads(channel: Channel & ForumTopics): Channel {
    return new StaffThreadChannel(channel, this.base.prisma, this.base.logger);
  }

  /** The router's handler: staff messages here, everything else to `next`. */
  handler(next: MessageHandler): MessageHandler {
    const deps = this.base;
    return new StaffInbox(
      {
        prisma: this.base.prisma,
        communityId: this.base.communityId,
        translator: deps.translator,
        buttons: deps.buttons,
        tickets: deps.tickets,
        outbox: deps.outbox,
        directory: this.directory,
        textLimitOf: deps.textLimitOf,
        capabilitiesOf: deps.capabilitiesOf,
        logger: this.base.logger,
        configuredChatOf: (channel) => this.configuredChatOf(channel),
        // Decisions made here are heard by every listener of the app (the staff chats' lines among them).
        events: deps.events,
        ...(deps.now ? { now: deps.now } : {}),
      },
      next,
    );
  }

  /** Reads the staff chats, binds the configured ones, and keeps the list fresh. */
  async start(channels: InboxChannels = {}): Promise<void> {
    await this.directory.refresh();
    for (const { channel, chatId } of this.base.configuredStaffChats ?? []) {
      const forums = channels.forums?.find((forum) => forum.name === channel);
      if (!forums) continue;
      const isForum = await forums.isForum(chatId).catch((error: unknown) => {
        this.base.logger.warn({ err: error instanceof Error ? error.name : 'unknown', channel }, 'staff chat: could not ask whether it is a forum');
        const known = this.directory.of(channel);
        return known?.chatId === chatId ? known.isForum : false;
      });
      await this.bindConfigured({ channel, chatId, isForum });
    }
    const named = this.base.namedStaffRoom;
    const rooms = named ? channels.rooms?.find((candidate) => candidate.name === named.channel) : undefined;
    if (named && rooms) {
      const room = named.name;
      const keeper = new WeChatStaffRoomKeeper({
        prisma: this.base.prisma,
        communityId: this.base.communityId,
        logger: this.base.logger,
        channel: named.channel,
        name: room,
        rooms,
        directory: this.directory,
        warnStaff: (roomId, count) => this.warnStaffRoom(named.channel, roomId, room, count),
      });
      // One look at a time: a login and a rename arriving together make one look, then another.
      let looking: Promise<void> = Promise.resolve();
      const look = () => {
        if (!rooms.roomsReady()) return;
        looking = looking
          .then(() => keeper.check())
          .catch((error: unknown) => this.base.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'staff room not checked'));
      };
      this.stops.push(rooms.onRoomsChange(look));
      // The bot's account may be added to the room later, or a room of the same name made.
      const again = setInterval(look, DIRECTORY_REFRESH_MS);
      again.unref();
      this.stops.push(() => clearInterval(again));
      look();
    }
    this.directory.startRefreshing(DIRECTORY_REFRESH_MS);
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    this.directory.stop();
  }

  /** The staff chat configuration fixes for a channel ('' for a named room not found yet). */
  private configuredChatOf(channel: ChannelName): string | undefined {
    const byId = this.base.configuredStaffChats?.find((chat) => chat.channel === channel);
    if (byId) return byId.chatId;
    if (this.base.namedStaffRoom?.channel === channel) return this.directory.of(channel)?.chatId ?? '';
    return undefined;
  }

  /** Tells the staff room that other rooms carry its configured name (the bot ignores them). */
  private async warnStaffRoom(channel: ChannelName, roomId: string, name: string, count: number): Promise<void> {
    const deps = this.base;
    const community = await this.base.prisma.community.findUniqueOrThrow({ where: { id: this.base.communityId }, select: { defaultLocale: true } });
    const text = deps.translator.t(community.defaultLocale, 'inbox.staff_room.same_name', { name, count });
    // Not through the poster: this goes to the one room, whatever else is bound.
    const rows = await this.base.prisma.$transaction((tx) => writeAnswer(tx, this.base.communityId, { channel, chatId: roomId }, text, deps.textLimitOf));
    await deps.outbox.dispatch(rows);
  }

  private async bindConfigured(chat: { channel: ChannelName; chatId: string; isForum: boolean }): Promise<void> {
    await this.base.prisma.$transaction((tx) => bindConfiguredStaffChat(tx, this.base.communityId, chat, new Date()));
    this.directory.remember(chat);
  }
}
