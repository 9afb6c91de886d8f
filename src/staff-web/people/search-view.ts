/**
 * The roster search page (`/staff/people`): one search box (GET, so the address can be kept and
 * shared among staff) and the households found as cards — a phone shows a card better than a
 * wide table. Each card links to the household's page by its code.
 */
import { html, type SafeHtml } from '../shell/html.js';
import type { HouseholdSearch, HouseholdSummary } from './search-households.js';
import { flagLabel, hrefWith, listOf, pager, type ViewContext } from './view-parts.js';

export const PEOPLE_PATH = '/staff/people';

/** The address of a household's page. */
export function householdHref(code: string): string {
  return `/staff/households/${encodeURIComponent(code)}`;
}

/** The search form, for this page and the household page's header. */
export function peopleSearchForm(q: string, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<form class="people-search" method="get" action="${PEOPLE_PATH}" role="search">
<label for="people-q">${t('staffweb.people.search.label')}</label>
<input id="people-q" name="q" type="search" value="${q}" aria-describedby="people-q-hint" autocomplete="off">
<p id="people-q-hint" class="people-hint">${t('staffweb.people.search.hint')}</p>
<button type="submit">${t('staffweb.people.search.submit')}</button>
</form>`;
}

/** The page's main content. */
export function peopleSearchView(search: HouseholdSearch, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('staffweb.people.title')}</h1>
${peopleSearchForm(search.q, ctx)}
<p class="people-links"><a href="${STAFF_TEAM_LINK}">${t('staffweb.people.staff.title')}</a></p>
${results(search, ctx)}`;
}

const STAFF_TEAM_LINK = '/staff/team';

function results(search: HouseholdSearch, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  switch (search.status) {
    case 'empty':
      return html`<p class="people-note">${t('staffweb.people.search.empty')}</p>`;
    case 'too_short':
      return html`<p class="people-note" role="alert">${t('staffweb.people.search.too_short', { min: search.minDigits })}</p>`;
    case 'none_visible':
      return html`<p class="people-note" role="alert">${t('staffweb.people.search.none_visible')}</p>`;
    case 'found':
      if (search.households.length === 0) return html`<p class="people-note" role="status">${t('staffweb.people.search.no_results', { q: search.q })}</p>`;
      return html`<section class="people-results" aria-labelledby="people-results-heading">
<h2 id="people-results-heading">${t('staffweb.people.search.results_heading')}</h2>
${pager(search.paging, (page) => hrefWith(PEOPLE_PATH, { q: search.q, page }), ctx, 'people')}
<ul class="people-cards">${search.households.map((household) => card(household, ctx))}</ul>
</section>`;
  }
}

function card(household: HouseholdSummary, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<li class="people-card">
<h3><a href="${householdHref(household.code)}">${household.code}</a></h3>
<p class="people-address">${household.address}</p>
<p class="people-area">${household.areaPath}</p>
${household.flags.length > 0 ? html`<p class="people-flags">${listOf(household.flags.map((flag) => flagLabel(flag, ctx)), ctx)}</p>` : ''}
<ul class="people-members" aria-label="${t('staffweb.people.household.members')}">${household.members.map(
    (member) => html`<li>${member.name} <span class="people-phone">${member.maskedPhone ?? t('staffweb.people.household.no_phone')}</span></li>`,
  )}</ul>
</li>`;
}
