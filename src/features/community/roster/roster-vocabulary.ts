/**
 * The words a roster file may use — column headers, flag names, yes/no, language names — taken
 * from every locale, so a file with zh-CN headers imports the same as one with English headers
 * whatever the operator's own language. The words live in the locales (`roster.column.*`,
 * `roster.column_aliases.*`, `roster.flag.*`, `roster.value.*`, `roster.language.*`); this module
 * only knows their keys and how to compare words leniently.
 */
import type { Translator } from '../../../i18n/translator.js';
import { HOUSEHOLD_FLAGS, type HouseholdFlag } from '../vocabulary.js';
import { ROSTER_COLUMNS, type RosterColumn } from './roster-row.js';

/** The header each column gets in a written file (template, export). */
export const COLUMN_TITLE_KEYS: Record<RosterColumn, string> = {
  householdCode: 'roster.column.householdCode',
  areaPath: 'roster.column.areaPath',
  address: 'roster.column.address',
  memberName: 'roster.column.memberName',
  phone: 'roster.column.phone',
  birthYear: 'roster.column.birthYear',
  flags: 'roster.column.flags',
  groupCode: 'roster.column.groupCode',
  groupHead: 'roster.column.groupHead',
  language: 'roster.column.language',
};

/** Other headers accepted for each column ("a|b|c"): 户编号 for 户号 and the like. */
const COLUMN_ALIAS_KEYS: Record<RosterColumn, string> = {
  householdCode: 'roster.column_aliases.householdCode',
  areaPath: 'roster.column_aliases.areaPath',
  address: 'roster.column_aliases.address',
  memberName: 'roster.column_aliases.memberName',
  phone: 'roster.column_aliases.phone',
  birthYear: 'roster.column_aliases.birthYear',
  flags: 'roster.column_aliases.flags',
  groupCode: 'roster.column_aliases.groupCode',
  groupHead: 'roster.column_aliases.groupHead',
  language: 'roster.column_aliases.language',
};

/** Names of each household flag ("老年|高龄|老人"); the first is the one a written file uses. */
const FLAG_WORD_KEYS: Record<HouseholdFlag, string> = {
  elderly: 'roster.flag.elderly',
  disabled: 'roster.flag.disabled',
  ill: 'roster.flag.ill',
  low_income: 'roster.flag.low_income',
  veteran_family: 'roster.flag.veteran_family',
};

/**
 * Names of the languages a resident may prefer, by locale code. A locale added to `locales/`
 * without a line here is still accepted by its code (zh-CN, en), just not by name.
 */
const LANGUAGE_WORD_KEYS: Readonly<Record<string, string>> = {
  'zh-CN': 'roster.language.zh-CN',
  en: 'roster.language.en',
};

const YES_KEY = 'roster.value.yes';
const NO_KEY = 'roster.value.no';
const LIST_SEPARATOR_KEY = 'roster.value.list_separator';
const SHEET_NAME_KEY = 'roster.sheet_name';

/**
 * A word reduced for comparison: full-width forms folded (NFKC: `Ｐｈｏｎｅ`, the ideographic
 * space), hints in brackets dropped (`出生年份（如1950）`), case, spaces, `_`, `-`, `*`, `:` and
 * `.` ignored — so `Birth year`, `birth_year`, `BIRTH-YEAR*` and `出生年份：` all compare equal.
 */
export function normalizeWord(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[([【〔][^)\]】〕]*[)\]】〕]/g, '')
    .toLowerCase()
    .replace(/[\s_\-*:.]/g, '');
}

/** What import accepts: every word of every locale, reduced by `normalizeWord`. */
export interface RosterVocabulary {
  columnByHeader: ReadonlyMap<string, RosterColumn>;
  flagByWord: ReadonlyMap<string, HouseholdFlag>;
  booleanByWord: ReadonlyMap<string, boolean>;
  /** Locale codes by their code and by their names. */
  localeByWord: ReadonlyMap<string, string>;
}

/**
 * Builds the accepted words from all locales. Throws (a mistake in the locales, not in a file)
 * when one word would mean two things, e.g. a header alias given to two columns.
 */
export function rosterVocabulary(translator: Translator): RosterVocabulary {
  const columnByHeader = new Map<string, RosterColumn>();
  const flagByWord = new Map<string, HouseholdFlag>();
  const booleanByWord = new Map<string, boolean>();
  const localeByWord = new Map<string, string>();

  for (const flag of HOUSEHOLD_FLAGS) addWord(flagByWord, flag, flag, 'flag');
  for (const locale of translator.locales) addWord(localeByWord, locale, locale, 'language');

  for (const locale of translator.locales) {
    for (const column of ROSTER_COLUMNS) {
      addWord(columnByHeader, translator.t(locale, COLUMN_TITLE_KEYS[column]), column, 'column');
      for (const alias of translator.words(locale, COLUMN_ALIAS_KEYS[column])) addWord(columnByHeader, alias, column, 'column');
    }
    for (const flag of HOUSEHOLD_FLAGS) {
      for (const word of translator.words(locale, FLAG_WORD_KEYS[flag])) addWord(flagByWord, word, flag, 'flag');
    }
    for (const word of translator.words(locale, YES_KEY)) addWord(booleanByWord, word, true, 'yes/no');
    for (const word of translator.words(locale, NO_KEY)) addWord(booleanByWord, word, false, 'yes/no');
    for (const [code, key] of Object.entries(LANGUAGE_WORD_KEYS)) {
      if (!translator.locales.includes(code)) continue;
      for (const word of translator.words(locale, key)) addWord(localeByWord, word, code, 'language');
    }
  }
  return { columnByHeader, flagByWord, booleanByWord, localeByWord };
}

function addWord<T>(map: Map<string, T>, word: string, meaning: T, kind: string): void {
  const normalized = normalizeWord(word);
  if (!normalized) return;
  const existing = map.get(normalized);
  if (existing !== undefined && existing !== meaning) {
    throw new Error(`roster locales: the ${kind} word "${word}" means both ${String(existing)} and ${String(meaning)}`);
  }
  map.set(normalized, meaning);
}

/** How a written file says things in one locale. */
export interface RosterWording {
  locale: string;
  headers: Record<RosterColumn, string>;
  flags: Record<HouseholdFlag, string>;
  yes: string;
  no: string;
  /** Language names by locale code (the code itself when the locales have no name for it). */
  languages: Record<string, string>;
  /** Between flags in one cell ("、" in Chinese, ", " in English). */
  listSeparator: string;
  sheetName: string;
}

/** The words a template or an export in `locale` writes: the first word of each list. */
export function rosterWording(translator: Translator, locale: string): RosterWording {
  const first = (key: string) => translator.words(locale, key)[0] ?? translator.t(locale, key);
  const headers = Object.fromEntries(ROSTER_COLUMNS.map((c) => [c, translator.t(locale, COLUMN_TITLE_KEYS[c])])) as Record<RosterColumn, string>;
  const flags = Object.fromEntries(HOUSEHOLD_FLAGS.map((f) => [f, first(FLAG_WORD_KEYS[f])])) as Record<HouseholdFlag, string>;
  const languages: Record<string, string> = {};
  for (const code of translator.locales) {
    const key = LANGUAGE_WORD_KEYS[code];
    languages[code] = key ? first(key) : code;
  }
  return {
    locale,
    headers,
    flags,
    yes: first(YES_KEY),
    no: first(NO_KEY),
    languages,
    // The separator's spaces matter (", "), so it is read as is, not as a word list.
    listSeparator: translator.t(locale, LIST_SEPARATOR_KEY),
    sheetName: translator.t(locale, SHEET_NAME_KEY),
  };
}
