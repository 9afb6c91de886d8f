/**
 * The parts of the Bot API's JSON the adapter reads. Deliberately loose (every field optional
 * that Telegram may leave out): webhook bodies are parsed as data, never trusted to be complete.
 */

export interface TgUser {
  id: number;
  is_bot?: boolean;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: string;
  /** A supergroup with topics. */
  is_forum?: boolean;
}

export interface TgEntity {
  type: string;
  /** In UTF-16 code units, like JavaScript string indexes. */
  offset: number;
  length: number;
  user?: TgUser;
}

export interface TgPhotoSize {
  file_id: string;
  file_size?: number;
  width?: number;
  height?: number;
}

export interface TgLocation {
  latitude: number;
  longitude: number;
}

export interface TgMessage {
  message_id: number;
  date?: number;
  chat: TgChat;
  from?: TgUser;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  photo?: TgPhotoSize[];
  /** A file sent as a file (also set beside `animation`). */
  document?: { file_id: string; file_size?: number; file_name?: string; mime_type?: string };
  location?: TgLocation;
  venue?: { location: TgLocation; title?: string; address?: string };
  reply_to_message?: TgMessage;
  forum_topic_created?: unknown;
  /** The forum topic the message belongs to. */
  message_thread_id?: number;
  [field: string]: unknown;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message?: TgMessage;
  data?: string;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: TgCallbackQuery;
  [field: string]: unknown;
}

/** Who the bot is: its user id and @username (from getMe). */
export interface BotIdentity {
  id: number;
  username: string;
}

/** Whether a parsed JSON body looks like an update (an integer update_id). */
export function isUpdate(value: unknown): value is TgUpdate {
  return typeof value === 'object' && value !== null && Number.isSafeInteger((value as { update_id?: unknown }).update_id);
}
