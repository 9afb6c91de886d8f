/**
 * A contributions file as read (lines of cell texts, CSV or spreadsheet alike) → contribution
 * rows, or every problem with its line and column. Headers are matched in any locale, leniently
 * (the roster's `normalizeWord`); the header may sit under a title line. Pure.
 */
import type { GridLine } from '../../community/roster/roster-grid.js';
import { normalizeWord } from '../../community/roster/roster-vocabulary.js';
import type { Translator } from '../../../i18n/translator.js';
import { parseYuan } from '../rules/money.js';
import { parseLocalDay } from '../rules/fund-month.js';

/** The columns of a contributions file; household, amount and date are required. */
export const CONTRIBUTION_COLUMNS = ['householdCode', 'amount', 'paidOn', 'receipt', 'note'] as const;
export type ContributionColumn = (typeof CONTRIBUTION_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ContributionColumn[] = ['householdCode', 'amount', 'paidOn'];

export const CONTRIBUTION_PROBLEM_CODES = [
  'file_type',
  'file_unreadable',
  'csv_malformed',
  'no_header',
  'missing_column',
  'duplicate_column',
  'no_rows',
  'missing_field',
  'bad_amount',
  'bad_date',
  'unknown_household',
  'outside_fund_area',
  'duplicate_receipt',
  'receipt_recorded_otherwise',
] as const;
export type ContributionProblemCode = (typeof CONTRIBUTION_PROBLEM_CODES)[number];

export interface ContributionProblem {
  /** The line as a spreadsheet numbers it; null for the file as a whole. */
  line: number | null;
  column: ContributionColumn | null;
  code: ContributionProblemCode;
  vars: Record<string, string | number>;
}

/** One good line of the file. */
export interface ContributionRow {
  line: number;
  householdCode: string;
  amountFen: number;
  paidOn: Date;
  receipt: string | null;
  note: string | null;
}

/**
 * The good rows and every problem found. A problem with the file as a whole (no header, a missing
 * column) leaves no rows; problems of single lines leave the other lines' rows, so the caller can
 * check those against the roster too and report everything at once.
 */
export interface SheetReading {
  rows: ContributionRow[];
  problems: ContributionProblem[];
}

/** The locale key of each column's header; `fund.import.column_aliases.*` holds other accepted words. */
export const COLUMN_TITLE_KEYS: Record<ContributionColumn, string> = {
  householdCode: 'property_fund.import.column.householdCode',
  amount: 'property_fund.import.column.amount',
  paidOn: 'property_fund.import.column.paidOn',
  receipt: 'property_fund.import.column.receipt',
  note: 'property_fund.import.column.note',
};
const COLUMN_ALIAS_KEYS: Record<ContributionColumn, string> = {
  householdCode: 'property_fund.import.column_aliases.householdCode',
  amount: 'property_fund.import.column_aliases.amount',
  paidOn: 'property_fund.import.column_aliases.paidOn',
  receipt: 'property_fund.import.column_aliases.receipt',
  note: 'property_fund.import.column_aliases.note',
};

/** Every header word of every locale → its column. */
export function contributionHeaders(translator: Translator): ReadonlyMap<string, ContributionColumn> {
  const headers = new Map<string, ContributionColumn>();
  for (const locale of translator.locales) {
    for (const column of CONTRIBUTION_COLUMNS) {
      for (const word of [translator.t(locale, COLUMN_TITLE_KEYS[column]), ...translator.words(locale, COLUMN_ALIAS_KEYS[column])]) {
        const normalized = normalizeWord(word);
        if (normalized) headers.set(normalized, column);
      }
    }
  }
  return headers;
}

export function contributionProblem(
  line: number | null,
  column: ContributionColumn | null,
  code: ContributionProblemCode,
  vars: Record<string, string | number> = {},
): ContributionProblem {
  return { line, column, code, vars };
}

const HEADER_SEARCH_LINES = 10;

/** Finds the header, then reads and checks every later non-blank line's cells. */
export function readContributionSheet(lines: readonly GridLine[], headers: ReadonlyMap<string, ContributionColumn>, timezone: string): SheetReading {
  const nonBlank = lines.filter((l) => l.cells.some((c) => c.trim() !== ''));
  const headerIndex = findHeader(nonBlank.slice(0, HEADER_SEARCH_LINES), headers);
  if (headerIndex === undefined) return { rows: [], problems: [contributionProblem(null, null, 'no_header')] };
  const header = nonBlank[headerIndex]!;

  const problems: ContributionProblem[] = [];
  const positions = new Map<ContributionColumn, number>();
  header.cells.forEach((text, index) => {
    const column = headers.get(normalizeWord(text.trim()));
    if (!column) return;
    if (positions.has(column)) problems.push(contributionProblem(header.line, column, 'duplicate_column', { header: text.trim() }));
    else positions.set(column, index);
  });
  for (const column of REQUIRED_COLUMNS) if (!positions.has(column)) problems.push(contributionProblem(header.line, column, 'missing_column'));
  if (problems.length > 0) return { rows: [], problems };

  const rows: ContributionRow[] = [];
  for (const { line, cells } of nonBlank.slice(headerIndex + 1)) {
    const cell = (column: ContributionColumn) => {
      const position = positions.get(column);
      return position === undefined ? '' : (cells[position] ?? '').trim();
    };
    // A line with text only in other columns (a total, a signature) is no contribution.
    if (CONTRIBUTION_COLUMNS.every((c) => cell(c) === '')) continue;
    const before = problems.length;
    const householdCode = cell('householdCode');
    if (!householdCode) problems.push(contributionProblem(line, 'householdCode', 'missing_field'));
    const amountFen = required(cell('amount'), line, 'amount', parseYuan, 'bad_amount', problems);
    const paidOn = required(cell('paidOn'), line, 'paidOn', (text) => parseLocalDay(text, timezone), 'bad_date', problems);
    if (problems.length > before || amountFen === null || paidOn === null) continue;
    rows.push({ line, householdCode, amountFen, paidOn, receipt: cell('receipt') || null, note: cell('note') || null });
  }
  if (rows.length === 0 && problems.length === 0) return { rows, problems: [contributionProblem(null, null, 'no_rows')] };
  const duplicates = duplicateReceipts(rows);
  const duplicateLines = new Set(duplicates.map((p) => p.line));
  return { rows: rows.filter((row) => !duplicateLines.has(row.line)), problems: sortProblems([...problems, ...duplicates]) };
}

/** File order: by line (the file's own problems first), then by column as the file lays them out. */
export function sortProblems(problems: readonly ContributionProblem[]): ContributionProblem[] {
  const column = (c: ContributionColumn | null) => (c === null ? -1 : CONTRIBUTION_COLUMNS.indexOf(c));
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || column(a.column) - column(b.column));
}

function required<T>(
  text: string,
  line: number,
  column: ContributionColumn,
  parse: (text: string) => T | null,
  code: ContributionProblemCode,
  problems: ContributionProblem[],
): T | null {
  if (!text) {
    problems.push(contributionProblem(line, column, 'missing_field'));
    return null;
  }
  const value = parse(text);
  if (value === null) problems.push(contributionProblem(line, column, code, { value: text }));
  return value;
}

/** A receipt number twice in one file: the second line names the first. */
function duplicateReceipts(rows: readonly ContributionRow[]): ContributionProblem[] {
  const first = new Map<string, number>();
  const problems: ContributionProblem[] = [];
  for (const row of rows) {
    if (row.receipt === null) continue;
    const seen = first.get(row.receipt);
    if (seen === undefined) first.set(row.receipt, row.line);
    else problems.push(contributionProblem(row.line, 'receipt', 'duplicate_receipt', { value: row.receipt, first: seen }));
  }
  return problems;
}

/** The line with the most recognised headers (at least two), the earliest on a tie. */
function findHeader(candidates: readonly GridLine[], headers: ReadonlyMap<string, ContributionColumn>): number | undefined {
  let best: number | undefined;
  let bestCount = 1;
  candidates.forEach((candidate, index) => {
    const count = new Set(candidate.cells.map((c) => headers.get(normalizeWord(c))).filter(Boolean)).size;
    if (count > bestCount) {
      best = index;
      bestCount = count;
    }
  });
  return best;
}
