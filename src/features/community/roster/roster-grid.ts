/**
 * A sheet as read (lines of cell texts, CSV or spreadsheet alike) → roster rows. Finds the header
 * row — the first line, or a later one under a title such as "XX社区居民花名册" — and maps its
 * headers to columns leniently (see `normalizeWord`). Pure.
 */
import { rosterProblem, type RosterProblem } from './roster-problem.js';
import { ROSTER_COLUMNS, type RosterColumn, type RosterRow } from './roster-row.js';
import { normalizeWord, type RosterVocabulary } from './roster-vocabulary.js';

/** One line of a sheet: its number as a spreadsheet shows it, and its cells from column A. */
export interface GridLine {
  line: number;
  cells: string[];
}

export type GridReading =
  | { ok: true; rows: RosterRow[]; ignoredColumns: string[] }
  | { ok: false; problems: RosterProblem[] };

/** How far down a title may push the header row. */
const HEADER_SEARCH_LINES = 10;

/** Finds the header, maps columns, and turns every later non-blank line into a row. */
export function rowsFromGrid(lines: readonly GridLine[], vocabulary: RosterVocabulary): GridReading {
  const nonBlank = lines.filter((l) => l.cells.some((c) => c.trim() !== ''));
  const headerIndex = findHeader(nonBlank.slice(0, HEADER_SEARCH_LINES), vocabulary);
  if (headerIndex === undefined) return { ok: false, problems: [rosterProblem(null, null, 'no_header')] };
  const header = nonBlank[headerIndex]!;

  const problems: RosterProblem[] = [];
  const positions = new Map<RosterColumn, number>();
  const ignoredColumns: string[] = [];
  header.cells.forEach((text, index) => {
    const title = text.trim();
    if (!title) return;
    const column = vocabulary.columnByHeader.get(normalizeWord(title));
    if (!column) ignoredColumns.push(title);
    else if (positions.has(column)) problems.push(rosterProblem(header.line, column, 'duplicate_column', { header: title }));
    else positions.set(column, index);
  });
  // Every column is required, even if its cells stay empty: a file without a phone column must
  // not read as "everybody's phone is now empty" and wipe the office's numbers.
  for (const column of ROSTER_COLUMNS) if (!positions.has(column)) problems.push(rosterProblem(header.line, column, 'missing_column'));
  if (problems.length > 0) return { ok: false, problems };

  const rows: RosterRow[] = [];
  for (const { line, cells } of nonBlank.slice(headerIndex + 1)) {
    const cell = (column: RosterColumn) => (cells[positions.get(column)!] ?? '').trim();
    const row: RosterRow = {
      line,
      householdCode: cell('householdCode'),
      areaPath: cell('areaPath'),
      address: cell('address'),
      memberName: cell('memberName'),
      phone: cell('phone'),
      birthYear: cell('birthYear'),
      flags: cell('flags'),
      groupCode: cell('groupCode'),
      groupHead: cell('groupHead'),
      language: cell('language'),
    };
    // A line with text only in ignored columns (a note, a total) is not a member.
    if (ROSTER_COLUMNS.some((c) => row[c] !== '')) rows.push(row);
  }
  return { ok: true, rows, ignoredColumns };
}

/** The line with the most recognised headers (at least two), the earliest on a tie. */
function findHeader(candidates: readonly GridLine[], vocabulary: RosterVocabulary): number | undefined {
  let best: number | undefined;
  let bestCount = 1;
  candidates.forEach((candidate, index) => {
    const count = new Set(candidate.cells.map((c) => vocabulary.columnByHeader.get(normalizeWord(c))).filter(Boolean)).size;
    if (count > bestCount) {
      best = index;
      bestCount = count;
    }
  });
  return best;
}
