/**
 * Turns one Telegram update into a neutral inbound message, or says why it is ignored.
 * Pure: downloading a photo or a document is the channel's job (the result names the file to fetch).
 */
import type { InboundMessage } from '../types.js';
import type { BotIdentity, TgMessage, TgPhotoSize, TgUpdate } from './bot-api-shapes.js';
import { readAddressing } from './group-addressing.js';

/** Media the service does not take; the flow answers "please send text or a photo". */
const UNSUPPORTED_MEDIA = [
  // Before `document`: Telegram sends an animation with a document field as well.
  'animation',
  'sticker',
  'voice',
  'video',
  'video_note',
  'audio',
  'contact',
  'poll',
  'dice',
  'game',
  'story',
  'paid_media',
] as const;

export type IgnoreReason =
  | 'update-type'
  | 'own-message'
  | 'from-bot'
  | 'no-sender'
  | 'chat-type'
  | 'not-addressed'
  | 'service-message'
  | 'no-callback-message'
  | 'no-callback-data';

/** The kind-specific part and everything else of an inbound message except the photo itself. */
export type InboundDraft = Omit<InboundMessage, 'photo' | 'document'>;

export type MappedUpdate =
  | { action: 'ignore'; reason: IgnoreReason }
  /**
   * `photoFileId`: fetch this file and set `photo` before handing the message on;
   * `documentFileId`: fetch this file and set `document` (`documentName`: what the sender called it).
   */
  | { action: 'hand'; message: InboundDraft; photoFileId?: string; documentFileId?: string; documentName?: string };

export interface MappingOptions {
  bot: BotIdentity;
  /** Largest photo size taken; a photo with no size under it becomes kind unsupported. */
  maxPhotoBytes: number;
  /** Largest document taken; a larger one is handed on as refused. */
  maxDocumentBytes: number;
  now?: () => Date;
  /** Groups where every message counts, addressed to the bot or not (the staff chat). */
  hearsAllIn?: (chatId: string) => boolean;
}

export function mapUpdate(update: TgUpdate, options: MappingOptions): MappedUpdate {
  if (update.message) return mapMessage(update, update.message, options);
  if (update.callback_query) return mapCallback(update, options);
  // Edited messages, channel posts, membership changes…: nothing a person asked of the bot.
  return { action: 'ignore', reason: 'update-type' };
}

function mapMessage(update: TgUpdate, message: TgMessage, options: MappingOptions): MappedUpdate {
  const { bot } = options;
  const from = message.from;
  if (!from) return { action: 'ignore', reason: 'no-sender' };
  if (from.id === bot.id) return { action: 'ignore', reason: 'own-message' };
  // Other bots, and anonymous admins / channels posting in a group (they appear as bots).
  if (from.is_bot) return { action: 'ignore', reason: 'from-bot' };
  const chatType = chatTypeOf(message.chat.type);
  if (!chatType) return { action: 'ignore', reason: 'chat-type' };

  const wording = message.text ?? message.caption;
  const entities = (message.text !== undefined ? message.entities : message.caption_entities) ?? [];
  const addressing = wording !== undefined ? readAddressing(wording, entities, bot, message) : readAddressing('', [], bot, message);
  if (chatType === 'group' && !addressing.addressed && !options.hearsAllIn?.(String(message.chat.id))) {
    return { action: 'ignore', reason: 'not-addressed' };
  }

  const base: InboundDraft = {
    channel: 'telegram',
    externalId: externalId(bot, update),
    senderId: String(from.id),
    chatId: String(message.chat.id),
    kind: 'text',
    receivedAt: options.now?.() ?? new Date(),
    ...(from.language_code ? { languageHint: from.language_code } : {}),
    ...(chatType === 'group' ? { chatType } : {}),
    ...placement(message),
  };
  const caption = wording !== undefined && addressing.text !== '' ? { text: addressing.text } : {};

  if (message.text !== undefined) return hand({ ...base, kind: 'text', text: addressing.text });
  if (message.photo && message.photo.length > 0) {
    const size = largestWithin(message.photo, options.maxPhotoBytes);
    if (!size) return hand({ ...base, kind: 'photo_refused', photoRefused: { reason: 'too_large', maxBytes: options.maxPhotoBytes }, ...caption });
    return { action: 'hand', message: { ...base, kind: 'photo', ...caption }, photoFileId: size.file_id };
  }
  const location = message.venue?.location ?? message.location;
  if (location && Number.isFinite(location.latitude) && Number.isFinite(location.longitude)) {
    const label = message.venue?.title;
    return hand({
      ...base,
      kind: 'location',
      location: { latitude: location.latitude, longitude: location.longitude, ...(label ? { label } : {}) },
    });
  }
  const media = UNSUPPORTED_MEDIA.find((field) => message[field] !== undefined);
  if (media) return hand({ ...base, kind: 'unsupported', unsupportedType: media, ...caption });
  if (message.document) {
    // Too large to fetch at all (a bot downloads 20 MB at most): refused without a download.
    const size = message.document.file_size;
    if (size !== undefined && size > options.maxDocumentBytes) {
      return hand({ ...base, kind: 'document_refused', documentRefused: { reason: 'too_large', maxBytes: options.maxDocumentBytes }, ...caption });
    }
    const name = message.document.file_name;
    return { action: 'hand', message: { ...base, kind: 'document', ...caption }, documentFileId: message.document.file_id, ...(name ? { documentName: name } : {}) };
  }
  // Joins, leaves, pinned messages, topic changes…
  return { action: 'ignore', reason: 'service-message' };
}

function mapCallback(update: TgUpdate, options: MappingOptions): MappedUpdate {
  const query = update.callback_query!;
  const message = query.message;
  if (!message) return { action: 'ignore', reason: 'no-callback-message' };
  if (query.data === undefined || query.data === '') return { action: 'ignore', reason: 'no-callback-data' };
  if (query.from.is_bot) return { action: 'ignore', reason: 'from-bot' };
  const chatType = chatTypeOf(message.chat.type);
  if (!chatType) return { action: 'ignore', reason: 'chat-type' };
  return hand({
    channel: 'telegram',
    externalId: externalId(options.bot, update),
    senderId: String(query.from.id),
    chatId: String(message.chat.id),
    kind: 'choice',
    choiceData: query.data,
    receivedAt: options.now?.() ?? new Date(),
    ...(query.from.language_code ? { languageHint: query.from.language_code } : {}),
    ...(chatType === 'group' ? { chatType } : {}),
    // The button's own message is what was pressed, not whatever that message replied to.
    ...placement(message, false),
  });
}

/**
 * Where in the chat a message sits: its forum topic, and the message it replies to. In a forum
 * every message "replies" to its topic's opening service message; that is no reply of the writer's.
 */
function placement(message: TgMessage, withReply = true): Pick<InboundDraft, 'threadId' | 'replyToMessageId' | 'forum'> {
  const replied = withReply ? message.reply_to_message : undefined;
  const thread = message.message_thread_id;
  // Outside forums Telegram also numbers reply chains as "threads": only a topic counts here.
  const inTopic = message.chat.is_forum === true && message['is_topic_message'] === true && typeof thread === 'number';
  return {
    ...(message.chat.is_forum ? { forum: true } : {}),
    ...(inTopic ? { threadId: String(thread) } : {}),
    ...(replied && replied.forum_topic_created === undefined ? { replyToMessageId: String(replied.message_id) } : {}),
  };
}

/** Update ids are per bot: prefixed with the bot's id they stay unique if the token changes bots. */
function externalId(bot: BotIdentity, update: TgUpdate): string {
  return `${bot.id}:${update.update_id}`;
}

function chatTypeOf(type: string): 'private' | 'group' | undefined {
  if (type === 'private') return 'private';
  if (type === 'group' || type === 'supergroup') return 'group';
  return undefined;
}

/**
 * Telegram lists a photo's sizes smallest first. The largest one not over the limit; a size
 * without `file_size` is taken on trust (the download enforces the limit again).
 */
function largestWithin(sizes: readonly TgPhotoSize[], maxBytes: number): TgPhotoSize | undefined {
  const fitting = sizes.filter((s) => s.file_size === undefined || s.file_size <= maxBytes);
  return fitting.sort((a, b) => area(a) - area(b) || (a.file_size ?? 0) - (b.file_size ?? 0)).at(-1);
}

function area(size: TgPhotoSize): number {
  return (size.width ?? 0) * (size.height ?? 0);
}

function hand(message: InboundDraft): MappedUpdate {
  return { action: 'hand', message };
}
