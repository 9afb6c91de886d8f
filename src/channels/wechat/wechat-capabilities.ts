/**
 * What WeChat can show and do, apart from the adapter (which loads wechaty), so a process
 * without the login still knows how a WeChat room is written to. No buttons (numbered lines
 * instead), and no replies a bot can read: people name the ticket they mean (`#123 …`).
 */
import type { ChannelCapabilities } from '../types.js';

/**
 * Longest text per message, in characters. Personal WeChat takes far longer texts, but the
 * WeCom-based puppets and WeChat's own bot APIs cut texts at about 2,048 bytes or characters,
 * and on a phone a longer message is a wall of text anyway; the outbox splits longer texts at
 * paragraph and sentence ends.
 */
export const WECHAT_MAX_TEXT_LENGTH = 2000;

/**
 * The largest file sent as a file message. WeChat itself takes far larger ones, but the
 * puppets pass a file through their own service (base64 in one request); beyond this it goes
 * as a link.
 */
export const WECHAT_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

export function wechatCapabilities(maxTextLength = WECHAT_MAX_TEXT_LENGTH): ChannelCapabilities {
  // The channel most residents use: first when a person's accounts are listed.
  return { buttons: false, photos: true, documents: true, maxDocumentBytes: WECHAT_MAX_DOCUMENT_BYTES, locations: false, maxTextLength, threads: 'none', forceReply: false, chatOrder: 0 };
}
