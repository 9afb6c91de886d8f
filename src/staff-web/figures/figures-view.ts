/**
 * The figures page's main content: the period switch, the totals as large numbers (with the
 * previous period's beside them), each chart followed by its numbers as a table (for screen
 * readers, and for whoever wants the numbers), and the link to the workbook. A table wider than
 * a phone scrolls inside its box, which can take the keyboard's focus so it can be scrolled
 * without a pointer.
 *
 * A figure with nothing to measure (no answer to take a median of, no rating) shows "—", never 0:
 * "0 minutes" would read as instant answers.
 */
import { html, type SafeHtml } from '../shell/html.js';
import type { StaffViewer, Translate } from '../shell/viewer.js';
import type { FigureCharts } from './charts.js';
import { areaLabel, categoryLabel, periodDays } from './figure-names.js';
import { FIGURE_PERIODS, type FigurePeriodKind } from './figure-periods.js';
import type { FigureGroup, FigureSet, Figures } from './figures.js';

export interface FiguresViewData {
  figures: Figures;
  charts: FigureCharts;
}

export interface FiguresViewContext {
  t: Translate;
  viewer: StaffViewer;
  csrfToken: string;
  now: Date;
}

/** The page's URL for a period. */
export function figuresPath(period: FigurePeriodKind): string {
  return `/staff/figures?period=${period}`;
}

/** The workbook's URL for a period. */
export function figuresXlsxPath(period: FigurePeriodKind): string {
  return `/staff/figures.xlsx?period=${period}`;
}

export function figuresView(data: FiguresViewData, ctx: FiguresViewContext): SafeHtml {
  const { figures, charts } = data;
  const { t } = ctx;
  const current = periodDays(figures.current, figures.timezone);
  const previous = periodDays(figures.previous, figures.timezone);
  return html`<div class="figures">
<h1>${t('staffweb.figures.title')}</h1>
<nav class="figures-periods" aria-label="${t('staffweb.figures.period_nav')}"><ul>${FIGURE_PERIODS.map(
    (period) =>
      html`<li><a href="${figuresPath(period)}"${period === figures.period ? html` aria-current="page"` : ''}>${periodName(period, t)}</a></li>`,
  )}</ul></nav>
<dl class="figures-meta">
<dt>${t('staffweb.figures.scope')}</dt><dd>${figures.scope.kind === 'community' ? t('staffweb.figures.scope_community') : figures.scope.areaPaths.join(', ')}</dd>
<dt>${t('staffweb.figures.range')}</dt><dd>${dayRange(current)}</dd>
<dt>${t('staffweb.figures.previous_range')}</dt><dd>${dayRange(previous)}</dd>
</dl>
<p class="figures-export"><a href="${figuresXlsxPath(figures.period)}">${t('staffweb.figures.export')}</a></p>
<section class="figures-section" aria-labelledby="figures-totals-heading">
<h2 id="figures-totals-heading">${t('staffweb.figures.totals_heading')}</h2>
${totals(figures.totals, figures.previousTotals, t)}
</section>
<section class="figures-section" aria-labelledby="figures-daily-heading">
<h2 id="figures-daily-heading">${t('staffweb.figures.chart_daily_heading')}</h2>
<figure class="figures-figure">${charts.daily}</figure>
${dailyTable(figures, t)}
</section>
${groupSection('figures-category-heading', t('staffweb.figures.chart_category_heading'), t('staffweb.figures.column_category'), charts.byCategory, figures.byCategory, (key) => categoryLabel(key, figures.categories, ctx.viewer.locale, t), t)}
${groupSection('figures-area-heading', t('staffweb.figures.chart_area_heading'), t('staffweb.figures.column_area'), charts.byArea, figures.byArea, (key) => areaLabel(key, t), t)}
</div>`;
}

function periodName(period: FigurePeriodKind, t: Translate): string {
  return period === 'week' ? t('staffweb.figures.period_week') : t('staffweb.figures.period_month');
}

function dayRange(days: { first: string; last: string }): SafeHtml {
  return html`<time datetime="${days.first}">${days.first}</time> – <time datetime="${days.last}">${days.last}</time>`;
}

function totals(now: FigureSet, before: FigureSet, t: Translate): SafeHtml {
  const item = (name: string, value: string, previous: string, detail?: string) =>
    html`<div class="figures-total"><dt>${name}</dt><dd><span class="figures-number">${value}</span>${detail ? html` <span class="figures-detail">${detail}</span>` : ''} <span class="figures-previous">${t('staffweb.figures.previous', { value: previous })}</span></dd></div>`;
  return html`<dl class="figures-totals">
${item(t('staffweb.figures.new'), String(now.new), String(before.new))}
${item(t('staffweb.figures.resolved'), String(now.resolved), String(before.resolved))}
${item(t('staffweb.figures.open'), String(now.open), String(before.open))}
${item(t('staffweb.figures.overdue'), String(now.overdue), String(before.overdue))}
${item(t('staffweb.figures.median_first_response'), minutesText(now.medianFirstResponseMinutes, t), minutesText(before.medianFirstResponseMinutes, t), t('staffweb.figures.first_responses_count', { count: now.firstResponses }))}
${item(t('staffweb.figures.satisfied_share'), shareText(now, t), shareText(before, t), satisfactionDetail(now, t))}
</dl>`;
}

function satisfactionDetail(set: FigureSet, t: Translate): string {
  const s = set.satisfaction;
  if (s.averageStars === null) return t('staffweb.figures.no_ratings');
  return t('staffweb.figures.satisfaction_detail', { satisfied: s.satisfied, ratings: s.ratings, stars: oneDecimal(s.averageStars) });
}

function dailyTable(figures: Figures, t: Translate): SafeHtml {
  const caption = t('staffweb.figures.table_daily_caption');
  return html`<div class="figures-table-wrap" tabindex="0" role="region" aria-label="${caption}"><table class="figures-table">
<caption>${caption}</caption>
<thead><tr><th scope="col">${t('staffweb.figures.column_date')}</th><th scope="col">${t('staffweb.figures.series_new')}</th><th scope="col">${t('staffweb.figures.series_resolved')}</th></tr></thead>
<tbody>${figures.daily.map(
    (day) => html`<tr><th scope="row"><time datetime="${day.date}">${day.date}</time></th><td>${day.new}</td><td>${day.resolved}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function groupSection(
  id: string,
  heading: string,
  nameHeader: string,
  chart: SafeHtml | null,
  groups: readonly FigureGroup[],
  name: (key: string) => string,
  t: Translate,
): SafeHtml {
  if (groups.length === 0) {
    return html`<section class="figures-section" aria-labelledby="${id}"><h2 id="${id}">${heading}</h2><p class="figures-empty">${t('staffweb.figures.empty')}</p></section>`;
  }
  const caption = t('staffweb.figures.table_group_caption', { heading });
  return html`<section class="figures-section" aria-labelledby="${id}">
<h2 id="${id}">${heading}</h2>
${chart ? html`<figure class="figures-figure">${chart}</figure>` : ''}
<div class="figures-table-wrap" tabindex="0" role="region" aria-label="${caption}"><table class="figures-table">
<caption>${caption}</caption>
<thead><tr><th scope="col">${nameHeader}</th><th scope="col">${t('staffweb.figures.new')}</th><th scope="col">${t('staffweb.figures.open')}</th><th scope="col">${t('staffweb.figures.overdue')}</th><th scope="col">${t('staffweb.figures.resolved')}</th><th scope="col">${t('staffweb.figures.median_first_response')}</th><th scope="col">${t('staffweb.figures.satisfied_share')}</th></tr></thead>
<tbody>${groups.map(
    (g) =>
      html`<tr><th scope="row">${name(g.key)}</th><td>${g.new}</td><td>${g.open}</td><td>${g.overdue}</td><td>${g.resolved}</td><td>${minutesText(g.medianFirstResponseMinutes, t)}</td><td>${shareText(g, t)}</td></tr>`,
  )}</tbody>
</table></div>
</section>`;
}

/** "—" for none; whole minutes under an hour; hours and minutes above. */
export function minutesText(minutes: number | null, t: Translate): string {
  if (minutes === null) return t('staffweb.figures.no_value');
  const whole = Math.round(minutes);
  if (whole < 60) return t('staffweb.figures.minutes', { minutes: whole });
  return t('staffweb.figures.hours_minutes', { hours: Math.floor(whole / 60), minutes: whole % 60 });
}

function shareText(set: FigureSet, t: Translate): string {
  const share = set.satisfaction.share;
  return share === null ? t('staffweb.figures.no_value') : t('staffweb.figures.percent', { percent: oneDecimal(share * 100) });
}

function oneDecimal(value: number): string {
  return String(Math.round(value * 10) / 10);
}
