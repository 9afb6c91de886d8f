/**
 * What Telegram can show and do, apart from the adapter (which loads telegraf), so a process
 * without the bot — the command line — still knows how a Telegram chat is written to.
 */
import type { ChannelCapabilities } from '../types.js';

/** The Bot API's limit on an inline button's callback_data. */
export const TELEGRAM_MAX_BUTTON_DATA_BYTES = 64;

/** The Bot API's limit on a file a bot uploads (sendDocument with multipart/form-data). */
export const TELEGRAM_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  buttons: true,
  maxButtonDataBytes: TELEGRAM_MAX_BUTTON_DATA_BYTES,
  photos: true,
  documents: true,
  maxDocumentBytes: TELEGRAM_MAX_DOCUMENT_BYTES,
  locations: true,
  maxTextLength: 4096,
  // A supergroup may be a forum (per chat); a message can always reply to an earlier one.
  threads: 'topics',
  forceReply: true,
  // Privacy mode (a bot's default): in a group it reads only commands, mentions and replies to it.
  groupHearing: 'addressed',
  edits: true,
  chatOrder: 1,
};
