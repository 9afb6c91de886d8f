/**
 * What the figures look like to a person: the charts (SVG a strict page can show, labelled in the
 * viewer's language), the workbook read back with exceljs, and the page's content — the same
 * numbers in each, "—" for a figure with nothing to measure, everything a community typed escaped.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { pageReadySvg, renderFigureCharts } from '../../../src/staff-web/figures/charts.js';
import { figuresView } from '../../../src/staff-web/figures/figures-view.js';
import { figuresWorkbook } from '../../../src/staff-web/figures/figures-xlsx.js';
import type { FigureSet, Figures } from '../../../src/staff-web/figures/figures.js';
import { html } from '../../../src/staff-web/shell/html.js';
import type { StaffViewer } from '../../../src/staff-web/shell/viewer.js';
import { at, FIGURES_SETTINGS, TIMEZONE, translate } from './support.js';

const NOW = at('2026-06-10T12:00:00');

const EMPTY: FigureSet = {
  new: 0,
  open: 0,
  overdue: 0,
  resolved: 0,
  firstResponses: 0,
  medianFirstResponseMinutes: null,
  satisfaction: { ratings: 0, satisfied: 0, share: null, averageStars: null },
};

/** Figures as loadFigures returns them, with a community that named a zone and a category mischievously. */
function sampleFigures(): Figures {
  const totals: FigureSet = {
    new: 12,
    open: 7,
    overdue: 2,
    resolved: 9,
    firstResponses: 4,
    medianFirstResponseMinutes: 95,
    satisfaction: { ratings: 4, satisfied: 3, share: 0.75, averageStars: 4.25 },
  };
  const categories = [
    ...FIGURES_SETTINGS.categories.map((c) => ({ ...c, publicListing: false, routeToRole: 'steward' as const })),
    { code: 'odd', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '1d', resolution: '7d' }, businessHours: false, label: { 'zh-CN': '<b>怪</b>', en: '<b>odd</b>' } },
  ] as unknown as Figures['categories'];
  return {
    period: 'week',
    current: { from: at('2026-06-04T00:00:00'), to: NOW },
    previous: { from: at('2026-05-28T00:00:00'), to: at('2026-06-04T00:00:00') },
    timezone: TIMEZONE,
    scope: { kind: 'areas', areaPaths: ['平房区/<i>团结巷</i>'] },
    totals,
    previousTotals: { ...EMPTY, new: 5 },
    byArea: [
      { key: '平房区', ...totals, new: 8 },
      { key: '<script>alert(1)</script>', ...EMPTY, new: 3 },
      { key: '', ...EMPTY, new: 1 },
    ],
    byCategory: [
      { key: 'water', ...totals, new: 10 },
      { key: 'odd', ...EMPTY, new: 2 },
    ],
    daily: ['04', '05', '06', '07', '08', '09', '10'].map((d, i) => ({ date: `2026-06-${d}`, new: i, resolved: i % 2 })),
    categories,
  };
}

const viewer = (locale: string): StaffViewer => ({
  actor: { kind: 'person', communityId: 'c1', residentId: 'r1', householdId: null, headOfGroupId: null, roles: [] } as unknown as StaffViewer['actor'],
  residentId: 'r1',
  name: '周主任',
  locale,
  timezone: TIMEZONE,
});

describe('charts', () => {
  it('draw SVG labelled in the viewer’s language, with role, label and title, and nothing a strict page refuses', async () => {
    const charts = await renderFigureCharts(sampleFigures(), { t: translate('zh-CN'), locale: 'zh-CN' });
    const daily = charts.daily.value;
    expect(daily.startsWith('<svg class="figures-chart" role="img" aria-label="柱状图：每日新增与办结工单数，2026-06-04至2026-06-10"')).toBe(true);
    expect(daily).toContain('<title>柱状图：每日新增与办结工单数，2026-06-04至2026-06-10</title>');
    expect(daily).toContain('>新增</text>');
    expect(daily).toContain('>办结</text>');
    expect(daily).toContain('>06-04</text>');
    expect(daily).toContain('viewBox=');
    for (const svg of [daily, charts.byCategory!.value, charts.byArea!.value]) {
      expect(svg).not.toMatch(/ style="|<style|<script|ecmeta_/);
    }
    expect(charts.byCategory!.value).toContain('>供水</text>');
    expect(charts.byCategory!.value).toContain('>在办</text>');
    // A name the community typed is text in the picture, never markup.
    expect(charts.byArea!.value).toContain('&lt;script&gt;');
    expect(charts.byArea!.value).not.toContain('<script>');
    expect(charts.byArea!.value).toContain('>未注明片区</text>');

    const english = await renderFigureCharts(sampleFigures(), { t: translate('en'), locale: 'en' });
    expect(english.daily.value).toContain('>Resolved</text>');
    expect(english.byCategory!.value).toContain('>Water supply</text>');
  });

  it('leave out a group chart when nothing was counted', async () => {
    const charts = await renderFigureCharts({ ...sampleFigures(), byArea: [], byCategory: [] }, { t: translate('en'), locale: 'en' });
    expect(charts.byArea).toBeNull();
    expect(charts.byCategory).toBeNull();
  });

  it('turn inline styles into attributes and escape the label', () => {
    const svg = '<svg width="360" height="200" viewBox="0 0 360 200"><text style="font-size:12px;font-family:sans-serif;" ecmeta_x="1">a</text><style>.a{}</style></svg>';
    expect(pageReadySvg(svg, 'A "quoted" <label>')).toBe(
      '<svg class="figures-chart" role="img" aria-label="A &quot;quoted&quot; &lt;label&gt;" viewBox="0 0 360 200"><title>A &quot;quoted&quot; &lt;label&gt;</title><text font-size="12px" font-family="sans-serif">a</text></svg>',
    );
  });
});

describe('the workbook', () => {
  it('holds the same numbers, with headers in the viewer’s language and the period in its name', async () => {
    const figures = sampleFigures();
    const { fileName, buffer } = await figuresWorkbook(figures, { t: translate('zh-CN'), locale: 'zh-CN' });
    expect(fileName).toBe('figures-week-2026-06-04-2026-06-10.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['总览', '按片区', '按类别', '每日']);

    const rows = (name: string) => {
      const sheet = book.getWorksheet(name)!;
      const out: unknown[][] = [];
      sheet.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    expect(rows('总览')).toEqual([
      ['指标', '2026-06-04至2026-06-10', '2026-05-28至2026-06-03'],
      ['新增', 12, 5],
      ['已办结', 9, 0],
      ['在办（当前）', 7, 0],
      ['超时（当前）', 2, 0],
      // Nothing to measure last period: an empty cell, not 0.
      ['首次响应用时中位数（分钟）', 95],
      ['首次响应件数', 4, 0],
      ['评价数', 4, 0],
      ['满意率', 0.75],
      ['平均星级', 4.25],
    ]);
    expect(rows('按片区').map((r) => [r[0], r[1]])).toEqual([
      ['片区', '新增'],
      ['平房区', 8],
      ['<script>alert(1)</script>', 3],
      ['未注明片区', 1],
    ]);
    expect(rows('按类别')[1]).toEqual(['供水', 10, 7, 2, 9, 95, 4, 0.75, 4.25]);
    expect(rows('每日')).toEqual([
      ['日期', '新增', '已办结'],
      ...figures.daily.map((d) => [d.date, d.new, d.resolved]),
    ]);
  });
});

describe('the page', () => {
  const render = async (locale: string, figures = sampleFigures()) => {
    const t = translate(locale);
    const charts = await renderFigureCharts(figures, { t, locale });
    return figuresView({ figures, charts }, { t, viewer: viewer(locale), csrfToken: 'tok', now: NOW }).value;
  };

  it('shows the period switch, the totals with last period’s, the export link and each chart with its table', async () => {
    const page = await render('zh-CN');
    expect(page).toContain('<h1>数据统计</h1>');
    expect(page).toContain('<a href="/staff/figures?period=week" aria-current="page">近7天</a>');
    expect(page).toContain('<a href="/staff/figures?period=month">本月</a>');
    expect(page).toContain('<a href="/staff/figures.xlsx?period=week">');
    expect(page).toContain('<dt>新增</dt><dd><span class="figures-number">12</span> <span class="figures-previous">上期：5</span></dd>');
    expect(page).toContain('<span class="figures-number">1小时35分钟</span>');
    expect(page).toContain('<span class="figures-number">75%</span> <span class="figures-detail">4条评价中满意3条，平均4.3星</span>');
    expect(page).toContain('<time datetime="2026-06-04">2026-06-04</time> – <time datetime="2026-06-10">2026-06-10</time>');
    expect(page).toContain('<th scope="row"><time datetime="2026-06-09">2026-06-09</time></th><td>5</td><td>1</td>');
    expect(page.match(/<svg /g)).toHaveLength(3);
    expect(page.match(/<table /g)).toHaveLength(3);
    // Headings in order, and no inline style or script anywhere.
    expect([...page.matchAll(/<h(\d)/g)].map((m) => m[1])).toEqual(['1', '2', '2', '2', '2']);
    expect(page).not.toMatch(/ style=|<script|<style/);
  });

  it('shows "—" for a median of no answers and a share of no ratings, never 0', async () => {
    const page = await render('en', { ...sampleFigures(), totals: { ...EMPTY, new: 3 } });
    expect(page).toContain('<dt>First response (median)</dt><dd><span class="figures-number">—</span>');
    expect(page).toContain('<dt>Satisfied</dt><dd><span class="figures-number">—</span> <span class="figures-detail">No ratings in this period</span>');
    expect(page).toContain('<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;</th><td>3</td><td>0</td><td>0</td><td>0</td><td>—</td><td>—</td>');
  });

  it('escapes what the community typed: area paths and category names', async () => {
    const page = await render('zh-CN');
    expect(page).toContain('平房区/&lt;i&gt;团结巷&lt;/i&gt;');
    expect(page).toContain('<th scope="row">&lt;b&gt;怪&lt;/b&gt;</th>');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<b>怪');
    expect(html`${'<b>'}`.value).toBe('&lt;b&gt;');
  });

  it('says so when a period has no tickets, instead of an empty chart', async () => {
    const page = await render('en', { ...sampleFigures(), byArea: [], byCategory: [] });
    expect(page.match(/No tickets in this period\./g)).toHaveLength(2);
    expect(page.match(/<svg /g)).toHaveLength(1);
  });
});
