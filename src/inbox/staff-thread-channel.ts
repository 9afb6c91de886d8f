/**
 * The Telegram channel as the delivery worker sees it, with one step added at send time for
 * messages to a staff chat: a ticket's messages find their place there. What a message is comes
 * from its ref (src/outbox/message-refs.ts, read by the outbox row id delivery passes along) and
 * where it goes from the ticket's thread (`StaffThread`); the message itself is neutral.
 *
 * - Forum: a ticket lives in its own topic. The first message of the ticket to be sent (its card)
 *   opens the topic (createForumTopic) and records `StaffThread.topicId` before posting into it;
 *   every later message of the ticket looks the topic up at send time. Closing and reopening are
 *   outbox rows of their own (role `topic`), so they keep their place in the chat's order.
 * - Plain group: the card is posted and its message id recorded (`StaffThread.cardMessageId`);
 *   the ticket's later messages are posted as replies to it.
 *
 * Why at send time: the topic id exists only once Telegram made the topic, after the transaction
 * that filed the ticket. Delivery keeps a chat's messages in order (a row waits while an earlier
 * one to the same chat is unfinished), so the card — and the topic — come first.
 *
 * Crash safety: the topic id is recorded right after Telegram answers. A crash between the two
 * leaves the card row `sending`; it is taken over later and opens a second topic (the first stays
 * empty) — the same "only a message in flight can go twice" as every send. A crash after the
 * record finds the topic on the retry. Two processes racing on one ticket keep the first recorded
 * topic. A topic already in the asked state (closed twice) counts as done.
 */
import {
  ChannelSendError,
  type Channel,
  type ChannelCapabilities,
  type ChannelName,
  type ChannelPacing,
  type ForumTopics,
  type InboundHandler,
  type OutboundMessage,
  type SendContext,
  type SendResult,
} from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';
import { refOfOutboxRow } from '../outbox/message-refs.js';

/** The roles of a ticket's own thread; its other messages (an alert about it) are posted plainly. */
const THREAD_ROLES: ReadonlySet<string> = new Set(['card', 'line', 'prompt', 'topic']);

/** What the sender needs of the channel beyond sending: forum topics (declared with the channel contract). */
export type { ForumTopics } from '../channels/types.js';

/** Longest topic name Telegram takes. */
const TOPIC_NAME_MAX = 128;

export class StaffThreadChannel implements Channel {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  readonly pacing: ChannelPacing | undefined;

  constructor(
    private readonly inner: Channel & ForumTopics,
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {
    this.name = inner.name;
    this.capabilities = inner.capabilities;
    this.pacing = inner.pacing;
  }

  start(onMessage: InboundHandler): Promise<void> {
    return this.inner.start(onMessage);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  async send(chatId: string, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    // Most sends are replies about nothing recorded: delivery's claim already said so, no look needed.
    const ref = context && context.hasRefs !== false ? await refOfOutboxRow(this.prisma, context.outboxId, 'ticket') : undefined;
    if (!ref || !THREAD_ROLES.has(ref.role)) return this.inner.send(chatId, message, context);
    const thread = await this.prisma.staffThread.findUnique({
      where: { ticketId_channel: { ticketId: ref.subjectId, channel: this.name } },
      select: { id: true, chatId: true, topicId: true, cardMessageId: true, forum: true, topicName: true },
    });
    // A thread in another chat (the staff chat moved) or none at all: post the message plainly.
    const own = thread && thread.chatId === chatId ? thread : null;

    if (own && (own.forum || own.topicId)) {
      const topicId = own.topicId ?? (await this.openTopic(chatId, own.id, own.topicName.trim() || ref.subjectId));
      if (ref.role === 'topic') {
        if (topicId) await this.inner.setForumTopicOpen(chatId, topicId, ref.action === 'open');
        return { externalMessageId: '' };
      }
      const sent = await this.inner.send(chatId, { ...message, ...(topicId ? { threadId: topicId } : {}) }, context);
      if (ref.role === 'card') await this.recordCard(own.id, sent.externalMessageId);
      return sent;
    }

    if (ref.role === 'topic') return { externalMessageId: '' };
    if (ref.role === 'card') {
      const sent = await this.inner.send(chatId, message, context);
      if (own) await this.recordCard(own.id, sent.externalMessageId);
      return sent;
    }
    const replyTo = own?.cardMessageId;
    return this.inner.send(chatId, { ...message, ...(replyTo ? { replyToMessageId: replyTo } : {}) }, context);
  }

  /**
   * Opens the ticket's topic and records it; a topic recorded meanwhile by another process wins.
   * undefined when Telegram refuses topics in this chat (it is no forum after all): the ticket's
   * messages then go to the chat itself rather than nowhere.
   */
  private async openTopic(chatId: string, threadId: string, topicName: string): Promise<string | undefined> {
    const name = Array.from(topicName).slice(0, TOPIC_NAME_MAX).join('');
    let created: string;
    try {
      created = await this.inner.createForumTopic(chatId, name);
    } catch (error) {
      if (!(error instanceof ChannelSendError) || error.kind !== 'rejected') throw error;
      this.logger.warn({ staffThreadId: threadId }, 'staff topic refused by the platform: posting in the chat itself');
      return undefined;
    }
    const claimed = await this.prisma.staffThread.updateMany({ where: { id: threadId, topicId: null }, data: { topicId: created } });
    if (claimed.count === 1) return created;
    const recorded = await this.prisma.staffThread.findUnique({ where: { id: threadId }, select: { topicId: true } });
    this.logger.warn({ staffThreadId: threadId }, 'staff topic opened twice: the first recorded one is kept');
    return recorded?.topicId ?? created;
  }

  private async recordCard(threadId: string, messageId: string): Promise<void> {
    if (messageId === '') return;
    await this.prisma.staffThread.updateMany({ where: { id: threadId, cardMessageId: null }, data: { cardMessageId: messageId } });
  }
}
