/**
 * The people's side of the fake: what they type, send and press becomes updates for the bot,
 * shaped like Telegram's (entities for commands and @mentions, photo sizes, callback queries).
 */
import { randomBytes } from 'node:crypto';
import { fakeJpeg } from './sample-files.js';
import type { Update, UpdateFeed } from './update-feed.js';
import type { FakeChat, FakeMessage, FakeUser, FakeWorld } from './world.js';

/** A chat given as the chat, its id, or (for a private chat) the person. */
export type ChatRef = FakeChat | FakeUser | number;

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  user?: FakeUser;
}

export interface SayOptions {
  /** The message (in the same chat) this one replies to. */
  replyTo?: number;
  /** A forum topic. */
  threadId?: number;
  /** Given: used as is. Otherwise commands at the start and @mentions are marked. */
  entities?: MessageEntity[];
}

export interface PhotoOptions extends Pick<SayOptions, 'replyTo'> {
  caption?: string;
  /** One file per size, smallest first (default: three sizes up to 60 kB). */
  sizes?: Buffer[];
  /** Leave `file_size` out of the sizes (Telegram may). */
  omitFileSize?: boolean;
}

/** Kinds of media the service does not take. */
export type MediaKind = 'sticker' | 'voice' | 'video' | 'video_note' | 'audio' | 'document' | 'animation' | 'contact';

const WIDTHS = [90, 320, 800, 1280, 2560];

export class UserActions {
  constructor(
    private readonly world: FakeWorld,
    private readonly feed: UpdateFeed,
    private readonly now: () => number,
  ) {}

  says(chat: ChatRef, from: FakeUser, text: string, options: SayOptions = {}): FakeMessage {
    const entities = options.entities ?? findEntities(text);
    return this.send(chat, from, { text, ...(entities.length > 0 ? { entities } : {}) }, options);
  }

  sendsPhoto(chat: ChatRef, from: FakeUser, options: PhotoOptions = {}): FakeMessage {
    const sizes = (options.sizes ?? [fakeJpeg(800), fakeJpeg(12_000), fakeJpeg(60_000)]).map((bytes, i) => {
      const file = this.world.storeFile(bytes, 'photos', 'jpg');
      const width = WIDTHS[Math.min(i, WIDTHS.length - 1)]!;
      return {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        ...(options.omitFileSize ? {} : { file_size: file.file_size }),
        width,
        height: Math.round((width * 3) / 4),
      };
    });
    const caption = options.caption;
    const entities = caption ? findEntities(caption) : [];
    return this.send(
      chat,
      from,
      { photo: sizes, ...(caption ? { caption } : {}), ...(entities.length > 0 ? { caption_entities: entities } : {}) },
      options,
    );
  }

  sendsLocation(chat: ChatRef, from: FakeUser, latitude: number, longitude: number, venue?: { title: string; address: string }): FakeMessage {
    const location = { latitude, longitude };
    return this.send(chat, from, venue ? { location, venue: { location, ...venue } } : { location });
  }

  sendsMedia(chat: ChatRef, from: FakeUser, kind: MediaKind, options: Pick<SayOptions, 'replyTo'> & { caption?: string } = {}): FakeMessage {
    const file = this.world.storeFile(Buffer.alloc(256, 1), kind === 'voice' ? 'voice' : 'documents', 'bin');
    const base = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
    const content: Record<string, unknown> = (() => {
      switch (kind) {
        case 'sticker':
          return { sticker: { ...base, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' } };
        case 'voice':
          return { voice: { ...base, duration: 3, mime_type: 'audio/ogg' } };
        case 'video':
          return { video: { ...base, width: 640, height: 480, duration: 5, mime_type: 'video/mp4' } };
        case 'video_note':
          return { video_note: { ...base, length: 240, duration: 5 } };
        case 'audio':
          return { audio: { ...base, duration: 180, mime_type: 'audio/mpeg' } };
        case 'document':
          return { document: { ...base, file_name: 'form.pdf', mime_type: 'application/pdf' } };
        case 'animation': {
          // Telegram sends an animation with a `document` field as well.
          const animation = { ...base, width: 320, height: 240, duration: 2, file_name: 'a.mp4', mime_type: 'video/mp4' };
          return { animation, document: { ...base, file_name: 'a.mp4', mime_type: 'video/mp4' } };
        }
        case 'contact':
          return { contact: { phone_number: '+8613800000000', first_name: 'Neighbour' } };
      }
    })();
    if (options.caption) content['caption'] = options.caption;
    return this.send(chat, from, content, options);
  }

  /** A person sends a file as a document (with a caption, which may be a command). */
  sendsDocument(chat: ChatRef, from: FakeUser, file: { bytes: Buffer; name: string; mime?: string; caption?: string }): FakeMessage {
    const stored = this.world.storeFile(file.bytes, 'documents', file.name.includes('.') ? file.name.slice(file.name.lastIndexOf('.') + 1) : 'bin');
    const document = { file_id: stored.file_id, file_unique_id: stored.file_unique_id, file_size: stored.file_size, file_name: file.name, mime_type: file.mime ?? 'application/octet-stream' };
    const entities = file.caption ? findEntities(file.caption) : [];
    return this.send(chat, from, { document, ...(file.caption ? { caption: file.caption } : {}), ...(entities.length > 0 ? { caption_entities: entities } : {}) });
  }

  /** A person presses an inline button under one of the bot's messages; returns the callback query id. */
  presses(chat: ChatRef, from: FakeUser, messageId: number, data: string): string {
    const target = this.chat(chat);
    const message = this.world.message(target.id, messageId) ?? { message_id: messageId, chat: target, date: this.seconds() };
    const id = BigInt(`0x${randomBytes(7).toString('hex')}`).toString();
    this.world.callbacks.set(id, { id, chatId: target.id, fromId: from.id, messageId, data });
    this.feed.push({ callback_query: { id, from, message, chat_instance: String(target.id * 7), data } });
    return id;
  }

  /** A person edits one of their messages (the bot is expected to ignore it). */
  edits(chat: ChatRef, from: FakeUser, messageId: number, text: string): Update {
    const target = this.chat(chat);
    const original = this.world.message(target.id, messageId);
    const edited = { ...(original ?? { message_id: messageId, chat: target, from, date: this.seconds() }), text, edit_date: this.seconds() };
    return this.feed.push({ edited_message: edited });
  }

  /** A service message: someone joined a group. */
  joins(group: ChatRef, user: FakeUser): FakeMessage {
    return this.send(group, user, { new_chat_members: [user] });
  }

  private send(chat: ChatRef, from: FakeUser, content: Record<string, unknown>, options: SayOptions = {}): FakeMessage {
    const target = this.chat(chat);
    const message: FakeMessage = {
      message_id: this.world.nextMessageId(target.id),
      from,
      chat: target,
      date: this.seconds(),
      ...content,
    };
    if (options.threadId !== undefined) {
      message['message_thread_id'] = options.threadId;
      message['is_topic_message'] = true;
    }
    if (options.replyTo !== undefined) {
      const replied = this.world.message(target.id, options.replyTo);
      if (replied) message['reply_to_message'] = replied;
    }
    this.world.storeMessage(message);
    this.feed.push({ message });
    return message;
  }

  private chat(ref: ChatRef): FakeChat {
    const id = typeof ref === 'number' ? ref : ref.id;
    const chat = this.world.chats.get(id);
    if (!chat) throw new Error(`fake Telegram: no chat ${id} (create the user or group first)`);
    return chat;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

/** Marks a command at the start and every @username, with UTF-16 offsets as Telegram gives them. */
export function findEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const match of text.matchAll(/(?<![\w@/])@[A-Za-z0-9_]{5,32}\b/g)) {
    entities.push({ type: 'mention', offset: match.index, length: match[0].length });
  }
  return entities;
}
