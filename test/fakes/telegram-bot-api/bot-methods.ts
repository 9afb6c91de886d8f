/**
 * The Bot API methods the fake implements, each checking its input the way Telegram does
 * (same limits, same error words) and recording what the bot sent.
 */
import { ApiError, badRequest, blockedByUser, chatNotFound, groupUpgraded, tooManyRequests } from './api-error.js';
import type { RateLimiter } from './rate-limits.js';
import { intParam, stringParam, type CallInput, type Params } from './request-params.js';
import type { InlineButton, SentLog, SentMessage } from './sent-log.js';
import type { UpdateFeed } from './update-feed.js';
import type { FakeChat, FakeMessage, FakeWorld } from './world.js';

export interface MethodContext {
  world: FakeWorld;
  feed: UpdateFeed;
  sent: SentLog;
  /** Undefined: no rate limits. */
  limiter: RateLimiter | undefined;
  stats: { rateLimited: number; refusals: RateRefusal[] };
  now(): number;
  /** The largest file a bot may upload (Telegram: 50 MB); larger answers 413 as Telegram does. */
  maxUploadBytes: number;
  /** Aborts when the caller's connection closes. */
  gone: AbortSignal;
}

export type Method = (ctx: MethodContext, input: CallInput) => unknown;

/** A send the limits refused: which chat, when, and which limit it hit. */
export interface RateRefusal {
  chatId: number;
  at: number;
  limit: 'chat' | 'global';
  retryAfter: number;
}

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_CALLBACK_DATA_BYTES = 64;
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const CHAT_ACTIONS = ['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note'];

/** Telegram counts text length in characters (code points). */
const characters = (text: string) => [...text].length;

export const METHODS: Record<string, Method> = {
  getMe: (ctx) => ({ ...ctx.world.bot, can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false }),

  getUpdates: (ctx, { params }) => {
    const allowed = params['allowed_updates'];
    return ctx.feed.getUpdates(
      intParam(params, 'offset'),
      intParam(params, 'limit') ?? 100,
      intParam(params, 'timeout') ?? 0,
      Array.isArray(allowed) ? allowed.map(String) : undefined,
      ctx.gone,
    );
  },

  setWebhook: (ctx, { params }) => {
    const url = stringParam(params, 'url') ?? '';
    if (url === '') {
      ctx.feed.deleteWebhook(params['drop_pending_updates'] === true || params['drop_pending_updates'] === 'true');
      return true;
    }
    if (!/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secretToken = stringParam(params, 'secret_token');
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) throw badRequest('secret token contains unallowed characters');
    const allowed = params['allowed_updates'];
    ctx.feed.setWebhook(
      {
        url,
        ...(secretToken ? { secretToken } : {}),
        ...(Array.isArray(allowed) ? { allowedUpdates: allowed.map(String) } : {}),
      },
      params['drop_pending_updates'] === true || params['drop_pending_updates'] === 'true',
    );
    return true;
  },

  deleteWebhook: (ctx, { params }) => {
    ctx.feed.deleteWebhook(params['drop_pending_updates'] === true || params['drop_pending_updates'] === 'true');
    return true;
  },

  getWebhookInfo: (ctx) => ctx.feed.webhookInfo(),

  sendMessage: (ctx, { params }) => {
    const chat = writableChat(ctx, params);
    const text = stringParam(params, 'text') ?? '';
    if (text.trim() === '') throw badRequest('message text is empty');
    if (characters(text) > MAX_TEXT) throw badRequest('message is too long');
    const keyboard = inlineKeyboard(params['reply_markup']);
    const place = placement(ctx, chat, params);
    takeSendSlot(ctx, chat);
    const message = botMessage(ctx, chat, { text, ...place.fields, ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}) });
    record(ctx, { method: 'sendMessage', chatId: chat.id, messageId: message.message_id, text, ...place.recorded, ...(keyboard ? { keyboard } : {}) });
    return message;
  },

  sendPhoto: (ctx, { params, files }) => {
    const chat = writableChat(ctx, params);
    const caption = stringParam(params, 'caption');
    if (caption !== undefined && characters(caption) > MAX_CAPTION) throw badRequest('message caption is too long');
    const keyboard = inlineKeyboard(params['reply_markup']);
    const upload = files.get('photo');
    const existing = upload ? undefined : ctx.world.fileById(stringParam(params, 'photo') ?? '');
    if (!upload && !existing) throw badRequest('wrong file identifier/HTTP URL specified');
    if (upload && upload.bytes.length === 0) throw badRequest('file must be non-empty');
    const place = placement(ctx, chat, params);
    takeSendSlot(ctx, chat);
    const file = existing ?? ctx.world.storeFile(upload!.bytes, 'photos', 'jpg');
    const size = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, width: 1280, height: 960 };
    const message = botMessage(ctx, chat, {
      photo: [size],
      ...(caption ? { caption } : {}),
      ...place.fields,
      ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
    });
    record(ctx, {
      method: 'sendPhoto',
      chatId: chat.id,
      messageId: message.message_id,
      photo: { fileId: file.file_id, bytes: file.file_size },
      ...place.recorded,
      ...(caption ? { caption } : {}),
      ...(keyboard ? { keyboard } : {}),
    });
    return message;
  },

  sendDocument: (ctx, { params, files }) => {
    const chat = writableChat(ctx, params);
    const caption = stringParam(params, 'caption');
    if (caption !== undefined && characters(caption) > MAX_CAPTION) throw badRequest('message caption is too long');
    const keyboard = inlineKeyboard(params['reply_markup']);
    const upload = files.get('document');
    const existing = upload ? undefined : ctx.world.fileById(stringParam(params, 'document') ?? '');
    if (!upload && !existing) throw badRequest('wrong file identifier/HTTP URL specified');
    if (upload && upload.bytes.length === 0) throw badRequest('file must be non-empty');
    if (upload && upload.bytes.length > ctx.maxUploadBytes) throw new ApiError(413, 'Request Entity Too Large');
    const place = placement(ctx, chat, params);
    takeSendSlot(ctx, chat);
    const name = upload?.name ?? existing!.file_path.split('/').pop()!;
    const file = existing ?? ctx.world.storeFile(upload!.bytes, 'documents', name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : 'bin');
    const message = botMessage(ctx, chat, {
      document: { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_name: name },
      ...(caption ? { caption } : {}),
      ...place.fields,
      ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
    });
    record(ctx, {
      method: 'sendDocument',
      chatId: chat.id,
      messageId: message.message_id,
      document: { fileId: file.file_id, bytes: file.file_size, name, content: file.bytes },
      ...place.recorded,
      ...(caption ? { caption } : {}),
      ...(keyboard ? { keyboard } : {}),
    });
    return message;
  },

  editMessageText: (ctx, { params }) => {
    const chat = writableChat(ctx, params);
    const messageId = intParam(params, 'message_id');
    const message = messageId === undefined ? undefined : ctx.world.message(chat.id, messageId);
    if (!message) throw badRequest('message to edit not found');
    if (message.from?.id !== ctx.world.bot.id || typeof message['text'] !== 'string') throw badRequest("message can't be edited");
    const text = stringParam(params, 'text') ?? '';
    if (text.trim() === '') throw badRequest('message text is empty');
    if (characters(text) > MAX_TEXT) throw badRequest('MESSAGE_TOO_LONG');
    const keyboard = inlineKeyboard(params['reply_markup']);
    const markup = keyboard ? { inline_keyboard: keyboard } : undefined;
    if (message['text'] === text && JSON.stringify(message['reply_markup']) === JSON.stringify(markup)) {
      throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    takeSendSlot(ctx, chat);
    message['text'] = text;
    if (markup) message['reply_markup'] = markup;
    else delete message['reply_markup'];
    message['edit_date'] = Math.floor(ctx.now() / 1000);
    record(ctx, { method: 'editMessageText', chatId: chat.id, messageId: message.message_id, text, ...(keyboard ? { keyboard } : {}) });
    return message;
  },

  answerCallbackQuery: (ctx, { params }) => {
    const callback = ctx.world.callbacks.get(stringParam(params, 'callback_query_id') ?? '');
    if (!callback || callback.answered) throw badRequest('query is too old and response timeout expired or query ID is invalid');
    const text = stringParam(params, 'text');
    callback.answered = {
      ...(text !== undefined ? { text } : {}),
      showAlert: params['show_alert'] === true || params['show_alert'] === 'true',
      at: ctx.now(),
    };
    return true;
  },

  getFile: (ctx, { params }) => {
    const file = ctx.world.fileById(stringParam(params, 'file_id') ?? '');
    if (!file) throw badRequest('invalid file_id');
    if (file.file_size > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path };
  },

  createForumTopic: (ctx, { params }) => {
    const chat = writableChat(ctx, params);
    if (chat.type !== 'supergroup' || !chat.is_forum) throw badRequest('the chat is not a forum');
    const name = stringParam(params, 'name') ?? '';
    if (characters(name) < 1 || characters(name) > 128) throw badRequest('TOPIC_TITLE_EMPTY');
    const id = ctx.world.nextTopicId();
    ctx.world.topics.set(`${chat.id}:${id}`, { chatId: chat.id, id, name, closed: false });
    return { message_thread_id: id, name, icon_color: intParam(params, 'icon_color') ?? 7322096 };
  },

  closeForumTopic: (ctx, { params }) => setTopicClosed(ctx, params, true),

  reopenForumTopic: (ctx, { params }) => setTopicClosed(ctx, params, false),

  getChat: (ctx, { params }) => {
    const chat = ctx.world.findChat(stringParam(params, 'chat_id'));
    if (!chat) throw chatNotFound();
    return { ...chat };
  },

  getChatMember: (ctx, { params }) => {
    const chat = ctx.world.findChat(stringParam(params, 'chat_id'));
    if (!chat) throw chatNotFound();
    const userId = intParam(params, 'user_id');
    const user = { id: userId ?? 0, is_bot: userId === ctx.world.bot.id, first_name: 'member' };
    if (userId === ctx.world.bot.id && ctx.world.muted.has(chat.id)) return { status: 'restricted', user, is_member: true, can_send_messages: false };
    return { status: 'member', user };
  },

  sendChatAction: (ctx, { params }) => {
    writableChat(ctx, params);
    if (!CHAT_ACTIONS.includes(stringParam(params, 'action') ?? '')) throw badRequest('wrong parameter action in request');
    return true;
  },
};

/** Closes or reopens a forum topic; Telegram answers TOPIC_NOT_MODIFIED when it already is. */
function setTopicClosed(ctx: MethodContext, params: Params, closed: boolean): true {
  const chat = writableChat(ctx, params);
  if (chat.type !== 'supergroup' || !chat.is_forum) throw badRequest('the chat is not a forum');
  const topic = ctx.world.topic(chat.id, intParam(params, 'message_thread_id') ?? 0);
  if (!topic) throw badRequest('message thread not found');
  if (topic.closed === closed) throw badRequest('TOPIC_NOT_MODIFIED');
  topic.closed = closed;
  return true;
}

/**
 * Where a sent message goes within its chat: a forum topic (which must exist) and the message it
 * replies to (reply_parameters; a missing one is fine with allow_sending_without_reply).
 */
function placement(
  ctx: MethodContext,
  chat: FakeChat,
  params: Params,
): { fields: Record<string, unknown>; recorded: Pick<SentMessage, 'threadId' | 'replyTo' | 'forceReply'> } {
  const fields: Record<string, unknown> = {};
  const recorded: Pick<SentMessage, 'threadId' | 'replyTo' | 'forceReply'> = {};
  const threadId = intParam(params, 'message_thread_id');
  if (threadId !== undefined && chat.is_forum) {
    if (!ctx.world.topic(chat.id, threadId)) throw badRequest('message thread not found');
    fields['message_thread_id'] = threadId;
    fields['is_topic_message'] = true;
    recorded.threadId = threadId;
  }
  const reply = params['reply_parameters'];
  const replyId = reply && typeof reply === 'object' ? Number((reply as { message_id?: unknown }).message_id) : NaN;
  if (Number.isSafeInteger(replyId)) {
    const replied = ctx.world.message(chat.id, replyId);
    const allowMissing = (reply as { allow_sending_without_reply?: unknown }).allow_sending_without_reply === true;
    if (!replied && !allowMissing) throw badRequest('message to be replied not found');
    if (replied) fields['reply_to_message'] = replied;
    recorded.replyTo = replyId;
  }
  const markup = params['reply_markup'];
  if (markup && typeof markup === 'object' && (markup as { force_reply?: unknown }).force_reply === true) recorded.forceReply = true;
  return { fields, recorded };
}

/** The chat a send goes to: it must exist, not have blocked the bot, nor have moved to a supergroup. */
function writableChat(ctx: MethodContext, params: Params): FakeChat {
  const chat = ctx.world.findChat(stringParam(params, 'chat_id'));
  if (!chat) throw chatNotFound();
  if (ctx.world.blocked.has(chat.id)) throw blockedByUser();
  if (ctx.world.muted.has(chat.id)) throw badRequest('not enough rights to send text messages to the chat');
  const supergroup = ctx.world.migrated.get(chat.id);
  if (supergroup !== undefined) throw groupUpgraded(supergroup);
  return chat;
}

function takeSendSlot(ctx: MethodContext, chat: FakeChat): void {
  if (!ctx.limiter) return;
  const verdict = ctx.limiter.take(chat.id, chat.type !== 'private', ctx.now());
  if (verdict.ok) return;
  const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  ctx.stats.rateLimited += 1;
  ctx.stats.refusals.push({ chatId: chat.id, at: ctx.now(), limit: verdict.limit, retryAfter });
  throw tooManyRequests(retryAfter);
}

/** Checks an inline keyboard as Telegram does; undefined when there is none. */
function inlineKeyboard(markup: unknown): InlineButton[][] | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (rows === undefined) return undefined;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }
  return (rows as unknown[][]).map((row) =>
    row.map((button) => {
      const b = button as Partial<InlineButton>;
      if (typeof b.text !== 'string' || b.text === '') throw badRequest('text buttons are unallowed in the inline keyboard');
      if (b.callback_data !== undefined) {
        const size = Buffer.byteLength(String(b.callback_data), 'utf8');
        if (size < 1 || size > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
        return { text: b.text, callback_data: String(b.callback_data) };
      }
      if (typeof b.url === 'string') return { text: b.text, url: b.url };
      throw badRequest('text buttons are unallowed in the inline keyboard');
    }),
  );
}

function botMessage(ctx: MethodContext, chat: FakeChat, content: Record<string, unknown>): FakeMessage {
  const message: FakeMessage = {
    message_id: ctx.world.nextMessageId(chat.id),
    from: ctx.world.bot,
    chat,
    date: Math.floor(ctx.now() / 1000),
    ...content,
  };
  ctx.world.storeMessage(message);
  return message;
}

function record(ctx: MethodContext, message: Omit<SentMessage, 'at'>): void {
  ctx.sent.record({ ...message, at: ctx.now() });
}
