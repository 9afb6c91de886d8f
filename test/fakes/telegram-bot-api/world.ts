/**
 * The fake's view of Telegram: people, chats, messages (numbered per chat, as Telegram does),
 * files and pending button presses. Objects are kept in the Bot API's JSON shape.
 */
import { randomBytes } from 'node:crypto';

export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type ChatType = 'private' | 'group' | 'supergroup';

export interface FakeChat {
  id: number;
  type: ChatType;
  title?: string;
  first_name?: string;
  username?: string;
  is_forum?: boolean;
}

/** A message as the Bot API returns it (only the fields the fake fills). */
export type FakeMessage = Record<string, unknown> & {
  message_id: number;
  date: number;
  chat: FakeChat;
  from?: FakeUser;
};

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
  bytes: Buffer;
}

export interface PendingCallback {
  id: string;
  chatId: number;
  fromId: number;
  messageId: number;
  data: string;
  answered?: { text?: string; showAlert: boolean; at: number };
}

/** A forum topic (createForumTopic), open or closed. */
export interface FakeTopic {
  chatId: number;
  id: number;
  name: string;
  closed: boolean;
}

export class FakeWorld {
  readonly bot: FakeUser;
  readonly users = new Map<number, FakeUser>();
  readonly chats = new Map<number, FakeChat>();
  /** Chats the bot can no longer write to (403 "bot was blocked by the user"). */
  readonly blocked = new Set<number>();
  /** Groups where the bot is a member without the right to post (400 "not enough rights"). */
  readonly muted = new Set<number>();
  /** Groups upgraded to a supergroup: old chat id → the supergroup's id. */
  readonly migrated = new Map<number, number>();
  readonly callbacks = new Map<string, PendingCallback>();
  /** Forum topics by `<chat id>:<message_thread_id>`. */
  readonly topics = new Map<string, FakeTopic>();
  private readonly messages = new Map<string, FakeMessage>();
  private readonly files = new Map<string, StoredFile>();
  private readonly lastMessageId = new Map<number, number>();
  private nextUserId = 100_001;
  private nextGroupId = 1;
  private nextFile = 1;
  private nextTopic = 2;

  constructor(botId: number, botUsername: string, readonly acceptUnknownChats: boolean) {
    this.bot = { id: botId, is_bot: true, first_name: 'Linli Test Bot', username: botUsername };
  }

  createUser(options: Partial<Omit<FakeUser, 'is_bot'>> = {}): FakeUser {
    const id = options.id ?? this.nextUserId++;
    const user: FakeUser = { first_name: `Resident ${id}`, ...options, id, is_bot: false };
    this.users.set(id, user);
    const chat: FakeChat = { id, type: 'private', first_name: user.first_name };
    if (user.username) chat.username = user.username;
    this.chats.set(id, chat);
    return user;
  }

  createGroup(options: { title?: string; type?: 'group' | 'supergroup'; isForum?: boolean; id?: number } = {}): FakeChat {
    const type = options.type ?? 'supergroup';
    const n = this.nextGroupId++;
    // Telegram's group ids are negative; supergroups start with -100.
    const id = options.id ?? (type === 'supergroup' ? -(1_000_000_000_000 + n) : -(4_000_000 + n));
    const chat: FakeChat = { id, type, title: options.title ?? `Group ${n}` };
    if (options.isForum) chat.is_forum = true;
    this.chats.set(id, chat);
    return chat;
  }

  /**
   * Upgrades a group to a supergroup, as Telegram does when a group grows or an admin changes
   * its settings: a new chat with a -100… id; the old one answers sends with 400 and
   * `migrate_to_chat_id`.
   */
  upgradeGroup(group: FakeChat): FakeChat {
    if (group.type !== 'group') throw new Error(`fake Telegram: chat ${group.id} is not a basic group`);
    const supergroup = this.createGroup({ type: 'supergroup', ...(group.title ? { title: group.title } : {}) });
    this.migrated.set(group.id, supergroup.id);
    return supergroup;
  }

  /** A chat by id or @username; unknown numeric ids exist when `acceptUnknownChats` is on. */
  findChat(chatId: string | undefined): FakeChat | undefined {
    if (chatId === undefined) return undefined;
    if (chatId.startsWith('@')) {
      const username = chatId.slice(1).toLowerCase();
      return [...this.chats.values()].find((c) => c.username?.toLowerCase() === username);
    }
    if (!/^-?\d+$/.test(chatId)) return undefined;
    const id = Number(chatId);
    const known = this.chats.get(id);
    if (known || !this.acceptUnknownChats) return known;
    const chat: FakeChat = id > 0 ? { id, type: 'private', first_name: `Resident ${id}` } : { id, type: 'supergroup', title: `Group ${id}` };
    this.chats.set(id, chat);
    return chat;
  }

  nextMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  nextTopicId(): number {
    return this.nextTopic++;
  }

  /** A forum topic of a chat, if it exists. */
  topic(chatId: number, threadId: number): FakeTopic | undefined {
    return this.topics.get(`${chatId}:${threadId}`);
  }

  storeMessage(message: FakeMessage): void {
    this.messages.set(`${message.chat.id}:${message.message_id}`, message);
  }

  message(chatId: number, messageId: number): FakeMessage | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  storeFile(bytes: Buffer, folder: string, extension: string): StoredFile {
    const n = this.nextFile++;
    const file: StoredFile = {
      file_id: `AgAD${randomBytes(12).toString('base64url')}`,
      file_unique_id: `AQAD${n}`,
      file_size: bytes.length,
      file_path: `${folder}/file_${n}.${extension}`,
      bytes,
    };
    this.files.set(file.file_id, file);
    return file;
  }

  fileById(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  fileByPath(path: string): StoredFile | undefined {
    return [...this.files.values()].find((f) => f.file_path === path);
  }
}
