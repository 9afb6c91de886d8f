/**
 * The console's meeting pages: the list of sittings, and one sitting's live floor — attendance
 * and whether the quorum holds, the motions with their votes (names only on open ballots), the
 * evaluations — which is also its minutes (printed from the browser) with the PDF and the
 * workbook to download. Pure: data in, HTML out. The floor refreshes itself when someone checks in or votes
 * (staff.js: `data-live-watch="meeting:<id>"`).
 */
import type { Minutes, MinutesMotion } from '../../features/meetings/floor/minutes/load-minutes.js';
import { denialMessageKey, type DenialReason } from '../../features/policy/denials.js';
import { minuteTag, type ViewContext } from '../people/view-parts.js';
import { html, type SafeHtml } from '../shell/html.js';

export const MEETINGS_PATH = '/staff/meetings';

export interface MeetingListItem {
  number: string;
  title: string;
  startsAt: Date;
  status: string;
}

const STATUS_KEYS: Record<string, string> = {
  scheduled: 'meetings.console.status.scheduled',
  held: 'meetings.console.status.held',
  closed: 'meetings.console.status.closed',
  cancelled: 'meetings.console.status.cancelled',
};

export function meetingListView(items: readonly MeetingListItem[], ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('meetings.console.title')}</h1>
${
  items.length === 0
    ? html`<p class="requests-note">${t('meetings.console.none')}</p>`
    : html`<ul class="requests-list">${items.map(
        (m) => html`<li><a href="${MEETINGS_PATH}/${m.number}">${m.number}</a> ${m.title} · ${minuteTag(m.startsAt, ctx)} · ${t(STATUS_KEYS[m.status] ?? 'meetings.console.status.scheduled')}</li>`,
      )}</ul>`
}`;
}

export function floorDeniedView(reason: DenialReason, ctx: ViewContext): SafeHtml {
  return html`<h1>${ctx.t('meetings.console.title')}</h1><p class="requests-note" role="alert">${ctx.t(denialMessageKey(reason))}</p>`;
}

export function floorView(minutes: Minutes, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const { meeting, attendance } = minutes;
  return html`<h1>${meeting.number} ${meeting.title}</h1>
<p>${minuteTag(meeting.startsAt, ctx)} – ${minuteTag(meeting.endsAt, ctx)}${meeting.place ? html` · ${meeting.place}` : ''}</p>
<p class="minutes-downloads"><a href="${MEETINGS_PATH}/${meeting.number}/minutes.pdf" download>${t('meetings.console.download_pdf')}</a> · <a href="${MEETINGS_PATH}/${meeting.number}/minutes.xlsx" download>${t('meetings.console.download')}</a> · ${t('meetings.console.print_page')}</p>
<div data-live-watch="meeting:${meeting.id}" data-live="floor">
<section aria-labelledby="attendance-h">
<h2 id="attendance-h">${t('meetings.console.attendance')}</h2>
<p class="${attendance.quorum ? 'quorum-yes' : 'quorum-no'}" role="status"><strong>${t(attendance.quorum ? 'meetings.console.quorum_yes' : 'meetings.console.quorum_no', {
    representatives: attendance.representativesPresent,
    roll: attendance.rollSize,
    needed: attendance.needed,
  })}</strong></p>
<p>${t('meetings.console.present', { present: attendance.present, invited: attendance.invited })}${meeting.checkInCode && meeting.status === 'held' ? html` · ${t('meetings.console.code', { code: meeting.checkInCode })}` : ''}</p>
<table>
<thead><tr><th>${t('meetings.minutes.name')}</th><th>${t('meetings.minutes.representative')}</th><th>${t('meetings.minutes.checked_in_at')}</th></tr></thead>
<tbody>${attendance.people.map(
    (p) =>
      html`<tr><td>${p.name}</td><td>${p.representative ? t('meetings.minutes.yes') : ''}</td><td>${p.checkedInAt ? minuteTag(p.checkedInAt, ctx) : t('meetings.console.not_yet')}</td></tr>`,
  )}</tbody>
</table>
</section>
${minutes.agenda.length > 0 ? html`<section><h2>${t('meetings.console.agenda')}</h2><ol>${minutes.agenda.map((item) => html`<li>${item}</li>`)}</ol></section>` : ''}
<section aria-labelledby="votes-h">
<h2 id="votes-h">${t('meetings.console.votes')}</h2>
${minutes.motions.length === 0 ? html`<p class="requests-note">${t('meetings.console.no_motions')}</p>` : html`<ol>${minutes.motions.map((m) => motionItem(m, ctx))}</ol>`}
</section>
${
  minutes.polls.length > 0
    ? html`<section><h2>${t('meetings.console.polls')}</h2><ul>${minutes.polls.map(
        (p) =>
          html`<li>${p.subject ?? t('meetings.minutes.committee')}: ${
            p.status === 'closed'
              ? t(p.rectify ? 'meetings.console.poll_rectify' : 'meetings.console.poll_ok', { satisfied: p.satisfied ?? 0, answered: p.answered ?? 0 })
              : t('meetings.console.poll_open')
          }</li>`,
      )}</ul></section>`
    : ''
}
</div>`;
}

function motionItem(m: MinutesMotion, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const ballot = t(m.ballot === 'secret' ? 'meetings.minutes.secret' : 'meetings.minutes.open');
  if (m.status !== 'closed') {
    const state = t(m.status === 'open' ? 'meetings.console.voting' : 'meetings.console.draft', { cast: m.cast });
    return html`<li value="${m.position}">${t('meetings.console.motion_line', { title: m.title, ballot, state })}</li>`;
  }
  const result = t(m.result === 'passed' ? 'meetings.vote.result_passed' : 'meetings.vote.result_failed');
  const tally = t('meetings.console.tally', { present: m.presentAtClose ?? 0, yes: m.yes ?? 0, no: m.no ?? 0, abstain: m.abstain ?? 0 });
  // Open ballots only, and only the choices somebody made.
  const names = m.names
    ? [
        m.names.yes.length > 0 ? t('meetings.vote.names_yes', { names: m.names.yes.join(t('meetings.vote.name_separator')) }) : '',
        m.names.no.length > 0 ? t('meetings.vote.names_no', { names: m.names.no.join(t('meetings.vote.name_separator')) }) : '',
        m.names.abstain.length > 0 ? t('meetings.vote.names_abstain', { names: m.names.abstain.join(t('meetings.vote.name_separator')) }) : '',
      ].filter(Boolean)
    : [];
  return html`<li value="${m.position}">${t('meetings.console.motion_line', { title: m.title, ballot, state: '' })}<strong>${result}</strong>${t('meetings.console.result_tally', { tally })}${names.map((line) => html`<br>${line}`)}</li>`;
}
