/**
 * What limits on wrong sign-in codes count by: the network an address belongs to. An IPv4 host
 * has one address; an IPv6 host is usually handed a whole /64 and can pick a fresh address from it
 * for every request, so IPv6 addresses are counted by their /64 (the first four groups). An
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, how a dual-stack socket reports an IPv4 client) is
 * that IPv4 address.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** `192.0.2.1` → `192.0.2.1`; `2001:db8:1:2:3:4:5:6` → `2001:db8:1:2::/64`; anything else as it is. */
export function addressNetwork(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return address;
  const groups = ipv6Groups(bare);
  const mapped = ipv4Mapped(groups);
  if (mapped) return mapped;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The eight groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail as two groups). */
function ipv6Groups(address: string): string[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  if (tail === undefined) return left.map(padGroup);
  const right = tail === '' ? [] : tail.split(':');
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right].map(padGroup);
}

function padGroup(group: string): string {
  return group.padStart(4, '0');
}

/** `::ffff:a.b.c.d` as the IPv4 address; null for any other IPv6 address. */
function ipv4Mapped(groups: string[]): string | null {
  if (groups.slice(0, 5).some((group) => group !== '0000') || groups[5] !== 'ffff') return null;
  const high = parseInt(groups[6]!, 16);
  const low = parseInt(groups[7]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
