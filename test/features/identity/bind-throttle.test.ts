/**
 * The wrong-code limit per chat account, at its boundaries: the 4th wrong code leaves one try,
 * the 5th locks for 15 minutes, the lock holds until its last millisecond and then the count
 * starts again; a window older than 15 minutes starts afresh.
 */
import { describe, expect, it } from 'vitest';
import {
  communityBindGate,
  communityWrongCodes,
  afterGoodCode,
  afterWrongCode,
  bindGate,
  DEFAULT_BIND_LIMITS,
  type BindThrottleState,
} from '../../../src/features/identity/bind-throttle.js';

const MINUTE = 60_000;
const start = new Date('2026-06-01T06:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);
const fresh: BindThrottleState = { failures: 0, windowStart: null, lockedUntil: null };

/** Wrong codes at the given offsets; returns the state and what the last one said. */
function wrongAt(offsets: number[], from: BindThrottleState = fresh) {
  let state = from;
  let last: ReturnType<typeof afterWrongCode> | undefined;
  for (const offset of offsets) {
    expect(bindGate(state, at(offset)).open).toBe(true);
    last = afterWrongCode(state, at(offset));
    state = last.state;
  }
  return { state, last: last! };
}

describe('the limit', () => {
  it('is 5 wrong codes in 15 minutes, then 15 minutes locked', () => {
    expect(DEFAULT_BIND_LIMITS).toEqual({ maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE });
  });

  it('counts down the tries left', () => {
    const tries = [0, 1, 2, 3].map((n) => wrongAt([0, MINUTE, 2 * MINUTE, 3 * MINUTE].slice(0, n + 1)).last.triesLeft);
    expect(tries).toEqual([4, 3, 2, 1]);
  });

  it('the 4th wrong code does not lock; the 5th does, for 15 minutes from it', () => {
    const four = wrongAt([0, 1, 2, 3].map((m) => m * MINUTE));
    expect(four.last.lockedUntil).toBeNull();
    expect(bindGate(four.state, at(4 * MINUTE)).open).toBe(true);

    const five = wrongAt([0, 1, 2, 3, 4].map((m) => m * MINUTE));
    expect(five.last.triesLeft).toBe(0);
    expect(five.last.lockedUntil).toEqual(at(19 * MINUTE));
  });

  it('a 6th try during the lock is refused, up to the lock’s last millisecond; at its end it is allowed', () => {
    const { state } = wrongAt([0, 1, 2, 3, 4].map((m) => m * MINUTE));
    expect(bindGate(state, at(5 * MINUTE))).toEqual({ open: false, until: at(19 * MINUTE) });
    expect(bindGate(state, at(19 * MINUTE - 1)).open).toBe(false);
    expect(bindGate(state, at(19 * MINUTE))).toEqual({ open: true });
  });

  it('after the lock the count starts again: one more wrong code leaves 4 tries, not a new lock', () => {
    const { state } = wrongAt([0, 1, 2, 3, 4].map((m) => m * MINUTE));
    const after = afterWrongCode(state, at(19 * MINUTE));
    expect(after.triesLeft).toBe(4);
    expect(after.lockedUntil).toBeNull();
    expect(after.state.failures).toBe(1);
  });

  it('wrong codes further apart than the window do not add up', () => {
    // 4 wrong, then the 5th just inside the window locks; just outside it starts a new count.
    const inside = wrongAt([0, 1, 2, 3].map((m) => m * MINUTE).concat(15 * MINUTE - 1));
    expect(inside.last.lockedUntil).not.toBeNull();
    const outside = wrongAt([0, 1, 2, 3].map((m) => m * MINUTE).concat(15 * MINUTE));
    expect(outside.last.lockedUntil).toBeNull();
    expect(outside.last.triesLeft).toBe(4);
    expect(outside.state.windowStart).toEqual(at(15 * MINUTE));
  });

  it('a binding that worked clears everything', () => {
    expect(afterGoodCode()).toEqual(fresh);
  });

  it('other limits are honoured', () => {
    const limits = { maxFailures: 2, windowMs: MINUTE, lockMs: 10 * MINUTE };
    const first = afterWrongCode(fresh, at(0), limits);
    expect(first.triesLeft).toBe(1);
    const second = afterWrongCode(first.state, at(1000), limits);
    expect(second.lockedUntil).toEqual(at(1000 + 10 * MINUTE));
  });
});

describe('the community-wide limit', () => {
  const now = new Date('2026-06-01T06:00:00Z');
  it('stays open at 49 wrong codes in the window and closes at 50, for the length of the pause', () => {
    expect(communityBindGate(0, now)).toEqual({ open: true });
    expect(communityBindGate(49, now)).toEqual({ open: true });
    expect(communityBindGate(50, now)).toEqual({ open: false, until: new Date(now.getTime() + 15 * 60_000) });
    expect(communityBindGate(3, now, { maxFailures: 3, perOriginCap: 1, windowMs: 1_000, pauseMs: 2_000 })).toEqual({
      open: false,
      until: new Date(now.getTime() + 2_000),
    });
  });

  it('counts each origin’s wrong codes up to a cap, so one source can never reach the limit alone', () => {
    expect(communityWrongCodes([55])).toBe(3);
    expect(communityWrongCodes(Array.from({ length: 11 }, () => 5))).toBe(33);
    expect(communityBindGate(communityWrongCodes(Array.from({ length: 11 }, () => 5)), now)).toEqual({ open: true });
    expect(communityWrongCodes(Array.from({ length: 17 }, () => 3))).toBe(51);
    expect(communityWrongCodes([1, 2, 3, 4])).toBe(9);
    expect(communityWrongCodes([])).toBe(0);
  });
});
