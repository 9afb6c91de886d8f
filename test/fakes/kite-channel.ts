/**
 * A fourth channel, made up for the tests: "Kite" has buttons (256 bytes of data), replies to a message but no forum
 * topics, no photos, and a 500-character limit. Nothing in the app knows its name; the tests use
 * it to show that the staff inbox and the bound chats work from a channel's capabilities alone.
 * People speak into it with `say` and `press`; what the app sent is in `sent`.
 */
import { randomUUID } from 'node:crypto';
import type { Channel, ChannelCapabilities, InboundHandler, InboundMessage, OutboundMessage, SendResult } from '../../src/channels/types.js';

export interface KiteMessage extends OutboundMessage {
  chatId: string;
  id: string;
}

export class KiteChannel implements Channel {
  readonly name = 'kite';
  readonly capabilities: ChannelCapabilities = {
    buttons: true,
    maxButtonDataBytes: 256,
    photos: false,
    locations: false,
    maxTextLength: 500,
    threads: 'replies',
    forceReply: false,
    chatOrder: 5,
  };
  readonly sent: KiteMessage[] = [];
  private handler: InboundHandler | undefined;
  private nextId = 1;

  async start(onMessage: InboundHandler): Promise<void> {
    this.handler = onMessage;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    const id = `kite-${this.nextId++}`;
    this.sent.push({ ...message, chatId, id });
    return { externalMessageId: id };
  }

  sentTo(chatId: string): KiteMessage[] {
    return this.sent.filter((message) => message.chatId === chatId);
  }

  /** `senderId` writes `text` in `chatId` (a group unless it is their own chat), perhaps in reply to a message. */
  say(chatId: string, senderId: string, text: string, options: { replyTo?: string } = {}): Promise<void> {
    return this.receive({ ...this.base(chatId, senderId), kind: 'text', text, ...(options.replyTo ? { replyToMessageId: options.replyTo } : {}) });
  }

  /** `senderId` presses a button of a message in `chatId`. */
  press(chatId: string, senderId: string, data: string): Promise<void> {
    return this.receive({ ...this.base(chatId, senderId), kind: 'choice', choiceData: data });
  }

  private base(chatId: string, senderId: string): Omit<InboundMessage, 'kind'> {
    return {
      channel: this.name,
      externalId: randomUUID(),
      senderId,
      chatId,
      ...(chatId === senderId ? {} : { chatType: 'group' as const }),
      receivedAt: new Date(),
    };
  }

  private async receive(message: InboundMessage): Promise<void> {
    if (!this.handler) throw new Error('kite: not started');
    await this.handler(message);
  }
}
