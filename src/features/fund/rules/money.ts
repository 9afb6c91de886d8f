/**
 * Money in the fund is counted in fen (分), as integers: ten yuan is 1000. People type and read
 * yuan ("10", "10.5", "¥12.80", "12.80元"); the conversion is done on the digits, never through a
 * floating-point number, so 0.1 + 0.2 yuan is exactly 30 fen. Pure.
 */

/** The most one entry may hold (¥10,000,000.00): far above any household fund, far below 2³¹ fen. */
export const MAX_AMOUNT_FEN = 1_000_000_000;

const YUAN = /^[¥￥]?\s*(\d{1,8})(?:\.(\d{1,2}))?\s*元?$/u;

/**
 * Fen from a typed amount in yuan: digits with at most two decimals, an optional ¥ before or 元
 * after, thousands separators allowed. Null for anything else, for zero and for more than
 * {@link MAX_AMOUNT_FEN}: an entry of the ledger is always a positive sum.
 */
export function parseYuan(text: string): number | null {
  const match = YUAN.exec(text.trim().replace(/[,，](?=\d{3}(\D|$))/gu, ''));
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return fen > 0 && fen <= MAX_AMOUNT_FEN ? fen : null;
}

/** Fen as yuan with two decimals ("10.00", "-3.50"): the way a ledger shows every sum. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
