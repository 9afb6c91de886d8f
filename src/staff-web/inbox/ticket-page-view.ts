/**
 * One ticket's page: the header, the deadlines, the reporter (masked), the history with internal
 * notes set apart and labelled in words, the household's earlier tickets, and the forms of the
 * actions the viewer may take now (only those). Every form posts to
 * `/staff/tickets/<number>/actions/<action>` with the CSRF field; the fields are `text` (reply,
 * note, resolution), `assigneeId` (assign) and `into` (merge: the other ticket's number).
 */
import { html, type SafeHtml } from '../shell/html.js';
import type { Translate } from '../shell/viewer.js';
import { ticketDispatchView } from './ticket-dispatch-view.js';
import { INBOX_PATH, shortcutHints, type TicketListViewContext } from './ticket-list-view.js';
import { categoryText, csrfField, durationText, kindText, staffPhotoHref, statusText, ticketActionHref, ticketHref, timeTag } from './ticket-view-parts.js';
import type { DeadlineState, StaffTicket, TicketPageAction, TimelineEntry } from './ticket-view.js';

export interface TicketPageViewContext extends TicketListViewContext {
  /**
   * Words a refused form carried (the ticket changed meanwhile, a field was missing): shown again
   * in that form, so nothing typed is lost and sending it again is one press.
   */
  draft?: { action: string; text: string };
}

export function ticketPageView(ticket: StaffTicket, ctx: TicketPageViewContext): SafeHtml {
  const { t } = ctx;
  const keys: [string, string][] = [];
  if (ticket.allowed.reply) keys.push(['r', 'staffweb.inbox.shortcuts.reply']);
  if (ticket.allowed.note) keys.push(['n', 'staffweb.inbox.shortcuts.note']);
  if (ticket.allowed.claim) keys.push(['c', 'staffweb.inbox.shortcuts.claim']);
  // The page refreshes its live parts when this ticket changes (the shell's script; forms are left alone).
  return html`<article class="inbox-ticket" aria-labelledby="inbox-ticket-title" data-live-watch="ticket:${ticket.id}">
${header(ticket, ctx)}
${deadlines(ticket, ctx)}
${reporter(ticket, ctx)}
${timeline(ticket, ctx)}
${ticket.job ? ticketDispatchView(ticket.number, ticket.job, { t, timezone: ctx.viewer.timezone, csrfToken: ctx.csrfToken }) : ''}
${actions(ticket, ctx)}
${earlier(ticket, ctx)}
${keys.length > 0 ? shortcutHints(t, keys) : ''}
<p class="inbox-back"><a href="${INBOX_PATH}">${t('staffweb.inbox.ticket.back')}</a></p>
</article>`;
}

function header(ticket: StaffTicket, ctx: TicketPageViewContext): SafeHtml {
  const { t, viewer } = ctx;
  const yes = t('staffweb.inbox.ticket.yes');
  return html`<header class="inbox-ticket-header" data-live="inbox-ticket-header">
<h1 id="inbox-ticket-title">${t('staffweb.inbox.ticket.title', { number: ticket.number })}</h1>
<p class="inbox-ticket-what">${kindText(t, ticket.kind)} · ${categoryText(t, viewer.locale, ticket.categories, ticket.category)}</p>
<dl class="inbox-facts">
<dt>${t('staffweb.inbox.ticket.status')}</dt><dd><span class="inbox-status inbox-status-${ticket.status}">${statusText(t, ticket.status)}</span></dd>
${ticket.areaPath ? html`<dt>${t('staffweb.inbox.ticket.area')}</dt><dd>${ticket.areaPath}</dd>` : ''}
${ticket.placeText ? html`<dt>${t('staffweb.inbox.ticket.place')}</dt><dd>${ticket.placeText}</dd>` : ''}
<dt>${t('staffweb.inbox.ticket.assignee')}</dt><dd>${ticket.assignee?.name ?? t('staffweb.inbox.card.unassigned')}</dd>
${ticket.major ? html`<dt>${t('staffweb.inbox.ticket.major')}</dt><dd><strong class="inbox-badge inbox-badge-major">${yes}</strong></dd>` : ''}
${ticket.anonymous ? html`<dt>${t('staffweb.inbox.ticket.anonymous')}</dt><dd>${t('staffweb.inbox.ticket.anonymous_note')}</dd>` : ''}
${ticket.mergedInto ? html`<dt>${t('staffweb.inbox.ticket.merged_into')}</dt><dd><a href="${ticketHref(ticket.mergedInto)}">${ticket.mergedInto}</a></dd>` : ''}
${ticket.mergedFrom.length > 0 ? html`<dt>${t('staffweb.inbox.ticket.merged_from')}</dt><dd><ul class="inbox-inline-list">${ticket.mergedFrom.map((n) => html`<li><a href="${ticketHref(n)}">${n}</a></li>`)}</ul></dd>` : ''}
${ticket.reopenCount > 0 ? html`<dt>${t('staffweb.inbox.ticket.reopened')}</dt><dd>${t('staffweb.inbox.ticket.reopen_count', { count: ticket.reopenCount })}</dd>` : ''}
${ticket.rating ? html`<dt>${t('staffweb.inbox.ticket.rating')}</dt><dd>${ratingText(t, ticket.rating.stars, ticket.rating.solved)}</dd>` : ''}
<dt>${t('staffweb.inbox.ticket.filed')}</dt><dd>${timeTag(ticket.createdAt, viewer.timezone)}</dd>
</dl>
</header>`;
}

function ratingText(t: Translate, stars: number, solved: boolean | null | undefined): string {
  const base = t('staffweb.inbox.ticket.stars', { stars });
  if (solved === true) return `${base} · ${t('staffweb.inbox.ticket.solved_yes')}`;
  if (solved === false) return `${base} · ${t('staffweb.inbox.ticket.solved_no')}`;
  return base;
}

function deadlines(ticket: StaffTicket, ctx: TicketPageViewContext): SafeHtml {
  const { t } = ctx;
  return html`<section class="inbox-deadlines" aria-labelledby="inbox-deadlines-title" data-live="inbox-deadlines">
<h2 id="inbox-deadlines-title">${t('staffweb.inbox.deadline.title')}</h2>
<dl>
<dt>${t('staffweb.inbox.deadline.first_response')}</dt>${deadline(ticket.deadlines.firstResponse, ctx)}
${ticket.deadlines.resolution ? html`<dt>${t('staffweb.inbox.deadline.resolution')}</dt>${deadline(ticket.deadlines.resolution, ctx)}` : ''}
</dl>
</section>`;
}

function deadline(state: DeadlineState, ctx: TicketPageViewContext): SafeHtml {
  const { t, viewer } = ctx;
  const due = timeTag(state.dueAt, viewer.timezone);
  switch (state.state) {
    case 'running':
      return html`<dd class="inbox-deadline inbox-deadline-running">${due} · ${t('staffweb.inbox.deadline.left', { time: durationText(t, state.remainingMs) })}</dd>`;
    case 'overdue':
      return html`<dd class="inbox-deadline inbox-deadline-overdue">${due} · <strong>${t('staffweb.inbox.deadline.overdue_by', { time: durationText(t, state.overdueMs) })}</strong></dd>`;
    case 'met':
      return html`<dd class="inbox-deadline inbox-deadline-met">${due} · ${t(state.late ? 'staffweb.inbox.deadline.met_late' : 'staffweb.inbox.deadline.met')} ${timeTag(state.metAt, viewer.timezone)}</dd>`;
    case 'stopped':
      return html`<dd class="inbox-deadline inbox-deadline-stopped">${due} · ${t('staffweb.inbox.deadline.stopped')}</dd>`;
  }
}

function reporter(ticket: StaffTicket, ctx: TicketPageViewContext): SafeHtml {
  const { t } = ctx;
  const person = ticket.reporter;
  return html`<section class="inbox-reporter" aria-labelledby="inbox-reporter-title">
<h2 id="inbox-reporter-title">${t('staffweb.inbox.reporter.title')}</h2>
${person || ticket.household
    ? html`<dl>
${person ? html`<dt>${t('staffweb.inbox.reporter.name')}</dt><dd>${person.maskedName}</dd>` : ''}
${person ? html`<dt>${t('staffweb.inbox.reporter.phone')}</dt><dd>${person.maskedPhone ?? t('staffweb.inbox.reporter.no_phone')}</dd>` : ''}
${ticket.household ? html`<dt>${t('staffweb.inbox.reporter.household')}</dt><dd>${ticket.household.code} · ${ticket.household.address}</dd>` : ''}
${ticket.filedOnBehalf ? html`<dt>${t('staffweb.inbox.reporter.filed_by')}</dt><dd>${t('staffweb.inbox.reporter.on_behalf')}</dd>` : ''}
</dl>`
    : html`<p>${t('staffweb.inbox.reporter.none')}</p>`}
${ticket.allowed.reveal_phone
    ? html`<form class="inbox-action inbox-action-reveal_phone" method="post" action="${ticketActionHref(ticket.number, 'reveal_phone')}">
${csrfField(ctx.csrfToken)}
<button type="submit">${t('staffweb.inbox.action.reveal_phone')}</button>
<p class="inbox-hint">${t('staffweb.inbox.action.reveal_phone_hint')}</p>
</form>`
    : ''}
</section>`;
}

const EVENT_KEYS: Record<string, string> = {
  filed: 'staffweb.inbox.event.filed',
  resident_message: 'staffweb.inbox.event.resident_message',
  staff_reply: 'staffweb.inbox.event.staff_reply',
  internal_note: 'staffweb.inbox.event.internal_note',
  claimed: 'staffweb.inbox.event.claimed',
  assigned: 'staffweb.inbox.event.assigned',
  marked_major: 'staffweb.inbox.event.marked_major',
  resolved: 'staffweb.inbox.event.resolved',
  reopened: 'staffweb.inbox.event.reopened',
  merged: 'staffweb.inbox.event.merged',
  withdrawn: 'staffweb.inbox.event.withdrawn',
  rated: 'staffweb.inbox.event.rated',
  escalated: 'staffweb.inbox.event.escalated',
  closed: 'staffweb.inbox.event.closed',
};

const STEP_KEYS: Record<string, string> = {
  first_response_overdue: 'staffweb.inbox.event.step_first_response_overdue',
  first_response_overdue_committee: 'staffweb.inbox.event.step_first_response_overdue_committee',
  forum_agenda: 'staffweb.inbox.event.step_forum_agenda',
};

function timeline(ticket: StaffTicket, ctx: TicketPageViewContext): SafeHtml {
  const { t } = ctx;
  return html`<section class="inbox-timeline" aria-labelledby="inbox-timeline-title" data-live="inbox-timeline">
<h2 id="inbox-timeline-title">${t('staffweb.inbox.timeline.title')}</h2>
<ol>${ticket.timeline.map((entry) => timelineEntry(entry, ctx))}</ol>
</section>`;
}

function timelineEntry(entry: TimelineEntry, ctx: TicketPageViewContext): SafeHtml {
  const { t, viewer } = ctx;
  const classes = `inbox-event inbox-event-${entry.kind}${entry.internal ? ' inbox-event-internal' : ''}`;
  const what = EVENT_KEYS[entry.kind] ? t(EVENT_KEYS[entry.kind]!) : entry.kind;
  return html`<li class="${classes}">
<p class="inbox-event-head">${entry.internal ? html`<strong class="inbox-event-what inbox-internal-label">${t('staffweb.inbox.timeline.internal')}</strong>` : html`<span class="inbox-event-what">${what}</span>`} · <span class="inbox-event-who">${actorText(entry, t)}</span> · ${timeTag(entry.at, viewer.timezone)}</p>
${eventDetail(entry, t)}
${entry.text ? html`<p class="inbox-event-text">${entry.text}</p>` : ''}
${entry.photos.length > 0 ? html`<ul class="inbox-event-photos">${entry.photos.map((ref, i) => photoLink(ref, i + 1, t))}</ul>` : ''}
</li>`;
}

function photoLink(ref: string, n: number, t: Translate): SafeHtml {
  const href = staffPhotoHref(ref);
  const label = t('staffweb.inbox.timeline.photo', { n });
  return href ? html`<li><a href="${href}">${label}</a></li>` : html`<li>${label}</li>`;
}

function actorText(entry: TimelineEntry, t: Translate): string {
  switch (entry.actor.kind) {
    case 'staff':
      return entry.actor.name;
    case 'resident':
      return entry.actor.maskedName;
    case 'system':
      return t('staffweb.inbox.timeline.system');
    case 'removed':
      return t('staffweb.inbox.timeline.removed');
  }
}

function eventDetail(entry: TimelineEntry, t: Translate): SafeHtml | '' {
  if (entry.kind === 'assigned') return html`<p class="inbox-event-detail">${t('staffweb.inbox.timeline.assigned_to', { name: entry.assigneeName ?? t('staffweb.inbox.timeline.removed') })}</p>`;
  if (entry.kind === 'merged' && entry.mergedIntoNumber) {
    return html`<p class="inbox-event-detail">${t('staffweb.inbox.timeline.merged_into')} <a href="${ticketHref(entry.mergedIntoNumber)}">${entry.mergedIntoNumber}</a></p>`;
  }
  if (entry.kind === 'rated' && typeof entry.stars === 'number') return html`<p class="inbox-event-detail">${ratingText(t, entry.stars, entry.solved)}</p>`;
  if (entry.kind === 'escalated' && entry.step && STEP_KEYS[entry.step]) return html`<p class="inbox-event-detail">${t(STEP_KEYS[entry.step]!)}</p>`;
  if (entry.reopened) return html`<p class="inbox-event-detail">${t('staffweb.inbox.timeline.reopened_by_message')}</p>`;
  return '';
}

/**
 * The forms, in a live part that is there even when empty: when the ticket changes elsewhere (a
 * Telegram topic, a WeChat room), the page swaps in the forms that fit its new state, with any
 * words already typed carried over (the shell's script).
 */
function actions(ticket: StaffTicket, ctx: TicketPageViewContext): SafeHtml {
  return html`<div class="inbox-actions-live" data-live="inbox-actions">${actionForms(ticket, ctx)}</div>`;
}

function actionForms(ticket: StaffTicket, ctx: TicketPageViewContext): SafeHtml {
  const { t } = ctx;
  const allowed = (Object.keys(ticket.allowed) as TicketPageAction[]).filter((a) => a !== 'reveal_phone' && ticket.allowed[a]);
  if (allowed.length === 0) return html``;
  const form = (action: TicketPageAction, body: SafeHtml) =>
    html`<form class="inbox-action inbox-action-${action}" method="post" action="${ticketActionHref(ticket.number, action)}">
${csrfField(ctx.csrfToken)}
<input type="hidden" name="version" value="${String(ticket.version)}">
${body}
</form>`;
  const textForm = (action: 'reply' | 'note' | 'resolve', labelKey: string, buttonKey: string, shortcut: string | null) =>
    form(
      action,
      html`<p><label for="inbox-${action}-text">${t(labelKey)}</label>
<textarea id="inbox-${action}-text" name="text" rows="3" maxlength="2000" required${shortcut ? html` data-shortcut="${shortcut}"` : ''}>${ctx.draft?.action === action ? ctx.draft.text : ''}</textarea></p>
<p><button type="submit">${t(buttonKey)}</button></p>`,
    );
  return html`<section class="inbox-actions" aria-labelledby="inbox-actions-title">
<h2 id="inbox-actions-title">${t('staffweb.inbox.action.title')}</h2>
${ticket.allowed.reply ? textForm('reply', 'staffweb.inbox.action.reply_label', 'staffweb.inbox.action.reply', 'r') : ''}
${ticket.allowed.note ? textForm('note', 'staffweb.inbox.action.note_label', 'staffweb.inbox.action.note', 'n') : ''}
${ticket.allowed.claim ? form('claim', html`<p><button type="submit" data-shortcut="c">${t('staffweb.inbox.action.claim')}</button></p>`) : ''}
${ticket.allowed.assign && ticket.assignable.length > 0
    ? form(
        'assign',
        html`<p><label for="inbox-assign-to">${t('staffweb.inbox.action.assign_label')}</label>
<select id="inbox-assign-to" name="assigneeId" required>${ticket.assignable.map(
          (person) => html`<option value="${person.residentId}"${ticket.assignee?.residentId === person.residentId ? html` selected` : ''}>${person.name}</option>`,
        )}</select></p>
<p><button type="submit">${t('staffweb.inbox.action.assign')}</button></p>`,
      )
    : ''}
${ticket.allowed.major ? form('major', html`<p><button type="submit">${t('staffweb.inbox.action.major')}</button></p>`) : ''}
${ticket.allowed.resolve ? textForm('resolve', 'staffweb.inbox.action.resolve_label', 'staffweb.inbox.action.resolve', null) : ''}
${ticket.allowed.reopen ? form('reopen', html`<p><button type="submit">${t('staffweb.inbox.action.reopen')}</button></p>`) : ''}
${ticket.allowed.merge
    ? form(
        'merge',
        html`<p><label for="inbox-merge-into">${t('staffweb.inbox.action.merge_label')}</label>
<input type="text" id="inbox-merge-into" name="into" required maxlength="40" autocomplete="off"></p>
<p><button type="submit">${t('staffweb.inbox.action.merge')}</button></p>`,
      )
    : ''}
</section>`;
}

function earlier(ticket: StaffTicket, ctx: TicketPageViewContext): SafeHtml {
  const { t, viewer } = ctx;
  if (!ticket.household) return html``;
  const { items, total } = ticket.earlier;
  return html`<section class="inbox-earlier" aria-labelledby="inbox-earlier-title">
<h2 id="inbox-earlier-title">${t('staffweb.inbox.earlier.title')}</h2>
${total === 0
    ? html`<p>${t('staffweb.inbox.earlier.none')}</p>`
    : html`<p class="inbox-summary">${t('staffweb.inbox.earlier.showing', { shown: items.length, total })}</p>
<ul>${items.map(
        (item) =>
          html`<li><a href="${ticketHref(item.number)}">${item.number}</a> · ${statusText(t, item.status)} · ${categoryText(t, viewer.locale, ticket.categories, item.category)} · ${timeTag(item.createdAt, viewer.timezone)}</li>`,
      )}</ul>`}
</section>`;
}
