import { describe, expect, it } from 'vitest';
import { OpenStreams } from '../../../src/channels/web/open-streams.js';

describe('OpenStreams', () => {
  it('lets each address hold up to its limit, gives places back once, and never holds back another address', () => {
    const streams = new OpenStreams(2);
    const first = streams.tryOpen('192.0.2.1');
    const second = streams.tryOpen('192.0.2.1');
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(streams.tryOpen('192.0.2.1')).toBeNull();
    expect(streams.tryOpen('198.51.100.7')).not.toBeNull();
    first!();
    first!();
    expect(streams.count('192.0.2.1')).toBe(1);
    expect(streams.tryOpen('192.0.2.1')).not.toBeNull();
    expect(streams.tryOpen('192.0.2.1')).toBeNull();
  });
});
