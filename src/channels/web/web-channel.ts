/**
 * The web chat channel: the embedded default's channel and a real one for residents without
 * WeChat or Telegram. Messages live in the `WebChatMessage` table (so a reload shows the whole
 * conversation and a delivery worker in another process can "send" by inserting a row);
 * browsers get new rows over Server-Sent Events (see web-chat-routes.ts).
 */
import { networkOrigin } from './network-origin.js';
import { WEB_CAPABILITIES } from './web-capabilities.js';
import { EventEmitter } from 'node:events';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../log/logger.js';
import type { Translator } from '../../i18n/translator.js';
import {
  ChannelSendError,
  type Channel,
  type ChannelCapabilities,
  type InboundHandler,
  type InboundMessage,
  type OutboundChoice,
  type OutboundMessage,
  type SendContext,
  type SendResult,
} from '../types.js';
import { toRowView, type ChatRowView, type InboundPayload, type StoredRow } from './chat-rows.js';
import { KeyedSerial } from '../../util/keyed-serial.js';
import { storePhoto } from '../media/photo-files.js';
import { inspectPhotoBytes, type PhotoRefusal } from '../media/photo-intake.js';
import { errorFields } from '../../log/error-fields.js';

/** Sent to the handler when a browser opens a conversation that has no messages yet. */
export const WEB_CHAT_START_TEXT = '/start';

/** Longest text a person may type, in characters (code points). */
export const MAX_INBOUND_TEXT_LENGTH = 2000;

export { WEB_MAX_BUTTON_DATA_BYTES } from './web-capabilities.js';

/** Session ids are 128-bit hex hashes of the cookie (see session-cookie.ts). */
const SESSION_ID_PATTERN = /^[a-f0-9]{32}$/;

/** The page's per-message id: letters, digits and dashes (a UUID in practice). */
const CLIENT_ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

export interface WebChannelOptions {
  prisma: PrismaClient;
  communityId: string;
  logger: Logger;
  translator: Translator;
  /** Page language when the browser asks for none we have. */
  defaultLocale: string;
  /** Uploads go to `<dataDir>/uploads/`. */
  dataDir: string;
  maxPhotoBytes: number;
  /**
   * The language the person chose in the conversation, if any: the page's own labels follow it
   * rather than the browser's setting. Given by the composition root (the channel knows no accounts).
   */
  chosenLocale?: (sessionId: string) => Promise<string | null>;
  /**
   * Keys the hash of a browser's network address that marks where its messages came from
   * (`InboundMessage.origin`); absent: messages carry no origin.
   */
  originKey?: string;
}

/**
 * Why an inbound message was refused: the web chat API's `error` field. The words are
 * `webchat.errors.<code>`, except for a refused photo's, which every channel shares
 * (`photoRefusal`).
 */
export type WebInputErrorCode =
  | 'empty'
  | 'tooLong'
  | 'invalid'
  | 'unreadable'
  | 'session'
  | 'choiceExpired'
  | 'photoTooLarge'
  | 'photoType'
  | 'photoUnavailable'
  | 'tooMany'
  | 'unavailable';

/** A refused inbound message; the routes turn it into an HTTP status and a localized reason. */
export class WebInputError extends Error {
  constructor(
    readonly code: WebInputErrorCode,
    readonly status: number,
    /** For `tooMany`: when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`web chat input refused: ${code}`);
    this.name = 'WebInputError';
  }

  /** A photo the intake refused, under the API's established codes. */
  static forPhoto(refusal: PhotoRefusal): WebInputError {
    return new WebInputError(PHOTO_REFUSAL_CODES[refusal], PHOTO_REFUSAL_STATUS[refusal]);
  }
}

/** The API codes and statuses of the photo intake's refusals. */
const PHOTO_REFUSAL_CODES = {
  too_large: 'photoTooLarge',
  not_an_image: 'photoType',
  download_failed: 'photoUnavailable',
} as const satisfies Record<PhotoRefusal, WebInputErrorCode>;
const PHOTO_REFUSAL_STATUS: Record<PhotoRefusal, number> = { too_large: 413, not_an_image: 415, download_failed: 400 };

export type PhotoErrorCode = (typeof PHOTO_REFUSAL_CODES)[PhotoRefusal];

/** The photo refusal an API code stands for, if it is one. */
export function photoRefusalOf(code: WebInputErrorCode): PhotoRefusal | undefined {
  return (Object.keys(PHOTO_REFUSAL_CODES) as PhotoRefusal[]).find((refusal) => PHOTO_REFUSAL_CODES[refusal] === code);
}

/** Called with each new row of a session, in the process that wrote it. */
export type RowListener = (row: ChatRowView) => void;

/** The result of accepting a message: its row, and whether the same client id was seen before. */
export interface Accepted {
  row: ChatRowView;
  duplicate: boolean;
}

/** How long a message sent while the app is still starting waits for the start before a 503. */
const START_WAIT_MS = 30_000;

export class WebChannel implements Channel {
  readonly name = 'web' as const;
  readonly capabilities: ChannelCapabilities = WEB_CAPABILITIES;

  private handler: InboundHandler | undefined;
  /** Resolves once the app starts the channel: a browser that comes in earlier waits for it. */
  private readonly started: Promise<void>;
  private markStarted!: () => void;
  private stopped = false;
  private readonly rows = new EventEmitter();
  /** One session's messages are stored and handed on in order. */
  private readonly serial = new KeyedSerial();
  private communityNameCache: string | undefined;

  constructor(readonly options: WebChannelOptions) {
    // One listener per open page; the default cap of 10 would only produce warnings.
    this.rows.setMaxListeners(0);
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }

  async start(onMessage: InboundHandler): Promise<void> {
    this.handler = onMessage;
    this.stopped = false;
    this.markStarted();
  }

  /** Stops taking messages, closes open event streams and waits for messages being handled. */
  async stop(): Promise<void> {
    this.handler = undefined;
    this.stopped = true;
    this.markStarted(); // a message still waiting for the start is refused now
    this.rows.emit('stop');
    await this.serial.drain();
  }

  async send(chatId: string, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    if (!SESSION_ID_PATTERN.test(chatId)) {
      throw new ChannelSendError('not a web chat session id', false);
    }
    // The person's language goes with the message, so an open page follows a switch at once: the
    // one it was written in when the writer said (a turn's replies), else the account's now.
    const locale = context?.chosenLocale !== undefined ? context.chosenLocale : await this.options.chosenLocale?.(chatId);
    const payload: Record<string, unknown> = { ...message, ...(locale ? { locale } : {}) };
    if (message.editOf !== undefined) {
      // An edit replaces the stored message: a reload shows only the new text, an open page
      // removes the old one when the new arrives (its `replaces`).
      if (!/^\d{1,19}$/.test(message.editOf)) throw ChannelSendError.rejected('web chat edit: not a message id');
      await this.options.prisma.webChatMessage.deleteMany({ where: { communityId: this.options.communityId, sessionId: chatId, direction: 'out', seq: BigInt(message.editOf) } });
    }
    const row = await this.insert(chatId, 'out', payload);
    return { externalMessageId: row.seq };
  }

  /** A person typed text. */
  async receiveText(sessionId: string, clientId: string, text: string, languageHint?: string, address?: string): Promise<Accepted> {
    if (text.trim() === '') throw new WebInputError('empty', 400);
    if ([...text].length > MAX_INBOUND_TEXT_LENGTH) throw new WebInputError('tooLong', 413);
    return this.accept(sessionId, clientId, async () => ({
      payload: { kind: 'text', text, clientId },
      inbound: { kind: 'text', text },
    }), languageHint, address);
  }

  /**
   * A person pressed a button. The data must be one this session was offered; the label
   * stored for the history is the one we offered, not whatever the browser sent.
   */
  async receiveChoice(sessionId: string, clientId: string, data: string, languageHint?: string, address?: string): Promise<Accepted> {
    return this.accept(sessionId, clientId, async () => {
      const choice = await this.findOfferedChoice(sessionId, data);
      if (!choice) throw new WebInputError('choiceExpired', 409);
      return { payload: { kind: 'choice', choice, clientId }, inbound: { kind: 'choice', choiceData: choice.data } };
    }, languageHint, address);
  }

  /**
   * A person sent a photo: checked by the photo intake's rules, stored once the message is
   * known to be new, then handed on as a reference. A refused photo is answered at once, on
   * the upload itself (the page shows it where the photo would have been).
   */
  async receivePhoto(sessionId: string, clientId: string, bytes: Uint8Array, languageHint?: string, address?: string): Promise<Accepted> {
    const inspected = inspectPhotoBytes(bytes, this.options.maxPhotoBytes);
    if (!inspected.ok) throw WebInputError.forPhoto(inspected.refusal);
    const mime = inspected.mime;
    return this.accept(sessionId, clientId, async () => {
      const ref = await storePhoto(this.options.dataDir, bytes, mime);
      const photo = { ref, mime, bytes: bytes.length };
      return { payload: { kind: 'photo', photo, clientId }, inbound: { kind: 'photo', photo } };
    }, languageHint, address);
  }

  /**
   * A browser opened a conversation with no messages: the handler gets a start command so the
   * bot greets first. Its external id is fixed per session, so reloads cannot greet twice.
   * Nothing is stored (the person did not type it). Returns whether it was handed on.
   */
  async openConversation(sessionId: string, languageHint?: string): Promise<boolean> {
    return this.serial.run(sessionId, async () => {
      const handler = await this.requireHandler();
      const existing = await this.options.prisma.webChatMessage.findFirst({
        where: { communityId: this.options.communityId, sessionId },
        select: { seq: true },
      });
      if (existing) return false;
      const start: InboundFields = { kind: 'text', text: WEB_CHAT_START_TEXT };
      await this.hand(handler, this.inbound(sessionId, `${sessionId}:start`, start, languageHint));
      return true;
    });
  }

  /** The newest `limit` rows of a session, oldest first. */
  async latestRows(sessionId: string, limit: number): Promise<ChatRowView[]> {
    const rows = await this.options.prisma.webChatMessage.findMany({
      where: { communityId: this.options.communityId, sessionId },
      orderBy: { seq: 'desc' },
      take: limit,
    });
    return rows.reverse().map(toRowView);
  }

  /** Up to `limit` rows of a session after `after`, oldest first. */
  async rowsAfter(sessionId: string, after: bigint, limit: number): Promise<ChatRowView[]> {
    const rows = await this.options.prisma.webChatMessage.findMany({
      where: { communityId: this.options.communityId, sessionId, seq: { gt: after } },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return rows.map(toRowView);
  }

  /** Whether this session has a row referring to the stored photo `ref` (sent or received). */
  async sessionHasPhoto(sessionId: string, ref: string): Promise<boolean> {
    const row = await this.options.prisma.webChatMessage.findFirst({
      where: { communityId: this.options.communityId, sessionId, payload: { path: ['photo', 'ref'], equals: ref } },
      select: { seq: true },
    });
    return row !== null;
  }

  /** The name a file was sent to this session under (the newest row with it); undefined: never sent to it. */
  async documentNameIn(sessionId: string, ref: string): Promise<string | undefined> {
    const row = await this.options.prisma.webChatMessage.findFirst({
      where: { communityId: this.options.communityId, sessionId, direction: 'out', payload: { path: ['document', 'ref'], equals: ref } },
      select: { payload: true },
      orderBy: { seq: 'desc' },
    });
    const name = (row?.payload as Partial<OutboundMessage> | undefined)?.document?.name;
    return typeof name === 'string' ? name : undefined;
  }

  /** Listens for rows written by this process for one session; returns the unsubscribe call. */
  subscribe(sessionId: string, listener: RowListener): () => void {
    this.rows.on(sessionId, listener);
    return () => this.rows.off(sessionId, listener);
  }

  /** How many open pages listen to a session in this process. */
  subscriberCount(sessionId: string): number {
    return this.rows.listenerCount(sessionId);
  }

  /** Called when the channel stops (open event streams end). */
  onStop(listener: () => void): () => void {
    this.rows.on('stop', listener);
    return () => this.rows.off('stop', listener);
  }

  /** The community's display name for the page header. */
  async communityName(): Promise<string> {
    if (this.communityNameCache === undefined) {
      const community = await this.options.prisma.community.findUnique({
        where: { id: this.options.communityId },
        select: { name: true },
      });
      this.communityNameCache = community?.name ?? '';
    }
    return this.communityNameCache;
  }

  private async accept(
    sessionId: string,
    clientId: string,
    prepare: () => Promise<{ payload: InboundPayload; inbound: InboundFields }>,
    languageHint: string | undefined,
    address: string | undefined,
  ): Promise<Accepted> {
    if (!CLIENT_ID_PATTERN.test(clientId)) throw new WebInputError('invalid', 400);
    return this.serial.run(sessionId, async () => {
      const handler = await this.requireHandler();
      const externalId = `${sessionId}:${clientId}`;
      const earlier = await this.findByClientId(sessionId, clientId);
      if (earlier) {
        // A retry after a lost response: the row is there; hand it on again and let the
        // router's (channel, external id) record decide whether it was already handled.
        await this.hand(handler, this.inbound(sessionId, externalId, inboundFieldsOf(earlier), languageHint, address));
        return { row: toRowView(earlier), duplicate: true };
      }
      const { payload, inbound } = await prepare();
      const row = await this.insert(sessionId, 'in', payload);
      await this.hand(handler, this.inbound(sessionId, externalId, inbound, languageHint, address));
      return { row, duplicate: false };
    });
  }

  /**
   * The app serves pages a moment before it starts its channels (it takes up what a crash left
   * first): a message sent in that moment waits for the start instead of being refused; one sent
   * once the app is stopping is refused at once.
   */
  private async requireHandler(): Promise<InboundHandler> {
    if (!this.handler && !this.stopped) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)));
      await Promise.race([this.started, waited]);
      clearTimeout(timer);
    }
    if (!this.handler) throw new WebInputError('unavailable', 503);
    return this.handler;
  }

  private async hand(handler: InboundHandler, message: InboundMessage): Promise<void> {
    try {
      await handler(message);
    } catch (error) {
      this.options.logger.error({ err: errorFields(error), channel: 'web', chatId: message.chatId }, 'web chat handler failed');
      throw new WebInputError('unavailable', 503);
    }
  }

  private inbound(
    sessionId: string,
    externalId: string,
    fields: InboundFields,
    languageHint: string | undefined,
    address?: string,
  ): InboundMessage {
    const message: InboundMessage = {
      channel: 'web',
      externalId,
      senderId: sessionId,
      chatId: sessionId,
      receivedAt: new Date(),
      ...fields,
    };
    if (languageHint) message.languageHint = languageHint;
    if (address && this.options.originKey) message.origin = networkOrigin(this.options.originKey, address);
    return message;
  }

  private async findByClientId(sessionId: string, clientId: string): Promise<StoredRow | null> {
    return this.options.prisma.webChatMessage.findFirst({
      where: {
        communityId: this.options.communityId,
        sessionId,
        direction: 'in',
        payload: { path: ['clientId'], equals: clientId },
      },
    });
  }

  private async findOfferedChoice(sessionId: string, data: string): Promise<OutboundChoice | undefined> {
    const row = await this.options.prisma.webChatMessage.findFirst({
      where: {
        communityId: this.options.communityId,
        sessionId,
        direction: 'out',
        payload: { path: ['choices'], array_contains: [{ data }] },
      },
      orderBy: { seq: 'desc' },
    });
    const choices = (row?.payload as Partial<OutboundMessage> | undefined)?.choices ?? [];
    const offered = choices.find((c) => c.data === data);
    return offered ? { label: offered.label, data: offered.data } : undefined;
  }

  private async insert(
    sessionId: string,
    direction: 'in' | 'out',
    payload: Record<string, unknown>,
  ): Promise<ChatRowView> {
    const stored = await this.options.prisma.webChatMessage.create({
      data: { communityId: this.options.communityId, sessionId, direction, payload: payload as object },
    });
    const view = toRowView(stored);
    this.rows.emit(sessionId, view);
    return view;
  }
}

/** The kind-specific part of an InboundMessage. */
type InboundFields = Pick<InboundMessage, 'kind' | 'text' | 'choiceData' | 'photo'>;

/** Rebuilds the kind-specific part from a stored `in` row (for a retried message). */
function inboundFieldsOf(row: StoredRow): InboundFields {
  const payload = row.payload as InboundPayload;
  switch (payload.kind) {
    case 'choice':
      return { kind: 'choice', choiceData: payload.choice.data };
    case 'photo':
      return { kind: 'photo', photo: payload.photo };
    default:
      return { kind: 'text', text: payload.text };
  }
}
