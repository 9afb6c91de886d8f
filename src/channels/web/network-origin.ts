/**
 * The origin of a web chat message: the browser's network address, as a keyed hash. Sessions
 * cost nothing, so limits that must hold per client (wrong binding codes) count by this instead;
 * the address itself is never stored or logged, and without the key the hash cannot be turned
 * back into one (IPv4 has few enough addresses to try them all against a plain hash).
 */
import { createHmac } from 'node:crypto';

/** `web:` and 16 bytes of HMAC-SHA256(key, address), base64url. */
export function networkOrigin(key: string, address: string): string {
  return `web:${createHmac('sha256', key).update(address).digest().subarray(0, 16).toString('base64url')}`;
}
