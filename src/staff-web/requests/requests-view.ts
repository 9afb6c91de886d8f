/**
 * The binding requests pages. The list (`/staff/requests`): each request as a card — number,
 * name and address as typed, phone masked, channel, when — with the household the roster
 * suggests and a button to approve into it, a reject button, and a search of the roster (GET)
 * that opens the request's own page (`/staff/requests/<number>?q=…`), where each household
 * found has its approve button. Decisions are plain POST forms with the CSRF field. The list
 * refreshes itself when a request is filed or decided anywhere (staff.js: `data-live-watch`,
 * `data-live`); a card someone is typing in is left as it is.
 */
import type { ApproveOutcome, DecisionDenied, RejectOutcome } from '../../features/identity/binding-requests.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import { householdHref } from '../people/search-view.js';
import { channelLabel, csrfField, hrefWith, minuteTag, pager, type ViewContext } from '../people/view-parts.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { OneRequest, RequestList, RequestListItem, RequestStatusFilter } from './list-requests.js';
import { REQUEST_STATUS_FILTERS } from './list-requests.js';
import type { RosterCandidate, RosterSearch } from './search-roster.js';

export const REQUESTS_PATH = '/staff/requests';

export function requestHref(number: number): string {
  return `${REQUESTS_PATH}/${number}`;
}
export function approveAction(number: number): string {
  return `${requestHref(number)}/approve`;
}
export function rejectAction(number: number): string {
  return `${requestHref(number)}/reject`;
}
export function requestPhoneAction(number: number): string {
  return `${requestHref(number)}/phone`;
}

const FILTER_KEYS: Readonly<Record<RequestStatusFilter, string>> = {
  pending: 'staffweb.requests.filter.pending',
  decided: 'staffweb.requests.filter.decided',
  all: 'staffweb.requests.filter.all',
};

/** The list page's main content; `notice` says what the decision just taken did. */
export function requestsListView(data: { list: RequestList; notice?: SafeHtml | null }, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const { list } = data;
  return html`<h1>${t('staffweb.requests.title')}</h1>
${data.notice ?? ''}
<form class="requests-filter" method="get" action="${REQUESTS_PATH}">
<label for="requests-status">${t('staffweb.requests.filter.label')}</label>
<select id="requests-status" name="status">${REQUEST_STATUS_FILTERS.map(
    (status) => html`<option value="${status}"${status === list.status ? html` selected` : ''}>${t(FILTER_KEYS[status])}</option>`,
  )}</select>
<button type="submit">${t('staffweb.requests.filter.submit')}</button>
</form>
<div class="requests-list" data-live-watch="request" data-live="requests">
${!list.mayDecide
    ? html`<p class="requests-note" role="alert">${t('staffweb.requests.none_to_decide')}</p>`
    : list.requests.length === 0
      ? html`<p class="requests-note" role="status">${t('staffweb.requests.empty')}</p>`
      : html`${pager(list.paging, (page) => hrefWith(REQUESTS_PATH, { status: list.status, page }), ctx, 'requests')}
<ul class="requests-cards">${list.requests.map((request) => html`<li class="requests-card" data-card tabindex="-1">${requestCard(request, list.mayReject, ctx, 'h2')}</li>`)}</ul>`}
</div>`;
}

/** One request's page: the request, its roster search and the households found. */
export function requestView(data: { number: number; found: OneRequest; search: RosterSearch | null; notice?: SafeHtml | null }, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const back = html`<p class="requests-back"><a href="${REQUESTS_PATH}">${t('staffweb.requests.back')}</a></p>`;
  if (data.found.status === 'not_found') {
    return html`<h1>${t('staffweb.requests.request_title', { number: data.number })}</h1>
<p class="requests-note" role="alert">${t('staffweb.requests.not_found', { number: data.number })}</p>${back}`;
  }
  const { request, mayReject } = data.found;
  return html`<h1>${t('staffweb.requests.request_title', { number: request.number })}</h1>
${data.notice ?? ''}
${requestCard(request, mayReject, ctx, null, data.search?.q ?? '')}
${request.status === 'pending' && data.search ? searchResults(request, data.search, ctx) : ''}
${back}`;
}

/** A request's facts and, while it waits, its forms. `heading`: its number as a heading of this level, or none (its page's h1 says it). */
function requestCard(request: RequestListItem, mayReject: boolean, ctx: ViewContext, heading: 'h2' | null, typed = ''): SafeHtml {
  const { t } = ctx;
  const n = request.number;
  const title = t('staffweb.requests.request_title', { number: n });
  return html`${heading ? html`<h2><a href="${requestHref(n)}">${title}</a></h2>` : ''}
<dl class="requests-facts">
<dt>${t('staffweb.requests.name')}</dt><dd>${request.name}</dd>
<dt>${t('staffweb.requests.address')}</dt><dd>${request.address}</dd>
<dt>${t('staffweb.requests.phone')}</dt><dd>${request.maskedPhone}</dd>
<dt>${t('staffweb.requests.channel')}</dt><dd>${channelLabel(request.channel, ctx)}</dd>
<dt>${t('staffweb.requests.filed')}</dt><dd>${minuteTag(request.filedAt, ctx)}</dd>
<dt>${t('staffweb.requests.status')}</dt><dd>${statusText(request, ctx)}</dd>
<dt>${t('staffweb.requests.likely')}</dt><dd>${request.likely
    ? html`<a href="${householdHref(request.likely.householdCode)}">${request.likely.householdCode}</a> ${request.likely.address} (${request.likely.areaPath})`
    : t('staffweb.requests.no_likely')}</dd>
</dl>
${request.status === 'pending' ? pendingForms(request, mayReject, ctx, typed) : ''}`;
}

function statusText(request: RequestListItem, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  if (request.status === 'pending') return html`${t('staffweb.requests.state.pending')}`;
  const word = request.status === 'approved' ? t('staffweb.requests.state.approved') : t('staffweb.requests.state.rejected');
  return html`${word}${request.decidedAt ? html` ${minuteTag(request.decidedAt, ctx)}` : ''}`;
}

/** Approve into the likely household, reject (staff of the whole community only), and the roster search (`typed`: what was searched for). */
function pendingForms(request: RequestListItem, mayReject: boolean, ctx: ViewContext, typed: string): SafeHtml {
  const { t } = ctx;
  const n = request.number;
  return html`<div class="requests-actions">
${request.likely
    ? html`<form method="post" action="${approveAction(n)}">${csrfField(ctx)}<input type="hidden" name="household" value="${request.likely.householdCode}">
<button type="submit">${t('staffweb.requests.approve_into', { code: request.likely.householdCode })}</button></form>`
    : ''}
<form method="post" action="${requestPhoneAction(n)}">${csrfField(ctx)}
<button type="submit">${t('staffweb.requests.reveal_phone', { number: n })}</button></form>
${mayReject
    ? html`<form method="post" action="${rejectAction(n)}">${csrfField(ctx)}
<button type="submit">${t('staffweb.requests.reject', { number: n })}</button></form>`
    : ''}
<form class="requests-search" method="get" action="${requestHref(n)}" role="search">
<label for="requests-q-${n}">${t('staffweb.requests.search.label')}</label>
<input id="requests-q-${n}" name="q" type="search" value="${typed}" autocomplete="off" aria-describedby="requests-q-hint-${n}">
<p id="requests-q-hint-${n}" class="requests-hint">${t('staffweb.people.search.hint')}</p>
<button type="submit">${t('staffweb.requests.search.submit')}</button>
</form>
</div>`;
}

function searchResults(request: RequestListItem, search: RosterSearch, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const body = (() => {
    switch (search.status) {
      case 'empty':
        return html`<p class="requests-note">${t('staffweb.people.search.empty')}</p>`;
      case 'too_short':
        return html`<p class="requests-note" role="alert">${t('staffweb.people.search.too_short', { min: search.minDigits })}</p>`;
      case 'none_visible':
        return html`<p class="requests-note" role="alert">${t('staffweb.people.search.none_visible')}</p>`;
      case 'found':
        if (search.households.length === 0) return html`<p class="requests-note" role="status">${t('staffweb.people.search.no_results', { q: search.q })}</p>`;
        return html`${pager(search.paging, (page) => hrefWith(requestHref(request.number), { q: search.q, page }), ctx, 'requests')}
<ul class="requests-cards">${search.households.map((household) => candidateCard(request.number, household, ctx))}</ul>`;
    }
  })();
  return html`<section class="requests-results" aria-labelledby="requests-results-heading">
<h2 id="requests-results-heading">${t('staffweb.requests.search.results_heading', { q: search.q })}</h2>
${body}
</section>`;
}

function candidateCard(number: number, household: RosterCandidate, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<li class="requests-card">
<h3>${household.code}</h3>
<p>${household.address} (${household.areaPath})</p>
<ul class="requests-members" aria-label="${t('staffweb.people.household.members')}">${household.members.map(
    (member) => html`<li>${member.maskedName}${member.phoneEnding ? html` ${t('staffweb.requests.phone_ending', { digits: member.phoneEnding })}` : ''}</li>`,
  )}</ul>
${household.mayApprove
    ? html`<form method="post" action="${approveAction(number)}">${csrfField(ctx)}<input type="hidden" name="household" value="${household.code}">
<button type="submit">${t('staffweb.requests.approve_into', { code: household.code })}</button></form>`
    : html`<p class="requests-note">${t('policy.denied.outside_your_area')}</p>`}
</li>`;
}

/** What a decision did, as the console's status line says it (`ok` or `error`). */
export function decisionStatus(
  number: number,
  outcome: ApproveOutcome | RejectOutcome | DecisionDenied,
  ctx: ViewContext,
  householdCode?: string,
): { kind: 'ok' | 'error'; text: string } {
  const { t } = ctx;
  const error = (text: string) => ({ kind: 'error' as const, text });
  switch (outcome.status) {
    case 'approved':
      return { kind: 'ok', text: t('staffweb.requests.outcome.approved', { number }) };
    case 'rejected':
      return { kind: 'ok', text: t('staffweb.requests.outcome.rejected', { number }) };
    case 'denied':
      return error(t(denialMessageKey(outcome.reason)));
    case 'not_found':
      return error(t('staffweb.requests.not_found', { number }));
    case 'already_decided':
      return error(outcome.decision === 'rejected' ? t('staffweb.requests.outcome.already_rejected', { number }) : t('staffweb.requests.outcome.already_approved', { number }));
    case 'household_not_found':
      return error(t('staffweb.requests.outcome.household_not_found', { code: householdCode ?? '' }));
    case 'household_required':
      return error(t('staffweb.requests.outcome.household_required', { number }));
    case 'account_bound':
      return error(t('staffweb.requests.outcome.account_bound', { number }));
  }
}

/** The same as a block for the top of the page's content. */
export function decisionNotice(number: number, outcome: ApproveOutcome | RejectOutcome | DecisionDenied, ctx: ViewContext, householdCode?: string): SafeHtml {
  const status = decisionStatus(number, outcome, ctx, householdCode);
  return html`<div class="requests-notice" role="${status.kind === 'ok' ? 'status' : 'alert'}"><p>${status.text}</p></div>`;
}
