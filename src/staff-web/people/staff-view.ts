/**
 * The staff page (`/staff/team`, admins): every term — who, which role, where, which skills, from
 * when until when — ended ones marked (and listed only when asked for), with a form to give a
 * role, and on each term that is not over a form to move its last day and a button to end it now.
 * What the last change did is said at the top (`staffNotice`).
 */
import { ROLES, SKILLS } from '../../features/community/vocabulary.js';
import type { StaffLookupProblem } from '../../features/community/staff.js';
import type { StaffProblem } from '../../features/community/staff-rules.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import { localDay } from '../../features/tickets/scheduling/local-format.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { AddTermOutcome, Denied, StaffTerm, TermChangeOutcome } from './staff-terms.js';
import { householdHref } from './search-view.js';
import { csrfField, dayTag, listOf, minuteTag, roleLabel, skillLabel, type ViewContext } from './view-parts.js';

export const STAFF_PATH = '/staff/team';

export function termEndsAction(assignmentId: string): string {
  return `${STAFF_PATH}/${encodeURIComponent(assignmentId)}/ends`;
}
export function termEndAction(assignmentId: string): string {
  return `${STAFF_PATH}/${encodeURIComponent(assignmentId)}/end`;
}

export interface StaffPage {
  list: { status: 'listed'; terms: StaffTerm[] } | Denied;
  includeEnded: boolean;
  /** What the change just made did, if one was. */
  notice?: SafeHtml | null;
}

/** The page's main content. */
export function staffView(page: StaffPage, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const heading = html`<h1>${t('staffweb.people.staff.title')}</h1>`;
  if (page.list.status === 'denied') return html`${heading}<p class="people-note" role="alert">${t(denialMessageKey(page.list.reason))}</p>`;
  const { terms } = page.list;
  return html`${heading}
${page.notice ?? ''}
<form class="people-filter" method="get" action="${STAFF_PATH}">
<input id="people-ended" name="ended" type="checkbox" value="1"${page.includeEnded ? html` checked` : ''}>
<label for="people-ended">${t('staffweb.people.staff.include_ended')}</label>
<button type="submit">${t('staffweb.people.staff.filter')}</button>
</form>
<section aria-labelledby="people-terms-heading">
<h2 id="people-terms-heading">${t('staffweb.people.staff.terms_heading')}</h2>
<p class="people-count" role="status">${t('staffweb.people.staff.count', { count: terms.length })}</p>
${terms.length === 0 ? html`<p class="people-note">${t('staffweb.people.staff.none')}</p>` : html`<ul class="people-cards">${terms.map((term) => termCard(term, ctx))}</ul>`}
</section>
${addForm(ctx)}`;
}

function termCard(term: StaffTerm, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const id = term.assignmentId;
  const state =
    term.state === 'ended'
      ? html` <span class="people-badge people-badge-ended">${t('staffweb.people.staff.ended')}</span>`
      : term.state === 'upcoming'
        ? html` <span class="people-badge">${t('staffweb.people.staff.upcoming')}</span>`
        : '';
  return html`<li class="people-card${term.state === 'ended' ? ' people-card-ended' : ''}">
<h3>${term.name}${state}</h3>
<dl class="people-facts">
<dt>${t('staffweb.people.staff.role')}</dt><dd>${roleLabel(term.role, ctx)}</dd>
${term.areaPath ? html`<dt>${t('staffweb.people.staff.area')}</dt><dd>${term.areaPath}</dd>` : ''}
${term.skills.length > 0 ? html`<dt>${t('staffweb.people.staff.skills')}</dt><dd>${listOf(term.skills.map((skill) => skillLabel(skill, ctx)), ctx)}</dd>` : ''}
<dt>${t('staffweb.people.staff.term')}</dt><dd>${dayTag(term.startsOn, ctx)} – ${term.endsOn ? dayTag(term.endsOn, ctx) : t('staffweb.people.staff.open_ended')}</dd>
<dt>${t('staffweb.people.household.phone')}</dt><dd>${term.maskedPhone ?? t('staffweb.people.household.no_phone')}</dd>
${term.householdCode ? html`<dt>${t('staffweb.people.staff.household')}</dt><dd><a href="${householdHref(term.householdCode)}">${term.householdCode}</a></dd>` : ''}
</dl>
${term.state === 'ended'
    ? ''
    : html`<form class="people-term-form" method="post" action="${termEndsAction(id)}">${csrfField(ctx)}
<label for="people-ends-${id}">${t('staffweb.people.staff.last_day')}</label>
<input id="people-ends-${id}" name="ends" type="date" value="${term.endsOn ? localDay(term.endsOn, ctx.viewer.timezone) : ''}" aria-describedby="people-ends-hint-${id}">
<p id="people-ends-hint-${id}" class="people-hint">${t('staffweb.people.staff.last_day_hint')}</p>
<button type="submit">${t('staffweb.people.staff.change_end')}</button>
</form>
<form class="people-term-form" method="post" action="${termEndAction(id)}">${csrfField(ctx)}
<button type="submit">${t('staffweb.people.staff.end_now', { name: term.name })}</button>
</form>`}
</li>`;
}

function addForm(ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<section aria-labelledby="people-add-heading">
<h2 id="people-add-heading">${t('staffweb.people.staff.add_heading')}</h2>
<form class="people-add-form" method="post" action="${STAFF_PATH}">${csrfField(ctx)}
<label for="people-add-name">${t('staffweb.people.staff.name')}</label>
<input id="people-add-name" name="name" type="text" required autocomplete="off">
<label for="people-add-phone">${t('staffweb.people.staff.phone')}</label>
<input id="people-add-phone" name="phone" type="tel" inputmode="tel" autocomplete="off" aria-describedby="people-add-phone-hint">
<p id="people-add-phone-hint" class="people-hint">${t('staffweb.people.staff.phone_hint')}</p>
<label for="people-add-role">${t('staffweb.people.staff.role')}</label>
<select id="people-add-role" name="role" required>${ROLES.map((role) => html`<option value="${role}">${roleLabel(role, ctx)}</option>`)}</select>
<label for="people-add-area">${t('staffweb.people.staff.area')}</label>
<input id="people-add-area" name="area" type="text" autocomplete="off" aria-describedby="people-add-area-hint">
<p id="people-add-area-hint" class="people-hint">${t('staffweb.people.staff.area_hint')}</p>
<fieldset class="people-skills"><legend>${t('staffweb.people.staff.skills')}</legend>
${SKILLS.map((skill) => html`<input id="people-add-skill-${skill}" name="skills" type="checkbox" value="${skill}"><label for="people-add-skill-${skill}">${skillLabel(skill, ctx)}</label>`)}
</fieldset>
<label for="people-add-ends">${t('staffweb.people.staff.last_day')}</label>
<input id="people-add-ends" name="ends" type="date" aria-describedby="people-add-ends-hint">
<p id="people-add-ends-hint" class="people-hint">${t('staffweb.people.staff.add_ends_hint')}</p>
<input id="people-add-code" name="code" type="checkbox" value="1" checked>
<label for="people-add-code">${t('staffweb.people.staff.with_code')}</label>
<button type="submit">${t('staffweb.people.staff.add')}</button>
</form>
</section>`;
}

/** What adding a role did, for the top of the page (the binding code, when one was made, shown once). */
export function addTermNotice(outcome: AddTermOutcome, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  switch (outcome.status) {
    case 'denied':
      return alert(t(denialMessageKey(outcome.reason)));
    case 'invalid':
      return alert(planProblem(outcome.problem, ctx));
    case 'lookup_failed':
      return alert(lookupProblem(outcome.problem, ctx));
    case 'added': {
      const { result } = outcome;
      const said =
        result.status === 'created'
          ? t('staffweb.people.staff.added')
          : result.status === 'updated'
            ? t('staffweb.people.staff.skills_updated')
            : t('staffweb.people.staff.already_holds');
      const code = result.invite
        ? html`<p class="people-once">${t('staffweb.people.code.shown_once')}</p>
<p><span class="people-code-label">${t('staffweb.people.code.code_label')}</span> <strong class="people-code-text" lang="en">${result.invite.code}</strong></p>
<p>${t('staffweb.people.code.expires')} ${minuteTag(result.invite.expiresAt, ctx)}</p>
<p>${t('staffweb.people.code.how_person')}</p>`
        : '';
      return html`<div class="people-notice" role="status"><p>${said}</p>${result.newPerson ? html`<p>${t('staffweb.people.staff.person_new')}</p>` : ''}${code}</div>`;
    }
  }
}

/** What moving or ending a term did, as the console's status line says it (`ok` or `error`). */
export function termChangeStatus(outcome: TermChangeOutcome, ctx: ViewContext): { kind: 'ok' | 'error'; text: string } {
  const { t } = ctx;
  const error = (text: string) => ({ kind: 'error' as const, text });
  switch (outcome.status) {
    case 'changed':
      return {
        kind: 'ok',
        text:
          outcome.endsOn && outcome.endsOn.getTime() < ctx.now.getTime()
            ? t('staffweb.people.staff.ended_now')
            : outcome.endsOn
              ? t('staffweb.people.staff.end_changed', { date: localDay(outcome.endsOn, ctx.viewer.timezone) })
              : t('staffweb.people.staff.end_removed'),
      };
    case 'denied':
      return error(t(denialMessageKey(outcome.reason)));
    case 'not_found':
      return error(t('staffweb.people.staff.not_found'));
    case 'already_ended':
      return error(t('staffweb.people.staff.already_ended'));
    case 'bad_date':
      return error(t('staffweb.people.staff.bad_date', { date: outcome.date }));
    case 'ends_in_past':
      return error(t('staffweb.people.staff.ends_in_past', { date: outcome.date }));
    case 'before_start':
      return error(t('staffweb.people.staff.before_start', { date: outcome.date }));
    case 'last_admin':
      return error(t('staffweb.people.staff.last_admin'));
  }
}

/** The same as a block for the top of the page's content. */
export function termChangeNotice(outcome: TermChangeOutcome, ctx: ViewContext): SafeHtml {
  const status = termChangeStatus(outcome, ctx);
  return status.kind === 'ok' ? html`<div class="people-notice" role="status"><p>${status.text}</p></div>` : alert(status.text);
}

function alert(text: string): SafeHtml {
  return html`<div class="people-notice" role="alert"><p>${text}</p></div>`;
}

function planProblem(problem: StaffProblem, ctx: ViewContext): string {
  const { t } = ctx;
  switch (problem.code) {
    case 'name_missing':
      return t('staffweb.people.staff.problem.name_missing');
    case 'unknown_role':
      return t('staffweb.people.staff.problem.unknown_role');
    case 'area_required':
      return t('staffweb.people.staff.problem.area_required', { role: roleLabel(problem.role, ctx) });
    case 'area_not_allowed':
      return t('staffweb.people.staff.problem.area_not_allowed', { role: roleLabel(problem.role, ctx) });
    case 'skills_required':
      return t('staffweb.people.staff.problem.skills_required');
    case 'skills_not_allowed':
      return t('staffweb.people.staff.problem.skills_not_allowed', { role: roleLabel(problem.role, ctx) });
    case 'unknown_skill':
      return t('staffweb.people.staff.problem.unknown_skill', { skill: problem.skill });
    case 'bad_phone':
      return t('staffweb.people.staff.problem.bad_phone');
    case 'bad_date':
      return t('staffweb.people.staff.bad_date', { date: problem.date });
    case 'ends_in_past':
      return t('staffweb.people.staff.ends_in_past', { date: problem.date });
  }
}

function lookupProblem(problem: StaffLookupProblem, ctx: ViewContext): string {
  switch (problem.code) {
    case 'area_not_found':
      return ctx.t('staffweb.people.staff.problem.area_not_found', { area: problem.area });
    case 'ambiguous_person':
      return ctx.t('staffweb.people.staff.problem.ambiguous_person', { count: problem.count });
  }
}
