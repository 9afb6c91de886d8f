/**
 * One cell's text → the value stored, or the reason it cannot be. Pure; the row checks in
 * `roster-validate.ts` turn a reason into a problem with the row's line and column.
 */
import { HOUSEHOLD_FLAGS, type HouseholdFlag } from '../vocabulary.js';
import { normalizeWord, type RosterVocabulary } from './roster-vocabulary.js';

export type CellResult<T> = { ok: true; value: T } | { ok: false };

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const bad: CellResult<never> = { ok: false };

/** Mainland mobile numbers: 11 digits, 13x–19x. */
const MOBILE = /^1[3-9]\d{9}$/;
/** A landline with its area code: 0 + a 2–3 digit area code + a 7–8 digit number (10–12 digits). */
const LANDLINE = /^0[1-9]\d{8,10}$/;

/**
 * A phone number as digits: spaces, dashes, dots and brackets dropped (`138 0013 8000`,
 * `(010) 6512-3456`), a +86 / 0086 country code removed; then it must be a mainland mobile or
 * a landline with its area code. Empty → null (the phone is optional).
 */
export function parsePhone(text: string): CellResult<string | null> {
  if (text === '') return ok(null);
  let digits = text.normalize('NFKC').replace(/[\s\-.()]/g, '');
  digits = digits.replace(/^(?:\+|00)86/, '');
  if (digits.length === 13 && digits.startsWith('86') && MOBILE.test(digits.slice(2))) digits = digits.slice(2);
  return MOBILE.test(digits) || LANDLINE.test(digits) ? ok(digits) : bad;
}

/** The earliest birth year accepted: older entries are typing mistakes. */
export const MIN_BIRTH_YEAR = 1900;

/** A four-digit year from MIN_BIRTH_YEAR to `currentYear` (a trailing 年 allowed). Empty → null. */
export function parseBirthYear(text: string, currentYear: number): CellResult<number | null> {
  if (text === '') return ok(null);
  const match = /^(\d{4})年?$/.exec(text.normalize('NFKC').trim());
  if (!match) return bad;
  const year = Number(match[1]);
  return year >= MIN_BIRTH_YEAR && year <= currentYear ? ok(year) : bad;
}

/**
 * A list of household flags separated by `,` `，` `、` or `;`, each in any locale's words or as
 * the stored English word. Returns the flags in the vocabulary's order without repeats (so the
 * same set always compares and exports the same), and every word that is not a flag.
 */
export function parseFlags(text: string, vocabulary: RosterVocabulary): { flags: HouseholdFlag[]; unknown: string[] } {
  const found = new Set<HouseholdFlag>();
  const unknown: string[] = [];
  for (const raw of text.normalize('NFKC').split(/[,、;]/)) {
    const word = raw.trim();
    if (!word) continue;
    const flag = vocabulary.flagByWord.get(normalizeWord(word));
    if (flag) found.add(flag);
    else unknown.push(word);
  }
  return { flags: HOUSEHOLD_FLAGS.filter((f) => found.has(f)), unknown };
}

/** yes / no in any locale's words (是/否…). Empty → no. */
export function parseYesNo(text: string, vocabulary: RosterVocabulary): CellResult<boolean> {
  if (text === '') return ok(false);
  const value = vocabulary.booleanByWord.get(normalizeWord(text));
  return value === undefined ? bad : ok(value);
}

/** A locale code (zh-CN, en) or a language's name (中文, English). Empty → null: the community's default. */
export function parseLanguage(text: string, vocabulary: RosterVocabulary): CellResult<string | null> {
  if (text === '') return ok(null);
  const locale = vocabulary.localeByWord.get(normalizeWord(text));
  return locale === undefined ? bad : ok(locale);
}

/** The deepest area a household can be in: zone → lane or building → courtyard. */
export const MAX_AREA_DEPTH = 3;

/**
 * An area path such as `平房区/团结巷/3号院`: 1–3 segments separated by `/` (full-width `／`
 * too), none empty; spaces around segments and full-width letters and digits are folded, so
 * `平房区 / 团结巷 / ３号院` is the same area.
 */
export function parseAreaPath(text: string): CellResult<string[]> {
  if (text === '') return bad;
  const segments = text.normalize('NFKC').split('/').map((s) => s.trim());
  if (segments.length > MAX_AREA_DEPTH || segments.some((s) => s === '')) return bad;
  return ok(segments);
}
