/**
 * The console's changes to meetings, each through the service the staff chat's commands use and
 * with the signed-in person as the actor — so the policy (`meeting.call` to call, move and
 * cancel; `meeting.run` to close), the audit rows, the invitees' notices and the reminders are
 * the same whichever way staff took:
 *
 *   POST /staff/meetings                    call one (callMeeting)
 *   POST /staff/meetings/<number>/move      a new time, and place (changeMeeting)
 *   POST /staff/meetings/<number>/cancel    with a reason told to the invitees (changeMeeting)
 *   POST /staff/meetings/<number>/close     its minutes final (closeMeeting)
 *
 * Every form is CSRF-checked; bad input answers 400 with words (the list's form kept as typed, or
 * the meeting's page with the words above it), a refusal 403 with the policy's, a meeting no
 * longer scheduled or already closed 409.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { finishCommitted, transactionWithAfterCommit } from '../../db/after-commit.js';
import { closeMeeting } from '../../features/meetings/floor/service/close-meeting.js';
import { findMeetingByNumber } from '../../features/meetings/floor/service/meeting-lookup.js';
import { callMeeting, changeMeeting, type CallResult, type ChangeResult } from '../../features/meetings/schedule/call-meeting.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import { sendNotFound } from '../shell/denied-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import type { ListPage, MeetingPage } from './floor-routes.js';
import { callBody, callOf, cancelBody, closeBody, moveBody, typedStart } from './meeting-form.js';
import { MEETINGS_BASE } from './schedule-view.js';

type NumberParams = { Params: { number: string } };

const CALL_PROBLEMS: Record<'past' | 'duration' | 'title', string> = {
  past: 'meetings.core.cli.past',
  duration: 'meetings.core.cli.invalid_duration',
  title: 'meetings.core.cli.invalid_title',
};

export function registerScheduleActions(scope: FastifyInstance, deps: StaffWebDeps, listPage: ListPage, meetingPage: MeetingPage): void {
  const posting = { preHandler: [requireStaff(deps), scope.csrfProtection] };

  scope.post(MEETINGS_BASE, posting, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const form = callBody.safeParse(request.body);
    if (!form.success) return listPage(request, reply, { status: { kind: 'error', text: t('meetings.console.form.problem.form') }, statusCode: 400 });
    const filled = form.data;
    const refuse = (key: string, statusCode = 400) => listPage(request, reply, { filled, status: { kind: 'error', text: t(key) }, statusCode });
    const typed = callOf(filled, viewer.timezone, deps.now());
    if ('problem' in typed) return refuse(typed.problem);
    const { call } = typed;
    const committed = await transactionWithAfterCommit(deps.prisma, (tx) =>
      callMeeting(tx, deps.meetings, {
        communityId: deps.communityId,
        actor: viewer.actor,
        type: call.type,
        title: call.title,
        startsAt: call.startsAt,
        durationMinutes: call.durationMinutes,
        place: call.place,
        agenda: call.agenda,
        ...(call.reminderOffsets ? { reminderOffsets: call.reminderOffsets } : {}),
      }),
    );
    await finishCommitted(committed, deps.outbox);
    const result: CallResult = committed.value;
    if (result.status === 'denied') return refuse(denialMessageKey(result.reason), 403);
    if (result.status === 'invalid') return refuse(CALL_PROBLEMS[result.problem]);
    return reply.redirect(`${MEETINGS_BASE}/${result.number}?done=called`, 303);
  });

  /** Answers a move or a cancellation the service refused, on the meeting's own page's terms. */
  const changeRefused = (request: FastifyRequest, reply: FastifyReply, result: Exclude<ChangeResult, { status: 'moved' | 'cancelled' }>, number: string) => {
    const { t } = staffOf(request);
    const plain = (code: number, key: string, vars: Record<string, string> = {}) => meetingPage(request, reply, number, { status: { kind: 'error', text: t(key, vars) }, statusCode: code });
    switch (result.status) {
      case 'denied':
        return plain(403, denialMessageKey(result.reason));
      case 'not_found':
        return sendNotFound(request, reply, 'meetings');
      case 'not_scheduled':
        return plain(409, 'meetings.core.cli.not_scheduled', { number });
      case 'past':
        return plain(400, 'meetings.core.cli.past');
      case 'same':
        return plain(400, 'meetings.core.cli.same');
    }
  };

  const numberOf = (typed: string) => (/^HY-\d{4}-\d{1,5}$/i.test(typed) ? typed.toUpperCase() : null);

  scope.post<NumberParams>(`${MEETINGS_BASE}/:number/move`, posting, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const number = numberOf(request.params.number);
    if (!number) return sendNotFound(request, reply, 'meetings');
    const form = moveBody.safeParse(request.body);
    const refuse = (key: string) => meetingPage(request, reply, number, { status: { kind: 'error', text: t(key) }, statusCode: 400 });
    if (!form.success) return refuse('meetings.console.form.problem.form');
    const start = typedStart(form.data.starts_at, viewer.timezone, deps.now());
    if ('problem' in start) return refuse(start.problem);
    const place = form.data.place === undefined ? undefined : form.data.place.trim() || null;
    const committed = await transactionWithAfterCommit(deps.prisma, (tx) =>
      changeMeeting(tx, deps.meetings, { communityId: deps.communityId, actor: viewer.actor, number, startsAt: start.startsAt, ...(place !== undefined ? { place } : {}) }),
    );
    await finishCommitted(committed, deps.outbox);
    const result = committed.value;
    if ('number' in result) return reply.redirect(`${MEETINGS_BASE}/${result.number}?done=moved`, 303);
    return changeRefused(request, reply, result, number);
  });

  scope.post<NumberParams>(`${MEETINGS_BASE}/:number/cancel`, posting, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const number = numberOf(request.params.number);
    if (!number) return sendNotFound(request, reply, 'meetings');
    const form = cancelBody.safeParse(request.body);
    if (!form.success) return meetingPage(request, reply, number, { status: { kind: 'error', text: t('meetings.console.form.problem.form') }, statusCode: 400 });
    const reason = form.data.reason.trim();
    const committed = await transactionWithAfterCommit(deps.prisma, (tx) =>
      changeMeeting(tx, deps.meetings, { communityId: deps.communityId, actor: viewer.actor, number, ...(reason ? { reason } : {}) }),
    );
    await finishCommitted(committed, deps.outbox);
    const result = committed.value;
    if ('number' in result) return reply.redirect(`${MEETINGS_BASE}/${result.number}?done=cancelled`, 303);
    return changeRefused(request, reply, result, number);
  });

  scope.post<NumberParams>(`${MEETINGS_BASE}/:number/close`, posting, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const refused = (code: number, key: string, number: string) => meetingPage(request, reply, number, { status: { kind: 'error', text: t(key, { number }) }, statusCode: code });
    if (!closeBody.safeParse(request.body).success) return refused(400, 'meetings.console.form.problem.form', request.params.number);
    const committed = await transactionWithAfterCommit(deps.prisma, async (tx) => {
      const meeting = await findMeetingByNumber(tx, deps.communityId, request.params.number);
      return meeting ? { meeting, outcome: await closeMeeting(tx, deps.floor, deps.events, meeting, viewer.actor) } : null;
    });
    const found = committed.value;
    await finishCommitted(committed, deps.outbox, found?.outcome.status === 'closed' ? found.outcome.rows : []);
    if (!found) return sendNotFound(request, reply, 'meetings');
    const { meeting, outcome } = found;
    const plain = (code: number, key: string) => refused(code, key, meeting.number);
    switch (outcome.status) {
      case 'denied':
        return plain(403, denialMessageKey(outcome.reason));
      case 'already':
        return plain(409, 'meetings.close.already');
      case 'cancelled':
        return plain(409, 'meetings.checkin.open_cancelled');
      case 'not_started':
        return plain(409, 'meetings.close.not_started_console');
      case 'closed':
        return reply.redirect(`${MEETINGS_BASE}/${meeting.number}?done=closed`, 303);
    }
  });
}
