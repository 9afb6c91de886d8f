/**
 * Builds the Telegram channel from the configuration, for the composition root: nothing when
 * TELEGRAM_BOT_TOKEN is unset; webhook mode when TELEGRAM_WEBHOOK_URL is set (the config
 * already requires TELEGRAM_WEBHOOK_SECRET then), long polling otherwise.
 */
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import type { ChatMigrations } from './chat-migrations.js';
import { TelegramChannel } from './telegram-channel.js';

export interface TelegramChannelDeps {
  logger: Logger;
  maxPhotoBytes: number;
  /** Groups where every message is handed on, addressed to the bot or not (the staff chat). */
  hearsAllIn?: (chatId: string) => boolean;
  /** Where groups that became supergroups live now (default: remembered in this process). */
  chatMigrations?: ChatMigrations;
}

export function createTelegramChannel(config: Config, deps: TelegramChannelDeps): TelegramChannel | undefined {
  if (!config.TELEGRAM_BOT_TOKEN) return undefined;
  const webhook =
    config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
      ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET }
      : undefined;
  return new TelegramChannel({
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    ...(webhook ? { webhook } : {}),
    dataDir: config.DATA_DIR,
    maxPhotoBytes: deps.maxPhotoBytes,
    ...(deps.hearsAllIn ? { hearsAllIn: deps.hearsAllIn } : {}),
    ...(deps.chatMigrations ? { chatMigrations: deps.chatMigrations } : {}),
    logger: deps.logger.child({ component: 'telegram' }),
    limits: {
      perSecond: config.TELEGRAM_MAX_PER_SECOND,
      perChatPerSecond: config.TELEGRAM_MAX_PER_CHAT_PER_SECOND,
      perGroupPerMinute: config.TELEGRAM_MAX_PER_GROUP_PER_MINUTE,
    },
  });
}
