/**
 * Telegram's sending limits as the fake enforces them: sliding windows per chat (private and
 * group limits differ) and one for the whole bot. A refused call does not count. `scale`
 * multiplies every allowance (×10: 10/s per private chat, 300/s overall…) so a benchmark can
 * run a realistic send in seconds with the same shape of limits.
 */

export interface RateLimit {
  /** Calls allowed in any window of `windowMs`. */
  max: number;
  windowMs: number;
}

export interface TelegramRateLimits {
  global: RateLimit;
  privateChat: RateLimit;
  groupChat: RateLimit;
}

/** Telegram's published guidance: ~30 messages/s overall, 1/s per chat, 20/min per group. */
export const TELEGRAM_DEFAULT_LIMITS: TelegramRateLimits = {
  global: { max: 30, windowMs: 1000 },
  privateChat: { max: 1, windowMs: 1000 },
  groupChat: { max: 20, windowMs: 60_000 },
};

export type LimitVerdict = { ok: true } | { ok: false; retryAfterMs: number; limit: 'chat' | 'global' };

/** Timestamps of accepted calls within each key's window. */
class SlidingWindows {
  private readonly log = new Map<string, number[]>();

  constructor(
    private readonly limit: RateLimit,
    private readonly graceMs: number,
  ) {}

  /** How long until one more call fits, 0 when it fits now. */
  waitMs(key: string, now: number): number {
    const times = this.prune(key, now);
    if (times.length < this.limit.max) return 0;
    return times[times.length - this.limit.max]! + this.limit.windowMs - this.graceMs - now;
  }

  record(key: string, now: number): void {
    const times = this.prune(key, now);
    times.push(now);
    this.log.set(key, times);
  }

  private prune(key: string, now: number): number[] {
    const times = this.log.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && now - times[drop]! >= this.limit.windowMs - this.graceMs) drop++;
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}

export class RateLimiter {
  private readonly global: SlidingWindows;
  private readonly privateChats: SlidingWindows;
  private readonly groups: SlidingWindows;

  /**
   * @param graceMs a call this much early still counts as outside the window: room for network
   *   jitter when a sender paces at exactly the limit (0: strict to the millisecond).
   */
  constructor(limits: TelegramRateLimits, scale = 1, graceMs = 0) {
    const scaled = (l: RateLimit): RateLimit => ({ max: Math.max(1, Math.floor(l.max * scale)), windowMs: l.windowMs });
    this.global = new SlidingWindows(scaled(limits.global), graceMs);
    this.privateChats = new SlidingWindows(scaled(limits.privateChat), graceMs);
    this.groups = new SlidingWindows(scaled(limits.groupChat), graceMs);
  }

  /** Checks one send to `chatId` and counts it when allowed. */
  take(chatId: number, isGroup: boolean, now: number): LimitVerdict {
    const perChat = isGroup ? this.groups : this.privateChats;
    const key = String(chatId);
    const chatWait = perChat.waitMs(key, now);
    if (chatWait > 0) return { ok: false, retryAfterMs: chatWait, limit: 'chat' };
    const globalWait = this.global.waitMs('*', now);
    if (globalWait > 0) return { ok: false, retryAfterMs: globalWait, limit: 'global' };
    perChat.record(key, now);
    this.global.record('*', now);
    return { ok: true };
  }
}
