/**
 * The front door for every inbound message, whatever the channel: record it under its
 * (channel, external id) so a re-delivery is handled once, find who wrote, keep one
 * conversation's messages in order, slow down a person who floods (their messages wait their turn,
 * nothing is dropped unless the backlog grows absurd), then hand the message on.
 */
import type { ChannelName, InboundMessage } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import { isRetryableTransactionError, isUniqueViolation } from '../db/prisma-types.js';
import type { Translator } from '../i18n/translator.js';
import type { Logger } from '../log/logger.js';
import type { FloodLimiter } from '../util/flood-limiter.js';
import { KeyedSerial } from '../util/keyed-serial.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxDispatcher } from '../outbox/outbox.js';
import type { Speaker } from './conversation-service.js';
import { findAccount, finishInbound, recordInbound } from './inbound-records.js';
import { sqlRunnerFor } from '../db/sql.js';

/** handled (perhaps after being slowed down) · duplicate · dropped: a flood beyond the backlog cap. */
export type RouteOutcome = 'handled' | 'duplicate' | 'dropped' | 'failed';

const LAST_SEEN_RESOLUTION_MS = 60 * 60_000;
/** Pauses before running a turn again that rolled back under load (each ±50 %). */
const TURN_RETRY_DELAYS_MS = [250, 1_000, 3_000];
/** A person told to slow down is not told again within this time. */
const WARN_QUIET_MS = 60_000;

/** Messages one person may have waiting behind the flood limit; beyond that they are refused. */
export const MAX_FLOOD_BACKLOG = 200;

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
  /**
   * Records a photo against its sender, or refuses it (false: over their quota; the file is
   * already deleted). Without it every photo is taken.
   */
  acceptPhoto?: (sender: { chatAccountId: string; residentId: string | null }, photo: { ref: string; bytes?: number | undefined }) => Promise<boolean>;
}

export class Router {
  private readonly serial = new KeyedSerial();
  /** Per chat: messages accepted but not yet through the flood gate. */
  private readonly backlog = new Map<string, number>();
  /**
   * When each chat was last told to slow down. Channels hand messages over one at a time, so a
   * flood is known by time, not by a backlog: one notice per chat per `WARN_QUIET_MS`.
   */
  private readonly warnedAt = new Map<string, number>();
  private accepting = true;

  constructor(private readonly deps: RouterDeps) {}

  /** Entry point given to every channel's `start()`. */
  readonly receive = async (inbound: InboundMessage): Promise<void> => {
    await this.route(inbound);
  };

  async route(inbound: InboundMessage): Promise<RouteOutcome> {
    if (!this.accepting) throw new Error('router is shutting down');
    const key = `${inbound.channel}:${inbound.chatId}`;
    const waiting = this.backlog.get(key) ?? 0;
    if (waiting >= MAX_FLOOD_BACKLOG) {
      this.deps.logger.warn({ channel: inbound.channel, externalId: inbound.externalId }, 'flood backlog full: message refused');
      return 'dropped';
    }
    this.backlog.set(key, waiting + 1);
    let left = false;
    const leave = () => {
      if (!left) this.leaveBacklog(key);
      left = true;
    };
    try {
      return await this.serial.run(key, () => this.routeInOrder(inbound, leave));
    } finally {
      leave();
    }
  }

  private leaveBacklog(key: string): void {
    const waiting = this.backlog.get(key);
    if (waiting === undefined) return;
    if (waiting <= 1) this.backlog.delete(key);
    else this.backlog.set(key, waiting - 1);
  }

  /** Stop taking new messages and wait for those in progress. */
  async drain(): Promise<void> {
    this.accepting = false;
    await this.serial.drain();
  }

  private async routeInOrder(inbound: InboundMessage, passedFloodGate: () => void): Promise<RouteOutcome> {
    const { prisma, logger } = this.deps;
    const log = { channel: inbound.channel, externalId: inbound.externalId, kind: inbound.kind };

    const sql = sqlRunnerFor(prisma);
    const inboundId = await recordInbound(sql, {
      communityId: this.deps.communityId,
      channel: inbound.channel,
      externalId: inbound.externalId,
      kind: inbound.kind,
      receivedAt: inbound.receivedAt,
    });
    if (inboundId === undefined) {
      logger.debug(log, 'duplicate inbound message ignored');
      return 'duplicate';
    }

    const speaker = await this.identify(inbound.channel, inbound.senderId, inbound.languageHint);
    const finish = (status: 'handled' | 'failed') => finishInbound(sql, inboundId, status, speaker.chatAccountId);

    await this.floodGate(inbound, speaker);
    passedFloodGate();

    if (inbound.kind === 'photo' && inbound.photo && this.deps.acceptPhoto) {
      const accepted = await this.deps.acceptPhoto({ chatAccountId: speaker.chatAccountId, residentId: speaker.residentId ?? null }, inbound.photo);
      if (!accepted) {
        // Not handed on: a flow waiting for a photo keeps waiting, and nothing earlier is lost.
        await this.reply(inbound, speaker, 'router.photo_quota');
        await finish('handled');
        return 'handled';
      }
    }

    try {
      await this.handleWithRetries(speaker, inbound);
      await finish('handled');
      return 'handled';
    } catch (error) {
      logger.error({ ...log, err: errorSummary(error) }, 'inbound message failed');
      await finish('failed');
      await this.apologise(inbound, speaker).catch(() => undefined);
      return 'failed';
    }
  }

  /**
   * Runs the handler; a turn whose transaction rolled back for load or contention (no connection
   * in time, a deadlock) changed nothing and is run again, a little later, before the person is
   * told something went wrong.
   */
  private async handleWithRetries(speaker: Speaker, inbound: InboundMessage): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.deps.handler.handleMessage(speaker, inbound);
        return;
      } catch (error) {
        if (attempt >= TURN_RETRY_DELAYS_MS.length || !isRetryableTransactionError(error)) throw error;
        this.deps.logger.info({ channel: inbound.channel, attempt: attempt + 1 }, 'turn rolled back under load: running it again');
        await new Promise((resolve) => setTimeout(resolve, TURN_RETRY_DELAYS_MS[attempt]! * (0.5 + Math.random())));
      }
    }
  }

  /**
   * Finds or creates the chat account (and whom it is bound to, if anyone); a first-time person
   * gets the language their platform hints. `lastSeenAt` is refreshed at most hourly: it is for
   * housekeeping, not worth a write on every message.
   */
  private async identify(channel: ChannelName, externalId: string, languageHint?: string): Promise<Speaker> {
    const { prisma, communityId, translator } = this.deps;
    const key = { communityId, channel, externalId };
    const select = { id: true, locale: true, lastSeenAt: true, residentId: true } as const;
    let account = await findAccount(sqlRunnerFor(prisma), key);
    if (!account) {
      try {
        account = await prisma.chatAccount.create({ data: { ...key, locale: translator.match(languageHint) ?? null }, select });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        account = await prisma.chatAccount.findUniqueOrThrow({ where: { communityId_channel_externalId: key }, select });
      }
    } else if (Date.now() - account.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
      await prisma.chatAccount.update({ where: { id: account.id }, data: { lastSeenAt: new Date() }, select: { id: true } });
    }
    return { chatAccountId: account.id, locale: account.locale, residentId: account.residentId };
  }

  private rememberWarning(key: string, at: number): void {
    this.warnedAt.set(key, at);
    if (this.warnedAt.size > 10_000) {
      for (const [other, when] of this.warnedAt) if (at - when >= WARN_QUIET_MS) this.warnedAt.delete(other);
    }
  }

  /** Waits while the person is over the flood limit; tells them once per flood. */
  private async floodGate(inbound: InboundMessage, speaker: Speaker): Promise<void> {
    const now = this.deps.now ?? Date.now;
    const key = `${inbound.channel}:${inbound.chatId}`;
    for (;;) {
      const waitMs = this.deps.flood.admit(speaker.chatAccountId, now());
      if (waitMs === 0) return;
      const at = now();
      if (at - (this.warnedAt.get(key) ?? -Infinity) >= WARN_QUIET_MS) {
        this.rememberWarning(key, at);
        this.deps.logger.info({ channel: inbound.channel, chatAccountId: speaker.chatAccountId }, 'flood: slowing a person down');
        await this.reply(inbound, speaker, 'router.slow_down');
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
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
