/**
 * The petitions page: each petition as a card — number, title, status, when started (and when it
 * became binding), how many signed — and a table of the four thresholds with signed / needed of
 * the total, the one met marked in words as well as by a sign. Pure: data in, HTML out.
 */
import { PETITION_THRESHOLDS, reaches, signaturesNeeded, type PetitionCounts, type PetitionThreshold } from '../../features/meetings/floor/rules/petition-thresholds.js';
import { THRESHOLD_KEYS } from '../../features/meetings/floor/service/petitions.js';
import { minuteTag, type ViewContext } from '../people/view-parts.js';
import { html, type SafeHtml } from '../shell/html.js';
import { MEETINGS_BASE } from './schedule-view.js';

export const PETITIONS_PATH = `${MEETINGS_BASE}/petitions`;

export interface PetitionRow {
  number: string;
  title: string;
  status: string;
  thresholdMet: PetitionThreshold | null;
  createdAt: Date;
  bindingAt: Date | null;
  signatures: number;
  signed: PetitionCounts;
  totals: PetitionCounts;
}

const STATUS_KEYS: Record<string, string> = {
  open: 'meetings.console.petitions.status.open',
  binding: 'meetings.console.petitions.status.binding',
  withdrawn: 'meetings.console.petitions.status.withdrawn',
};

export function petitionsView(rows: readonly PetitionRow[], ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('meetings.console.petitions.title')}</h1>
<p><a href="${MEETINGS_BASE}">${t('meetings.console.petitions.back')}</a></p>
<p class="requests-hint">${t('meetings.console.petitions.rule')}</p>
${
  rows.length === 0
    ? html`<p class="requests-note">${t('meetings.console.petitions.none')}</p>`
    : html`<ul class="requests-cards">${rows.map((row) => petitionCard(row, ctx))}</ul>`
}`;
}

function petitionCard(row: PetitionRow, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const id = `petition-${row.number}`;
  return html`<li class="requests-card petition-card" aria-labelledby="${id}">
<h2 id="${id}">${row.number} ${row.title}</h2>
<p><strong>${t(STATUS_KEYS[row.status] ?? STATUS_KEYS['open']!)}</strong> · ${t('meetings.console.petitions.started')} ${minuteTag(row.createdAt, ctx)}${
    row.bindingAt ? html` · ${t('meetings.console.petitions.bound_at')} ${minuteTag(row.bindingAt, ctx)}` : ''
  } · ${t('meetings.console.petitions.signatures', { count: row.signatures })}</p>
${row.thresholdMet ? html`<p role="status">✅ ${t('meetings.console.petitions.met', { threshold: t(THRESHOLD_KEYS[row.thresholdMet]) })}</p>` : ''}
<table>
<caption>${t(row.bindingAt ? 'meetings.console.petitions.caption_bound' : 'meetings.console.petitions.caption_open')}</caption>
<thead><tr><th scope="col">${t('meetings.console.petitions.threshold')}</th><th scope="col">${t('meetings.console.petitions.signed')}</th><th scope="col">${t('meetings.console.petitions.state')}</th></tr></thead>
<tbody>${PETITION_THRESHOLDS.map((kind) => {
    const total = row.totals[kind];
    const signed = row.signed[kind];
    const state =
      row.thresholdMet === kind
        ? t('meetings.console.petitions.state_met')
        : total === 0
          ? t('meetings.console.petitions.state_none')
          : reaches(kind, signed, total)
            ? t('meetings.console.petitions.state_reached')
            : t('meetings.console.petitions.state_short', { missing: signaturesNeeded(kind, total) - signed });
    return html`<tr${row.thresholdMet === kind ? html` class="petition-met"` : ''}><th scope="row">${t(THRESHOLD_KEYS[kind])}</th><td class="petition-count">${t('meetings.console.petitions.of_needed', { signed, needed: signaturesNeeded(kind, total) })}<br><small>${t('meetings.console.petitions.of_total', { total })}</small></td><td>${state}</td></tr>`;
  })}</tbody>
</table>
</li>`;
}
