/**
 * A WeChat channel on a real wechaty with wechaty-puppet-mock's PuppetMock: a mock WeChat with
 * contacts and rooms, the bot's account, a temporary data folder, logs captured as JSON lines,
 * and the QR code output captured instead of printed.
 *
 * PuppetMock accepts friend requests silently and reports no ids for sent messages; the small
 * subclass below records the acceptances and can report ids, as real protocol puppets do.
 */
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FileBox } from 'file-box';
import { types } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { InboundMessage } from '../../../src/channels/types.js';
import { WeChatChannel, type WeChatChannelOptions } from '../../../src/channels/wechat/wechat-channel.js';
import { flattenCatalog, loadTranslator, Translator } from '../../../src/i18n/translator.js';
import { createLogger } from '../../../src/log/logger.js';
import { waitFor } from '../../support/wait-for.js';

export type ContactMock = ReturnType<mock.Mocker['createContact']>;
export type RoomMock = ReturnType<mock.Mocker['createRoom']>;
/** What a mock contact or room sees: the message payload as the mock WeChat stored it. */
export interface SeenMessage {
  id: string;
  payload: { talkerId?: string; text?: string; type: types.Message; roomId?: string; listenerId?: string };
}

export class RecordingPuppetMock extends PuppetMock {
  readonly acceptedFriendships: string[] = [];
  /** Report the id of each sent message (padlocal does; wechat4u and PuppetMock do not). */
  reportSentIds = false;

  override async friendshipAccept(friendshipId: string): Promise<void> {
    this.acceptedFriendships.push(friendshipId);
  }

  constructor(options: ConstructorParameters<typeof PuppetMock>[0]) {
    super(options);
    // PuppetMock declares this as returning nothing; the puppet interface allows an id.
    const send = this.messageSendText.bind(this);
    (this as unknown as { messageSendText: (id: string, text: string) => Promise<string | undefined> }).messageSendText = async (id, text) => {
      await send(id, text);
      return this.reportSentIds ? this.lastMessageId() : undefined;
    };
  }

  private lastMessageId(): string | undefined {
    return [...this.mocker.cacheMessagePayload.keys()].at(-1);
  }
}

export interface HarnessOptions extends Partial<Omit<WeChatChannelOptions, 'puppet' | 'logger' | 'dataDir'>> {
  /** The bot account's display name (mentions in rooms use it). */
  botName?: string;
}

export interface WeChatHarness {
  mocker: mock.Mocker;
  puppet: RecordingPuppetMock;
  channel: WeChatChannel;
  /** The bot's own account in the mock WeChat (exists before login). */
  botUser: ContactMock;
  dataDir: string;
  /** Everything the channel handed on, in order. */
  received: InboundMessage[];
  /** Log lines the channel wrote (parsed JSON). */
  logs: Record<string, unknown>[];
  /** Text written to the "terminal" (the login QR code). */
  terminal: string[];
  /** Starts the channel (state starting → the bot is running, not logged in). */
  start(): Promise<void>;
  /** Logs the bot account in and waits until the channel knows. */
  login(): Promise<void>;
  close(): Promise<void>;
}

export async function startWeChat(options: HarnessOptions = {}): Promise<WeChatHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'linli-wechat-'));
  const mocker = new mock.Mocker();
  const puppet = new RecordingPuppetMock({ mocker });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const terminal: string[] = [];
  const received: InboundMessage[] = [];
  const channel = new WeChatChannel({
    maxPhotoBytes: 64 * 1024,
    autoAcceptFriends: true,
    rememberSession: false,
    ...options,
    puppet,
    logger: createLogger('debug', sink),
    dataDir,
    terminal: (text) => terminal.push(text),
  });
  // Avatars are left empty: the generated ones are internet addresses.
  const botUser = mocker.createContact({ name: options.botName ?? '邻里助手', avatar: '' });

  const harness: WeChatHarness = {
    mocker,
    puppet,
    channel,
    botUser,
    dataDir,
    received,
    logs,
    terminal,
    async start() {
      await channel.start(async (message) => {
        received.push(message);
      });
    },
    async login() {
      mocker.login(botUser);
      await waitFor(() => channel.login.status().state === 'logged-in', 'the bot to log in');
    },
    async close() {
      await channel.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A resident in the mock WeChat. */
export function createResident(mocker: mock.Mocker, name: string, extra: Record<string, unknown> = {}): ContactMock {
  return mocker.createContact({ name, avatar: '', ...extra });
}

/** A room with exactly these members. */
export function createRoom(mocker: mock.Mocker, topic: string, members: ContactMock[]): RoomMock {
  return mocker.createRoom({ topic, avatar: '', memberIdList: members.map((m) => m.id) });
}

/**
 * Delivers a message the mock's `say` cannot make (another type, an old timestamp) to the bot,
 * as the puppet would: stored, then announced with a `message` event.
 */
export function deliverRaw(
  mocker: mock.Mocker,
  payload: { talkerId: string; listenerId?: string; roomId?: string; type: types.Message; text?: string; timestamp?: number },
): string {
  const id = `raw-${randomBytes(6).toString('hex')}`;
  mocker.MessageMock.create({ id, timestamp: Date.now(), ...payload } as Parameters<mock.Mocker['MessageMock']['create']>[0]);
  mocker.puppet.emit('message', { messageId: id });
  return id;
}

/**
 * A person sends a file (a file message, as WeChat shows a PDF or a spreadsheet). The mock WeChat
 * files only .txt/.doc/.pdf without a media type as files; this delivers any FileBox as one.
 */
export function deliverFile(mocker: mock.Mocker, from: ContactMock, to: ContactMock, box: FileBox): string {
  const id = `file-${randomBytes(6).toString('hex')}`;
  mocker.cacheFileBoxPayload.set(id, box.toJSON());
  mocker.MessageMock.create({ id, timestamp: Date.now(), talkerId: from.id, listenerId: to.id, type: types.Message.Attachment } as Parameters<mock.Mocker['MessageMock']['create']>[0]);
  mocker.puppet.emit('message', { messageId: id });
  return id;
}

/** Collects the messages a mock contact or room sees (the bot's sends among them). */
export function watch(target: ContactMock | RoomMock): SeenMessage[] {
  const seen: SeenMessage[] = [];
  (target as unknown as EventEmitter).on('message', (message: SeenMessage) => seen.push(message));
  return seen;
}

/** The project's locales, or the WeChat fragment until it is merged into them. */
export function weChatTranslator(): Translator {
  const root = new URL('../../../', import.meta.url);
  const locales = new URL('locales/', root);
  if (existsSync(new URL('zh-CN.json', locales))) {
    const merged = loadTranslator(locales.pathname);
    if (merged.has('wechat.admin.title')) return merged;
  }
  const fragment = (locale: string) =>
    flattenCatalog(JSON.parse(readFileSync(new URL(`locales-fragments/wechat.${locale}.json`, root), 'utf8')));
  return new Translator(new Map([
    ['zh-CN', fragment('zh-CN')],
    ['en', fragment('en')],
  ]));
}
