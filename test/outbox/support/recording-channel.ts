/**
 * A channel that records what it is asked to send, standing in for a chat platform (a platform
 * adapter, not a database: recording it is fine). Latency is uneven on purpose; failures and a
 * crash are switched on by the test.
 */
import type { Channel, ChannelName, ChannelPacing, OutboundMessage, SendContext, SendResult } from '../../../src/channels/types.js';

export interface RecordedSend {
  chatId: string;
  text: string;
  /** When the send began (epoch ms): what pacing governs. */
  startedAt: number;
  /** When the platform received it (epoch ms), after the latency. */
  at: number;
  /** What delivery said about the message beside its content. */
  context: SendContext | undefined;
  /** The message as the channel was given it. */
  message: OutboundMessage;
}

export interface RecordingChannelOptions {
  pacing?: ChannelPacing;
  /** Each send takes minMs + random × (maxMs − minMs). */
  latency?: { minMs: number; maxMs: number };
}

export class RecordingChannel implements Channel {
  readonly capabilities = { buttons: true, photos: true, locations: false, maxTextLength: 2000 };
  readonly pacing: ChannelPacing | undefined;
  readonly sent: RecordedSend[] = [];
  /** Return an error to fail that send (after the latency), or undefined to deliver it. */
  failWith: ((chatId: string, text: string) => Error | undefined) | undefined;
  /** A crash: from now on a send reaches the platform and then never returns to the sender. */
  crashed = false;
  /** Sends in progress now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  private readonly latency: { minMs: number; maxMs: number };

  constructor(
    readonly name: ChannelName,
    options: RecordingChannelOptions = {},
  ) {
    this.pacing = options.pacing;
    this.latency = options.latency ?? { minMs: 0, maxMs: 25 };
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async send(chatId: string, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    const startedAt = Date.now();
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const { minMs, maxMs } = this.latency;
      await new Promise((resolve) => setTimeout(resolve, minMs + Math.random() * (maxMs - minMs)));
      const failure = this.failWith?.(chatId, message.text);
      if (failure) throw failure;
      this.sent.push({ chatId, text: message.text, startedAt, at: Date.now(), context, message });
      if (this.crashed) await new Promise<never>(() => undefined);
      return { externalMessageId: String(this.sent.length) };
    } finally {
      this.inFlight -= 1;
    }
  }

  /** What one chat received, in order. */
  textsTo(chatId: string): string[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.text);
  }

  /** When the sends to one chat began. */
  timesTo(chatId: string): number[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.startedAt);
  }
}
