/**
 * The figures as an Excel workbook, for the office's own reports: a summary sheet (this period and
 * the previous one), by zone, by category, and per day. Headers in the viewer's language; numbers
 * stay numbers (shares as percentages, minutes with one decimal) so they can be summed and charted;
 * a figure with nothing to measure (a median of no answers, a share of no ratings) is an empty
 * cell, not 0. exceljs is loaded on the first export, not when the server starts.
 */
import type ExcelJS from 'exceljs';
import type { Translate } from '../shell/viewer.js';
import { areaLabel, categoryLabel, periodDays } from './figure-names.js';
import type { FigureGroup, FigureSet, Figures } from './figures.js';

export interface FiguresWorkbook {
  /** `figures-week-2026-12-01-2026-12-07.xlsx`: the period kind and its days. */
  fileName: string;
  buffer: Buffer;
}

const PERCENT = '0.0%';
const ONE_DECIMAL = '0.0';
const TWO_DECIMALS = '0.00';

/** The workbook of `figures` with words in the viewer's language. */
export async function figuresWorkbook(figures: Figures, words: { t: Translate; locale: string }): Promise<FiguresWorkbook> {
  const { t, locale } = words;
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const current = periodDays(figures.current, figures.timezone);
  const previous = periodDays(figures.previous, figures.timezone);

  const summary = workbook.addWorksheet(t('staffweb.figures.sheet_summary'));
  summary.columns = [
    { header: t('staffweb.figures.column_figure'), width: 28 },
    { header: t('staffweb.figures.column_period', { from: current.first, to: current.last }), width: 26 },
    { header: t('staffweb.figures.column_period', { from: previous.first, to: previous.last }), width: 26 },
  ];
  const rows: Array<[string, (s: FigureSet) => number | null, string | undefined]> = [
    [t('staffweb.figures.new'), (s) => s.new, undefined],
    [t('staffweb.figures.resolved'), (s) => s.resolved, undefined],
    [t('staffweb.figures.open'), (s) => s.open, undefined],
    [t('staffweb.figures.overdue'), (s) => s.overdue, undefined],
    [t('staffweb.figures.median_first_response_minutes'), (s) => s.medianFirstResponseMinutes, ONE_DECIMAL],
    [t('staffweb.figures.first_responses'), (s) => s.firstResponses, undefined],
    [t('staffweb.figures.ratings'), (s) => s.satisfaction.ratings, undefined],
    [t('staffweb.figures.satisfied_share'), (s) => s.satisfaction.share, PERCENT],
    [t('staffweb.figures.average_stars'), (s) => s.satisfaction.averageStars, TWO_DECIMALS],
  ];
  for (const [name, value, format] of rows) {
    const row = summary.addRow([name, value(figures.totals), value(figures.previousTotals)]);
    if (format) for (const column of [2, 3]) row.getCell(column).numFmt = format;
  }
  boldHeader(summary);

  groupSheet(workbook, t('staffweb.figures.sheet_by_area'), t('staffweb.figures.column_area'), figures.byArea, (key) => areaLabel(key, t), t);
  groupSheet(workbook, t('staffweb.figures.sheet_by_category'), t('staffweb.figures.column_category'), figures.byCategory, (key) => categoryLabel(key, figures.categories, locale, t), t);

  const daily = workbook.addWorksheet(t('staffweb.figures.sheet_daily'));
  daily.columns = [
    { header: t('staffweb.figures.column_date'), width: 14 },
    { header: t('staffweb.figures.new'), width: 12 },
    { header: t('staffweb.figures.resolved'), width: 12 },
  ];
  for (const day of figures.daily) daily.addRow([day.date, day.new, day.resolved]);
  boldHeader(daily);

  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return { fileName: `figures-${figures.period}-${current.first}-${current.last}.xlsx`, buffer };
}

function groupSheet(workbook: ExcelJS.Workbook, title: string, nameHeader: string, groups: readonly FigureGroup[], name: (key: string) => string, t: Translate): void {
  const sheet = workbook.addWorksheet(title);
  sheet.columns = [
    { header: nameHeader, width: 24 },
    { header: t('staffweb.figures.new'), width: 10 },
    { header: t('staffweb.figures.open'), width: 10 },
    { header: t('staffweb.figures.overdue'), width: 10 },
    { header: t('staffweb.figures.resolved'), width: 10 },
    { header: t('staffweb.figures.median_first_response_minutes'), width: 22, style: { numFmt: ONE_DECIMAL } },
    { header: t('staffweb.figures.ratings'), width: 10 },
    { header: t('staffweb.figures.satisfied_share'), width: 14, style: { numFmt: PERCENT } },
    { header: t('staffweb.figures.average_stars'), width: 14, style: { numFmt: TWO_DECIMALS } },
  ];
  for (const g of groups) {
    sheet.addRow([name(g.key), g.new, g.open, g.overdue, g.resolved, g.medianFirstResponseMinutes, g.satisfaction.ratings, g.satisfaction.share, g.satisfaction.averageStars]);
  }
  boldHeader(sheet);
}

function boldHeader(sheet: ExcelJS.Worksheet): void {
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}
