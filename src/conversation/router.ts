/**
 * The front door for every inbound message, whatever the channel: record it under its
 * (channel, external id) so a re-delivery is handled once, find who wrote, keep one
 * conversation's messages in order, slow down a person who floods, then hand the message on.
 */
import type { ChannelName, InboundMessage } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import { isUniqueViolation } from '../db/prisma-types.js';
import type { Translator } from '../i18n/translator.js';
import type { Logger } from '../log/logger.js';
import type { FloodLimiter } from '../util/flood-limiter.js';
import { KeyedSerial } from '../util/keyed-serial.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxDispatcher } from '../outbox/outbox.js';
import type { Speaker } from './conversation-service.js';

export type RouteOutcome = 'handled' | 'duplicate' | 'throttled' | 'failed';

export interface MessageHandler {
  handleMessage(speaker: Speaker, inbound: InboundMessage): Promise<void>;
}

export interface RouterDeps {
  prisma: PrismaClient;
  communityId: string;
  defaultLocale: string;
  translator: Translator;
  flood: FloodLimiter;
  handler: MessageHandler;
  outbox: OutboxDispatcher;
  logger: Logger;
  now?: () => number;
}

export class Router {
  private readonly serial = new KeyedSerial();
  private accepting = true;

  constructor(private readonly deps: RouterDeps) {}

  /** Entry point given to every channel's `start()`. */
  readonly receive = async (inbound: InboundMessage): Promise<void> => {
    await this.route(inbound);
  };

  async route(inbound: InboundMessage): Promise<RouteOutcome> {
    if (!this.accepting) throw new Error('router is shutting down');
    return this.serial.run(`${inbound.channel}:${inbound.chatId}`, () => this.routeInOrder(inbound));
  }

  /** Stop taking new messages and wait for those in progress. */
  async drain(): Promise<void> {
    this.accepting = false;
    await this.serial.drain();
  }

  private async routeInOrder(inbound: InboundMessage): Promise<RouteOutcome> {
    const { prisma, logger } = this.deps;
    const log = { channel: inbound.channel, externalId: inbound.externalId, kind: inbound.kind };

    let inboundId: string;
    try {
      const row = await prisma.inboundMessage.create({
        data: {
          communityId: this.deps.communityId,
          channel: inbound.channel,
          externalId: inbound.externalId,
          kind: inbound.kind,
          receivedAt: inbound.receivedAt,
        },
        select: { id: true },
      });
      inboundId = row.id;
    } catch (error) {
      if (isUniqueViolation(error)) {
        logger.debug(log, 'duplicate inbound message ignored');
        return 'duplicate';
      }
      throw error;
    }

    const speaker = await this.identify(inbound.channel, inbound.senderId, inbound.languageHint);
    const finish = (status: 'handled' | 'throttled' | 'failed') =>
      prisma.inboundMessage.update({
        where: { id: inboundId },
        data: { status, chatAccountId: speaker.chatAccountId, handledAt: new Date() },
      });

    const verdict = this.deps.flood.check(speaker.chatAccountId, this.deps.now?.() ?? Date.now());
    if (verdict !== 'ok') {
      await finish('throttled');
      if (verdict === 'first') await this.tellToSlowDown(inbound, speaker);
      logger.info({ ...log, chatAccountId: speaker.chatAccountId }, 'inbound message throttled');
      return 'throttled';
    }

    try {
      await this.deps.handler.handleMessage(speaker, inbound);
      await finish('handled');
      return 'handled';
    } catch (error) {
      logger.error({ ...log, err: errorSummary(error) }, 'inbound message failed');
      await finish('failed');
      await this.apologise(inbound, speaker).catch(() => undefined);
      return 'failed';
    }
  }

  /** Finds or creates the chat account; a first-time person gets the language their platform hints. */
  private async identify(channel: ChannelName, externalId: string, languageHint?: string): Promise<Speaker> {
    const { prisma, communityId, translator } = this.deps;
    const key = { communityId, channel, externalId };
    const account = await prisma.chatAccount.upsert({
      where: { communityId_channel_externalId: key },
      create: { ...key, locale: translator.match(languageHint) ?? null },
      update: { lastSeenAt: new Date() },
      select: { id: true, locale: true },
    });
    return { chatAccountId: account.id, locale: account.locale };
  }

  private async tellToSlowDown(inbound: InboundMessage, speaker: Speaker): Promise<void> {
    await this.reply(inbound, speaker, 'router.slow_down');
  }

  private async apologise(inbound: InboundMessage, speaker: Speaker): Promise<void> {
    await this.reply(inbound, speaker, 'router.internal_error');
  }

  private async reply(inbound: InboundMessage, speaker: Speaker, key: string): Promise<void> {
    const { prisma, translator, defaultLocale, communityId } = this.deps;
    const text = translator.t(speaker.locale ?? defaultLocale, key);
    const rows = await prisma.$transaction((tx) =>
      writeOutbox(tx, [
        {
          communityId,
          channel: inbound.channel,
          chatId: inbound.chatId,
          chatAccountId: speaker.chatAccountId,
          message: { text },
          priority: PRIORITY_REPLY,
        },
      ]),
    );
    await this.deps.outbox.dispatch(rows);
  }
}

/** Error name and message only: a stack or a payload could carry personal data. */
export function errorSummary(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message.slice(0, 300) };
  return { name: 'unknown', message: String(error).slice(0, 300) };
}
