/**
 * The WeChat channel on wechaty 1.x. The puppet (the protocol driver) is chosen by the operator
 * (WECHATY_PUPPET, see load-puppet.ts); tests pass wechaty-puppet-mock's PuppetMock.
 *
 * WeChat has no buttons: choices arrive here already rendered as numbered lines
 * (capabilities.buttons is false), so this adapter only carries text, photos and files. In rooms
 * (group chats) the bot answers only when mentioned. The login QR code goes to the terminal and
 * to the admin page (admin-routes.ts); the login state is kept in a WeChatLoginStatus.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileBox } from 'file-box';
import { log as wechatyLog, ScanStatus, types, WechatyBuilder, type Friendship, type Message, type Wechaty } from 'wechaty';
import type { Logger } from '../../log/logger.js';
import { KeyedSerial } from '../../util/keyed-serial.js';
import { ChannelSendError, type Channel, type ChannelCapabilities, type NamedRooms, type InboundHandler, type OutboundMessage, type SendResult } from '../types.js';
import { documentFileName, documentPath } from '../media/document-files.js';
import { uploadFileName, uploadPath } from '../media/photo-files.js';
import { chatIdOf, quickSkip, translate } from './inbound.js';
import type { WeChatPuppet } from './load-puppet.js';
import { WeChatLoginStatus } from './login-status.js';
import { wechatCapabilities } from './wechat-capabilities.js';
import { qrCodeForTerminal } from './qr-code.js';
import { findSendTarget } from './send-target.js';

export { WECHAT_MAX_TEXT_LENGTH } from './wechat-capabilities.js';

export interface WeChatChannelOptions {
  /** The puppet instance (see loadPuppet; tests: a PuppetMock). */
  puppet: WeChatPuppet;
  logger: Logger;
  /** Photos go to `<dataDir>/uploads/`; the login session is kept in `<dataDir>/wechat-session.memory-card.json`. */
  dataDir: string;
  maxPhotoBytes: number;
  /** WECHAT_AUTO_ACCEPT_FRIENDS. */
  autoAcceptFriends: boolean;
  /** Overrides WECHAT_MAX_TEXT_LENGTH (a WeCom-based puppet may need less). */
  maxTextLength?: number;
  /** Where the login QR code is printed (default: standard output). */
  terminal?: (text: string) => void;
  /** The admin page's address, printed under the QR code (it includes the access token). */
  adminUrl?: string;
  /** Keep the login session between restarts (default true; tests turn it off). */
  rememberSession?: boolean;
  /** Rooms where every text is handed on, mentioning the bot or not (the staff room). */
  hearsAllIn?: (chatId: string) => boolean;
  now?: () => number;
}

export class WeChatChannel implements Channel, NamedRooms {
  readonly name = 'wechat' as const;
  readonly capabilities: ChannelCapabilities;
  readonly login: WeChatLoginStatus;
  /** The wechaty instance (tests reach the puppet through it). */
  readonly bot: Wechaty;

  private handler: InboundHandler | undefined;
  /** One chat's messages are handed on in the order they arrived. */
  private readonly serial = new KeyedSerial();
  private readonly now: () => number;
  private readonly log: Logger;
  private printedCode: string | undefined;
  private readonly roomListeners = new Set<() => void>();
  private started = false;

  constructor(private readonly options: WeChatChannelOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ channel: 'wechat' });
    this.login = new WeChatLoginStatus(this.now);
    this.capabilities = wechatCapabilities(options.maxTextLength);
    // wechaty's own console log prints names and message text; ours logs ids. WECHATY_LOG
    // (wechaty's setting) still turns it back on for debugging.
    if (!process.env.WECHATY_LOG) wechatyLog.level('silent');
    this.bot = WechatyBuilder.build({
      puppet: options.puppet,
      ...(options.rememberSession === false ? {} : { name: join(options.dataDir, 'wechat-session') }),
    });
    this.listen();
  }

  /** Starts the puppet; resolves once it runs (logging in may take a scan and happens later). */
  async start(onMessage: InboundHandler): Promise<void> {
    this.handler = onMessage;
    if (this.started) return;
    this.started = true;
    this.login.starting();
    this.log.info('wechat starting');
    await this.bot.start();
  }

  /** Stops taking messages, lets those being handled finish, then stops the puppet. */
  async stop(): Promise<void> {
    this.handler = undefined;
    await this.serial.drain();
    if (!this.started) return;
    this.started = false;
    await this.bot.stop();
    this.login.loggedOut();
    this.log.info('wechat stopped');
  }

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    if (!this.bot.isLoggedIn) throw new ChannelSendError('wechat is not logged in', true);
    const target = await findSendTarget(this.bot, chatId);
    if (!target) {
      // A lookup also fails while the puppet is losing its login: only a live login makes it final.
      if (!this.bot.isLoggedIn) throw new ChannelSendError('wechat is not logged in', true);
      throw new ChannelSendError('wechat contact or room not found', false);
    }
    let externalMessageId: string | undefined;
    try {
      // No captions on WeChat: the photo first, then its text.
      if (message.photo) externalMessageId = idOf(await target.say(await this.photoFile(message.photo.ref)));
      // A file goes as a file message (a FileBox under the name people see), before its text.
      if (message.document) externalMessageId = idOf(await target.say(await this.documentFile(message.document.ref, message.document.name))) ?? externalMessageId;
      if (message.text) externalMessageId = idOf(await target.say(message.text)) ?? externalMessageId;
    } catch (error) {
      if (error instanceof ChannelSendError) throw error;
      const loggedOut = !this.bot.isLoggedIn;
      throw new ChannelSendError(loggedOut ? 'wechat is not logged in' : `wechat send failed: ${summary(error)}`, true);
    }
    // wechat4u and PuppetMock report no id for a sent message (padlocal does): then it is empty.
    return { externalMessageId: externalMessageId ?? '' };
  }

  /**
   * The ids of every room with this name the logged-in account is in. Anyone can make a room of
   * any name and invite the account: a name says nothing about who is in the room.
   */
  async findRoomsByTopic(topic: string): Promise<string[]> {
    if (!this.bot.isLoggedIn) return [];
    const rooms = await this.bot.Room.findAll({ topic });
    return rooms.map((room) => room.id);
  }

  /** A room's name now, or undefined when the account is not in it (or not logged in). */
  async roomTopic(roomId: string): Promise<string | undefined> {
    if (!this.bot.isLoggedIn) return undefined;
    const room = await this.bot.Room.find({ id: roomId });
    return room ? await room.topic() : undefined;
  }

  /** Rooms can be looked at once the account is logged in. */
  roomsReady(): boolean {
    return this.login.status().state === 'logged-in';
  }

  /** Calls `listener` at every login change and whenever a room is renamed or joined. */
  onRoomsChange(listener: () => void): () => void {
    const stopLogin = this.login.onChange(() => listener());
    const stopRooms = this.onRoomChange(listener);
    return () => {
      stopLogin();
      stopRooms();
    };
  }

  /** Calls `listener` when a room the account is in is renamed or the account joins one. */
  onRoomChange(listener: () => void): () => void {
    this.roomListeners.add(listener);
    return () => this.roomListeners.delete(listener);
  }

  private async photoFile(ref: string): Promise<FileBox> {
    const file = uploadFileName(ref);
    const path = file ? uploadPath(this.options.dataDir, file) : undefined;
    if (!file || !path || !(await exists(path))) {
      // Our data, not the recipient's fault: retried, then failed by the queue, recipient kept.
      throw new ChannelSendError('photo to send is not a stored upload', true);
    }
    // Base64 rather than a file path: every puppet can take it (puppet-service streams large
    // ones, wechat4u reads it as a stream, the test mock needs a serialisable FileBox).
    return FileBox.fromBase64((await readFile(path)).toString('base64'), file);
  }

  private async documentFile(ref: string, name: string): Promise<FileBox> {
    const file = documentFileName(ref);
    const path = file ? documentPath(this.options.dataDir, file) : undefined;
    if (!file || !path || !(await exists(path))) throw new ChannelSendError('document to send is not a stored file', true);
    return FileBox.fromBase64((await readFile(path)).toString('base64'), name);
  }

  private roomChanged(): void {
    for (const listener of this.roomListeners) listener();
  }

  private listen(): void {
    this.bot.on('scan', (value, status) => this.onScan(value, status));
    this.bot.on('login', (user) => {
      this.printedCode = undefined;
      this.login.loggedIn(user.id);
      this.log.info({ botId: user.id }, 'wechat logged in');
    });
    this.bot.on('logout', (user) => {
      this.login.loggedOut();
      this.log.warn({ botId: user.id }, 'wechat logged out');
    });
    this.bot.on('message', (msg) => this.onMessage(msg));
    // Only that something changed: the listener reads the rooms again itself.
    this.bot.on('room-topic', () => this.roomChanged());
    this.bot.on('room-join', () => this.roomChanged());
    this.bot.on('friendship', (friendship) => {
      void this.onFriendship(friendship);
    });
    this.bot.on('error', (error) => this.log.warn({ err: summary(error) }, 'wechaty error'));
  }

  private onScan(value: string, status: ScanStatus): void {
    const current = this.login.view().code;
    const code = value || current?.value;
    if (!code) return;
    if (status === ScanStatus.Scanned) {
      this.login.waitingForScan({ value: code, scanned: true });
      this.log.info('wechat login code scanned, waiting for confirmation on the phone');
      return;
    }
    if (status === ScanStatus.Confirmed) return;
    this.login.waitingForScan({ value: code, scanned: false });
    if (code !== this.printedCode) {
      this.printedCode = code;
      this.log.info('wechat waiting for the login code to be scanned');
      void this.printCode(code);
    }
  }

  private async printCode(value: string): Promise<void> {
    try {
      const lines = [
        '',
        'WeChat login: scan this code with the WeChat account the bot should use.',
        await qrCodeForTerminal(value),
      ];
      if (this.options.adminUrl) lines.push(`Or open ${this.options.adminUrl} in a browser.`, '');
      (this.options.terminal ?? ((text) => process.stdout.write(text)))(lines.join('\n'));
    } catch (error) {
      this.log.warn({ err: summary(error) }, 'wechat login code could not be printed');
    }
  }

  private onMessage(msg: Message): void {
    const handler = this.handler;
    const botId = this.login.loggedInAs;
    if (!handler || !botId) return;
    const now = this.now();
    let chatId: string;
    try {
      const skipped = quickSkip(msg, now);
      if (skipped) {
        this.log.debug({ messageId: msg.id, reason: skipped }, 'wechat message skipped');
        return;
      }
      chatId = chatIdOf(msg);
    } catch (error) {
      // A payload the puppet could not fill (no talker): nothing to answer.
      this.log.warn({ messageId: msg.id, err: summary(error) }, 'wechat message unreadable');
      return;
    }
    void this.serial
      .run(chatId, async () => {
        const result = await translate(msg, {
          botId,
          dataDir: this.options.dataDir,
          maxPhotoBytes: this.options.maxPhotoBytes,
          now,
          ...(this.options.hearsAllIn ? { hearsAllIn: this.options.hearsAllIn } : {}),
        });
        if ('skip' in result) {
          this.log.debug({ messageId: msg.id, reason: result.skip }, 'wechat message skipped');
          return;
        }
        await handler(result.inbound);
      })
      .catch((error: unknown) => {
        this.log.error({ messageId: msg.id, chatId, err: summary(error) }, 'wechat message failed');
      });
  }

  private async onFriendship(friendship: Friendship): Promise<void> {
    try {
      if (friendship.type() !== types.Friendship.Receive) return;
      const contactId = friendship.contact().id;
      if (!this.options.autoAcceptFriends) {
        this.log.info({ contactId }, 'wechat friend request left for a person to answer');
        return;
      }
      await friendship.accept();
      this.log.info({ contactId }, 'wechat friend request accepted');
    } catch (error) {
      this.log.warn({ err: summary(error) }, 'wechat friend request failed');
    }
  }
}

function idOf(sent: void | Message): string | undefined {
  return sent ? sent.id : undefined;
}

/** Error class and message only, shortened: puppet errors can carry whole payloads. */
function summary(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 200);
  return String(error).slice(0, 200);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
