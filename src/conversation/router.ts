/**
 * The front door for every inbound message, whatever the channel: record and claim it under its
 * (channel, external id) so a re-delivery is handled once, find who wrote, keep one
 * conversation's messages in order, slow down a person who floods (their messages wait their turn,
 * nothing is dropped unless the backlog grows absurd), then hand the message on with its receipt:
 * the turn marks it handled in its own writes, so it is handled once however often it arrives.
 *
 * Nothing accepted is lost: a message a crash left `received` is taken up again by its
 * re-delivery or by the sweep (at start and every half claim period) once its claim runs out.
 */
import { photoRefusalAnswer } from '../channels/media/photo-refusal-answer.js';
import type { InboundMessage } from '../channels/types.js';
import type { PrismaClient } from '../db/prisma-types.js';
import { isRetryableTransactionError, isUniqueViolation } from '../db/prisma-types.js';
import type { Translator } from '../i18n/translator.js';
import type { Logger } from '../log/logger.js';
import type { FloodLimiter } from '../util/flood-limiter.js';
import { KeyedSerial } from '../util/keyed-serial.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxDispatcher } from '../outbox/outbox.js';
import type { Speaker } from './conversation-service.js';
import { HeldClaims } from './held-claims.js';
import {
  claimStranded,
  findAccount,
  finishInbound,
  InboundAlreadySettled,
  recordInbound,
  settleInboundIn,
  type InboundReceipt,
} from './inbound-records.js';
import { sqlRunnerFor } from '../db/sql.js';
import { errorFields } from '../log/error-fields.js';

/**
 * handled (perhaps after being slowed down) · duplicate: handled already, or by a live process
 * now · dropped: a flood beyond the backlog cap · failed: the person got the apology.
 */
export type RouteOutcome = 'handled' | 'duplicate' | 'dropped' | 'failed';

const LAST_SEEN_RESOLUTION_MS = 60 * 60_000;
/** Pauses before running a turn again that rolled back under load (each ±50 %). */
const TURN_RETRY_DELAYS_MS = [250, 1_000, 3_000];
/** A person told to slow down is not told again within this time. */
const WARN_QUIET_MS = 60_000;

/** Messages one person may have waiting behind the flood limit; beyond that they are refused. */
export const MAX_FLOOD_BACKLOG = 200;

/** How long a process's claim on a message lasts unless renewed (a dead process's, at most). */
export const DEFAULT_INBOUND_CLAIM_MS = 20_000;

/** Stranded messages claimed per statement by the sweep. */
const SWEEP_BATCH = 500;

/**
 * Handles one message. With the receipt, the handler marks the message handled in its own
 * writes (`settleInboundIn`, or the turn's statement), says so with `markSettled` once that
 * committed, and throws `InboundAlreadySettled` when another turn did; a handler that writes
 * nothing (or does not say) leaves it to the router, which spends a statement on it.
 */
export interface MessageHandler {
  handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt): Promise<void>;
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
  /** How long a claim on a message lasts unless renewed; {@link DEFAULT_INBOUND_CLAIM_MS} by default. */
  claimMs?: number;
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
  private readonly claims: HeldClaims;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(private readonly deps: RouterDeps) {
    this.claims = new HeldClaims(sqlRunnerFor(deps.prisma), deps.claimMs ?? DEFAULT_INBOUND_CLAIM_MS, deps.now ?? Date.now, deps.logger);
  }

  /** Entry point given to every channel's `start()`. */
  readonly receive = async (inbound: InboundMessage): Promise<void> => {
    await this.route(inbound);
  };

  /**
   * Keeps this process's claims alive and takes up what a crash left behind: at once (before the
   * channels start, so a stranded message goes before its chat's new ones), then every half claim
   * period. `sole`: no other process can be working on this database (the embedded one's lock),
   * so every stranded message is taken at once, claimed or not.
   */
  async start(options: { sole: boolean }): Promise<void> {
    this.claims.start();
    await this.takeUpStranded({ ignoreClaims: options.sole });
    this.sweepTimer ??= setInterval(() => void this.takeUpStranded(), Math.max(1, Math.floor(this.claims.claimMs / 2)));
    this.sweepTimer.unref();
  }

  /**
   * Claims the messages still `received` whose claim ran out (their process died) and routes
   * them, oldest first, each in its chat's order. Resolves once they are queued (not handled);
   * with how many were.
   */
  takeUpStranded(options: { ignoreClaims?: boolean } = {}): Promise<number> {
    // One sweep at a time: a slow one is not overtaken by the timer's next.
    this.sweeping ??= this.sweep(options.ignoreClaims ?? false)
      .catch((error: unknown) => {
        this.deps.logger.warn({ err: errorFields(error) }, 'inbound sweep failed');
        return 0;
      })
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweep(ignoreClaims: boolean): Promise<number> {
    const sql = sqlRunnerFor(this.deps.prisma);
    let queued = 0;
    for (;;) {
      if (!this.accepting) return queued;
      const stranded = await claimStranded(sql, this.deps.communityId, this.claims.times(), {
        limit: SWEEP_BATCH,
        ignoreClaims,
        held: this.claims.ids(),
      });
      for (const { id, message } of stranded) {
        if (!message) {
          // Recorded before messages were kept with their row: nothing to handle it with.
          await finishInbound(sql, id, 'failed', null);
          this.deps.logger.warn({ inboundId: id }, 'stranded inbound message has no payload: marked failed');
          continue;
        }
        this.claims.hold(id);
        queued += 1;
        void this.route(message, id).catch((error: unknown) => {
          this.claims.release(id);
          this.deps.logger.warn({ inboundId: id, err: errorFields(error) }, 'stranded inbound message not routed');
        });
      }
      if (stranded.length < SWEEP_BATCH) break;
    }
    if (queued > 0) this.deps.logger.info({ count: queued }, 'inbound messages taken up again after a crash');
    return queued;
  }

  /**
   * Routes a message: a new one, or (`strandedId`) one the sweep claimed and holds, which goes
   * through whatever the backlog.
   */
  async route(inbound: InboundMessage, strandedId?: string): Promise<RouteOutcome> {
    if (!this.accepting) throw new Error('router is shutting down');
    const key = `${inbound.channel}:${inbound.chatId}`;
    const waiting = this.backlog.get(key) ?? 0;
    if (waiting >= MAX_FLOOD_BACKLOG && strandedId === undefined) {
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
      return await this.serial.run(key, () => this.routeInOrder(inbound, leave, strandedId));
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
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.sweeping;
    await this.serial.drain();
    this.claims.stop();
  }

  private async routeInOrder(inbound: InboundMessage, passedFloodGate: () => void, strandedId: string | undefined): Promise<RouteOutcome> {
    const { prisma, logger } = this.deps;
    const log = { channel: inbound.channel, externalId: inbound.externalId, kind: inbound.kind };
    const sql = sqlRunnerFor(prisma);

    let inboundId = strandedId;
    if (inboundId === undefined) {
      const fields = { communityId: this.deps.communityId, channel: inbound.channel, externalId: inbound.externalId, kind: inbound.kind, receivedAt: inbound.receivedAt };
      const claimed = await recordInbound(sql, fields, inbound, this.claims.times());
      if (!claimed) {
        logger.debug(log, 'duplicate inbound message ignored');
        return 'duplicate';
      }
      // A re-delivery of a message a crash left unhandled: handled now, not dropped.
      if (claimed.takenUp) logger.info({ ...log, inboundId: claimed.id }, 'inbound message taken up again');
      inboundId = claimed.id;
      this.claims.hold(inboundId);
    }

    try {
      const speaker = await this.identify(inbound, inbound.senderId, inbound.languageHint);
      const receipt: InboundReceipt = { inboundId, chatAccountId: speaker.chatAccountId };

      // The conversation read with the account is as fresh as the turn's own read unless the
      // person was held back meanwhile: then the turn reads it again.
      if (await this.floodGate(inbound, speaker)) delete speaker.conversation;
      passedFloodGate();

      if (inbound.kind === 'photo_refused') {
        // Answered here, like a photo over the quota: not handed on, so a flow waiting for a
        // photo keeps waiting and nothing taken earlier is lost.
        const refusal = inbound.photoRefused ?? { reason: 'download_failed', maxBytes: 0 };
        const answer = photoRefusalAnswer(refusal.reason, refusal.maxBytes);
        logger.info({ ...log, reason: refusal.reason }, 'refused photo answered');
        await this.reply(inbound, speaker, answer.key, { receipt, status: 'handled' }, answer.vars);
        return 'handled';
      }
      if (inbound.kind === 'photo' && inbound.photo && this.deps.acceptPhoto) {
        const accepted = await this.deps.acceptPhoto({ chatAccountId: speaker.chatAccountId, residentId: speaker.residentId ?? null }, inbound.photo);
        if (!accepted) {
          // Not handed on: a flow waiting for a photo keeps waiting, and nothing earlier is lost.
          await this.reply(inbound, speaker, 'router.photo_quota', { receipt, status: 'handled' });
          return 'handled';
        }
      }

      try {
        await this.handleWithRetries(speaker, inbound, receipt);
        // A turn settles its message itself; this ends one whose handler wrote nothing (or did
        // not say that it settled it).
        if (!receipt.settled) await finishInbound(sql, inboundId, 'handled', speaker.chatAccountId);
        return 'handled';
      } catch (error) {
        if (error instanceof InboundAlreadySettled) {
          logger.debug(log, 'inbound message handled by another turn');
          return 'duplicate';
        }
        logger.error({ ...log, err: errorFields(error) }, 'inbound message failed');
        await this.apologise(inbound, speaker, receipt).catch(() => undefined);
        return 'failed';
      }
    } finally {
      // Anything left `received` (the database gone mid-way) is the sweep's once the claim runs out.
      this.claims.release(inboundId);
    }
  }

  /**
   * Runs the handler; a turn whose transaction rolled back for load or contention (no connection
   * in time, a deadlock) changed nothing and is run again, a little later, before the person is
   * told something went wrong.
   */
  private async handleWithRetries(speaker: Speaker, inbound: InboundMessage, receipt: InboundReceipt): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.deps.handler.handleMessage(speaker, inbound, receipt);
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
   * housekeeping, not worth a write on every message. A known account comes with its
   * conversation in the message's chat, read in the same statement, for the turn.
   */
  private async identify(chat: Pick<InboundMessage, 'channel' | 'chatId'>, externalId: string, languageHint?: string): Promise<Speaker> {
    const { prisma, communityId, translator } = this.deps;
    const key = { communityId, channel: chat.channel, externalId };
    const select = { id: true, locale: true, lastSeenAt: true, residentId: true } as const;
    const found = await findAccount(sqlRunnerFor(prisma), key, chat.chatId);
    let account: { id: string; locale: string | null; lastSeenAt: Date; residentId: string | null } | undefined = found;
    /** A conversation known not to exist yet: that of an account created just now. */
    let fresh = false;
    if (!account) {
      try {
        account = await prisma.chatAccount.create({ data: { ...key, locale: translator.match(languageHint) ?? null }, select });
        fresh = true;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        account = await prisma.chatAccount.findUniqueOrThrow({ where: { communityId_channel_externalId: key }, select });
      }
    } else if (Date.now() - account.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
      await prisma.chatAccount.update({ where: { id: account.id }, data: { lastSeenAt: new Date() }, select: { id: true } });
    }
    const speaker: Speaker = { chatAccountId: account.id, locale: account.locale, residentId: account.residentId };
    if (found?.conversation !== undefined) speaker.conversation = found.conversation;
    else if (fresh) speaker.conversation = null;
    return speaker;
  }

  private rememberWarning(key: string, at: number): void {
    this.warnedAt.set(key, at);
    if (this.warnedAt.size > 10_000) {
      for (const [other, when] of this.warnedAt) if (at - when >= WARN_QUIET_MS) this.warnedAt.delete(other);
    }
  }

  /** Waits while the person is over the flood limit; tells them once per flood. Returns whether it waited. */
  private async floodGate(inbound: InboundMessage, speaker: Speaker): Promise<boolean> {
    const now = this.deps.now ?? Date.now;
    const key = `${inbound.channel}:${inbound.chatId}`;
    for (let waited = false; ; waited = true) {
      const waitMs = this.deps.flood.admit(speaker.chatAccountId, now());
      if (waitMs === 0) return waited;
      const at = now();
      if (at - (this.warnedAt.get(key) ?? -Infinity) >= WARN_QUIET_MS) {
        this.rememberWarning(key, at);
        this.deps.logger.info({ channel: inbound.channel, chatAccountId: speaker.chatAccountId }, 'flood: slowing a person down');
        await this.reply(inbound, speaker, 'router.slow_down');
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /** Marks the message failed and says sorry, together: once, and not if another turn handled it. */
  private async apologise(inbound: InboundMessage, speaker: Speaker, receipt: InboundReceipt): Promise<void> {
    try {
      await this.reply(inbound, speaker, 'router.internal_error', { receipt, status: 'failed' });
    } catch (error) {
      if (!(error instanceof InboundAlreadySettled)) throw error;
    }
  }

  /** Writes one reply; with `settle`, the message is marked (handled or failed) in the same transaction. */
  private async reply(
    inbound: InboundMessage,
    speaker: Speaker,
    key: string,
    settle?: { receipt: InboundReceipt; status: 'handled' | 'failed' },
    vars?: Record<string, string>,
  ): Promise<void> {
    const { prisma, translator, defaultLocale, communityId } = this.deps;
    const text = translator.t(speaker.locale ?? defaultLocale, key, vars);
    const rows = await prisma.$transaction(async (tx) => {
      if (settle) await settleInboundIn(tx, settle.receipt, settle.status);
      return writeOutbox(tx, [
        {
          communityId,
          channel: inbound.channel,
          chatId: inbound.chatId,
          chatAccountId: speaker.chatAccountId,
          message: { text },
          chosenLocale: speaker.locale,
          priority: PRIORITY_REPLY,
        },
      ]);
    });
    await this.deps.outbox.dispatch(rows);
  }
}

