/** Wrong sign-in codes are counted per network: one IPv6 host cannot rotate through its /64. */
import { describe, expect, it } from 'vitest';
import { addressNetwork } from '../../../src/staff-web/auth/address-network.js';

describe('addressNetwork', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressNetwork('192.0.2.1')).toBe('192.0.2.1');
    expect(addressNetwork('192.0.2.2')).not.toBe(addressNetwork('192.0.2.1'));
  });

  it('counts every address of one IPv6 /64 as one', () => {
    const one = addressNetwork('2001:db8:1:2:3:4:5:6');
    expect(one).toBe('2001:db8:1:2::/64');
    expect(addressNetwork('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(one);
    expect(addressNetwork('2001:0DB8:0001:0002::1')).toBe(one);
    expect(addressNetwork('2001:db8:1:2::')).toBe(one);
    expect(addressNetwork('2001:db8:1:2::7%eth0')).toBe(one);
  });

  it('tells neighbouring /64s apart, zeros included', () => {
    expect(addressNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressNetwork('::1')).toBe('0:0:0:0::/64');
    expect(addressNetwork('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(addressNetwork('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressNetwork('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(addressNetwork('::ffff:c000:201')).toBe('192.0.2.1');
    expect(addressNetwork('0:0:0:0:0:ffff:192.0.2.9')).toBe('192.0.2.9');
  });

  it('leaves what is not an address alone (an injected request has some string)', () => {
    expect(addressNetwork('')).toBe('');
    expect(addressNetwork('not an address')).toBe('not an address');
  });
});
