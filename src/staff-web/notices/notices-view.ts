/**
 * The notices list and one notice's page as pure views. The list: newest first, each with its
 * number, kind mark, title, status, sent time and delivered / total, a link to its page, and a
 * search box. A notice's page: its text, its status (held until, scheduled for), its delivery
 * report (delivered, unreachable, failed by reason, still going) reloading itself while messages
 * are on their way, a retry of the failures, a cancel while held or scheduled, and for an alert
 * its roll-call.
 */
import type { DeliveryReport } from '../../features/notices/send/delivery-report.js';
import { failedCount } from '../../features/notices/send/delivery-report.js';
import { csrfField, hrefWith, minuteTag, type ViewContext } from '../people/view-parts.js';
import { html, type SafeHtml } from '../shell/html.js';
import { NOTICES_PATH } from './compose-view.js';

/** Seconds between reloads of a notice's page while its messages go out. */
export const REFRESH_SECONDS = 3;

const STATUS_KEYS: Readonly<Record<string, string>> = {
  draft: 'staffweb.notices.status.draft',
  held: 'staffweb.notices.status.held',
  scheduled: 'staffweb.notices.status.scheduled',
  sending: 'staffweb.notices.status.sending',
  sent: 'staffweb.notices.status.sent',
  cancelled: 'staffweb.notices.status.cancelled',
};

export function statusLabel(status: string, ctx: ViewContext): string {
  return ctx.t(STATUS_KEYS[status] ?? 'staffweb.notices.status.draft');
}

export interface NoticeRow {
  number: string;
  /** Marked by its kind as residents read it. */
  title: string;
  status: string;
  sentAt: Date | null;
  sendAt: Date | null;
  delivered: number;
  total: number;
}

export function noticesListView(rows: readonly NoticeRow[], query: string, mayCompose: boolean, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('staffweb.notices.title')}</h1>
${mayCompose ? html`<p><a class="notices-new" href="${NOTICES_PATH}/new">${t('staffweb.notices.new.link')}</a></p>` : ''}
<form class="requests-filter" method="get" action="${NOTICES_PATH}" role="search">
<label for="notices-q">${t('staffweb.notices.search')}</label>
<input id="notices-q" name="q" type="search" maxlength="200" value="${query}">
<button type="submit">${t('staffweb.notices.search_button')}</button>
</form>
${rows.length === 0
    ? html`<p class="requests-note">${t(query ? 'staffweb.notices.none_found' : 'staffweb.notices.none')}</p>`
    : html`<ul class="requests-cards">${rows.map(
        (row) => html`<li class="requests-card"><h2><a href="${NOTICES_PATH}/${row.number}">${row.number}｜${row.title}</a></h2>
<p>${statusLabel(row.status, ctx)}${row.sentAt ? html` · ${t('staffweb.notices.sent_at')}${minuteTag(row.sentAt, ctx)} · ${t('staffweb.notices.delivered_of', { delivered: row.delivered, total: row.total })}` : ''}${!row.sentAt && row.sendAt ? html` · ${t('staffweb.notices.send_at')}${minuteTag(row.sendAt, ctx)}` : ''}</p></li>`,
      )}</ul>`}`;
}

export interface NoticePage {
  id: string;
  number: string;
  kind: string;
  title: string;
  body: string;
  status: string;
  sentAt: Date | null;
  sendAt: Date | null;
  report: DeliveryReport;
  /** The file sent with it: its name and download address. */
  attachment?: { name: string; href: string } | null;
}

/** Whether the page reloads itself: sent and some messages still on their way. */
export function stillSending(page: NoticePage): boolean {
  return page.status === 'sending' || (page.status === 'sent' && !page.report.done);
}

export function noticePageView(page: NoticePage, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const { report } = page;
  const failed = failedCount(report);
  return html`<h1>${page.number}｜${page.title}</h1>
${stillSending(page) ? html`<meta http-equiv="refresh" content="${REFRESH_SECONDS}">` : ''}
<dl class="requests-facts">
<dt>${t('staffweb.notices.status_label')}</dt><dd data-notice-status="${page.status}">${statusLabel(page.status, ctx)}${
    page.status === 'held' && page.sendAt ? html` · ${t('staffweb.notices.held_until')}${minuteTag(page.sendAt, ctx)}` : ''
  }${page.status === 'scheduled' && page.sendAt ? html` · ${t('staffweb.notices.send_at')}${minuteTag(page.sendAt, ctx)}` : ''}</dd>
${page.sentAt ? html`<dt>${t('staffweb.notices.sent_at')}</dt><dd>${minuteTag(page.sentAt, ctx)}</dd>` : ''}
${page.attachment ? html`<dt>${t('staffweb.notices.attachment')}</dt><dd><a class="notices-file" href="${page.attachment.href}" download>${page.attachment.name}</a></dd>` : ''}
</dl>
<section class="requests-card" aria-labelledby="notice-report-title">
<h2 id="notice-report-title">${t('staffweb.notices.report.title')}</h2>
${report.total === 0
    ? html`<p class="requests-note">${t('staffweb.notices.report.nothing_yet')}</p>`
    : html`<p role="status" class="notices-report-line"><strong>${
        report.done ? t('staffweb.notices.report.done', { delivered: report.delivered, total: report.total }) : t('staffweb.notices.report.going', { delivered: report.delivered, total: report.total, pending: report.pending })
      }</strong></p>
<dl class="requests-facts">
<dt>${t('staffweb.notices.report.delivered')}</dt><dd>${report.delivered}</dd>
<dt>${t('staffweb.notices.report.unreachable')}</dt><dd>${report.unreachable}</dd>
<dt>${t('staffweb.notices.report.rejected')}</dt><dd>${report.failed.rejected}</dd>
<dt>${t('staffweb.notices.report.exhausted')}</dt><dd>${report.failed.exhausted}</dd>
<dt>${t('staffweb.notices.report.no_channel')}</dt><dd>${report.failed.no_channel}</dd>
<dt>${t('staffweb.notices.report.pending')}</dt><dd>${report.pending}</dd>
</dl>`}
<div class="requests-actions">
${failed > 0 || report.unreachable > 0
    ? html`<form method="post" action="${NOTICES_PATH}/${page.number}/retry">${csrfField(ctx)}<button type="submit">${t('staffweb.notices.retry')}</button></form>`
    : ''}
${['held', 'scheduled'].includes(page.status)
    ? html`<form method="post" action="${NOTICES_PATH}/${page.number}/cancel">${csrfField(ctx)}<button type="submit">${t('staffweb.notices.cancel')}</button></form>`
    : ''}
${page.kind === 'alert' && page.sentAt ? html`<a href="${hrefWith(`/staff/alerts/${page.number}`, {})}">${t('staffweb.notices.rollcall')}</a>` : ''}
</div>
</section>
<section aria-labelledby="notice-text-title">
<h2 id="notice-text-title">${t('staffweb.notices.text')}</h2>
<blockquote class="notices-as-read">${page.body.split('\n').map((line) => html`<p>${line}</p>`)}</blockquote>
</section>`;
}
