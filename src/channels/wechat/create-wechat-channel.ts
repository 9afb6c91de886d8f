/**
 * Builds the WeChat channel from the configuration, for the composition root: nothing when
 * WECHATY_PUPPET is unset, else the named puppet (imported only now) inside a WeChatChannel.
 */
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import { loadPuppet } from './load-puppet.js';
import { WeChatChannel } from './wechat-channel.js';

export interface WeChatChannelDeps {
  logger: Logger;
  maxPhotoBytes: number;
  /** The admin page's address with its token (weChatAdminUrl), printed under the login QR code. */
  adminUrl?: string;
  /** A puppet made by the caller (tests: a PuppetMock) instead of the one WECHATY_PUPPET names. */
  puppet?: Awaited<ReturnType<typeof loadPuppet>>;
  /** Rooms where every text is handed on, mentioning the bot or not (the staff room). */
  hearsAllIn?: (chatId: string) => boolean;
}

export async function createWeChatChannel(config: Config, deps: WeChatChannelDeps): Promise<WeChatChannel | undefined> {
  if (!deps.puppet && !config.WECHATY_PUPPET) return undefined;
  const puppet =
    deps.puppet ?? (await loadPuppet({ name: config.WECHATY_PUPPET!, token: config.WECHATY_PUPPET_SERVICE_TOKEN }));
  return new WeChatChannel({
    puppet,
    logger: deps.logger,
    dataDir: config.DATA_DIR,
    maxPhotoBytes: deps.maxPhotoBytes,
    autoAcceptFriends: config.WECHAT_AUTO_ACCEPT_FRIENDS,
    ...(deps.hearsAllIn ? { hearsAllIn: deps.hearsAllIn } : {}),
    ...(deps.adminUrl ? { adminUrl: deps.adminUrl } : {}),
  });
}
