/**
 * The inbox page's main content: the quick filters with their counts, the filter form (a GET form,
 * so a filtered list is a link staff can bookmark or share), the tickets as cards — phone first,
 * one card per ticket, late ones marked in words as well as by class — "showing 1–50 of 312",
 * paging, an empty state, and the keyboard shortcuts.
 */
import type { TicketCategory } from '../../features/tickets/rules/categories.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { StaffViewer, Translate } from '../shell/viewer.js';
import { QUICK_FILTERS, TICKET_STATE_FILTERS, type AreaOption, type QuickFilter, type TicketList, type TicketListFilter, type TicketListItem, type TicketStateFilter } from './ticket-list.js';
import { categoryText, kindText, statusText, ticketHref, timeTag } from './ticket-view-parts.js';

export interface TicketListViewContext {
  t: Translate;
  viewer: StaffViewer;
  csrfToken: string;
  now: Date;
}

/** The list and what the filter bar offers (`listFilterOptions`). */
export interface TicketListViewData {
  list: TicketList;
  options: { areas: AreaOption[]; categories: readonly TicketCategory[] };
}

/** The inbox's address: the console's first page (the layout's navigation links it there). */
export const INBOX_PATH = '/staff';

const QUICK_LABEL_KEYS: Record<QuickFilter, string> = {
  open: 'staffweb.inbox.quick.open',
  new: 'staffweb.inbox.quick.new',
  overdue: 'staffweb.inbox.quick.overdue',
  mine: 'staffweb.inbox.quick.mine',
  unassigned: 'staffweb.inbox.quick.unassigned',
  resolved: 'staffweb.inbox.quick.resolved',
};

const STATE_LABEL_KEYS: Record<'open' | 'all', string> = {
  open: 'staffweb.inbox.filter.state_open',
  all: 'staffweb.inbox.filter.state_all',
};

export function ticketListView(data: TicketListViewData, ctx: TicketListViewContext): SafeHtml {
  const { t } = ctx;
  const { list } = data;
  // Any ticket's change may add to or take from the list: its counts and cards refresh (the shell's script), the filter form stays as typed.
  return html`<section class="inbox-list" aria-labelledby="inbox-title" data-live-watch="ticket">
<h1 id="inbox-title">${t('staffweb.inbox.title')}</h1>
${quickFilters(list, t)}
${filterForm(data, t, ctx.viewer.locale)}
<div class="inbox-results" data-live="inbox-results">
${summary(list, t)}
${list.items.length === 0 ? emptyState(list.filter, t) : cards(list, ctx)}
${paging(list, t)}
</div>
${shortcutHints(t, [
  ['/', 'staffweb.inbox.shortcuts.search'],
  ['j', 'staffweb.inbox.shortcuts.next'],
  ['k', 'staffweb.inbox.shortcuts.previous'],
])}
</section>`;
}

/** The query string of a filter (only what differs from the defaults) and a page. */
export function listQuery(filter: TicketListFilter, page = 1): string {
  const params = new URLSearchParams();
  if (filter.state !== 'open') params.set('state', filter.state);
  if (filter.areaId) params.set('area', filter.areaId);
  if (filter.category) params.set('category', filter.category);
  if (filter.overdue) params.set('overdue', '1');
  if (filter.mine) params.set('mine', '1');
  if (filter.unassigned) params.set('unassigned', '1');
  if (filter.q) params.set('q', filter.q);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text === '' ? INBOX_PATH : `${INBOX_PATH}?${text}`;
}

/** The filter a quick filter stands for: the search, area and category kept, the rest its own. */
function quickFilter(filter: TicketListFilter, name: QuickFilter): TicketListFilter {
  const kept = { areaId: filter.areaId, category: filter.category, q: filter.q };
  const plain = { ...kept, state: 'open' as TicketStateFilter, overdue: false, mine: false, unassigned: false };
  switch (name) {
    case 'open':
      return plain;
    case 'new':
      return { ...plain, state: 'new' };
    case 'resolved':
      return { ...plain, state: 'resolved' };
    case 'overdue':
      return { ...plain, overdue: true };
    case 'mine':
      return { ...plain, mine: true };
    case 'unassigned':
      return { ...plain, unassigned: true };
  }
}

function isCurrent(filter: TicketListFilter, name: QuickFilter): boolean {
  const quick = quickFilter(filter, name);
  return quick.state === filter.state && quick.overdue === filter.overdue && quick.mine === filter.mine && quick.unassigned === filter.unassigned;
}

function quickFilters(list: TicketList, t: Translate): SafeHtml {
  return html`<nav class="inbox-quick" aria-label="${t('staffweb.inbox.quick.label')}" data-live="inbox-quick">
<ul>${QUICK_FILTERS.map(
    (name) =>
      html`<li><a href="${listQuery(quickFilter(list.filter, name))}"${isCurrent(list.filter, name) ? html` aria-current="page"` : ''}>${t(QUICK_LABEL_KEYS[name])} <span class="inbox-count">${list.counts[name]}</span></a></li>`,
  )}</ul>
</nav>`;
}

function filterForm(data: TicketListViewData, t: Translate, locale: string): SafeHtml {
  const { filter } = data.list;
  const selected = (on: boolean) => (on ? html` selected` : '');
  const checked = (on: boolean) => (on ? html` checked` : '');
  return html`<form class="inbox-filter" method="get" action="${INBOX_PATH}" role="search" aria-label="${t('staffweb.inbox.filter.label')}">
<p class="inbox-filter-search"><label for="inbox-q">${t('staffweb.inbox.filter.search')}</label>
<input type="search" id="inbox-q" name="q" value="${filter.q}" maxlength="100" placeholder="${t('staffweb.inbox.filter.search_hint')}" data-shortcut="/"></p>
<details class="inbox-filter-more"${narrowed(filter) ? html` open` : ''}><summary>${t('staffweb.inbox.filter.more')}</summary>
<p><label for="inbox-state">${t('staffweb.inbox.filter.state')}</label>
<select id="inbox-state" name="state">${TICKET_STATE_FILTERS.map(
    (state) => html`<option value="${state}"${selected(filter.state === state)}>${stateLabel(t, state)}</option>`,
  )}</select></p>
<p><label for="inbox-area">${t('staffweb.inbox.filter.area')}</label>
<select id="inbox-area" name="area"><option value="">${t('staffweb.inbox.filter.any_area')}</option>${data.options.areas.map(
    (area) => html`<option value="${area.id}"${selected(filter.areaId === area.id)}>${area.path}</option>`,
  )}</select></p>
<p><label for="inbox-category">${t('staffweb.inbox.filter.category')}</label>
<select id="inbox-category" name="category"><option value="">${t('staffweb.inbox.filter.any_category')}</option>${data.options.categories.map(
    (category) =>
      html`<option value="${category.code}"${selected(filter.category === category.code)}>${categoryText(t, locale, data.options.categories, category.code)}</option>`,
  )}</select></p>
<fieldset class="inbox-filter-flags"><legend>${t('staffweb.inbox.filter.only')}</legend>
<p><input type="checkbox" id="inbox-overdue" name="overdue" value="1"${checked(filter.overdue)}> <label for="inbox-overdue">${t('staffweb.inbox.quick.overdue')}</label></p>
<p><input type="checkbox" id="inbox-mine" name="mine" value="1"${checked(filter.mine)}> <label for="inbox-mine">${t('staffweb.inbox.quick.mine')}</label></p>
<p><input type="checkbox" id="inbox-unassigned" name="unassigned" value="1"${checked(filter.unassigned)}> <label for="inbox-unassigned">${t('staffweb.inbox.quick.unassigned')}</label></p>
</fieldset>
</details>
<p class="inbox-filter-submit"><button type="submit">${t('staffweb.inbox.filter.apply')}</button> <a href="${INBOX_PATH}">${t('staffweb.inbox.filter.clear')}</a></p>
</form>`;
}

/** Anything but the search narrows the list: the form's other fields then stay open, showing what is set. */
function narrowed(filter: TicketListFilter): boolean {
  return filter.state !== 'open' || filter.areaId !== null || filter.category !== null || filter.overdue || filter.mine || filter.unassigned;
}

function stateLabel(t: Translate, state: TicketStateFilter): string {
  return state === 'open' || state === 'all' ? t(STATE_LABEL_KEYS[state]) : statusText(t, state);
}

function summary(list: TicketList, t: Translate): SafeHtml {
  if (list.total === 0) return html``;
  const from = (list.page - 1) * list.pageSize + 1;
  const to = from + list.items.length - 1;
  return html`<p class="inbox-summary" role="status">${t('staffweb.inbox.list.showing', { from, to, total: list.total })}</p>`;
}

function emptyState(filter: TicketListFilter, t: Translate): SafeHtml {
  const filtered = filter.q !== '' || narrowed(filter);
  return html`<p class="inbox-empty" role="status">${t(filtered ? 'staffweb.inbox.list.empty_filtered' : 'staffweb.inbox.list.empty')}</p>`;
}

function cards(list: TicketList, ctx: TicketListViewContext): SafeHtml {
  return html`<ol class="inbox-cards">${list.items.map((item) => card(item, list.categories, ctx))}</ol>`;
}

function card(item: TicketListItem, categories: readonly TicketCategory[], ctx: TicketListViewContext): SafeHtml {
  const { t, viewer } = ctx;
  const classes = ['inbox-card', item.overdue ? 'inbox-card-overdue' : '', item.major ? 'inbox-card-major' : ''].filter((c) => c !== '').join(' ');
  const place = [item.areaPath, item.placeText].filter((p): p is string => p !== null && p !== '').join(' · ');
  return html`<li class="${classes}"><article>
<h2 class="inbox-card-title"><a href="${ticketHref(item.number)}" data-card>${item.number}</a></h2>
<p class="inbox-card-badges"><span class="inbox-status inbox-status-${item.status}">${statusText(t, item.status)}</span>${item.overdue ? html` <strong class="inbox-badge inbox-badge-overdue">${t('staffweb.inbox.card.overdue')}</strong>` : ''}${item.major ? html` <strong class="inbox-badge inbox-badge-major">${t('staffweb.inbox.card.major')}</strong>` : ''}</p>
<p class="inbox-card-what">${kindText(t, item.kind)} · ${categoryText(t, viewer.locale, categories, item.category)}</p>
<p class="inbox-card-excerpt">${item.excerpt}</p>
<dl class="inbox-card-facts">
${place ? html`<dt>${t('staffweb.inbox.card.place')}</dt><dd>${place}</dd>` : ''}
<dt>${t('staffweb.inbox.card.assignee')}</dt><dd>${item.assigneeName ?? t('staffweb.inbox.card.unassigned')}</dd>
<dt>${t('staffweb.inbox.card.filed')}</dt><dd>${timeTag(item.createdAt, viewer.timezone)}</dd>
${item.dueAt ? html`<dt>${t(item.firstResponse === 'answered' ? 'staffweb.inbox.card.resolution_due' : 'staffweb.inbox.card.first_response_due')}</dt><dd>${timeTag(item.dueAt, viewer.timezone)}</dd>` : ''}
<dt>${t('staffweb.inbox.card.first_response')}</dt><dd>${t(FIRST_RESPONSE_KEYS[item.firstResponse])}</dd>
</dl>
</article></li>`;
}

const FIRST_RESPONSE_KEYS: Record<TicketListItem['firstResponse'], string> = {
  answered: 'staffweb.inbox.card.first_response_answered',
  waiting: 'staffweb.inbox.card.first_response_waiting',
  late: 'staffweb.inbox.card.first_response_late',
};

function paging(list: TicketList, t: Translate): SafeHtml {
  if (list.pageCount <= 1) return html``;
  return html`<nav class="inbox-paging" aria-label="${t('staffweb.inbox.list.pages')}"><ul>
${list.page > 1 ? html`<li><a href="${listQuery(list.filter, list.page - 1)}" rel="prev">${t('staffweb.inbox.list.previous')}</a></li>` : ''}
<li>${t('staffweb.inbox.list.page_of', { page: list.page, pages: list.pageCount })}</li>
${list.page < list.pageCount ? html`<li><a href="${listQuery(list.filter, list.page + 1)}" rel="next">${t('staffweb.inbox.list.next')}</a></li>` : ''}
</ul></nav>`;
}

/** The visible list of keyboard shortcuts (what `data-shortcut` on the page does). */
export function shortcutHints(t: Translate, keys: readonly (readonly [string, string])[]): SafeHtml {
  return html`<aside class="inbox-shortcuts" aria-labelledby="inbox-shortcuts-title">
<h2 id="inbox-shortcuts-title">${t('staffweb.inbox.shortcuts.title')}</h2>
<dl>${keys.map(([key, label]) => html`<dt><kbd>${key}</kbd></dt><dd>${t(label)}</dd>`)}</dl>
</aside>`;
}
