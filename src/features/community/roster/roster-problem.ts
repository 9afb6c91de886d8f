/**
 * What can be wrong with a roster file, as data: where (line and column, as a spreadsheet shows
 * them) and what (a code with the values needed to explain it). `roster-report.ts` renders them
 * in the operator's language.
 */
import { ROSTER_COLUMNS, type RosterColumn } from './roster-row.js';

export const ROSTER_PROBLEM_CODES = [
  // The file as a whole
  'file_type',
  'file_unreadable',
  'csv_malformed',
  'no_header',
  'missing_column',
  'duplicate_column',
  'no_rows',
  // One cell
  'missing_field',
  'unknown_flag',
  'bad_phone',
  'bad_birth_year',
  'unknown_language',
  'bad_area_path',
  'bad_group_head',
  // Rows that contradict each other
  'duplicate_member',
  'head_without_group',
  'household_mismatch',
  'household_two_groups',
  'group_no_head',
  'group_two_heads',
] as const;
export type RosterProblemCode = (typeof ROSTER_PROBLEM_CODES)[number];

export interface RosterProblem {
  /** The row as a spreadsheet numbers it (header = 1); null for the file as a whole. */
  line: number | null;
  column: RosterColumn | null;
  code: RosterProblemCode;
  /** Values the message shows: the cell's text, the line it contradicts… */
  vars: Record<string, string | number>;
}

/** A problem; `vars` defaults to none. */
export function rosterProblem(
  line: number | null,
  column: RosterColumn | null,
  code: RosterProblemCode,
  vars: Record<string, string | number> = {},
): RosterProblem {
  return { line, column, code, vars };
}

/** File order: by line (file-wide problems first), then by column as the file lays them out. */
export function sortProblems(problems: readonly RosterProblem[]): RosterProblem[] {
  const columnIndex = (c: RosterColumn | null) => (c === null ? -1 : ROSTER_COLUMNS.indexOf(c));
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || columnIndex(a.column) - columnIndex(b.column));
}
