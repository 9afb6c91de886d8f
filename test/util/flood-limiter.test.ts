import { describe, expect, it } from 'vitest';
import { FloodLimiter } from '../../src/util/flood-limiter.js';

describe('FloodLimiter', () => {
  it('allows exactly max messages in the window, warns once on the next, then stays quiet', () => {
    const limiter = new FloodLimiter(3, 10_000);
    expect([0, 1, 2].map((t) => limiter.check('p', t))).toEqual(['ok', 'ok', 'ok']);
    expect(limiter.check('p', 3)).toBe('first');
    expect(limiter.check('p', 4)).toBe('again');
    expect(limiter.check('other', 4)).toBe('ok');
  });

  it('lets the person in again once the window has passed', () => {
    const limiter = new FloodLimiter(2, 1_000);
    limiter.check('p', 0);
    limiter.check('p', 10);
    expect(limiter.check('p', 999)).toBe('first');
    // At 1000 the message from 0 has left the window; at 1010 the one from 10 has too.
    expect(limiter.check('p', 1_000)).toBe('ok');
    expect(limiter.check('p', 1_005)).toBe('first');
    expect(limiter.check('p', 1_010)).toBe('ok');
    expect(limiter.check('p', 1_011)).toBe('first');
  });
});
