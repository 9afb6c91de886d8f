/**
 * Per-chat send pacing, shared by every worker in every process. Open-source BullMQ limits a
 * whole queue, not one chat in it, so a chat's own budget (Telegram: 1 message/s to a person,
 * 20/min to a group) is kept here: a GCRA cell per (sending account, chat) — one number, the
 * time the next message may go — read and moved in one atomic step. Two implementations behind
 * one interface: a Lua script on Redis, one SQL statement on the database backend.
 *
 * A caller asks for a slot when it is about to send. Nothing is reserved ahead: a refused caller
 * is told how long to wait and asks again then, so an urgent message is never queued behind
 * slots handed out to bulk messages.
 */
import type { SendRate } from '../channels/types.js';

/** The answer to one request for a send slot. */
export interface PaceDecision {
  /** true: the slot is yours, send now. */
  granted: boolean;
  /**
   * Refused: how long until a slot is free. Granted: how long until the next one is (so a
   * message waiting behind this one can be scheduled for exactly then).
   */
  waitMs: number;
}

/** Per-key send pacing; see the module comment. */
export interface SendPacer {
  /** Takes a slot for `key` at `rate` if one is free now. */
  take(key: string, rate: SendRate): Promise<PaceDecision>;
  /** Forgets cells idle for longer than `idleMs` (the Redis one expires them by itself). */
  prune(idleMs: number): Promise<number>;
  close(): Promise<void>;
}

/** GCRA parameters of a rate, in whole milliseconds (rounded up, so the rate is never exceeded). */
export interface GcraParams {
  /** Time one message "costs": the spacing between messages at the full rate. */
  emissionMs: number;
  /** How far ahead of now the cell may run while still granting: (burst − 1) × emission. */
  toleranceMs: number;
}

/**
 * The GCRA parameters of `rate`; with jitter, the emission interval of this one request is
 * stretched by a random amount, so gaps vary.
 *
 * @example gcraParams({ max: 20, perMs: 60_000 }) // { emissionMs: 3000, toleranceMs: 0 }
 */
export function gcraParams(rate: SendRate, random: () => number = Math.random): GcraParams {
  if (!(rate.max > 0) || !(rate.perMs > 0)) throw new RangeError('A send rate needs max > 0 and perMs > 0');
  const spacing = rate.perMs / rate.max;
  const burst = Math.max(1, Math.floor(rate.burst ?? 1));
  const jitter = rate.jitterMs && rate.jitterMs > 0 ? random() * rate.jitterMs : 0;
  return { emissionMs: Math.ceil(spacing + jitter), toleranceMs: Math.ceil((burst - 1) * spacing) };
}

/** The pacing key of one chat of one sending account. */
export function chatPaceKey(account: string, chatId: string): string {
  return `${account}|${chatId}`;
}
