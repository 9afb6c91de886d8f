/**
 * The figures page's charts, drawn on the server as SVG by ECharts (no script in the page): new
 * and resolved per day, and new and open by category and by zone.
 *
 * - ECharts is imported when a chart is first drawn, so starting the server does not load it.
 * - Sized for a phone (360 px wide; the SVG keeps its viewBox and scales to its box); bars of the
 *   groups lie horizontally, so long names stay readable.
 * - Colours keep at least 4.5:1 against white (WCAG's contrast for text; bars need 3:1).
 * - Accessible: the root has role="img", an aria-label and a <title>; the numbers themselves
 *   follow each chart as a table (figures-view.ts).
 * - The page runs under a strict Content-Security-Policy, so ECharts' inline `style` attributes
 *   become presentation attributes and its hover <style> block is dropped (nothing hovers in a
 *   picture with no script).
 */
import { escapeText, trustedHtml, type SafeHtml } from '../shell/html.js';
import type { Translate } from '../shell/viewer.js';
import { areaLabel, categoryLabel, periodDays, shortDay } from './figure-names.js';
import type { Figures, FigureGroup } from './figures.js';

/** Chart width in CSS pixels: a phone held upright. */
export const CHART_WIDTH = 360;

/** Bars: dark blue for new, dark orange for resolved, dark grey-green for open. */
export const CHART_COLOURS = { new: '#1d4f91', resolved: '#a04000', open: '#2f6b3a', text: '#1a1a1a', axis: '#555555' } as const;

export interface FigureCharts {
  daily: SafeHtml;
  /** null when nothing was counted in any category (the view says so instead of an empty chart). */
  byCategory: SafeHtml | null;
  byArea: SafeHtml | null;
}

/** The three charts of `figures`, labelled in the viewer's language. */
export async function renderFigureCharts(figures: Figures, words: { t: Translate; locale: string }): Promise<FigureCharts> {
  const { t, locale } = words;
  const days = periodDays(figures.current, figures.timezone);
  const daily = await renderChart(
    t('staffweb.figures.chart_daily_label', { from: days.first, to: days.last }),
    220,
    {
      legend: { top: 0, textStyle: textStyle() },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: figures.daily.map((d) => shortDay(d.date)), axisLabel: textStyle(), axisLine: axisLine() },
      yAxis: { type: 'value', minInterval: 1, axisLabel: textStyle() },
      series: [
        { name: t('staffweb.figures.series_new'), type: 'bar', data: figures.daily.map((d) => d.new), itemStyle: { color: CHART_COLOURS.new } },
        { name: t('staffweb.figures.series_resolved'), type: 'bar', data: figures.daily.map((d) => d.resolved), itemStyle: { color: CHART_COLOURS.resolved } },
      ],
    },
  );
  const byCategory = await groupChart(
    t('staffweb.figures.chart_category_label', { from: days.first, to: days.last }),
    figures.byCategory,
    (key) => categoryLabel(key, figures.categories, locale, t),
    t,
  );
  const byArea = await groupChart(t('staffweb.figures.chart_area_label', { from: days.first, to: days.last }), figures.byArea, (key) => areaLabel(key, t), t);
  return { daily, byCategory, byArea };
}

async function groupChart(label: string, groups: readonly FigureGroup[], name: (key: string) => string, t: Translate): Promise<SafeHtml | null> {
  if (groups.length === 0) return null;
  return renderChart(label, 60 + groups.length * 44, {
    legend: { top: 0, textStyle: textStyle() },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: textStyle() },
    // The busiest group first, at the top.
    yAxis: { type: 'category', inverse: true, data: groups.map((g) => name(g.key)), axisLabel: textStyle(), axisLine: axisLine() },
    series: [
      { name: t('staffweb.figures.series_new'), type: 'bar', data: groups.map((g) => g.new), itemStyle: { color: CHART_COLOURS.new } },
      { name: t('staffweb.figures.series_open'), type: 'bar', data: groups.map((g) => g.open), itemStyle: { color: CHART_COLOURS.open } },
    ],
  });
}

function textStyle() {
  return { color: CHART_COLOURS.text, fontSize: 13, fontFamily: 'sans-serif' };
}

function axisLine() {
  return { lineStyle: { color: CHART_COLOURS.axis } };
}

/** Draws one chart and makes its SVG fit the page (see the file's comment). */
async function renderChart(label: string, height: number, option: Record<string, unknown>): Promise<SafeHtml> {
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height });
  try {
    chart.setOption({ animation: false, textStyle: textStyle(), ...option });
    return trustedHtml(pageReadySvg(chart.renderToSVGString(), label));
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts' SVG made fit for the page: role, label and title on the root; fixed width and height
 * left to the viewBox and the stylesheet; inline styles as attributes; no <style>; no ECharts
 * bookkeeping attributes.
 */
export function pageReadySvg(svg: string, label: string): string {
  const text = escapeText(label);
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ style="([^"]*)"/g, (_match, declarations: string) => presentationAttributes(declarations))
    .replace(/<svg width="[^"]*" height="[^"]*"/, `<svg class="figures-chart" role="img" aria-label="${text}"`)
    .replace(/(<svg[^>]*>)/, `$1<title>${text}</title>`);
}

/** `font-size:12px;font-family:sans-serif;` → ` font-size="12px" font-family="sans-serif"`. */
function presentationAttributes(declarations: string): string {
  return declarations
    .split(';')
    .map((declaration) => declaration.split(':').map((part) => part.trim()))
    .filter((parts): parts is [string, string] => parts.length === 2 && /^[a-z-]+$/.test(parts[0]!) && parts[1] !== '')
    .map(([property, value]) => ` ${property}="${value.replace(/"/g, '&quot;')}"`)
    .join('');
}
