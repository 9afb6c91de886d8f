/**
 * Writes roster rows to a file — the template and the export share it — as .xlsx or .csv by the
 * file's extension, with the header in the wording's language. Everything written reads back
 * as the same rows (export → import → export is identical).
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { csvBytes } from './roster-csv.js';
import { rosterFileKind } from './roster-read.js';
import { ROSTER_COLUMNS, type RosterColumn } from './roster-row.js';
import type { RosterWording } from './roster-vocabulary.js';
import { writeXlsx } from './roster-xlsx.js';

/** A roster line to write: every column's text. */
export type RosterCells = Record<RosterColumn, string>;

/** Thrown when asked to write a file that is neither .xlsx nor .csv. */
export class RosterFileTypeError extends Error {
  constructor(readonly extension: string) {
    super(`roster files are .xlsx or .csv, not "${extension}"`);
  }
}

/** Columns Excel must keep as text: leading zeros in codes, long digit strings in phones. */
const TEXT_COLUMNS: readonly RosterColumn[] = ['householdCode', 'phone', 'groupCode'];

/** Writes the header and the rows; throws RosterFileTypeError for another extension. */
export async function writeRosterFile(file: string, wording: RosterWording, rows: readonly RosterCells[]): Promise<void> {
  const kind = rosterFileKind(file);
  if (!kind) throw new RosterFileTypeError(extname(file));
  const header = ROSTER_COLUMNS.map((c) => wording.headers[c]);
  if (kind === 'csv') {
    await writeFile(file, csvBytes(header, rows.map((row) => ROSTER_COLUMNS.map((c) => row[c]))));
    return;
  }
  await writeXlsx(file, {
    name: wording.sheetName,
    header,
    // A birth year is a number in Excel (it sorts and filters as one); everything else is text.
    rows: rows.map((row) => ROSTER_COLUMNS.map((c) => (c === 'birthYear' && row.birthYear !== '' ? Number(row.birthYear) : row[c]))),
    textColumns: TEXT_COLUMNS.map((c) => ROSTER_COLUMNS.indexOf(c)),
  });
}
