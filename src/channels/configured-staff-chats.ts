/**
 * The staff chats the configuration names, by the channel each setting belongs to: a Telegram
 * supergroup by its id (`TELEGRAM_STAFF_CHAT_ID`), a WeChat room by its name (`WECHAT_STAFF_ROOM`,
 * found once and then pinned by its id). The staff inbox binds them without knowing the channels.
 */
import type { Config } from '../config/config.js';
import type { ChannelName } from './types.js';

export interface ConfiguredStaffChats {
  /** Bound at start; `/setup_staff_chat` cannot move them. */
  byId: { channel: ChannelName; chatId: string }[];
  /** Looked for by name once the channel is logged in. */
  byName?: { channel: ChannelName; name: string };
}

/**
 * @example
 * configuredStaffChats({ TELEGRAM_STAFF_CHAT_ID: '-1001234567890', WECHAT_STAFF_ROOM: undefined });
 * // { byId: [{ channel: 'telegram', chatId: '-1001234567890' }] }
 */
export function configuredStaffChats(config: Pick<Config, 'TELEGRAM_STAFF_CHAT_ID' | 'WECHAT_STAFF_ROOM'>): ConfiguredStaffChats {
  return {
    byId: config.TELEGRAM_STAFF_CHAT_ID ? [{ channel: 'telegram', chatId: config.TELEGRAM_STAFF_CHAT_ID }] : [],
    ...(config.WECHAT_STAFF_ROOM ? { byName: { channel: 'wechat', name: config.WECHAT_STAFF_ROOM } } : {}),
  };
}
