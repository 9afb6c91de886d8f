/**
 * A fake Telegram Bot API server (plain node:http) for tests and benchmarks. Bots talk to it
 * through `apiRoot` exactly as to api.telegram.org; tests play the people (`userSays`,
 * `userPresses`…), inject failures and read what the bot sent, with timestamps.
 *
 *   const telegram = await FakeTelegramBotApi.start();
 *   const alice = telegram.createUser({ language_code: 'en' });
 *   telegram.userSays(alice, alice, 'hello');
 *   const [reply] = await telegram.nextBotMessages(alice);
 *
 * Rate limits default to Telegram's published ones (30/s overall, 1/s per private chat, 20/min
 * per group), answered with real 429 bodies; `scale` multiplies them for benchmarks.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, notFound, unauthorized } from './api-error.js';
import { METHODS, type MethodContext, type RateRefusal } from './bot-methods.js';
import { FaultPlan, type FaultRule } from './faults.js';
import { RateLimiter, TELEGRAM_DEFAULT_LIMITS, type TelegramRateLimits } from './rate-limits.js';
import { readCallInput, stringParam } from './request-params.js';
import { SentLog, type SentMessage } from './sent-log.js';
import { UpdateFeed, type HandOut, type Update, type WebhookAttempt } from './update-feed.js';
import { UserActions, type ChatRef, type MediaKind, type PhotoOptions, type SayOptions } from './user-actions.js';
import { FakeWorld, type FakeChat, type FakeMessage, type FakeUser, type PendingCallback } from './world.js';

export interface FakeBotApiOptions {
  /** The bot's token (digits:letters); the digits are the bot's user id. */
  token?: string;
  botUsername?: string;
  /** Telegram's limits by default; `false` turns them off. */
  rateLimits?: Partial<TelegramRateLimits> | false;
  /** Multiplies every rate allowance (benchmarks: e.g. 10). */
  scale?: number;
  /**
   * Tolerance for senders pacing at exactly the limit: a call up to this many ms early still
   * counts as in the next window (default 0: strict). Network jitter alone can otherwise turn a
   * perfectly paced 1/s into a 429.
   */
  rateLimitGraceMs?: number;
  /** Sends to chat ids the fake never saw succeed (benchmarks with thousands of recipients). */
  acceptUnknownChats?: boolean;
  webhookTimeoutMs?: number;
  /** First pause after a failed webhook delivery (doubles up to 2 s). */
  webhookRetryMs?: number;
  /** Largest request body accepted. */
  maxBodyBytes?: number;
  /** Largest file a bot may upload (sendDocument); Telegram's is 50 MB. Larger: 413. */
  maxUploadBytes?: number;
}

export const FAKE_BOT_TOKEN = '987654321:AAH-fake-telegram-token-for-tests_0123';

/** Methods that send or change messages (what the limits and "blocked" apply to). */
const SEND_METHODS = ['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText'];

export class FakeTelegramBotApi {
  readonly token: string;
  readonly world: FakeWorld;
  readonly feed: UpdateFeed;
  readonly sent = new SentLog();
  readonly faults = new FaultPlan();
  /** 429s answered (injected ones too), the limit refusals one by one, and calls per method. */
  readonly stats = { rateLimited: 0, refusals: [] as RateRefusal[], calls: new Map<string, number>() };
  private readonly limiter: RateLimiter | undefined;
  private readonly users: UserActions;
  private readonly lowerCaseMethods = new Map(Object.keys(METHODS).map((m) => [m.toLowerCase(), m]));
  private server: Server | undefined;
  private root = '';

  private constructor(private readonly options: FakeBotApiOptions) {
    this.token = options.token ?? FAKE_BOT_TOKEN;
    const botId = Number(this.token.split(':')[0]);
    this.world = new FakeWorld(botId, options.botUsername ?? 'linli_test_bot', options.acceptUnknownChats ?? false);
    this.feed = new UpdateFeed({ webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000, webhookRetryMs: options.webhookRetryMs ?? 100 });
    this.limiter =
      options.rateLimits === false ? undefined : new RateLimiter({ ...TELEGRAM_DEFAULT_LIMITS, ...options.rateLimits }, options.scale ?? 1, options.rateLimitGraceMs ?? 0);
    this.users = new UserActions(this.world, this.feed, () => Date.now());
  }

  /** Starts a fake on a free loopback port. */
  static async start(options: FakeBotApiOptions = {}): Promise<FakeTelegramBotApi> {
    const fake = new FakeTelegramBotApi(options);
    await fake.listen();
    return fake;
  }

  /** What a bot uses as `apiRoot` (e.g. TELEGRAM_API_ROOT). */
  get apiRoot(): string {
    return this.root;
  }

  get bot(): FakeUser {
    return this.world.bot;
  }

  // ------------------------------------------------------------------ people and chats

  createUser(options: Partial<Omit<FakeUser, 'is_bot'>> = {}): FakeUser {
    return this.world.createUser(options);
  }

  createGroup(options: { title?: string; type?: 'group' | 'supergroup'; isForum?: boolean } = {}): FakeChat {
    return this.world.createGroup(options);
  }

  // ------------------------------------------------------------------ what people do

  userSays(chat: ChatRef, from: FakeUser, text: string, options?: SayOptions): FakeMessage {
    return this.users.says(chat, from, text, options);
  }

  userSendsPhoto(chat: ChatRef, from: FakeUser, options?: PhotoOptions): FakeMessage {
    return this.users.sendsPhoto(chat, from, options);
  }

  userSendsLocation(chat: ChatRef, from: FakeUser, latitude: number, longitude: number, venue?: { title: string; address: string }): FakeMessage {
    return this.users.sendsLocation(chat, from, latitude, longitude, venue);
  }

  userSendsMedia(chat: ChatRef, from: FakeUser, kind: MediaKind, options?: { caption?: string; replyTo?: number }): FakeMessage {
    return this.users.sendsMedia(chat, from, kind, options);
  }

  userSendsSticker(chat: ChatRef, from: FakeUser): FakeMessage {
    return this.users.sendsMedia(chat, from, 'sticker');
  }

  userSendsVoice(chat: ChatRef, from: FakeUser): FakeMessage {
    return this.users.sendsMedia(chat, from, 'voice');
  }

  userSendsVideo(chat: ChatRef, from: FakeUser): FakeMessage {
    return this.users.sendsMedia(chat, from, 'video');
  }

  /** Without `file`: a small PDF-named file of no real content; with it, those bytes under that name. */
  userSendsDocument(chat: ChatRef, from: FakeUser, file?: { bytes: Buffer; name: string; mime?: string; caption?: string }): FakeMessage {
    return file ? this.users.sendsDocument(chat, from, file) : this.users.sendsMedia(chat, from, 'document');
  }

  /** Presses an inline button under the bot's message `messageId`; returns the callback query id. */
  userPresses(chat: ChatRef, from: FakeUser, messageId: number, callbackData: string): string {
    return this.users.presses(chat, from, messageId, callbackData);
  }

  userEdits(chat: ChatRef, from: FakeUser, messageId: number, text: string): Update {
    return this.users.edits(chat, from, messageId, text);
  }

  userJoins(group: ChatRef, user: FakeUser): FakeMessage {
    return this.users.joins(group, user);
  }

  /** Any other update, as given (its update_id is assigned). */
  pushUpdate(content: Record<string, unknown>): Update {
    return this.feed.push(content);
  }

  /**
   * Runs `push` (people saying things) and hands its updates out together afterwards, as a
   * backlog: a bot waiting in getUpdates gets up to 100 at once instead of the first alone.
   */
  holdUpdates<T>(push: () => T): T {
    return this.feed.hold(push);
  }

  /** The next update goes to the bot twice with the same update_id. */
  duplicateNextUpdate(count = 1): void {
    this.feed.duplicateNext(count);
  }

  // ------------------------------------------------------------------ failures

  inject(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /** The next `times` calls of `method` answer with HTTP `status` (5xx). */
  failNext(method: string, status = 500, times = 1): void {
    this.faults.add({ methods: [method], times, action: { type: 'status', status } });
  }

  /** The next `times` calls of `method` never answer. */
  hangNext(method: string, times = 1): void {
    this.faults.add({ methods: [method], times, action: { type: 'hang' } });
  }

  /** The next send (to `chatId`, if given) gets a 429 with `retry_after` seconds, whatever the limits say. */
  rateLimitNext(retryAfterSeconds: number, chatId?: number): void {
    this.faults.add({
      methods: SEND_METHODS,
      ...(chatId !== undefined ? { chatId } : {}),
      action: { type: 'error', errorCode: 429, description: `Too Many Requests: retry after ${retryAfterSeconds}`, retryAfter: retryAfterSeconds },
    });
  }

  /** The group's admins took the bot's right to post: sends there answer 400 until allowed again. */
  muteBotIn(chatId: number): void {
    this.world.muted.add(chatId);
  }

  /** The bot may post in the group again. */
  unmuteBotIn(chatId: number): void {
    this.world.muted.delete(chatId);
  }

  /** The person blocked the bot: sends to them answer 403 until unblocked. */
  blockChat(chatId: number): void {
    this.world.blocked.add(chatId);
  }

  unblockChat(chatId: number): void {
    this.world.blocked.delete(chatId);
  }

  /**
   * The group becomes a supergroup (a new chat id): sends to the old id answer 400 with
   * `parameters.migrate_to_chat_id`. With `announce` (default) the bot also gets Telegram's two
   * service messages: `migrate_to_chat_id` in the old group, `migrate_from_chat_id` in the new.
   */
  upgradeGroup(group: FakeChat, options: { announce?: boolean; by?: FakeUser } = {}): FakeChat {
    const supergroup = this.world.upgradeGroup(group);
    if (options.announce ?? true) {
      const date = Math.floor(Date.now() / 1000);
      // The admin whose change upgraded the group.
      const from = options.by ?? this.world.createUser();
      this.feed.push({ message: { message_id: this.world.nextMessageId(group.id), from, chat: group, date, migrate_to_chat_id: supergroup.id } });
      this.feed.push({
        message: { message_id: this.world.nextMessageId(supergroup.id), from, chat: supergroup, date, migrate_from_chat_id: group.id },
      });
    }
    return supergroup;
  }

  /** The chat no longer exists for the bot: sends answer 400 "chat not found". */
  forgetChat(chatId: number): void {
    this.world.chats.delete(chatId);
  }

  // ------------------------------------------------------------------ what the bot did

  /** Everything the bot sent or edited in a chat, oldest first. */
  sentTo(chat: ChatRef): SentMessage[] {
    return this.sent.to(typeof chat === 'number' ? chat : chat.id);
  }

  /** The bot's next `count` messages in a chat not returned by an earlier call (waits for them). */
  nextBotMessages(chat: ChatRef, count = 1, timeoutMs = 5000): Promise<SentMessage[]> {
    return this.sent.next(typeof chat === 'number' ? chat : chat.id, count, timeoutMs);
  }

  async nextBotMessage(chat: ChatRef, timeoutMs = 5000): Promise<SentMessage> {
    const [message] = await this.nextBotMessages(chat, 1, timeoutMs);
    return message!;
  }

  /** The callback query as the bot left it (answered or not). */
  callback(id: string): PendingCallback | undefined {
    return this.world.callbacks.get(id);
  }

  /** Calls made to a method so far. */
  calls(method: string): number {
    return this.stats.calls.get(method) ?? 0;
  }

  /** When each update first went to the bot, in order (for attributing replies: see reply-timing.ts). */
  get handOuts(): readonly HandOut[] {
    return this.feed.handOuts;
  }

  webhookInfo(): Record<string, unknown> {
    return this.feed.webhookInfo();
  }

  get webhookAttempts(): readonly WebhookAttempt[] {
    return this.feed.webhookAttempts;
  }

  /** Updates not yet confirmed by the bot. */
  get pendingUpdates(): number {
    return this.feed.pendingCount;
  }

  /** A long poll is waiting: the next update wakes it (tests wait on this, not on a pause). */
  get pollWaiting(): boolean {
    return this.feed.pollWaiting;
  }

  async close(): Promise<void> {
    this.feed.close();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ------------------------------------------------------------------ HTTP

  private async listen(): Promise<void> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.reply(response, 500, { ok: false, error_code: 500, description: String(error) });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.download(response, file[1]!, decodeURIComponent(file[2]!));

    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!call) return this.fail(response, notFound());
    if (call[1] !== this.token) return this.fail(response, unauthorized());
    const method = this.lowerCaseMethods.get(call[2]!.toLowerCase());
    if (!method) return this.fail(response, notFound());
    this.stats.calls.set(method, (this.stats.calls.get(method) ?? 0) + 1);

    let input: Awaited<ReturnType<typeof readCallInput>>;
    try {
      input = await readCallInput(request, url, this.options.maxBodyBytes ?? 60 * 1024 * 1024);
    } catch (error) {
      // A body over the server's limit: what Telegram's front answers for an upload too large.
      if (error instanceof Error && error.message === 'request body too large') return this.fail(response, new ApiError(413, 'Request Entity Too Large'));
      throw error;
    }
    const fault = this.faults.take(method, stringParam(input.params, 'chat_id'));
    switch (fault.type) {
      case 'hang':
        return; // the connection stays open until the client gives up or the fake closes
      case 'status':
        return this.reply(response, fault.status, { ok: false, error_code: fault.status, description: STATUS_CODES[fault.status] ?? 'Error' });
      case 'error':
        if (fault.error.errorCode === 429) this.stats.rateLimited += 1;
        return this.fail(response, fault.error);
    }

    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort();
    });
    const context: MethodContext = {
      world: this.world,
      feed: this.feed,
      sent: this.sent,
      limiter: this.limiter,
      stats: this.stats,
      now: () => Date.now(),
      maxUploadBytes: this.options.maxUploadBytes ?? 50 * 1024 * 1024,
      gone: gone.signal,
    };
    try {
      const result = await METHODS[method]!(context, input);
      if (!response.destroyed) this.reply(response, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof ApiError) return this.fail(response, error);
      throw error;
    }
  }

  private download(response: ServerResponse, token: string, path: string): void {
    const file = token === this.token ? this.world.fileByPath(path) : undefined;
    if (!file) return this.fail(response, notFound());
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    response.end(file.bytes);
  }

  private fail(response: ServerResponse, error: ApiError): void {
    this.reply(response, error.errorCode, error.body());
  }

  private reply(response: ServerResponse, status: number, body: unknown): void {
    if (response.destroyed) return;
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }
}
