/**
 * Neutral messages and the channel contract. A channel adapter translates a platform's
 * payloads to and from these types and declares what the platform can show; it holds no
 * business logic and imports no feature.
 */
import type { DocumentRefusal } from './media/document-intake.js';
import type { PhotoRefusal } from './media/photo-intake.js';

/** The channels this code base has adapters for. */
export type KnownChannelName = 'web' | 'telegram' | 'wechat';

/**
 * A channel's name: the known ones, or any other an adapter registers (the app's `channels` map
 * is the registry). Open, so a channel can be added without touching the code that routes,
 * stores or answers by name; what differs between channels is read from their capabilities,
 * never from their names.
 */
export type ChannelName = KnownChannelName | (string & {});

/** What arrived from a person. `kind` tells which of the optional fields is set. */
export interface InboundMessage {
  channel: ChannelName;
  /** The platform's id for this message or update: the dedupe key with `channel`. */
  externalId: string;
  /** The platform's id for the person (a web chat session, a Telegram user id…). */
  senderId: string;
  /** Where replies go (for private chats the same as senderId on most platforms). */
  chatId: string;
  kind: 'text' | 'choice' | 'photo' | 'photo_refused' | 'document' | 'document_refused' | 'location' | 'unsupported';
  /** Typed text (kind text), or a caption. */
  text?: string;
  /** Signed button data that came back from a choice (kind choice). */
  choiceData?: string;
  /** Stored photo reference (kind photo). */
  photo?: { ref: string; mime?: string; bytes?: number };
  /**
   * A photo the channel's intake did not take (kind photo_refused): why, and the size limit it
   * was held to. The router answers it the same way on every channel.
   */
  photoRefused?: { reason: PhotoRefusal; maxBytes: number };
  /**
   * A file sent as a document (kind document), taken in by the document intake: stored like a
   * photo (`files/<file>`), its type read from its bytes, and the name the sender gave it.
   * Only a handler that asked for one takes it (a notice's attachment); to a conversation it
   * is a file it cannot take.
   */
  document?: { ref: string; mime: string; bytes: number; name: string };
  /** A file the document intake did not take (kind document_refused): why, and the size limit. */
  documentRefused?: { reason: DocumentRefusal; maxBytes: number };
  location?: { latitude: number; longitude: number; label?: string };
  /** For kind unsupported: what the platform sent (sticker, voice, video, file…). */
  unsupportedType?: string;
  /** The platform's language hint for a first-time person (e.g. Telegram language_code). */
  languageHint?: string;
  /**
   * 'group': said in a group chat (chatId is the group, senderId the person) and addressed to
   * the bot (a command, a mention or a reply to it). Absent: a one-to-one chat.
   */
  chatType?: 'private' | 'group';
  /** A Telegram forum topic the message was written in (message_thread_id). */
  threadId?: string;
  /** The platform's id of the message (in the same chat) this one replies to. */
  replyToMessageId?: string;
  /** The group is a Telegram forum: each topic is a thread of its own. */
  forum?: boolean;
  /**
   * Where the message came from when the sender id alone does not say (web chat sessions cost
   * nothing): an opaque token — for the web chat a keyed hash of the browser's network address,
   * never the address. Limits that must hold per client count by it. Absent: the account is the
   * origin (Telegram, WeChat).
   */
  origin?: string;
  receivedAt: Date;
}

/** One choice offered to the person: shown as a button, or as a numbered line. */
export interface OutboundChoice {
  label: string;
  /** Signed payload that comes back as InboundMessage.choiceData when pressed. */
  data: string;
}

/** A message Linli sends. Texts are already in the person's language. */
export interface OutboundMessage {
  text: string;
  choices?: OutboundChoice[];
  /** A photo to send with the text as its caption. */
  photo?: { ref: string };
  /**
   * A stored file (`src/channels/media/document-files.ts`) to send as a document, with the text
   * as its caption where it fits; `name` is what the reader sees it called. Written only for a
   * channel whose capabilities say `documents` (elsewhere the text says where to get it); the
   * channel reads the file when it sends, so the row holds the reference, never the bytes.
   */
  document?: { ref: string; name: string };
  /** A forum topic of the group to post in (Telegram message_thread_id). */
  threadId?: string;
  /** Post as a reply to this message of the same chat (sent anyway if it is gone). */
  replyToMessageId?: string;
  /** Ask the reader's app to open a reply to this message (Telegram force_reply; not with choices). */
  forceReply?: boolean;
  /**
   * Replace the text (and buttons) of this earlier message of ours in the same chat instead of
   * sending a new one — only to a channel whose capabilities say `edits`. The send's result is
   * the edited message's id (the same, or the id of what took its place).
   */
  editOf?: string;
}

/**
 * How a group chat of the channel keeps a conversation apart from the rest: `topics` — a chat
 * *may* be a forum whose topics are threads (decided per chat: `InboundMessage.forum`), and
 * messages can answer earlier ones; `replies` — a message can answer an earlier one; `none` —
 * neither, so people name what they mean (`#123 …`).
 */
export type ChannelThreads = 'topics' | 'replies' | 'none';

/**
 * What a platform can show and do; the outbox renders choices and splits text by these, and the
 * staff inbox chooses how to post and what to tell staff from them (never from the name).
 */
export interface ChannelCapabilities {
  /** true: choices as buttons; false: numbered lines the person answers with a number. */
  buttons: boolean;
  /**
   * The most bytes a button's data may hold (what comes back as `InboundMessage.choiceData`); a
   * channel with buttons declares it, one without has none. Button data is made and held to it
   * in one place, `src/buttons/button-registry.ts`.
   */
  maxButtonDataBytes?: number;
  photos: boolean;
  /**
   * Sends files as documents (`OutboundMessage.document`). Absent: no — a writer puts a download
   * link in the text instead.
   */
  documents?: boolean;
  /** The largest document the platform takes, in bytes; a larger one goes as a link. Absent: no limit known. */
  maxDocumentBytes?: number;
  locations: boolean;
  maxTextLength: number;
  /** Absent: `none`. */
  threads?: ChannelThreads;
  /**
   * What the bot reads in a group chat: `addressed` — only what is addressed to it (commands,
   * mentions, replies to its messages; Telegram's privacy mode), so people there must address it;
   * `everything`. Absent: `everything`.
   */
  groupHearing?: 'addressed' | 'everything';
  /**
   * Edits a message it sent (`OutboundMessage.editOf`): the channel replaces its text in place.
   * Absent: no — a writer sends a new message instead (and fewer of them).
   */
  edits?: boolean;
  /** The reader's app can be asked to open a reply to a message (`OutboundMessage.forceReply`). Absent: no. */
  forceReply?: boolean;
  /**
   * Where the channel comes when one of a person's accounts is listed or picked: lower first
   * (the channel people in the community use most comes first). Absent: after every channel
   * that declares one.
   */
  chatOrder?: number;
}

/** Result of a successful send. */
export interface SendResult {
  externalMessageId: string;
}

/**
 * What a failed send means for delivery: try again later; the recipient cannot be reached (bot
 * blocked, chat gone: the account is marked unreachable); or the platform refused this message
 * itself (too long, malformed): it is given up, and the recipient stays reachable.
 */
export type SendFailureKind = 'retryable' | 'unreachable' | 'rejected';

/**
 * A send failure the delivery worker can act on: `retryable` false gives the message up, and
 * marks the recipient unreachable unless `kind` is `rejected`; `retryAfterMs` pauses the whole
 * account.
 */
export class ChannelSendError extends Error {
  readonly kind: SendFailureKind;

  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    kind?: Exclude<SendFailureKind, 'retryable'>,
  ) {
    super(message);
    this.name = 'ChannelSendError';
    this.kind = retryable ? 'retryable' : (kind ?? 'unreachable');
  }

  /** The platform refused this message (not the recipient): give it up, keep the recipient reachable. */
  static rejected(message: string): ChannelSendError {
    return new ChannelSendError(message, false, undefined, 'rejected');
  }
}

export type InboundHandler = (message: InboundMessage) => Promise<void>;

/**
 * A sending rate: at most `max` messages per `perMs` milliseconds. Messages are spaced evenly
 * (`perMs / max` apart) unless `burst` lets that many go back to back; `jitterMs` stretches
 * every gap by a random 0–jitterMs, so sends do not look machine-made.
 *
 * @example { max: 20, perMs: 60_000 } // a Telegram group: 20 a minute, one every 3 s
 */
export interface SendRate {
  max: number;
  perMs: number;
  burst?: number;
  jitterMs?: number;
}

/**
 * How fast a channel may send, per platform account (one bot, one WeChat login). The delivery
 * worker enforces it for every process together; a channel without pacing is sent unpaced.
 */
export interface ChannelPacing {
  /** The sending account (a bot id, a WeChat login): pacing and 429 pauses are per account. Default: the channel name. */
  account?: string;
  /** The account's overall budget. With `jitterMs` the account sends one message at a time. */
  perAccount?: SendRate;
  /** A chat's own budget on top of the account's (private chats and groups differ); undefined: none. */
  perChat?(chatId: string): SendRate | undefined;
}

export interface Channel {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /** Sending limits of the platform; absent: unpaced (the web chat). */
  readonly pacing?: ChannelPacing;
  /** Begin receiving; every inbound message is passed to `onMessage`. */
  start(onMessage: InboundHandler): Promise<void>;
  /** Stop receiving (in-flight handlers finish). */
  stop(): Promise<void>;
  /** `context`: given by delivery; a plain adapter ignores it. */
  send(chatId: string, message: OutboundMessage, context?: SendContext): Promise<SendResult>;
}

/**
 * What delivery says about a message beyond its content: the outbox row it is, so a step that
 * places messages (a ticket's forum topic) can read what the row is about (its refs,
 * src/outbox/message-refs.ts) — the message itself stays neutral.
 */
export interface SendContext {
  outboxId: string;
  /**
   * false: nothing is recorded about this message (no MessageRef), so a step that places messages
   * by what they are about has nothing to look up. Absent: unknown, look.
   */
  hasRefs?: boolean;
  /**
   * The language the person had chosen when the message was written in it (null: none, it is in
   * the community's): a channel whose page shows its own words follows it (the web chat).
   * Absent: the writer did not say; such a channel looks the person's choice up.
   */
  chosenLocale?: string | null;
}

/**
 * Where group chats that changed their id live now (a platform may give a group a new id when it
 * grows), consulted before every send. A channel with such moves takes one; the staff inbox wraps
 * it to move its bindings along.
 */
export interface ChatMigrations {
  /** The chat to send to for `chatId`: itself unless it moved. */
  resolve(chatId: string): Promise<string>;
  /** `fromChatId` now lives at `toChatId`. */
  record(fromChatId: string, toChatId: string): Promise<void>;
}

/**
 * What a channel whose chats may be forums (`threads: 'topics'`) offers for sending into them: a
 * topic opened for a conversation, closed and reopened with it.
 */
export interface ForumTopics {
  createForumTopic(chatId: string, name: string): Promise<string>;
  setForumTopicOpen(chatId: string, topicId: string, open: boolean): Promise<void>;
}

/** A channel that can say whether one of its group chats is a forum. */
export interface ForumCheck {
  readonly name: ChannelName;
  isForum(chatId: string): Promise<boolean>;
}

/**
 * A channel whose group chats can be found by their name (a room's topic), once its account is
 * ready: what a staff chat configured by name is looked for through.
 */
export interface NamedRooms {
  readonly name: ChannelName;
  /** Whether rooms can be looked at now (the account is logged in). */
  roomsReady(): boolean;
  /** Calls `listener` whenever the rooms may have changed (a login, a room renamed or joined); returns the unsubscribe. */
  onRoomsChange(listener: () => void): () => void;
  /** The ids of every room with this name; a name says nothing about who is in the room. */
  findRoomsByTopic(topic: string): Promise<string[]>;
  /** A room's name now, or undefined when the account is not in it. */
  roomTopic(roomId: string): Promise<string | undefined>;
}

/** Whether a channel sends into forum topics: it says `threads: 'topics'` and has the calls. */
export function offersForumTopics(channel: Channel): channel is Channel & ForumTopics {
  const candidate = channel as Partial<ForumTopics> & Channel;
  return channel.capabilities.threads === 'topics' && typeof candidate.createForumTopic === 'function' && typeof candidate.setForumTopicOpen === 'function';
}

/**
 * What a channel whose bot can be a member of a group without the right to post (Telegram's
 * restricted members) offers: whether it may post in a chat now. undefined: it could not tell.
 */
export interface PostingRights {
  readonly name: ChannelName;
  canPostIn(chatId: string): Promise<boolean | undefined>;
}

/** Whether a channel can say if it may post in a group. */
export function offersPostingRights(channel: Channel): channel is Channel & PostingRights {
  return typeof (channel as Partial<PostingRights>).canPostIn === 'function';
}

/** Whether a channel can say which of its chats are forums. */
export function offersForumCheck(channel: Channel): channel is Channel & ForumCheck {
  return typeof (channel as Partial<ForumCheck>).isForum === 'function';
}

/** Whether a channel finds its rooms by name. */
export function offersNamedRooms(channel: Channel): channel is Channel & NamedRooms {
  const candidate = channel as Partial<NamedRooms>;
  return (
    typeof candidate.roomsReady === 'function' &&
    typeof candidate.onRoomsChange === 'function' &&
    typeof candidate.findRoomsByTopic === 'function' &&
    typeof candidate.roomTopic === 'function'
  );
}

/**
 * How the app's keeper of group chats (the staff inbox) joins the channels, given to their
 * assembly before any is built: which chats are heard whole, the placement wrapped around a
 * channel with forum topics, and the moves of a chat that changed its id.
 */
export interface ChatHooks {
  /** Every message of such a chat is handed on, addressed to the bot or not. */
  hearsAllIn(channel: ChannelName): (chatId: string) => boolean;
  /** A channel with forum topics as delivery should use it (a ticket's messages find their topic or card). */
  wrapThreads(channel: Channel & ForumTopics): Channel;
  /** A channel's record of group chats that changed their id, moving what the keeper stores along. */
  followChatMoves(channel: ChannelName, inner: ChatMigrations): ChatMigrations;
}
