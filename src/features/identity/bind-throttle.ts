/**
 * The limit on wrong binding codes, per chat account: `maxFailures` wrong codes within
 * `windowMs` lock binding for `lockMs`. Pure: the caller reads and writes the three fields of
 * ChatAccount (bindFailures, bindWindowStart, bindLockedUntil).
 *
 * With the defaults: the 1st–4th wrong code in 15 minutes are answered "not valid"; the 5th
 * locks binding for 15 minutes; while locked every attempt, right or wrong, is refused with the
 * time to come back; at the end of the lock the count starts again from zero.
 */

export interface BindLimits {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_BIND_LIMITS: BindLimits = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** The account's counters as stored. */
export interface BindThrottleState {
  failures: number;
  windowStart: Date | null;
  lockedUntil: Date | null;
}

/** May this account try a code now? While locked, until when it may not. */
export function bindGate(state: BindThrottleState, now: Date): { open: true } | { open: false; until: Date } {
  if (state.lockedUntil && now.getTime() < state.lockedUntil.getTime()) return { open: false, until: state.lockedUntil };
  return { open: true };
}

/** After a wrong code: the counters to store, how many tries are left, and the lock if one starts now. */
export function afterWrongCode(
  state: BindThrottleState,
  now: Date,
  limits: BindLimits = DEFAULT_BIND_LIMITS,
): { state: BindThrottleState; triesLeft: number; lockedUntil: Date | null } {
  const windowOpen =
    state.windowStart !== null &&
    now.getTime() - state.windowStart.getTime() < limits.windowMs &&
    // A lock that has run out starts a fresh count.
    !(state.lockedUntil && now.getTime() >= state.lockedUntil.getTime());
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStart = windowOpen ? state.windowStart : now;
  if (failures >= limits.maxFailures) {
    const lockedUntil = new Date(now.getTime() + limits.lockMs);
    return { state: { failures, windowStart, lockedUntil }, triesLeft: 0, lockedUntil };
  }
  return { state: { failures, windowStart, lockedUntil: null }, triesLeft: limits.maxFailures - failures, lockedUntil: null };
}

/**
 * The community-wide limit: accounts cost nothing on the web chat, so a guesser could spread
 * wrong codes over many of them. Wrong codes are counted per *origin* — a Telegram or WeChat
 * account is its own origin; on the web chat it is the browser's network address (hashed), so a
 * hundred sessions opened from one machine are one origin — and each origin's share of the count
 * is capped at `perOriginCap`. When the capped shares within `windowMs` add up to `maxFailures`
 * (so at least `maxFailures / perOriginCap` independent origins were guessing), binding pauses
 * for everyone for `pauseMs`: a person who sends a code then is told binding is paused and until
 * when, and their code is neither checked, used up nor counted. Staff can lift the pause
 * (`binding-resume.ts`). A community sees a few wrong codes a day.
 */
export interface CommunityBindLimits {
  maxFailures: number;
  perOriginCap: number;
  windowMs: number;
  pauseMs: number;
}

export const DEFAULT_COMMUNITY_BIND_LIMITS: CommunityBindLimits = { maxFailures: 50, perOriginCap: 3, windowMs: 15 * 60_000, pauseMs: 15 * 60_000 };

/** The community-wide count: each origin's wrong codes within the window, each capped. */
export function communityWrongCodes(perOrigin: readonly number[], limits: CommunityBindLimits = DEFAULT_COMMUNITY_BIND_LIMITS): number {
  return perOrigin.reduce((sum, count) => sum + Math.min(count, limits.perOriginCap), 0);
}

/** May anyone in the community try a code now, given the capped count? If not, the pause to start. */
export function communityBindGate(
  recentFailures: number,
  now: Date,
  limits: CommunityBindLimits = DEFAULT_COMMUNITY_BIND_LIMITS,
): { open: true } | { open: false; until: Date } {
  return recentFailures >= limits.maxFailures ? { open: false, until: new Date(now.getTime() + limits.pauseMs) } : { open: true };
}

/** After a binding that worked: the count starts again. (A used or expired code changes nothing.) */
export function afterGoodCode(): BindThrottleState {
  return { failures: 0, windowStart: null, lockedUntil: null };
}
