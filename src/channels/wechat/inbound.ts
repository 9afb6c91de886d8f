/**
 * Turns a wechaty message into a neutral InboundMessage, or says why it is not one for us:
 * the bot's own messages, backlog a puppet replays after (re)login, system notices, official
 * accounts' pushes, and room chatter that does not mention the bot are all left alone.
 */
import { types, type Message } from 'wechaty';
import type { InboundMessage } from '../types.js';
import { MAX_ATTACHMENT_BYTES } from '../media/document-intake.js';
import { saveDocument, savePhoto } from './file-download.js';

/** Messages older than this when they arrive are backlog, not someone talking to us now. */
export const BACKLOG_MS = 2 * 60_000;

/** Why a message was left alone (for debug logs). */
export type SkipReason = 'self' | 'backlog' | 'system' | 'official-account' | 'room-not-mentioned' | 'room-not-text';

export type Translation = { inbound: InboundMessage } | { skip: SkipReason };

export interface TranslationContext {
  /** The logged-in account's id: external ids are `<bot id>:<message id>`. */
  botId: string;
  dataDir: string;
  maxPhotoBytes: number;
  now: number;
  /** Rooms where every text counts, mentioning the bot or not (the staff room). */
  hearsAllIn?: (chatId: string) => boolean;
}

/**
 * What `unsupportedType` says for each kind WeChat can send that we do not take. Kinds not
 * listed here and not text or image are system notices and are skipped.
 */
const UNSUPPORTED_TYPES: ReadonlyMap<types.Message, string> = new Map([
  [types.Message.Audio, 'voice'],
  [types.Message.Video, 'video'],
  [types.Message.Emoticon, 'sticker'],
  [types.Message.Url, 'link'],
  [types.Message.MiniProgram, 'mini-program'],
  [types.Message.Contact, 'contact-card'],
  [types.Message.ChatHistory, 'chat-history'],
  // Resident locations are typed addresses for now (capabilities.locations is false).
  [types.Message.Location, 'location'],
  [types.Message.Transfer, 'transfer'],
  [types.Message.RedEnvelope, 'red-envelope'],
]);

/** Checks that need no round trip to the puppet: done before a message joins its chat's queue. */
export function quickSkip(msg: Message, now: number): SkipReason | undefined {
  if (msg.self()) return 'self';
  if (now - msg.date().getTime() > BACKLOG_MS) return 'backlog';
  const type = msg.type();
  if (type !== types.Message.Text && type !== types.Message.Image && type !== types.Message.Attachment && !UNSUPPORTED_TYPES.has(type)) return 'system';
  if (msg.talker().type() === types.Contact.Official) return 'official-account';
  return undefined;
}

/** Where replies go: the room for room messages, else the person. */
export function chatIdOf(msg: Message): string {
  return msg.room()?.id ?? msg.talker().id;
}

export async function translate(msg: Message, ctx: TranslationContext): Promise<Translation> {
  const skipped = quickSkip(msg, ctx.now);
  if (skipped) return { skip: skipped };

  const base = {
    channel: 'wechat' as const,
    externalId: `${ctx.botId}:${msg.id}`,
    senderId: msg.talker().id,
    chatId: chatIdOf(msg),
    chatType: msg.room() ? ('group' as const) : ('private' as const),
    receivedAt: msg.date(),
  };
  const type = msg.type();

  if (msg.room()) {
    // In a room only text can mention the bot; everything else there is for the other members.
    if (type !== types.Message.Text) return { skip: 'room-not-text' };
    if (await msg.mentionSelf()) return { inbound: { ...base, kind: 'text', text: await msg.mentionText() } };
    if (ctx.hearsAllIn?.(base.chatId)) return { inbound: { ...base, kind: 'text', text: msg.text() } };
    return { skip: 'room-not-mentioned' };
  }

  if (type === types.Message.Text) return { inbound: { ...base, kind: 'text', text: msg.text() } };
  if (type === types.Message.Image) {
    const taken = await savePhoto(await msg.toFileBox(), { dataDir: ctx.dataDir, maxBytes: ctx.maxPhotoBytes });
    if (taken.ok) return { inbound: { ...base, kind: 'photo', photo: taken.photo } };
    return { inbound: { ...base, kind: 'photo_refused', photoRefused: { reason: taken.refusal, maxBytes: ctx.maxPhotoBytes } } };
  }
  if (type === types.Message.Attachment) {
    // A file (a PDF, a spreadsheet…): taken in by its bytes, under the name it was sent with.
    const box = await msg.toFileBox();
    const taken = await saveDocument(box, { dataDir: ctx.dataDir, maxBytes: MAX_ATTACHMENT_BYTES, name: box.name, fallbackName: 'file' });
    if (taken.ok) return { inbound: { ...base, kind: 'document', document: taken.document } };
    return { inbound: { ...base, kind: 'document_refused', documentRefused: { reason: taken.refusal, maxBytes: MAX_ATTACHMENT_BYTES } } };
  }
  return { inbound: { ...base, kind: 'unsupported', unsupportedType: UNSUPPORTED_TYPES.get(type) ?? 'unknown' } };
}
