import { describe, expect, it } from 'vitest';
import { FloodLimiter } from '../../src/util/flood-limiter.js';

describe('FloodLimiter', () => {
  it('admits exactly max messages in the window, then says how long to wait, warning once', () => {
    const limiter = new FloodLimiter(3, 10_000);
    expect([0, 1, 2].map((t) => limiter.admit('p', t))).toEqual([
      { waitMs: 0, warn: false },
      { waitMs: 0, warn: false },
      { waitMs: 0, warn: false },
    ]);
    // The message from t=0 leaves the window at t=10000.
    expect(limiter.admit('p', 3)).toEqual({ waitMs: 9_997, warn: true });
    expect(limiter.admit('p', 4)).toEqual({ waitMs: 9_996, warn: false });
    expect(limiter.admit('other', 4)).toEqual({ waitMs: 0, warn: false });
  });

  it('admits again as soon as the oldest message has left the window', () => {
    const limiter = new FloodLimiter(2, 1_000);
    limiter.admit('p', 0);
    limiter.admit('p', 10);
    expect(limiter.admit('p', 999).waitMs).toBe(1);
    expect(limiter.admit('p', 1_000).waitMs).toBe(0);
    expect(limiter.admit('p', 1_005).waitMs).toBe(5);
    expect(limiter.admit('p', 1_010).waitMs).toBe(0);
  });

  it('warns again in a later flood, after the person calmed down', () => {
    const limiter = new FloodLimiter(1, 100);
    limiter.admit('p', 0);
    expect(limiter.admit('p', 1).warn).toBe(true);
    expect(limiter.admit('p', 100).waitMs).toBe(0);
    expect(limiter.admit('p', 300).waitMs).toBe(0);
    expect(limiter.admit('p', 301).warn).toBe(true);
  });
});
