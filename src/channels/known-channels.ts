/**
 * The channels' capabilities as the rest of the app asks for them: the adapter's own where this
 * process has it, else what the known adapters declare (their capability files load no platform
 * library), else the least any channel can do — a channel another process has, which this one
 * only writes rows for. Code outside `src/channels/` decides by these, never by a name.
 */
import { TELEGRAM_CAPABILITIES } from './telegram/telegram-capabilities.js';
import { SAFE_TEXT_LIMIT } from './text-limit.js';
import type { Channel, ChannelCapabilities, ChannelName, KnownChannelName } from './types.js';
import { WEB_CAPABILITIES } from './web/web-capabilities.js';
import { wechatCapabilities } from './wechat/wechat-capabilities.js';

const DECLARED: Record<KnownChannelName, ChannelCapabilities> = {
  web: WEB_CAPABILITIES,
  telegram: TELEGRAM_CAPABILITIES,
  wechat: wechatCapabilities(),
};

/** What a channel unknown here is assumed to do: plain text, nothing else. */
export const LEAST_CAPABILITIES: ChannelCapabilities = {
  buttons: false,
  photos: false,
  locations: false,
  maxTextLength: SAFE_TEXT_LIMIT,
  threads: 'none',
  forceReply: false,
  chatOrder: Number.MAX_SAFE_INTEGER,
};

/** A channel's capabilities, whichever channel it is. */
export type CapabilitiesOf = (channel: ChannelName) => ChannelCapabilities;

/**
 * Capabilities read from the channels a process has (read at each call: channels added later
 * count), with the declared ones for the rest.
 *
 * @example
 * const capabilitiesOf = capabilitiesIn(channels);
 * capabilitiesOf('wechat').threads; // 'none', with or without the login in this process
 */
export function capabilitiesIn(channels: ReadonlyMap<ChannelName, Pick<Channel, 'capabilities'>>): CapabilitiesOf {
  return (channel) => channels.get(channel)?.capabilities ?? declaredCapabilities(channel);
}

/** What a known adapter declares for its channel; the least for any other. */
export function declaredCapabilities(channel: ChannelName): ChannelCapabilities {
  return (DECLARED as Record<string, ChannelCapabilities>)[channel] ?? LEAST_CAPABILITIES;
}
