/**
 * The WeChat staff room, named by WECHAT_STAFF_ROOM. A name proves nothing — anyone can make a
 * room with it and invite the bot's account — so the name is used once, to find the room the
 * first time, and from then on the room is pinned by its id:
 * - renamed: the stored name follows (`BoundChat.title`), the room stays the staff room;
 * - another room with the configured name: ignored (its messages are no staff's), and staff are
 *   told in the staff room, once per such room and process;
 * - several rooms with the name before any is bound: none is bound (staff are to rename the
 *   others), and the log says so.
 * Checked at every login, whenever a room is renamed or joined, and now and then.
 */
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';
import type { ChannelName, NamedRooms } from '../channels/types.js';
import { staffChatOn } from './bound-chats.js';
import { bindConfiguredStaffChat } from './chat-binding.js';
import type { StaffChatDirectory } from './staff-chat-directory.js';

export interface WeChatStaffRoomDeps {
  prisma: PrismaClient;
  communityId: string;
  logger: Logger;
  /** The channel the rooms are on. */
  channel: ChannelName;
  /** WECHAT_STAFF_ROOM. */
  name: string;
  /** What the keeper asks of the channel: its rooms by name. */
  rooms: Pick<NamedRooms, 'findRoomsByTopic' | 'roomTopic'>;
  directory: StaffChatDirectory;
  /** Tells the staff room that `count` other rooms carry its configured name. */
  warnStaff(roomId: string, count: number): Promise<void>;
  now?: () => Date;
}

export class WeChatStaffRoomKeeper {
  /** Rooms with the name staff were already told about. */
  private readonly reported = new Set<string>();

  constructor(private readonly deps: WeChatStaffRoomDeps) {}

  /** One look at the account's rooms (see the file's comment). */
  async check(): Promise<void> {
    const { prisma, communityId, logger, name, rooms, channel } = this.deps;
    const pinned = await staffChatOn(prisma, communityId, channel);
    const named = await rooms.findRoomsByTopic(name);
    if (!pinned) {
      if (named.length === 0) return void logger.warn('staff room not found among the WeChat account\'s rooms');
      if (named.length > 1) return void logger.warn({ rooms: named.length }, 'several WeChat rooms carry the staff room\'s name: none bound');
      const chat = { channel, chatId: named[0]!, isForum: false };
      await prisma.$transaction((tx) => bindConfiguredStaffChat(tx, communityId, chat, this.now(), name));
      this.deps.directory.remember(chat);
      return;
    }

    const topic = await rooms.roomTopic(pinned.chatId);
    if (topic === undefined) logger.warn('the WeChat staff room is not among the account\'s rooms: still bound to it');
    else if (topic !== pinned.title) {
      await prisma.boundChat.update({ where: { id: pinned.id }, data: { title: topic } });
      logger.info({ staffChatId: pinned.id }, 'WeChat staff room renamed: followed');
    }
    const others = named.filter((roomId) => roomId !== pinned.chatId);
    const unreported = others.filter((roomId) => !this.reported.has(roomId));
    if (unreported.length === 0) return;
    logger.warn({ rooms: others.length }, 'another WeChat room carries the staff room\'s name: ignored');
    await this.deps.warnStaff(pinned.chatId, others.length);
    for (const roomId of unreported) this.reported.add(roomId);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
