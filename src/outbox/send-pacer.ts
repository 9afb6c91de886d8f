/**
 * Send pacing shared by every worker in every process: a sending account's overall budget
 * (Telegram: about 30 messages/s per bot) and each chat's own (1 message/s to a person, 20/min
 * to a group), which open-source BullMQ cannot limit (it limits a whole queue). Each budget is
 * a GCRA cell — one number, when the next slot begins — read and moved in one atomic step. Two
 * implementations behind one interface: a Lua script on Redis, one SQL statement on the
 * database backend.
 *
 * A chat's caller asks when it is about to send and sends at once if granted. The account's
 * gate (account-gate.ts) may reserve the next slot ahead (a horizon of one slot), so it can
 * hand each slot to the most urgent message waiting when the slot begins. A refused caller is
 * told how long to wait and asks again then.
 */
import type { SendRate } from '../channels/types.js';

/** The answer to one request for a send slot. */
export interface PaceDecision {
  /** true: the slot is yours (it begins in `startsInMs`). */
  granted: boolean;
  /**
   * Refused: how long until a slot can be had. Granted: how long until the next one can (so a
   * message waiting behind this one can be scheduled for exactly then). Fractions of a ms.
   */
  waitMs: number;
  /** Granted: how long until the (first) slot given begins; 0 unless a horizon let it be reserved ahead. */
  startsInMs: number;
  /** Slots granted (0 when refused): back to back from `startsInMs`, one emission interval apart. */
  slots: number;
}

/** How far ahead a request may reserve. */
export interface TakeOptions {
  /**
   * A slot beginning up to this many ms from now is granted and reserved (the caller sends when
   * it begins); 0 (default): only a slot free now.
   */
  horizonMs?: number;
  /** Slots wanted (default 1): as many as begin within the horizon are granted, at least one. */
  count?: number;
}

/** Per-key send pacing; see the module comment. */
export interface SendPacer {
  /** Takes a slot for `key` at `rate`: one free now, or within the horizon. */
  take(key: string, rate: SendRate, options?: TakeOptions): Promise<PaceDecision>;
  /** Holds `key` for `ms` from now (a 429's retry_after): no slot is granted before then. */
  hold(key: string, ms: number): Promise<void>;
  /** Forgets cells idle for longer than `idleMs` (the Redis one expires them by itself). */
  prune(idleMs: number): Promise<number>;
  close(): Promise<void>;
}

/** GCRA parameters of a rate, in whole microseconds (rounded up, so the rate is never exceeded). */
export interface GcraParams {
  /** Time one message "costs": the spacing between messages at the full rate. */
  emissionUs: number;
  /** How far ahead of now the cell may run while still granting: (burst − 1) × emission. */
  toleranceUs: number;
}

/**
 * The GCRA parameters of `rate`; with jitter, the emission interval of this one request is
 * stretched by a random amount, so gaps vary.
 *
 * @example gcraParams({ max: 20, perMs: 60_000 }) // { emissionUs: 3_000_000, toleranceUs: 0 }
 */
export function gcraParams(rate: SendRate, random: () => number = Math.random): GcraParams {
  if (!(rate.max > 0) || !(rate.perMs > 0)) throw new RangeError('A send rate needs max > 0 and perMs > 0');
  const spacingUs = (rate.perMs * 1000) / rate.max;
  const burst = Math.max(1, Math.floor(rate.burst ?? 1));
  const jitterUs = rate.jitterMs && rate.jitterMs > 0 ? random() * rate.jitterMs * 1000 : 0;
  return { emissionUs: Math.ceil(spacingUs + jitterUs), toleranceUs: Math.ceil((burst - 1) * spacingUs) };
}

/**
 * A pacer's answer in microseconds (`slots` granted, 0 when refused; `aheadUs`: the cell minus now
 * after the decision; `startUs`: the first granted slot's start minus now) as a {@link PaceDecision}.
 */
export function paceDecision(slots: number, aheadUs: number, startUs: number, params: GcraParams, horizonMs: number): PaceDecision {
  const limitUs = params.toleranceUs + Math.round(horizonMs * 1000);
  const granted = slots > 0;
  return {
    granted,
    waitMs: Math.max(0, aheadUs - limitUs) / 1000,
    startsInMs: granted ? Math.max(0, startUs - params.toleranceUs) / 1000 : 0,
    slots,
  };
}

/** The slots wanted by a request, as a whole number ≥ 1. */
export function slotsWanted(options: TakeOptions): number {
  return Math.max(1, Math.floor(options.count ?? 1));
}

/** The pacing key of one chat of one sending account. */
export function chatPaceKey(account: string, chatId: string): string {
  return `${account}|${chatId}`;
}

/** The pacing key of a sending account's overall budget (no "|": never a chat's key). */
export function accountPaceKey(account: string): string {
  return account;
}
