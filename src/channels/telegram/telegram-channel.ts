/**
 * The Telegram channel, on telegraf 4.16. Receives by long polling (default) or by webhook
 * (see webhook-route.ts); turns updates into neutral messages (inbound-update.ts) and sends
 * text, photos and inline keyboards. No user-facing text lives here.
 *
 * Handing updates on: telegraf polls again only when every update of a batch (up to 100) is
 * handled, and a webhook request is confirmed when it is answered. So each update joins its
 * chat's queue (one chat's updates stay in order, chats run side by side) and telegraf waits
 * for it only up to `ackBudgetMs`. Within the budget (the usual case: the router records and
 * answers in milliseconds) an update is confirmed to Telegram only after it was handled, so
 * a crash makes Telegram send it again and the router's (channel, externalId) record drops the
 * repeat. A chat that takes longer keeps being handled in the background and no longer holds
 * up everyone else's messages; only such slow updates can be lost to a crash.
 */
import { readFile } from 'node:fs/promises';
import { Input, Telegraf, TelegramError } from 'telegraf';
import type { Logger } from '../../log/logger.js';
import { KeyedSerial } from '../../util/keyed-serial.js';
import { documentFileName, documentPath } from '../media/document-files.js';
import { uploadFileName, uploadPath } from '../media/photo-files.js';
import {
  ChannelSendError,
  type Channel,
  type ChannelCapabilities,
  type ChannelPacing,
  type ForumCheck,
  type ForumTopics,
  type InboundHandler,
  type InboundMessage,
  type OutboundMessage,
  type PostingRights,
  type SendResult,
} from '../types.js';
import type { BotIdentity, TgUpdate } from './bot-api-shapes.js';
import { inlineKeyboard } from './inline-keyboard.js';
import { mapUpdate, type InboundDraft } from './inbound-update.js';
import { errorName } from './error-name.js';
import { TELEGRAM_CAPABILITIES, TELEGRAM_MAX_DOCUMENT_BYTES } from './telegram-capabilities.js';
import { downloadDocument, downloadPhoto } from './file-download.js';
import { MAX_ATTACHMENT_BYTES } from '../media/document-intake.js';
import { InMemoryChatMigrations, migrationOf, type ChatMigrations } from './chat-migrations.js';
import { migratedTo, toChannelSendError } from './send-errors.js';

/** Sending limits of one bot (Telegram's guidance by default). */
export interface TelegramSendLimits {
  perSecond: number;
  perChatPerSecond: number;
  perGroupPerMinute: number;
}

export interface TelegramChannelOptions {
  token: string;
  /** Default: the public Bot API. A self-hosted Bot API server, or a fake in tests. */
  apiRoot?: string;
  /** Set: webhook mode (register webhook-route.ts on the web server). Unset: long polling. */
  webhook?: { url: string; secret: string };
  /** Photos people send are stored under `<dataDir>/uploads/`. */
  dataDir: string;
  maxPhotoBytes: number;
  logger: Logger;
  limits?: TelegramSendLimits;
  /** How long one update may hold up polling or a webhook answer (default 3 s). */
  ackBudgetMs?: number;
  /** A send with no answer by then is given up (and retried by delivery). Default 20 s. */
  sendTimeoutMs?: number;
  /** Limit for fetching one photo a person sent. Default 30 s. */
  downloadTimeoutMs?: number;
  /** Wait before polling again after it stopped on an unexpected error. Default 5 s. */
  relaunchDelayMs?: number;
  /** Where groups that became supergroups live now (default: kept in this process). */
  chatMigrations?: ChatMigrations;
  /** Groups where every message is handed on, addressed to the bot or not (the staff chat). */
  hearsAllIn?: (chatId: string) => boolean;
}

export const DEFAULT_TELEGRAM_SEND_LIMITS: TelegramSendLimits = { perSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 };

/** Only these reach the bot; edits, channel posts and membership changes are not asked for. */
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const MAX_CAPTION_LENGTH = 1024;
export { TELEGRAM_MAX_BUTTON_DATA_BYTES } from './telegram-capabilities.js';
/** Tries to fetch a photo before telling the person it could not be taken. */
const PHOTO_ATTEMPTS = 3;

export class TelegramChannel implements Channel, ForumTopics, ForumCheck, PostingRights {
  readonly name = 'telegram' as const;
  readonly capabilities: ChannelCapabilities = TELEGRAM_CAPABILITIES;
  readonly pacing: ChannelPacing;
  /** The telegraf instance (its `telegram` client makes Bot API calls). */
  readonly bot: Telegraf;
  /** The bot's user id: the digits of its token. */
  readonly botId: number;

  private handler: InboundHandler | undefined;
  /** Updates are taken (false before start, after stop, and when polling died). */
  private receiving = false;
  private stopping = false;
  private polling: Promise<void> | undefined;
  private relaunchTimer: NodeJS.Timeout | undefined;
  private pollingError: string | undefined;
  private readonly serial = new KeyedSerial();
  private readonly ackBudgetMs: number;
  private readonly sendTimeoutMs: number;
  private readonly migrations: ChatMigrations;

  constructor(private readonly options: TelegramChannelOptions) {
    this.botId = Number(options.token.split(':')[0]);
    this.ackBudgetMs = options.ackBudgetMs ?? 3000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 20_000;
    this.migrations = options.chatMigrations ?? new InMemoryChatMigrations();
    this.bot = new Telegraf(options.token, {
      telegram: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), webhookReply: false },
    });
    this.bot.use((ctx) => this.onUpdate(ctx.update as unknown as TgUpdate, { id: ctx.botInfo.id, username: ctx.botInfo.username }));
    // telegraf's default rethrows, which would end polling for everyone.
    this.bot.catch((error) => this.options.logger.error({ channel: 'telegram', err: errorName(error) }, 'telegram update failed'));

    const limits = options.limits ?? DEFAULT_TELEGRAM_SEND_LIMITS;
    this.pacing = {
      account: `telegram:${this.botId}`,
      perAccount: { max: limits.perSecond, perMs: 1000 },
      // Group and supergroup ids are negative, people's are positive.
      perChat: (chatId) =>
        chatId.startsWith('-') ? { max: limits.perGroupPerMinute, perMs: 60_000 } : { max: limits.perChatPerSecond, perMs: 1000 },
    };
  }

  /** Webhook mode settings, if the channel runs in webhook mode. */
  get webhook(): { url: string; secret: string } | undefined {
    return this.options.webhook;
  }

  /**
   * Polling: resolves once the bot is known (getMe) and polling begins; the polling loop runs
   * on. Webhook: registers the webhook with its secret. Rejects on a bad token or no API.
   */
  async start(onMessage: InboundHandler): Promise<void> {
    if (this.handler) throw new Error('the telegram channel is already started');
    this.handler = onMessage;
    this.stopping = false;
    try {
      if (this.options.webhook) await this.startWebhook(this.options.webhook);
      else await this.launchPolling();
    } catch (error) {
      this.handler = undefined;
      this.receiving = false;
      throw error;
    }
  }

  /** Stops taking updates, lets the current polling batch finish and waits for in-flight handling. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.receiving = false;
    if (this.relaunchTimer) clearTimeout(this.relaunchTimer);
    if (this.polling) {
      try {
        this.bot.stop('channel stop');
      } catch {
        // Not running (polling had ended already).
      }
      // Polling ends after the batch in hand and a last call confirming it; bounded in case the API hangs.
      await settleWithin(this.polling, this.ackBudgetMs + this.sendTimeoutMs);
      this.polling = undefined;
    }
    await this.serial.drain();
    this.handler = undefined;
  }

  /** For /healthz: fails when updates are not being received. */
  async check(): Promise<void> {
    if (!this.handler) return;
    if (!this.receiving) throw new Error(this.pollingError ?? 'telegram is not receiving updates');
  }

  /**
   * One update from the webhook route. `unavailable`: not started or stopping — the route
   * answers 503 and Telegram delivers the update again later.
   */
  async receiveWebhookUpdate(update: TgUpdate): Promise<'accepted' | 'unavailable'> {
    if (!this.receiving || !this.handler) return 'unavailable';
    await this.bot.handleUpdate(update as never);
    return 'accepted';
  }

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    const choices = message.choices && message.choices.length > 0 ? inlineKeyboard(message.choices) : undefined;
    const markup = choices ?? (message.forceReply ? { force_reply: true as const } : undefined);
    const text = message.text ?? '';
    if (message.editOf !== undefined) return this.edit(chatId, message.editOf, text, choices);
    const place = placementParams(message);
    const captionFits = [...text].length <= MAX_CAPTION_LENGTH;
    // The text rides as the caption of the last file sent (with the buttons) when it fits.
    const captionOn = message.document ? 'document' : 'photo';
    const captionParams = (on: 'photo' | 'document') =>
      on === captionOn && captionFits ? { ...(text !== '' ? { caption: text } : {}), ...(markup ? { reply_markup: markup } : {}) } : {};
    let last: { message_id: number } | undefined;
    if (message.photo) {
      const photo = await this.readStoredFile(message.photo.ref, uploadFileName, uploadPath);
      last = await this.call('sendPhoto', chatId, (chat) =>
        this.bot.telegram.callApi(
          'sendPhoto',
          { chat_id: chat, photo: Input.fromBuffer(photo.bytes, photo.name), ...place, ...captionParams('photo') },
          { signal: timeoutSignal(this.sendTimeoutMs) },
        ),
      );
    }
    if (message.document) {
      const file = await this.readStoredFile(message.document.ref, documentFileName, documentPath);
      if (file.bytes.length > TELEGRAM_MAX_DOCUMENT_BYTES) throw ChannelSendError.rejected('telegram send: the document is over the upload limit');
      const name = message.document.name;
      last = await this.call('sendDocument', chatId, (chat) =>
        this.bot.telegram.callApi(
          'sendDocument',
          { chat_id: chat, document: Input.fromBuffer(file.bytes, name), ...place, ...captionParams('document') },
          { signal: timeoutSignal(this.sendTimeoutMs) },
        ),
      );
    }
    // A longer text follows as its own message (with the buttons, which belong under it).
    if (last && (captionFits || text.trim() === '')) return { externalMessageId: String(last.message_id) };
    const sent = await this.call('sendMessage', chatId, (chat) =>
      this.bot.telegram.callApi(
        'sendMessage',
        { chat_id: chat, text, ...place, ...(markup ? { reply_markup: markup } : {}) },
        { signal: timeoutSignal(this.sendTimeoutMs) },
      ),
    );
    return { externalMessageId: String(sent.message_id) };
  }

  /**
   * Replaces a message's text and buttons (a sender's status as it goes). "Not modified" (the same
   * text again) is done already, not a failure.
   */
  private async edit(chatId: string, messageId: string, text: string, keyboard: ReturnType<typeof inlineKeyboard> | undefined): Promise<SendResult> {
    try {
      await this.call('editMessageText', chatId, (chat) =>
        this.bot.telegram.callApi(
          'editMessageText',
          { chat_id: chat, message_id: Number(messageId), text, ...(keyboard ? { reply_markup: keyboard } : {}) },
          { signal: timeoutSignal(this.sendTimeoutMs) },
        ),
      );
    } catch (error) {
      if (!(error instanceof ChannelSendError && /message is not modified/i.test(error.message))) throw error;
    }
    return { externalMessageId: messageId };
  }

  /**
   * Whether the bot may post in a group now: not when it left or was removed, nor when the admins
   * restricted it from sending messages. undefined when Telegram could not be asked.
   */
  async canPostIn(chatId: string): Promise<boolean | undefined> {
    try {
      this.bot.botInfo ??= await this.bot.telegram.getMe();
      const botId = this.bot.botInfo.id;
      const member = (await this.call('getChatMember', chatId, (chat) =>
        this.bot.telegram.callApi('getChatMember', { chat_id: chat, user_id: botId }, { signal: timeoutSignal(this.sendTimeoutMs) }),
      )) as { status: string; can_send_messages?: boolean };
      if (member.status === 'left' || member.status === 'kicked') return false;
      return !(member.status === 'restricted' && member.can_send_messages === false);
    } catch (error) {
      this.options.logger.warn({ channel: 'telegram', err: errorName(error) }, 'could not ask whether the bot may post in a group');
      return undefined;
    }
  }

  /** Opens a forum topic in a supergroup; returns its message_thread_id. */
  async createForumTopic(chatId: string, name: string): Promise<string> {
    const topic = await this.call('createForumTopic', chatId, (chat) =>
      this.bot.telegram.callApi('createForumTopic', { chat_id: chat, name }, { signal: timeoutSignal(this.sendTimeoutMs) }),
    );
    return String(topic.message_thread_id);
  }

  /** Closes or reopens a forum topic; one already in that state is fine (TOPIC_NOT_MODIFIED). */
  async setForumTopicOpen(chatId: string, topicId: string, open: boolean): Promise<void> {
    const method = open ? 'reopenForumTopic' : 'closeForumTopic';
    try {
      await this.call(method, chatId, (chat) =>
        this.bot.telegram.callApi(method, { chat_id: chat, message_thread_id: Number(topicId) }, { signal: timeoutSignal(this.sendTimeoutMs) }),
      );
    } catch (error) {
      if (error instanceof ChannelSendError && /TOPIC_NOT_MODIFIED/.test(error.message)) return;
      throw error;
    }
  }

  /** Whether a chat is a supergroup with topics (getChat). */
  async isForum(chatId: string): Promise<boolean> {
    const chat = await this.call('getChat', chatId, (target) =>
      this.bot.telegram.callApi('getChat', { chat_id: target }, { signal: timeoutSignal(this.sendTimeoutMs) }),
    );
    return (chat as { is_forum?: boolean }).is_forum === true;
  }

  // ------------------------------------------------------------------ receiving

  private async startWebhook(webhook: { url: string; secret: string }): Promise<void> {
    this.bot.botInfo ??= await this.bot.telegram.getMe();
    await this.bot.telegram.setWebhook(webhook.url, {
      secret_token: webhook.secret,
      allowed_updates: [...ALLOWED_UPDATES],
      drop_pending_updates: false,
    });
    this.receiving = true;
    this.options.logger.info({ channel: 'telegram', botId: this.botId, mode: 'webhook' }, 'telegram channel started');
  }

  /** Resolves when telegraf has the bot's identity and begins polling; rejects if it cannot. */
  private launchPolling(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let launched = false;
      this.receiving = true;
      this.pollingError = undefined;
      // Not awaited: launch() resolves only when polling stops.
      this.polling = this.bot
        .launch({ allowedUpdates: [...ALLOWED_UPDATES], dropPendingUpdates: false }, () => {
          launched = true;
          this.options.logger.info({ channel: 'telegram', botId: this.botId, mode: 'polling' }, 'telegram channel started');
          resolve();
        })
        .catch((error: unknown) => {
          this.receiving = false;
          if (!launched) return reject(error);
          this.pollingStopped(error);
        });
    });
  }

  /**
   * Polling ended on an error telegraf does not retry itself. A wrong token (401) or a second
   * poller on the same token (409) needs the operator; anything else is tried again shortly.
   */
  private pollingStopped(error: unknown): void {
    this.pollingError = `telegram polling stopped: ${errorName(error)}`;
    const final = error instanceof TelegramError && (error.code === 401 || error.code === 409);
    this.options.logger.error({ channel: 'telegram', err: errorName(error), willRetry: !final && !this.stopping }, 'telegram polling stopped');
    if (final || this.stopping) return;
    this.relaunchTimer = setTimeout(() => {
      if (this.stopping || !this.handler) return;
      this.launchPolling().catch((again: unknown) => this.pollingStopped(again));
    }, this.options.relaunchDelayMs ?? 5000);
    this.relaunchTimer.unref();
  }

  /** telegraf's middleware for every update; see the module comment for the budget. */
  private async onUpdate(update: TgUpdate, bot: BotIdentity): Promise<void> {
    // Stop the spinner on the button right away, whatever becomes of the press.
    if (update.callback_query) this.answerCallback(update.callback_query.id);
    const chat = update.message?.chat.id ?? update.callback_query?.message?.chat.id;
    const work = this.serial.run(chat === undefined ? `update:${update.update_id}` : String(chat), () => this.process(update, bot));
    await settleWithin(work, this.ackBudgetMs);
  }

  private async process(update: TgUpdate, bot: BotIdentity): Promise<void> {
    const log = { channel: 'telegram', updateId: update.update_id };
    try {
      const migration = migrationOf(update);
      if (migration) {
        await this.migrations.record(migration.from, migration.to);
        this.options.logger.info(log, 'telegram group moved to a supergroup');
      }
      const mapped = mapUpdate(update, {
        bot,
        maxPhotoBytes: this.options.maxPhotoBytes,
        maxDocumentBytes: MAX_ATTACHMENT_BYTES,
        ...(this.options.hearsAllIn ? { hearsAllIn: this.options.hearsAllIn } : {}),
      });
      if (mapped.action === 'ignore') {
        this.options.logger.debug({ ...log, reason: mapped.reason }, 'telegram update ignored');
        return;
      }
      const message = mapped.photoFileId
        ? await this.withPhoto(mapped.message, mapped.photoFileId)
        : mapped.documentFileId
          ? await this.withDocument(mapped.message, mapped.documentFileId, mapped.documentName)
          : (mapped.message as InboundMessage);
      const handler = this.handler;
      if (!handler) {
        this.options.logger.warn(log, 'telegram update arrived after stop');
        return;
      }
      await handler(message);
    } catch (error) {
      this.options.logger.error({ ...log, err: errorName(error) }, 'telegram update failed');
    }
  }

  /**
   * Fetches and stores the photo. A photo that cannot be taken (too large, not an image, or
   * still failing after retries) is handed on as refused, so the person hears why.
   */
  private async withPhoto(draft: InboundDraft, fileId: string): Promise<InboundMessage> {
    const maxBytes = this.options.maxPhotoBytes;
    for (let attempt = 1; ; attempt++) {
      const taken = await downloadPhoto(this.bot.telegram, fileId, {
        dataDir: this.options.dataDir,
        maxBytes,
        timeoutMs: this.options.downloadTimeoutMs ?? 30_000,
      });
      if (taken.ok) return { ...draft, kind: 'photo', photo: taken.photo };
      if (taken.refusal === 'download_failed' && attempt < PHOTO_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        continue;
      }
      this.options.logger.warn({ channel: 'telegram', reason: taken.refusal, detail: taken.detail }, 'telegram photo not taken');
      return { ...draft, kind: 'photo_refused', photoRefused: { reason: taken.refusal, maxBytes } };
    }
  }

  /** Fetches and stores a document; one that cannot be taken is handed on as refused, saying why. */
  private async withDocument(draft: InboundDraft, fileId: string, name: string | undefined): Promise<InboundMessage> {
    const maxBytes = MAX_ATTACHMENT_BYTES;
    for (let attempt = 1; ; attempt++) {
      const taken = await downloadDocument(this.bot.telegram, fileId, {
        dataDir: this.options.dataDir,
        maxBytes,
        name,
        fallbackName: 'file',
        timeoutMs: this.options.downloadTimeoutMs ?? 30_000,
      });
      if (taken.ok) return { ...draft, kind: 'document', document: taken.document };
      if (taken.refusal === 'download_failed' && attempt < PHOTO_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        continue;
      }
      this.options.logger.warn({ channel: 'telegram', reason: taken.refusal, detail: taken.detail }, 'telegram document not taken');
      return { ...draft, kind: 'document_refused', documentRefused: { reason: taken.refusal, maxBytes } };
    }
  }

  private answerCallback(id: string): void {
    this.bot.telegram
      .callApi('answerCallbackQuery', { callback_query_id: id }, { signal: timeoutSignal(this.sendTimeoutMs) })
      .catch((error: unknown) => this.options.logger.warn({ channel: 'telegram', err: errorName(error) }, 'telegram callback answer failed'));
  }

  // ------------------------------------------------------------------ sending

  /**
   * One Bot API call to a chat, to wherever the chat lives now. When Telegram answers that the
   * group moved to a supergroup, the move is recorded and the call made once more, to the new id.
   */
  private async call<T>(method: string, chatId: string, request: (chat: number | string) => Promise<T>): Promise<T> {
    const target = await this.migrations.resolve(chatId);
    try {
      return await request(telegramChatId(target));
    } catch (error) {
      const movedTo = migratedTo(error);
      if (movedTo === undefined || movedTo === target) throw toChannelSendError(method, error, this.sendTimeoutMs);
      await this.migrations.record(target, movedTo);
      this.options.logger.info({ channel: 'telegram', method }, 'telegram group moved to a supergroup: sending to its new id');
      try {
        return await request(telegramChatId(movedTo));
      } catch (again) {
        // Moved once more: recorded, and left to the next attempt (retryable), never a loop here.
        const movedAgain = migratedTo(again);
        if (movedAgain !== undefined && movedAgain !== movedTo) await this.migrations.record(movedTo, movedAgain);
        throw toChannelSendError(method, again, this.sendTimeoutMs);
      }
    }
  }

  /**
   * The bytes of a file stored by a channel (a photo under `uploads/`, a document under
   * `files/`). A reference that is not ours, or a missing file, is a fault on our side: a plain
   * error (retried, then failed), never "recipient unreachable".
   */
  private async readStoredFile(
    ref: string,
    fileName: (ref: string) => string | undefined,
    pathOf: (dataDir: string, file: string) => string,
  ): Promise<{ bytes: Buffer; name: string }> {
    const file = fileName(ref);
    if (!file) throw new Error('telegram send: not a stored file reference');
    try {
      return { bytes: await readFile(pathOf(this.options.dataDir, file)), name: file };
    } catch {
      throw new Error('telegram send: the stored file cannot be read');
    }
  }
}

/** A message's place in its chat: a forum topic, a reply (sent even if the replied message is gone). */
function placementParams(message: OutboundMessage): Record<string, unknown> {
  return {
    ...(message.threadId ? { message_thread_id: Number(message.threadId) } : {}),
    ...(message.replyToMessageId
      ? { reply_parameters: { message_id: Number(message.replyToMessageId), allow_sending_without_reply: true } }
      : {}),
  };
}

/** Telegram takes numeric chat ids as numbers (and @channelnames as text). */
function telegramChatId(chatId: string): number | string {
  if (/^-?\d+$/.test(chatId)) {
    const id = Number(chatId);
    if (Number.isSafeInteger(id)) return id;
  }
  return chatId;
}

/** Resolves when `promise` settles or after `ms`, whichever is first; never rejects. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** telegraf's client types its own AbortSignal; Node's is what it actually checks for. */
function timeoutSignal(ms: number): never {
  return AbortSignal.timeout(ms) as never;
}
