/**
 * Excel roster files (.xlsx, through exceljs): the first visible sheet → lines of cell texts,
 * and a header with rows → a workbook.
 *
 * Cells are read as the text a person sees: numbers as written (a phone typed as a number is
 * still its digits), rich text joined, a formula's result, a link's text. Cells merged across a
 * household's rows (common for the household code and address) give every row the merged value.
 */
import ExcelJS from 'exceljs';
import type { GridLine } from './roster-grid.js';

/** Reads the first visible worksheet. Throws when the file is not a workbook. */
export async function readXlsxLines(file: string): Promise<GridLine[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets.find((s) => s.state === 'visible') ?? workbook.worksheets[0];
  if (!sheet) return [];
  const lines: GridLine[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    // `row.values` is 1-based (index 0 unused) and sparse.
    const values = row.values as ExcelJS.CellValue[];
    for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]));
    lines.push({ line, cells });
  });
  return lines;
}

/** A cell's value as the text it shows. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result as ExcelJS.CellValue | undefined);
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  // An error value (#N/A…) carries no roster text.
  return '';
}

export interface XlsxSheet {
  name: string;
  header: readonly string[];
  rows: readonly (readonly (string | number)[])[];
  /** Column indexes whose cells are text even when they look like numbers (codes, phones). */
  textColumns: readonly number[];
}

/** Writes one sheet: a bold, frozen header row, then the rows (numbers stay numbers). */
export async function writeXlsx(file: string, sheet: XlsxSheet): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = sheet.header.map((title, index) => ({
    width: Math.max(10, ...[title, ...sheet.rows.map((r) => String(r[index] ?? ''))].map(displayWidth)) + 2,
    ...(sheet.textColumns.includes(index) ? { style: { numFmt: '@' } } : {}),
  }));
  worksheet.addRow([...sheet.header]).font = { bold: true };
  for (const row of sheet.rows) worksheet.addRow([...row]);
  await workbook.xlsx.writeFile(file);
}

/** Wide (CJK) characters take two columns in Excel. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return Math.min(width, 60);
}
