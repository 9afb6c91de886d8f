/**
 * How long a text one message may carry on a channel, from what the channel declares
 * (`ChannelCapabilities.maxTextLength`); longer texts are split. A channel not enabled in this
 * process (a worker without WeChat's login, the command line) still gets messages written for it
 * — another process sends them — so it gets the limit that is safe on every channel.
 */
import type { ChannelCapabilities, ChannelName } from './types.js';

/** The smallest limit of the channels Linli speaks on (the web chat's and WeChat's). */
export const SAFE_TEXT_LIMIT = 2000;

/** The longest text a channel takes in one message (longer texts are split). */
export type TextLimitOf = (channel: ChannelName) => number;

/** The limit a channel declares, or the safe one when its capabilities are not known here. */
export function textLimitFrom(capabilities: ChannelCapabilities | undefined): number {
  return capabilities?.maxTextLength ?? SAFE_TEXT_LIMIT;
}

