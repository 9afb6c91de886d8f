/**
 * What a choice's button carries to say which choice it is. Short values (a flow's own choices:
 * `yes`, `water`) travel as they are; a longer value — a record id listed from saved data, such
 * as a household member's 36-character id — travels as a digest of itself, so every choice's
 * button fits Telegram's 64 bytes whatever the length of its value. The digest only has to tell
 * apart the few choices of one step: the pressed button is matched against those, never looked up.
 */
import { createHash } from 'node:crypto';

/** Values up to this many bytes travel as they are (the flows' own choice values fit). */
export const MAX_PLAIN_VALUE_BYTES = 32;
/** Marks a digest; a flow's own choice value never starts with it. */
const DIGEST_MARK = '#';

/** The token a button carries for a choice's value. */
export function choiceValueToken(value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= MAX_PLAIN_VALUE_BYTES && !value.startsWith(DIGEST_MARK) && !value.includes('|')) return value;
  return DIGEST_MARK + createHash('sha256').update(value).digest().subarray(0, 9).toString('base64url');
}

/** Does a pressed button's token (or an engine input given the value itself) stand for this value? */
export function tokenMeans(token: string, value: string): boolean {
  return token === value || token === choiceValueToken(value);
}
