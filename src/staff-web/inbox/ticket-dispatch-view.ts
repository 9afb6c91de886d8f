/**
 * A repair ticket's job on its page: the dispatch history (the job's state and holder, every offer:
 * to whom, when, how it ended) and the forms of the moves the viewer may make now — reassign (to
 * a member picked from the team, or the next one), take over (a member, or the viewer), cancel.
 * They post to `/staff/tickets/<number>/dispatch/<move>` with the CSRF field and `memberId`.
 */
import { jobStatusWords, offerStatusWords } from '../../features/repairs/dispatch/chat/dispatch-history-text.js';
import type { StaffDispatchMove } from '../../features/repairs/dispatch/service/staff-dispatch.js';
import { STAFF_DISPATCH_MOVES, type StaffJobView } from '../../features/repairs/dispatch/service/staff-job-view.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { Translate } from '../shell/viewer.js';
import { csrfField, ticketHref, timeTag } from './ticket-view-parts.js';

/** Where a move's form posts to. */
export function ticketDispatchHref(number: string, move: StaffDispatchMove): string {
  return `${ticketHref(number)}/dispatch/${encodeURIComponent(move)}`;
}

const MOVE_KEYS: Record<StaffDispatchMove, string> = {
  reassign: 'staffweb.inbox.dispatch.reassign',
  take_over: 'staffweb.inbox.dispatch.take_over',
  cancel: 'staffweb.inbox.dispatch.cancel',
};

const NOBODY_KEYS: Record<Exclude<StaffDispatchMove, 'cancel'>, string> = {
  reassign: 'staffweb.inbox.dispatch.next_member',
  take_over: 'staffweb.inbox.dispatch.myself',
};

export interface DispatchViewContext {
  t: Translate;
  timezone: string;
  csrfToken: string;
}

export function ticketDispatchView(number: string, job: StaffJobView, ctx: DispatchViewContext): SafeHtml {
  const { t, timezone } = ctx;
  const { history } = job;
  return html`<section class="inbox-dispatch" aria-labelledby="inbox-dispatch-title" data-live="inbox-dispatch">
<h2 id="inbox-dispatch-title">${t('staffweb.inbox.dispatch.title')}</h2>
<dl class="inbox-facts">
<dt>${t('staffweb.inbox.dispatch.status')}</dt><dd>${jobStatusWords(t, history.status)}</dd>
<dt>${t('staffweb.inbox.dispatch.holder')}</dt><dd>${history.holder ?? t('staffweb.inbox.dispatch.nobody')}</dd>
${history.emergency ? html`<dt>${t('staffweb.inbox.dispatch.emergency')}</dt><dd><strong class="inbox-badge inbox-badge-major">${t('staffweb.inbox.ticket.yes')}</strong></dd>` : ''}
${history.priority ? html`<dt>${t('staffweb.inbox.dispatch.priority')}</dt><dd>${t('staffweb.inbox.ticket.yes')}</dd>` : ''}
</dl>
${history.offers.length > 0
    ? html`<ol class="inbox-dispatch-offers">${history.offers.map(
        (offer) => html`<li>${timeTag(offer.offeredAt, timezone)} · ${offer.memberName} · ${offerStatusWords(t, offer.status)}</li>`,
      )}</ol>`
    : html`<p>${t('staffweb.inbox.dispatch.no_offers')}</p>`}
${STAFF_DISPATCH_MOVES.filter((move) => job.allowed[move]).map((move) => moveForm(number, move, job, ctx))}
</section>`;
}

function moveForm(number: string, move: StaffDispatchMove, job: StaffJobView, ctx: DispatchViewContext): SafeHtml {
  const { t } = ctx;
  const id = `inbox-dispatch-${move}`;
  return html`<form class="inbox-action inbox-action-dispatch-${move}" method="post" action="${ticketDispatchHref(number, move)}">
${csrfField(ctx.csrfToken)}
${move === 'cancel'
    ? ''
    : html`<p><label for="${id}">${t('staffweb.inbox.dispatch.member')}</label>
<select id="${id}" name="memberId"><option value="">${t(NOBODY_KEYS[move])}</option>${job.team.map((member) => html`<option value="${member.residentId}">${member.name}</option>`)}</select></p>`}
<p><button type="submit">${t(MOVE_KEYS[move])}</button></p>
</form>`;
}
