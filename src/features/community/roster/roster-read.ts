/**
 * A roster file on disk → roster rows, or the problems that stop it being read. The kind of file
 * is decided by its extension (.xlsx or .csv, any case).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CsvSyntaxError, decodeCsvBytes, parseCsvText } from './roster-csv.js';
import { rowsFromGrid, type GridLine, type GridReading } from './roster-grid.js';
import { rosterProblem } from './roster-problem.js';
import type { RosterVocabulary } from './roster-vocabulary.js';
import { readXlsxLines } from './roster-xlsx.js';

export type RosterFileKind = 'csv' | 'xlsx';

/** The kind of roster file a name stands for, or undefined when it is neither. */
export function rosterFileKind(file: string): RosterFileKind | undefined {
  const extension = extname(file).toLowerCase();
  return extension === '.csv' ? 'csv' : extension === '.xlsx' ? 'xlsx' : undefined;
}

/** Reads and maps a roster file; problems for an unknown kind, an unreadable file or bad headers. */
export async function readRosterFile(file: string, vocabulary: RosterVocabulary): Promise<GridReading> {
  const kind = rosterFileKind(file);
  if (!kind) return { ok: false, problems: [rosterProblem(null, null, 'file_type', { extension: extname(file) || file })] };
  let lines: GridLine[];
  try {
    lines = kind === 'xlsx' ? await readXlsxLines(file) : parseCsvText(decodeCsvBytes(await readFile(file)).text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      return { ok: false, problems: [rosterProblem(error.line, null, 'csv_malformed', { reason: error.reason })] };
    }
    return { ok: false, problems: [rosterProblem(null, null, 'file_unreadable', { reason: errorReason(error) })] };
  }
  return rowsFromGrid(lines, vocabulary);
}

/** A short, data-free reason: the system error code (ENOENT…) or the error's first line. */
function errorReason(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  return String(error instanceof Error ? error.message : error).split('\n')[0]!.slice(0, 200);
}
