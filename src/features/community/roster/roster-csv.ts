/**
 * CSV roster files: bytes → lines of cells, and lines of cells → bytes.
 *
 * Reading accepts UTF-8 with or without a byte-order mark and, when the bytes are not valid
 * UTF-8, GB18030 (a superset of GBK/GB2312): what Excel in China saves as "CSV (逗号分隔)".
 * A file that is valid UTF-8 is taken as UTF-8 — Chinese text in GBK is practically never valid
 * UTF-8, so the check is cheap and safe. Writing uses UTF-8 with a byte-order mark, so Excel
 * opens the file with the right characters instead of guessing GBK.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { GridLine } from './roster-grid.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Which text encoding the bytes are in, and the text. */
export function decodeCsvBytes(bytes: Uint8Array): { encoding: 'utf-8' | 'gb18030'; text: string } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8', text: new TextDecoder('utf-8').decode(bytes.subarray(3)) };
  }
  try {
    return { encoding: 'utf-8', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { encoding: 'gb18030', text: new TextDecoder('gb18030').decode(bytes) };
  }
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`CSV syntax error on record ${line}: ${reason}`);
  }
}

/**
 * Parses CSV text into lines numbered as a spreadsheet numbers them: one per record (a quoted
 * cell may span several text lines), blank lines included. Throws CsvSyntaxError.
 */
export function parseCsvText(text: string): GridLine[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true });
  } catch (error) {
    const info = error as { code?: string; records?: number };
    throw new CsvSyntaxError((info.records ?? 0) + 1, info.code ?? 'CSV_INVALID');
  }
  return records.map((cells, index) => ({ line: index + 1, cells }));
}

/** A header and rows as UTF-8 CSV bytes (with BOM, CRLF line ends, quoted only when needed). */
export function csvBytes(header: readonly string[], rows: readonly (readonly string[])[]): Buffer {
  const text = stringify([header, ...rows], { record_delimiter: '\r\n' });
  return Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]);
}
