/**
 * Reading what people type: full-width digits (２), Chinese numerals (三, 十二), "第2个", words
 * in either case. Pure functions with no knowledge of flows.
 */

/**
 * Folds what people type into one comparable form: NFKC (full-width → ASCII), lower case,
 * single spaces, no trailing punctuation.
 */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.。!！~～,，、;；]+$/u, '');
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const CHINESE_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000, 万: 10000, 萬: 10000 };

/** Reads a Chinese numeral such as 三, 十二, 二十五, 一百零八, 两千 (up to 99,999). */
export function parseChineseNumeral(text: string): number | undefined {
  if (text.length === 0 || text.length > 12) return undefined;
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const char of text) {
    const d = CHINESE_DIGITS[char];
    if (d !== undefined) {
      if (digit !== undefined && digit !== 0 && d !== 0) return undefined; // "三四" is not a number
      digit = d;
      continue;
    }
    const unit = CHINESE_UNITS[char];
    if (unit === undefined) return undefined;
    if (unit === 10000) {
      total = (total + section + (digit ?? 0)) * unit;
      section = 0;
    } else {
      section += (digit ?? (unit === 10 ? 1 : 0)) * unit;
      if (digit === undefined && unit !== 10) return undefined;
    }
    digit = undefined;
  }
  return total + section + (digit ?? 0);
}

/**
 * Reads a number typed as digits (with full-width forms, thousands separators, a decimal point)
 * or as a Chinese numeral. Returns undefined for anything else.
 */
export function parseNumberAnswer(text: string): number | undefined {
  const folded = text.normalize('NFKC').replace(/\s+/g, '').replace(/[。.]$/, '');
  if (/^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(folded)) {
    const value = Number(folded.replace(/,/g, ''));
    return Number.isFinite(value) ? value : undefined;
  }
  if (/^[+-]?\.\d+$/.test(folded)) return Number(folded);
  const negative = folded.startsWith('负') || folded.startsWith('-');
  const value = parseChineseNumeral(negative ? folded.slice(1) : folded);
  return value === undefined ? undefined : negative ? -value : value;
}

/**
 * The position (1-based) in a typed choice: "2", "２", "2.", "第2个", "选2", "No. 2", "二".
 * Undefined when the text is not a position.
 */
export function parseChoiceNumber(text: string): number | undefined {
  const match = /^(?:第|选|选择|no\.?|#|option)?\s*(\d{1,3}|[零〇一二两三四五六七八九十]{1,3})\s*(?:个|項|项|号|號|条|條|[.)、])?$/u.exec(
    normalizeAnswer(text),
  );
  if (!match) return undefined;
  const token = match[1]!;
  return /^\d+$/.test(token) ? Number(token) : parseChineseNumeral(token);
}

/** Length as people count it: one per character, emoji and CJK included. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _char of text) count++;
  return count;
}

/**
 * A phone number as people type it in China, reduced to its digits: a mobile number (11 digits
 * starting 13–19, with or without +86 / 0086) or a landline with its area code (0 + 9–11
 * digits, e.g. 0991-1234567). Spaces, dashes, dots and brackets are ignored; full-width digits
 * count. Undefined for anything else.
 *
 * @example normalizePhone('+86 138-0013-8000') // '13800138000'
 */
export function normalizePhone(text: string): string | undefined {
  const folded = text.normalize('NFKC').trim();
  if (!/^\+?[\d\s\-.()（）]+$/u.test(folded)) return undefined;
  let digits = folded.replace(/\D/g, '');
  if (folded.startsWith('+') && !digits.startsWith('86')) return undefined;
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  if (!folded.startsWith('+') && /^0[1-9]\d{8,10}$/.test(digits)) return digits;
  return undefined;
}
