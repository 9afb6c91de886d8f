/**
 * A household's page (`/staff/households/<code>`): where it is, its priority flags, its group and
 * the group's head, and each member with their masked phone, the chat accounts they have bound
 * (channel and since when) and their roles. Staff who may hand out binding codes there get a
 * button for the household and one per member; each code is shown once on the page that follows.
 */
import { denialMessageKey } from '../../features/policy/denials.js';
import type { RevealPhoneResult } from '../../features/privacy/reveal-phone.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { HouseholdDetail, HouseholdMember, LoadHouseholdOutcome } from './load-household.js';
import { householdHref, PEOPLE_PATH } from './search-view.js';
import { channelLabel, csrfField, dayTag, flagLabel, listOf, roleLabel, skillLabel, type ViewContext } from './view-parts.js';

/** Where the code forms post. */
export function householdCodeAction(code: string): string {
  return `${householdHref(code)}/code`;
}
export function personCodeAction(residentId: string): string {
  return `/staff/people/${encodeURIComponent(residentId)}/code`;
}
export function personPhoneAction(residentId: string): string {
  return `/staff/people/${encodeURIComponent(residentId)}/phone`;
}

/** The page's main content, for every outcome of `loadHousehold`; `notice` says what a button just did (a revealed phone). */
export function householdView(outcome: LoadHouseholdOutcome, ctx: ViewContext, requested: string, notice?: SafeHtml | null): SafeHtml {
  const { t } = ctx;
  const back = html`<p class="people-back"><a href="${PEOPLE_PATH}">${t('staffweb.people.household.back')}</a></p>`;
  switch (outcome.status) {
    case 'not_found':
      return html`<h1>${t('staffweb.people.household.title', { code: requested })}</h1>
<p class="people-note" role="alert">${t('staffweb.people.household.not_found', { code: requested })}</p>${back}`;
    case 'denied':
      return html`<h1>${t('staffweb.people.household.title', { code: requested })}</h1>
<p class="people-note" role="alert">${t(denialMessageKey(outcome.reason))}</p>${back}`;
    case 'found':
      return detail(outcome.household, ctx, back, notice ?? null);
  }
}

function detail(household: HouseholdDetail, ctx: ViewContext, back: SafeHtml, notice: SafeHtml | null): SafeHtml {
  const { t } = ctx;
  const group = household.group;
  return html`<h1>${t('staffweb.people.household.title', { code: household.code })}</h1>
${notice ?? ''}
<dl class="people-facts">
<dt>${t('staffweb.people.household.address')}</dt><dd>${household.address}</dd>
<dt>${t('staffweb.people.household.area')}</dt><dd>${household.areaPath}</dd>
<dt>${t('staffweb.people.household.flags')}</dt><dd>${household.flags.length > 0 ? listOf(household.flags.map((flag) => flagLabel(flag, ctx)), ctx) : t('staffweb.people.household.no_flags')}</dd>
<dt>${t('staffweb.people.household.group')}</dt><dd>${group ? group.code : t('staffweb.people.household.no_group')}</dd>
${group ? html`<dt>${t('staffweb.people.household.group_head')}</dt><dd>${group.head ? headOf(group.head, ctx) : t('staffweb.people.household.no_head')}</dd>` : ''}
</dl>
${household.canIssueCode
    ? html`<form class="people-code-form" method="post" action="${householdCodeAction(household.code)}">${csrfField(ctx)}
<button type="submit">${t('staffweb.people.household.issue_household_code')}</button></form>`
    : ''}
<section class="people-members" aria-labelledby="people-members-heading">
<h2 id="people-members-heading">${t('staffweb.people.household.members')}</h2>
${household.members.length === 0
    ? html`<p class="people-note">${t('staffweb.people.household.no_members')}</p>`
    : html`<ul class="people-cards">${household.members.map((member) => memberCard(member, household.canIssueCode, ctx))}</ul>`}
</section>
${back}`;
}

/**
 * What a reveal answered, for the top of the household or request page: the full number (to call
 * now; it is in the audit log that it was shown, not the number), or why not.
 */
export function revealedPhoneNotice(result: RevealPhoneResult, whose: string, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  if (!result.ok) {
    const text = result.reason === 'not_found' ? t('staffweb.people.household.person_gone') : t(denialMessageKey(result.reason));
    return html`<div class="people-notice" role="alert"><p>${text}</p></div>`;
  }
  if (result.phone === null) return html`<div class="people-notice" role="status"><p>${t('staffweb.people.household.no_phone_on_record', { name: whose })}</p></div>`;
  return html`<div class="people-notice" role="status"><p>${t('staffweb.people.household.revealed', { name: whose })} <a class="people-phone-full" href="tel:${result.phone}">${result.phone}</a></p></div>`;
}

function headOf(head: { name: string; householdCode: string | null }, ctx: ViewContext): SafeHtml {
  if (!head.householdCode) return html`${head.name}`;
  return html`${head.name} <a href="${householdHref(head.householdCode)}">${ctx.t('staffweb.people.household.head_household', { code: head.householdCode })}</a>`;
}

function memberCard(member: HouseholdMember, canIssueCode: boolean, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<li class="people-card">
<h3>${member.name}${member.isGroupHead ? html` <span class="people-badge">${t('staffweb.people.household.is_head')}</span>` : ''}</h3>
<dl class="people-facts">
<dt>${t('staffweb.people.household.phone')}</dt><dd>${member.maskedPhone ?? t('staffweb.people.household.no_phone')}</dd>
<dt>${t('staffweb.people.household.accounts')}</dt><dd>${member.accounts.length === 0
    ? t('staffweb.people.household.no_accounts')
    : html`<ul class="people-accounts">${member.accounts.map(
        (account) => html`<li>${channelLabel(account.channel, ctx)}${account.since ? html` ${t('staffweb.people.household.bound_since')} ${dayTag(account.since, ctx)}` : ''}</li>`,
      )}</ul>`}</dd>
${member.roles.length > 0
    ? html`<dt>${t('staffweb.people.household.roles')}</dt><dd><ul class="people-roles">${member.roles.map(
        (held) => html`<li>${roleLabel(held.role, ctx)}${held.areaPath ? html` · ${held.areaPath}` : ''}${held.skills.length > 0 ? html` · ${listOf(held.skills.map((skill) => skillLabel(skill, ctx)), ctx)}` : ''}</li>`,
      )}</ul></dd>`
    : ''}
</dl>
${member.mayRevealPhone
    ? html`<form class="people-phone-form" method="post" action="${personPhoneAction(member.residentId)}">${csrfField(ctx)}
<button type="submit">${t('staffweb.people.household.reveal_phone', { name: member.name })}</button></form>`
    : ''}
${canIssueCode
    ? html`<form class="people-code-form" method="post" action="${personCodeAction(member.residentId)}">${csrfField(ctx)}
<button type="submit">${t('staffweb.people.household.issue_person_code', { name: member.name })}</button></form>`
    : ''}
</li>`;
}
