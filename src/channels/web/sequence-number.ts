/**
 * A row's sequence number as a browser sends it back (`?after=`, `Last-Event-ID`). Rows are
 * numbered by a PostgreSQL bigint, so anything that is not a whole number from 0 to 2^63 − 1
 * cannot name a row: it is refused here rather than reaching a query that would fail on it.
 */

const MAX_SEQ = 2n ** 63n - 1n;
const DIGITS = /^\d{1,19}$/;

/** The number, or null when `value` is not a sequence number a row could have. */
export function parseSequenceNumber(value: unknown): bigint | null {
  if (typeof value !== 'string' || !DIGITS.test(value)) return null;
  const seq = BigInt(value);
  return seq <= MAX_SEQ ? seq : null;
}
