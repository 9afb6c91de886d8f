/**
 * Each platform's sending limits, from configuration, and how a worker turns a channel's pacing
 * into BullMQ settings. Defaults follow Telegram's published guidance (about 30 messages/s per
 * bot, 1/s to one private chat, 20/min to one group) and a conservative rule for a personal
 * WeChat account, which is throttled or banned when it sends fast: one message at a time, 1–3 s
 * apart with jitter.
 */
import type { Channel, ChannelName, ChannelPacing, SendRate } from '../channels/types.js';
import type { Config } from '../config/config.js';

/** The settings pacing is built from. */
export type PacingConfig = Pick<
  Config,
  | 'TELEGRAM_MAX_PER_SECOND'
  | 'TELEGRAM_MAX_PER_CHAT_PER_SECOND'
  | 'TELEGRAM_MAX_PER_GROUP_PER_MINUTE'
  | 'WECHAT_MIN_SEND_INTERVAL_MS'
  | 'WECHAT_MAX_SEND_INTERVAL_MS'
>;

/** Telegram group and channel chat ids are negative; private chats (people) positive. */
export function isTelegramGroupChat(chatId: string): boolean {
  return chatId.startsWith('-');
}

/** Pacing for a channel that declares none, by platform. The web chat is unpaced. */
export function defaultPacing(config: PacingConfig): Partial<Record<ChannelName, ChannelPacing>> {
  const privateChat: SendRate = { max: config.TELEGRAM_MAX_PER_CHAT_PER_SECOND, perMs: 1000 };
  const groupChat: SendRate = { max: config.TELEGRAM_MAX_PER_GROUP_PER_MINUTE, perMs: 60_000 };
  return {
    telegram: {
      perAccount: { max: config.TELEGRAM_MAX_PER_SECOND, perMs: 1000 },
      perChat: (chatId) => (isTelegramGroupChat(chatId) ? groupChat : privateChat),
    },
    wechat: {
      perAccount: {
        max: 1,
        perMs: config.WECHAT_MIN_SEND_INTERVAL_MS,
        jitterMs: config.WECHAT_MAX_SEND_INTERVAL_MS - config.WECHAT_MIN_SEND_INTERVAL_MS,
      },
    },
  };
}

/** A channel's own pacing, else the platform default, else none. */
export function pacingOf(channel: Channel, defaults: Partial<Record<ChannelName, ChannelPacing>> = {}): ChannelPacing | undefined {
  return channel.pacing ?? defaults[channel.name];
}

/** The key pacing and pauses are kept under: the account, else the channel. */
export function pacingAccount(channel: Channel, pacing: ChannelPacing | undefined): string {
  return pacing?.account ?? channel.name;
}

/**
 * The limiter window aimed at for an account sent from one message at a time (WeChat; other
 * accounts are paced by their gate, account-gate.ts). BullMQ's limiter counts jobs in fixed
 * windows, and a worker that hits it waits for the window to end, so every window loses a timer
 * tick and a round trip: a short window gives away a larger share of the budget.
 */
export const TARGET_LIMITER_WINDOW_MS = 40;

/**
 * BullMQ limiter settings for an account's overall rate: `max` jobs per `duration` ms, the window
 * as near {@link TARGET_LIMITER_WINDOW_MS} as whole messages allow (or holding `burst` jobs when the
 * rate says so).
 * Windows start at least `duration` apart, so any span of `perMs` (the platform's own window)
 * sees at most ⌈perMs / duration⌉ of them: the duration is chosen so that never exceeds the rate.
 *
 * @example limiterFor({ max: 30, perMs: 1000 })  // { max: 1, duration: 34 }
 * @example limiterFor({ max: 300, perMs: 1000 }) // { max: 12, duration: 40 }
 */
export function limiterFor(rate: SendRate, windowMs = TARGET_LIMITER_WINDOW_MS): { max: number; duration: number } {
  if (!(rate.max > 0) || !(rate.perMs > 0)) throw new RangeError('A send rate needs max > 0 and perMs > 0');
  if (rate.burst && rate.burst > 1) return fitWindow(rate, Math.floor(rate.burst));
  const smallest = Math.max(1, Math.round(windowMs / (rate.perMs / rate.max)));
  // Rounding to whole windows can give away much of a small rate: take the fewest messages per
  // window that keep 97 % of it, else the best up to three times as many.
  let best = fitWindow(rate, smallest);
  for (let perWindow = smallest; perWindow <= smallest * 3; perWindow += 1) {
    const candidate = fitWindow(rate, perWindow);
    if (share(rate, candidate) > share(rate, best) + 1e-9) best = candidate;
    if (share(rate, best) >= 0.97) break;
  }
  return best;
}

/** The shortest window holding `perWindow` jobs that never lets more than the rate through. */
function fitWindow(rate: SendRate, perWindow: number): { max: number; duration: number } {
  let duration = Math.ceil(rate.perMs / Math.max(1, Math.floor(rate.max / perWindow)));
  while (Math.ceil(rate.perMs / duration) * perWindow > rate.max && duration < rate.perMs) duration += 1;
  return { max: perWindow, duration };
}

function share(rate: SendRate, limiter: { max: number; duration: number }): number {
  return (limiter.max / limiter.duration) * (rate.perMs / rate.max);
}

/**
 * What a job in hand spends besides waiting for its slot — taken from the queue, claimed, its
 * chat's budget asked, sent, recorded, completed: five or six round trips, about 70 ms on a quiet
 * machine and 100–200 ms on a busy one (measured in bench/notice.ts at 300/s).
 */
const JOB_ROUND_TRIP_MS = 200;
/** Jobs in hand per worker at most, whatever the rate (queue locks, database connections). */
const MAX_JOBS_IN_HAND = 100;

/**
 * Jobs a paced account's worker holds at once: the configured concurrency, or more when the
 * account's rate needs more to keep its budget busy while each job makes its round trips (the
 * rate × {@link JOB_ROUND_TRIP_MS}). Jobs in hand wait at the account's gate before they claim
 * their row: the rows claimed and not yet recorded — what may go twice after a crash — are the
 * rate times one send's claim-to-record time, as before, and only when sends hang do they grow
 * towards this number.
 *
 * @example jobsInHand(20, { max: 30, perMs: 1000 })  // 20
 * @example jobsInHand(20, { max: 300, perMs: 1000 }) // 60
 */
export function jobsInHand(concurrency: number, rate: SendRate | undefined): number {
  if (!rate) return concurrency;
  return Math.max(concurrency, Math.min(MAX_JOBS_IN_HAND, Math.ceil((rate.max / rate.perMs) * JOB_ROUND_TRIP_MS)));
}
