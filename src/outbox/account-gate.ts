/**
 * A sending account's overall budget (Telegram: about 30 messages/s per bot), shared by every
 * worker in every process through one {@link SendPacer} cell, and handed out in this process
 * most urgent first.
 *
 * Jobs that are about to send wait here. One loop per account and process reserves slots from
 * the shared cell — two at a time at most (more on a fast account: those beginning within a
 * round trip), within one slot more than that of now, and no more than there are messages
 * waiting — and when a slot begins gives it to the most urgent message waiting at that moment.
 * A reply that arrives during a bulk send therefore waits for at most the slot already reserved:
 * a bulk send delays it by one send slot at most.
 *
 * Why not BullMQ's own limiter: it counts jobs in fixed windows and every window loses a timer
 * tick and a round trip (measured: 0.85–0.90 of the budget at 300/s, 0.85 on the database
 * backend), and it lets a window's jobs through back to back, so a reply may wait a whole window.
 */
import type { SendRate } from '../channels/types.js';
import { gcraParams, type SendPacer } from './send-pacer.js';

/**
 * Slots reserved by one ask, at most (when that many messages wait): two, or as many as begin
 * within {@link ASK_SPAN_MS} when the rate is high enough for that to be more — a round trip to
 * the shared cell takes a few ms on a quiet machine and much longer on a busy one, so asking two
 * at a time would cap a fast account at two slots per round trip (measured with limits lifted:
 * one statement or Redis call per two replies). At Telegram's 30/s that is two slots (35 ms
 * apart), at 300/s four. Reserving ahead delays no reply: whoever is most urgent when a slot
 * begins takes it.
 */
const MIN_SLOTS_PER_ASK = 2;
const MAX_SLOTS_PER_ASK = 64;
const ASK_SPAN_MS = 15;

interface Waiter {
  priority: number;
  order: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class AccountGate {
  private readonly waiting: Waiter[] = [];
  /** Slots reserved and not yet begun. */
  private reserved = 0;
  private pumping = false;
  private order = 0;
  private closed = false;
  private readonly horizonMs: number;
  private readonly slotMs: number;
  private readonly slotsPerAsk: number;
  private readonly rate: SendRate;

  constructor(
    private readonly pacer: SendPacer,
    private readonly key: string,
    platformRate: SendRate,
  ) {
    this.rate = slotsWithinWindow(platformRate);
    this.slotMs = gcraParams(this.rate).emissionUs / 1000;
    // Slots are reserved a few at a time (each ask is a round trip to the shared cell: on the
    // database backend, a statement), asked for while one reserved slot is still to begin, so a
    // slow answer loses no slot. Whoever is most urgent when a slot begins takes it, so a reply
    // still waits one slot at most.
    this.slotsPerAsk = Math.min(MAX_SLOTS_PER_ASK, Math.max(MIN_SLOTS_PER_ASK, Math.floor(ASK_SPAN_MS / this.slotMs)));
    this.horizonMs = (this.slotsPerAsk + 1) * this.slotMs;
  }

  /** Resolves when the caller may send: a slot of the account's budget is its own. Lower `priority` goes first. */
  acquire(priority: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the account gate is closed'));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ priority, order: this.order++, resolve, reject });
      this.pump();
    });
  }

  /** Holds the account for `ms` (a 429's retry_after), in every process. */
  async hold(ms: number): Promise<void> {
    await this.pacer.hold(this.key, ms);
  }

  /** Messages waiting for a slot in this process. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Refuses new callers and lets those waiting go with an error (their jobs are retried). */
  close(): void {
    this.closed = true;
    this.failWaiting(new Error('the account gate is closed'));
  }

  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    void this.reserveWhileWaiting()
      .catch((error: unknown) => this.failWaiting(error))
      .finally(() => {
        this.pumping = false;
        if (this.waiting.length > this.reserved && !this.closed) this.pump();
      });
  }

  private async reserveWhileWaiting(): Promise<void> {
    while (this.waiting.length > this.reserved && !this.closed) {
      const wanted = Math.min(this.slotsPerAsk, this.waiting.length - this.reserved);
      const decision = await this.pacer.take(this.key, this.rate, { horizonMs: this.horizonMs, count: wanted });
      for (let slot = 0; slot < decision.slots; slot += 1) {
        this.reserved += 1;
        setTimeout(() => this.begin(), decision.startsInMs + slot * this.slotMs);
      }
      // The answer says when the next slot can be had; with several messages waiting, wait until
      // as many as asked for fit (asking sooner is refused, or gets fewer: a round trip each).
      const next = Math.min(this.slotsPerAsk, this.waiting.length - this.reserved);
      const waitMs = decision.waitMs + (next > 1 ? (next - 1) * this.slotMs : 0);
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /** A reserved slot begins: the most urgent message waiting now takes it. */
  private begin(): void {
    this.reserved -= 1;
    let best = -1;
    for (let i = 0; i < this.waiting.length; i += 1) {
      const candidate = this.waiting[i]!;
      const current = best < 0 ? undefined : this.waiting[best]!;
      if (!current || candidate.priority < current.priority || (candidate.priority === current.priority && candidate.order < current.order)) {
        best = i;
      }
    }
    if (best >= 0) this.waiting.splice(best, 1)[0]!.resolve();
    this.pump();
  }

  private failWaiting(error: unknown): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }
}

/**
 * A message may reach the platform this much off its slot — the network, a busy event loop on
 * either side — so two slots' messages can land closer than their slots. The slots leave room
 * for it.
 */
export const ARRIVAL_JITTER_MS = 10;

/**
 * The slots that keep a platform's "at most `max` in any `perMs`" with evenly spaced sends: a
 * window of `perMs` that starts on a send holds the send at its far end too, and arrivals
 * jitter by up to {@link ARRIVAL_JITTER_MS}, so slots are `(perMs + jitter) / (max − 1)` apart.
 * (At exactly `perMs / max`, a message let go a few ms late makes one window hold `max + 1`,
 * and Telegram answers 429 with a whole second's retry_after: measured in bench/delivery.ts,
 * about one 429 per run at ×10.) At Telegram's 30/s that is 28.7 a second; at 300/s, 296.
 *
 * @example slotsWithinWindow({ max: 30, perMs: 1000 }) // { max: 29, perMs: 1010 }
 */
export function slotsWithinWindow(rate: SendRate): SendRate {
  return rate.max >= 2 ? { ...rate, max: rate.max - 1, perMs: rate.perMs + ARRIVAL_JITTER_MS } : rate;
}
