/**
 * The console's roll-call pages as pure views: the alerts sent (newest first, each a link), and
 * one alert's roll-call — the counts in all, by area and by household group, the households that
 * asked for help (a link to each one's ticket), and the households not answered yet with their
 * members masked. The parts that change are marked `data-live`, and
 * the page watches its alert (`notice:<id>`), so every answer refreshes it.
 */
import type { RollCallStatus } from '../../features/notices/rollcall/roll-call-status.js';
import type { Counts } from '../../features/notices/rollcall/rules/roll-call-counts.js';
import { html, type SafeHtml } from '../shell/html.js';
import { minuteTag, type ViewContext } from '../people/view-parts.js';

export const ALERTS_PATH = '/staff/alerts';

export interface SentAlertRow {
  number: string;
  title: string;
  sentAt: Date | null;
}

export function alertsListView(alerts: readonly SentAlertRow[], ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('notices.rollcall.web.title')}</h1>
${
  alerts.length === 0
    ? html`<p class="requests-note">${t('notices.rollcall.web.none')}</p>`
    : html`<ul class="requests-cards">${alerts.map(
        (alert) =>
          html`<li class="requests-card"><h2><a href="${ALERTS_PATH}/${alert.number}">${alert.number}｜${alert.title}</a></h2>${alert.sentAt ? html`<p>${t('notices.rollcall.web.sent_at')}${minuteTag(alert.sentAt, ctx)}</p>` : ''}</li>`,
      )}</ul>`
}`;
}

function countCells(counts: Counts): SafeHtml {
  return html`<td>${counts.households}</td><td>${counts.ok}</td><td>${counts.help}</td><td>${counts.reached}</td><td>${counts.notYet}</td>`;
}

function countsTable(caption: string, first: string, rows: readonly { name: string; counts: Counts }[], ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<div class="figures-table-wrap" tabindex="0" role="region" aria-label="${caption}"><table class="figures-table"><caption>${caption}</caption>
<thead><tr><th scope="col">${first}</th><th scope="col">${t('notices.rollcall.web.households')}</th><th scope="col">${t('notices.rollcall.web.ok')}</th><th scope="col">${t('notices.rollcall.web.help')}</th><th scope="col">${t('notices.rollcall.web.reached')}</th><th scope="col">${t('notices.rollcall.web.not_yet')}</th></tr></thead>
<tbody>${rows.map((row) => html`<tr><th scope="row">${row.name}</th>${countCells(row.counts)}</tr>`)}</tbody></table></div>`;
}

export function rollCallView(rollCall: RollCallStatus, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const { notice, counts } = rollCall;
  const areas = [...counts.byArea]
    .map(([areaId, c]) => ({ name: rollCall.areaPaths.get(areaId) ?? '', counts: c }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const groups = [...counts.byGroup]
    .map(([groupId, c]) => ({ code: rollCall.groupCodes.get(groupId) ?? null, counts: c }))
    .sort((a, b) => (a.code ?? '\uffff').localeCompare(b.code ?? '\uffff'))
    .map((g) => ({ name: g.code ?? t('notices.rollcall.list.no_group'), counts: g.counts }));
  return html`<h1>${t('notices.rollcall.web.heading', { number: notice.number, title: notice.title })}</h1>
<div data-live-watch="notice:${notice.id}"></div>
<section data-live="rollcall-summary" aria-labelledby="rollcall-summary-title">
<h2 id="rollcall-summary-title">${t('notices.rollcall.web.summary')}</h2>
${notice.sentAt ? html`<p>${t('notices.rollcall.web.sent_at')}${minuteTag(notice.sentAt, ctx)} · ${t('notices.rollcall.web.as_of')}${minuteTag(ctx.now, ctx)}</p>` : ''}
<p class="card" role="status"><strong>${t('notices.rollcall.counts.line', { households: counts.total.households, ok: counts.total.ok, help: counts.total.help, reached: counts.total.reached, notYet: counts.total.notYet })}</strong></p>
<div class="rollcall-tables">
${countsTable(t('notices.rollcall.web.by_area'), t('notices.rollcall.web.area'), areas, ctx)}
${countsTable(t('notices.rollcall.web.by_group'), t('notices.rollcall.web.group'), groups, ctx)}
</div>
</section>
<section data-live="rollcall-help" aria-labelledby="rollcall-help-title">
<h2 id="rollcall-help-title">${t('notices.rollcall.web.help_title', { count: rollCall.help.length })}</h2>
${
  rollCall.help.length === 0
    ? html`<p class="requests-note">${t('notices.rollcall.web.no_help')}</p>`
    : html`<ul class="requests-cards">${rollCall.help.map(
        (household) =>
          html`<li class="requests-card"><strong>${household.address}</strong>${household.ticketNumber ? html` · <a href="/staff/tickets/${household.ticketNumber}">${t('notices.rollcall.web.ticket', { number: household.ticketNumber })}</a>` : ''}</li>`,
      )}</ul>`
}
</section>
<section data-live="rollcall-not-yet" aria-labelledby="rollcall-not-yet-title">
<h2 id="rollcall-not-yet-title">${t('notices.rollcall.web.not_yet_title', { count: rollCall.notYet.length })}</h2>
${
  rollCall.notYet.length === 0
    ? html`<p class="requests-note">${t('notices.rollcall.web.all_answered')}</p>`
    : html`<div class="figures-table-wrap" tabindex="0" role="region" aria-label="${t('notices.rollcall.web.not_yet_title', { count: rollCall.notYet.length })}"><table class="figures-table rollcall-not-yet"><thead><tr><th scope="col">${t('notices.rollcall.web.address')}</th><th scope="col">${t('notices.rollcall.web.area')}</th><th scope="col">${t('notices.rollcall.web.group')}</th><th scope="col">${t('notices.rollcall.web.members')}</th></tr></thead>
<tbody>${rollCall.notYet.map(
        (household) =>
          html`<tr><th scope="row">${household.address}</th><td>${household.areaPath}</td><td>${household.groupCode ?? t('notices.rollcall.list.no_group')}</td><td>${household.members
            .map((m) => (m.phone ? t('notices.rollcall.list.member', { name: m.name, phone: m.phone }) : m.name))
            .join(t('notices.rollcall.list.member_separator'))}</td></tr>`,
      )}</tbody></table></div>`
}
</section>`;
}
