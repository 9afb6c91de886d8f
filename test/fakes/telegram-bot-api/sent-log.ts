/**
 * Every message the bot sent or edited, per chat, with the time the fake accepted it — for
 * assertions ("the reply had two buttons") and for measuring send rates in benchmarks.
 */
import { EventEmitter } from 'node:events';

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export interface SentMessage {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument' | 'editMessageText';
  chatId: number;
  messageId: number;
  text?: string;
  caption?: string;
  /** For sendPhoto: the uploaded (or reused) file. */
  photo?: { fileId: string; bytes: number };
  /** For sendDocument: the file as uploaded — its name (multipart filename) and bytes. */
  document?: { fileId: string; bytes: number; name: string; content: Buffer };
  /** Inline keyboard rows, when the message had one. */
  keyboard?: InlineButton[][];
  /** The forum topic it went to (message_thread_id). */
  threadId?: number;
  /** The message it replies to (reply_parameters). */
  replyTo?: number;
  /** Sent with force_reply: the reader's app opens a reply to it. */
  forceReply?: boolean;
  /** Milliseconds since the epoch when the fake accepted the call. */
  at: number;
}

export class SentLog {
  readonly all: SentMessage[] = [];
  private readonly byChat = new Map<number, SentMessage[]>();
  /** Per chat: how many messages `next` has handed out already. */
  private readonly cursors = new Map<number, number>();
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  record(message: SentMessage): void {
    this.all.push(message);
    const list = this.byChat.get(message.chatId) ?? [];
    list.push(message);
    this.byChat.set(message.chatId, list);
    this.events.emit('sent', message);
  }

  to(chatId: number): SentMessage[] {
    return [...(this.byChat.get(chatId) ?? [])];
  }

  /**
   * The next `count` messages to a chat that no earlier call returned; waits for them up to
   * `timeoutMs` and fails with what did arrive.
   */
  async next(chatId: number, count: number, timeoutMs: number): Promise<SentMessage[]> {
    const start = this.cursors.get(chatId) ?? 0;
    const available = () => (this.byChat.get(chatId) ?? []).slice(start, start + count);
    if (available().length < count) {
      await new Promise<void>((resolve, reject) => {
        const onSent = () => {
          if (available().length < count) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`chat ${chatId}: expected ${count} new bot message(s) within ${timeoutMs} ms, got ${available().length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          this.events.off('sent', onSent);
        };
        this.events.on('sent', onSent);
      });
    }
    const messages = available();
    this.cursors.set(chatId, start + messages.length);
    return messages;
  }

  /** Resolves once `predicate` holds for the log (checked after every message). */
  async until(predicate: (all: readonly SentMessage[]) => boolean, timeoutMs: number): Promise<void> {
    if (predicate(this.all)) return;
    await new Promise<void>((resolve, reject) => {
      const onSent = () => {
        if (!predicate(this.all)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`condition on sent messages not met within ${timeoutMs} ms (${this.all.length} sent)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('sent', onSent);
      };
      this.events.on('sent', onSent);
    });
  }
}
