/**
 * Which chats are the community's staff chats (one per channel: a Telegram group, a WeChat room),
 * kept in memory so a channel can ask, for every group message, whether to hand it on even when
 * it is not addressed to the bot. Read from the chats bound for `staff` (`BoundChat`) at start and
 * every `refreshMs` (another process may bind a chat), and at once when this process binds one.
 */
import type { ChannelName } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';
import { boundChatsFor, type ChatRef } from './bound-chats.js';

export class StaffChatDirectory {
  private readonly byChannel = new Map<ChannelName, ChatRef>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly communityId: string,
    private readonly logger: Logger,
  ) {}

  /** Reads the staff chats again. */
  async refresh(): Promise<void> {
    const chats = await boundChatsFor(this.prisma, this.communityId, 'staff');
    this.byChannel.clear();
    for (const chat of chats) this.byChannel.set(chat.channel, { channel: chat.channel, chatId: chat.chatId, isForum: chat.isForum });
  }

  /** Refreshes every `refreshMs` until `stop`. */
  startRefreshing(refreshMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'staff chats not refreshed'));
    }, refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The staff chat of a channel, if this chat is it. */
  find(channel: ChannelName, chatId: string): ChatRef | undefined {
    const chat = this.byChannel.get(channel);
    return chat && chat.chatId === chatId ? chat : undefined;
  }

  /** The staff chat of a channel, if one is bound. */
  of(channel: ChannelName): ChatRef | undefined {
    return this.byChannel.get(channel);
  }

  /** A channel's test for "every message here counts". */
  hearsAllIn(channel: ChannelName): (chatId: string) => boolean {
    return (chatId) => this.byChannel.get(channel)?.chatId === chatId;
  }

  /** Records a chat this process just bound (after its transaction committed). */
  remember(chat: ChatRef): void {
    this.byChannel.set(chat.channel, chat);
  }
}
