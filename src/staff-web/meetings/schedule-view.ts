/**
 * The console's forms for meetings: calling one (type with the audience it invites, title, time
 * in the community's zone, length, place, agenda, reminders) on the list, and on a meeting's page
 * what can still be done to it — move or cancel it while it is ahead, close it once it is under
 * way, or say that it is closed and its minutes final. Pure: data in, HTML out.
 */
import type { MeetingAudience } from '../../features/meetings/rules/audience.js';
import { GROUP_HEAD } from '../../features/meetings/schedule/resolve-invitees.js';
import { DEFAULT_AUDIENCE, MEETING_TYPES, TYPE_LABELS, type MeetingType } from '../../features/meetings/rules/meeting-types.js';
import type { Role } from '../../features/community/vocabulary.js';
import { ROLES } from '../../features/community/vocabulary.js';
import { csrfField, listOf, minuteTag, roleLabel, type ViewContext } from '../people/view-parts.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { CallForm } from './meeting-form.js';

export const MEETINGS_BASE = '/staff/meetings';

/** Who a type invites when nobody says otherwise, in words. */
export function audienceWords(audience: MeetingAudience, ctx: ViewContext): string {
  if (audience.everyone) return ctx.t('meetings.console.form.everyone');
  const words = (audience.roles ?? []).flatMap((role) =>
    role === GROUP_HEAD ? [ctx.t('meetings.console.form.group_heads')] : (ROLES as readonly string[]).includes(role) ? [roleLabel(role as Role, ctx)] : [],
  );
  return listOf(words, ctx);
}

export function callFormView(filled: Partial<CallForm>, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const type: MeetingType = filled.type ?? 'forum';
  return html`<form class="notices-form requests-card" method="post" action="${MEETINGS_BASE}" aria-labelledby="meeting-new-h">${csrfField(ctx)}
<h2 id="meeting-new-h">${t('meetings.console.form.heading')}</h2>
<fieldset><legend>${t('meetings.console.form.type')}</legend>
${MEETING_TYPES.map(
  (k) =>
    html`<label class="notices-choice"><input type="radio" name="type" value="${k}"${k === type ? html` checked` : ''}> <span>${t(TYPE_LABELS[k])} <small class="requests-hint">${t('meetings.console.form.invites', { who: audienceWords(DEFAULT_AUDIENCE[k], ctx) })}</small></span></label>`,
)}
</fieldset>
<label for="meeting-title">${t('meetings.console.form.title')}</label>
<input id="meeting-title" name="title" required maxlength="200" value="${filled.title ?? ''}">
<label for="meeting-starts">${t('meetings.console.form.starts_at', { timezone: ctx.viewer.timezone })}</label>
<input id="meeting-starts" name="starts_at" type="datetime-local" required value="${filled.starts_at ?? ''}">
<label for="meeting-minutes">${t('meetings.console.form.minutes')}</label>
<input id="meeting-minutes" name="minutes" type="number" min="15" max="1440" step="5" value="${filled.minutes ?? '120'}">
<label for="meeting-place">${t('meetings.console.form.place')}</label>
<input id="meeting-place" name="place" maxlength="200" value="${filled.place ?? ''}">
<label for="meeting-agenda">${t('meetings.console.form.agenda')}</label>
<textarea id="meeting-agenda" name="agenda" rows="4" aria-describedby="meeting-agenda-hint">${filled.agenda ?? ''}</textarea>
<p class="requests-hint" id="meeting-agenda-hint">${t('meetings.console.form.agenda_hint')}</p>
<label for="meeting-reminders">${t('meetings.console.form.reminders')}</label>
<input id="meeting-reminders" name="reminders" maxlength="100" placeholder="24h 2h" value="${filled.reminders ?? ''}" aria-describedby="meeting-reminders-hint">
<p class="requests-hint" id="meeting-reminders-hint">${t('meetings.console.form.reminders_hint')}</p>
<div class="requests-actions"><button type="submit">${t('meetings.console.form.call')}</button></div>
</form>`;
}

export interface MeetingState {
  number: string;
  status: string;
  startsAt: Date;
  place: string | null;
  closedAt: Date | null;
  cancelReason: string | null;
}

/**
 * What can still be done to the meeting, or what has become of it — refreshed with the page
 * (`data-live`), so a sitting closed from the staff chat loses its button here too.
 */
export function meetingActionsView(meeting: MeetingState, localStart: string, ctx: ViewContext): SafeHtml {
  return html`<div data-live="meeting-actions">${actionsOf(meeting, localStart, ctx)}</div>`;
}

function actionsOf(meeting: MeetingState, localStart: string, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const base = `${MEETINGS_BASE}/${meeting.number}`;
  if (meeting.status === 'cancelled') {
    return html`<p class="meeting-state meeting-state-cancelled" role="status">${t('meetings.console.cancelled_note')}${meeting.cancelReason ? html` ${t('meetings.console.cancel_reason', { reason: meeting.cancelReason })}` : ''}</p>`;
  }
  if (meeting.status === 'closed') {
    return html`<p class="meeting-state" role="status"><strong>${t('meetings.console.closed_note')}</strong>${meeting.closedAt ? html` ${minuteTag(meeting.closedAt, ctx)}` : ''}</p>`;
  }
  const ahead = meeting.status === 'scheduled' && meeting.startsAt.getTime() > ctx.now.getTime();
  if (ahead) {
    return html`<section class="requests-card meeting-actions" aria-labelledby="meeting-change-h">
<h2 id="meeting-change-h">${t('meetings.console.change_heading')}</h2>
<form class="notices-form" method="post" action="${base}/move">${csrfField(ctx)}
<label for="move-starts">${t('meetings.console.form.starts_at', { timezone: ctx.viewer.timezone })}</label>
<input id="move-starts" name="starts_at" type="datetime-local" required value="${localStart}">
<label for="move-place">${t('meetings.console.form.place')}</label>
<input id="move-place" name="place" maxlength="200" value="${meeting.place ?? ''}">
<div class="requests-actions"><button type="submit">${t('meetings.console.move')}</button></div>
</form>
<form class="notices-form meeting-cancel" method="post" action="${base}/cancel">${csrfField(ctx)}
<label for="cancel-reason">${t('meetings.console.cancel_reason_label')}</label>
<input id="cancel-reason" name="reason" maxlength="500">
<div class="requests-actions"><button type="submit">${t('meetings.console.cancel')}</button></div>
</form>
</section>`;
  }
  return html`<form class="notices-form requests-card meeting-actions" method="post" action="${base}/close">${csrfField(ctx)}
<p class="requests-hint">${t('meetings.console.close_hint')}</p>
<div class="requests-actions"><button type="submit">${t('meetings.console.close')}</button></div>
</form>`;
}
