/**
 * When the staff group becomes a supergroup Telegram gives it a new chat id. The channel already
 * follows such moves for sending (`ChatMigrations`, stored as `ChatMove` rows); this wrapper also
 * moves what the inbox stores under the old id: the community's staff chat binding and its
 * tickets' threads, so the inbox keeps hearing the group and posting into it, without
 * `/setup_staff_chat` again.
 */
import type { ChannelName, ChatMigrations } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';

export class StaffChatFollowingMigrations implements ChatMigrations {
  constructor(
    private readonly inner: ChatMigrations,
    /** The channel whose moves these are. */
    private readonly channel: ChannelName,
    private readonly prisma: PrismaClient,
    private readonly communityId: string,
    /** Called after a move of the staff chat was stored (the directory reads it again). */
    private readonly onStaffChatMoved: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  resolve(chatId: string): Promise<string> {
    return this.inner.resolve(chatId);
  }

  async record(fromChatId: string, toChatId: string): Promise<void> {
    await this.inner.record(fromChatId, toChatId);
    if (fromChatId === toChatId) return;
    const moved = await this.prisma.$transaction(async (tx) => {
      // Every binding of the group moves (whatever its purpose); the inbox's threads with the staff chat's.
      const chats = await tx.boundChat.updateMany({ where: { communityId: this.communityId, channel: this.channel, chatId: fromChatId }, data: { chatId: toChatId } });
      if (chats.count === 0) return 0;
      await tx.staffThread.updateMany({ where: { channel: this.channel, chatId: fromChatId }, data: { chatId: toChatId } });
      return chats.count;
    });
    if (moved === 0) return;
    this.logger.info({ channel: this.channel }, 'a bound group became a supergroup: its binding moved with it');
    await this.onStaffChatMoved();
  }
}
