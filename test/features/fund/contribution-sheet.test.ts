/**
 * Reading a contributions sheet and planning it against the roster and the ledger (pure): every
 * bad line is reported with its line and column, headers are found under a title in either
 * language, a receipt already recorded with the same facts is unchanged and with other facts a
 * problem.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planContributions } from '../../../src/features/fund/contributions/contribution-plan.js';
import { contributionHeaders, readContributionSheet } from '../../../src/features/fund/contributions/contribution-sheet.js';
import { parseLocalDay } from '../../../src/features/fund/rules/fund-month.js';
import { loadTranslator } from '../../../src/i18n/translator.js';

const TZ = 'Asia/Shanghai';
const translator = loadTranslator(fileURLToPath(new URL('../../../locales', import.meta.url)));
const headers = contributionHeaders(translator);
const lines = (rows: string[][]) => rows.map((cells, index) => ({ line: index + 1, cells }));

describe('a contributions sheet', () => {
  it('reads rows under a title, in Chinese headers, skipping blank and total-only lines', () => {
    const reading = readContributionSheet(
      lines([
        ['平房区物业基金缴费登记'],
        ['户号', '金额', '缴费日期', '收据号', '备注'],
        ['H0001', '10', '2026-11-05', 'R-001', ''],
        ['', '', '', '', ''],
        ['H0002', '¥10.50', '2026-11-06', '', '补交'],
        ['合计', '', '', '', ''],
      ]),
      headers,
      TZ,
    );
    // "合计" sits in the household column: a total line is a row with no amount, reported.
    expect(reading.problems).toEqual([
      { line: 6, column: 'amount', code: 'missing_field', vars: {} },
      { line: 6, column: 'paidOn', code: 'missing_field', vars: {} },
    ]);
    // The good lines are kept, so the roster can check them too and every problem is told at once.
    expect(reading.rows.map((r) => [r.line, r.householdCode, r.amountFen, r.receipt, r.note])).toEqual([
      [3, 'H0001', 1000, 'R-001', null],
      [5, 'H0002', 1050, null, '补交'],
    ]);
  });

  it('takes English headers and gives fen and local days', () => {
    const reading = readContributionSheet(
      lines([
        ['Household code', 'Amount', 'Paid on'],
        ['H0001', '10', '2026-11-05'],
      ]),
      headers,
      TZ,
    );
    expect(reading).toEqual({ problems: [], rows: [{ line: 2, householdCode: 'H0001', amountFen: 1000, paidOn: parseLocalDay('2026-11-05', TZ), receipt: null, note: null }] });
  });

  it('reports every bad cell of every line, not only the first', () => {
    const reading = readContributionSheet(
      lines([
        ['户号', '金额', '缴费日期', '收据号'],
        ['H0001', 'ten', '2026-11-05', 'R-1'],
        ['', '10', '2026-02-30', 'R-2'],
        ['H0003', '10.001', '', 'R-3'],
        ['H0004', '10', '2026-11-05', 'R-1'],
      ]),
      headers,
      TZ,
    );
    // Line 5 repeats line 2's receipt, but line 2 is no contribution: line 5 stands.
    expect(reading.rows.map((r) => r.line)).toEqual([5]);
    expect(reading.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [2, 'amount', 'bad_amount'],
      [3, 'householdCode', 'missing_field'],
      [3, 'paidOn', 'bad_date'],
      [4, 'amount', 'bad_amount'],
      [4, 'paidOn', 'missing_field'],
    ]);
  });

  it('names a receipt given twice with the line it first appeared on', () => {
    const reading = readContributionSheet(
      lines([
        ['户号', '金额', '缴费日期', '收据号'],
        ['H0001', '10', '2026-11-05', 'R-1'],
        ['H0002', '10', '2026-11-05', 'R-1'],
      ]),
      headers,
      TZ,
    );
    expect(reading.problems).toEqual([{ line: 3, column: 'receipt', code: 'duplicate_receipt', vars: { value: 'R-1', first: 2 } }]);
    expect(reading.rows.map((r) => r.line)).toEqual([2]);
  });

  it('refuses a file without the required columns, or without rows', () => {
    expect(readContributionSheet(lines([['户号', '备注'], ['H0001', 'x']]), headers, TZ)).toEqual({
      rows: [],
      problems: [
        { line: 1, column: 'amount', code: 'missing_column', vars: {} },
        { line: 1, column: 'paidOn', code: 'missing_column', vars: {} },
      ],
    });
    expect(readContributionSheet(lines([['户号', '金额', '缴费日期']]), headers, TZ)).toEqual({ rows: [], problems: [{ line: null, column: null, code: 'no_rows', vars: {} }] });
    expect(readContributionSheet(lines([['姓名'], ['张三']]), headers, TZ)).toEqual({ rows: [], problems: [{ line: null, column: null, code: 'no_header', vars: {} }] });
  });
});

describe('planning against the roster and the ledger', () => {
  const paidOn = parseLocalDay('2026-11-05', TZ)!;
  const row = (line: number, householdCode: string, receipt: string | null, amountFen = 1000) => ({ line, householdCode, amountFen, paidOn, receipt, note: null });
  const households = new Map([
    ['H0001', { id: 'h1', inFundArea: true }],
    ['B0001', { id: 'b1', inFundArea: false }],
  ]);

  it('adds new rows, counts a receipt recorded with the same facts as unchanged', () => {
    const receipts = new Map([['R-1', { householdId: 'h1', amountFen: 1000, paidOn }]]);
    const plan = planContributions([row(2, 'H0001', 'R-1'), row(3, 'H0001', 'R-2'), row(4, 'H0001', null)], households, receipts);
    expect(plan).toMatchObject({ ok: true, unchanged: 1, toAdd: [{ line: 3, householdId: 'h1' }, { line: 4, householdId: 'h1' }] });
  });

  it('reports unknown households, households outside the area and receipts recorded otherwise', () => {
    const receipts = new Map([['R-1', { householdId: 'h1', amountFen: 2000, paidOn }]]);
    const plan = planContributions([row(2, 'H0001', 'R-1'), row(3, 'H9999', null), row(4, 'B0001', null)], households, receipts);
    expect(plan).toEqual({
      ok: false,
      problems: [
        { line: 2, column: 'receipt', code: 'receipt_recorded_otherwise', vars: { value: 'R-1' } },
        { line: 3, column: 'householdCode', code: 'unknown_household', vars: { value: 'H9999' } },
        { line: 4, column: 'householdCode', code: 'outside_fund_area', vars: { value: 'B0001' } },
      ],
    });
  });
});
