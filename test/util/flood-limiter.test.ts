import { describe, expect, it } from 'vitest';
import { FloodLimiter } from '../../src/util/flood-limiter.js';

describe('FloodLimiter', () => {
  it('admits exactly max messages in the window, then says how long to wait', () => {
    const limiter = new FloodLimiter(3, 10_000);
    expect([0, 1, 2].map((t) => limiter.admit('p', t))).toEqual([0, 0, 0]);
    // The message from t=0 leaves the window at t=10000.
    expect(limiter.admit('p', 3)).toBe(9_997);
    expect(limiter.admit('p', 4)).toBe(9_996);
    expect(limiter.admit('other', 4)).toBe(0);
  });

  it('admits again as soon as the oldest message has left the window', () => {
    const limiter = new FloodLimiter(2, 1_000);
    limiter.admit('p', 0);
    limiter.admit('p', 10);
    expect(limiter.admit('p', 999)).toBe(1);
    expect(limiter.admit('p', 1_000)).toBe(0);
    expect(limiter.admit('p', 1_005)).toBe(5);
    expect(limiter.admit('p', 1_010)).toBe(0);
  });

  it('does not count a refused message against the person', () => {
    const limiter = new FloodLimiter(1, 100);
    limiter.admit('p', 0);
    for (let t = 1; t < 100; t += 10) expect(limiter.admit('p', t)).toBeGreaterThan(0);
    expect(limiter.admit('p', 100)).toBe(0);
  });
});
