/**
 * The meetings part of the console:
 *
 *   GET  /staff/meetings                          the sittings, newest first, and the form to call one
 *   POST /staff/meetings                          a meeting called (schedule-routes.ts)
 *   GET  /staff/meetings/petitions                petitions and their thresholds (petitions-routes.ts)
 *   GET  /staff/meetings/<number>                 one sitting's live floor, which is its minutes, with
 *                                                 move / cancel while ahead and close once under way
 *   POST /staff/meetings/<number>/move|cancel|close   (schedule-routes.ts)
 *   GET  /staff/meetings/<number>/minutes.xlsx    the minutes as a workbook
 *   GET  /staff/meetings/<number>/minutes.pdf     the minutes as an A4 document (503 with words
 *                                                 when the server has no CJK font)
 *
 * Reading a sitting is `meeting.run` (refusals audited, answered 403 with words).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadMinutes } from '../../features/meetings/floor/minutes/load-minutes.js';
import { minutesPdf } from '../../features/meetings/floor/minutes/minutes-pdf.js';
import { minutesWorkbook } from '../../features/meetings/floor/minutes/minutes-xlsx.js';
import { findMeetingByNumber } from '../../features/meetings/floor/service/meeting-lookup.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import type { ViewContext } from '../people/view-parts.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { can } from '../../features/policy/policy.js';
import { localMinute } from '../../features/tickets/scheduling/local-format.js';
import { html } from '../shell/html.js';
import { floorDeniedView, floorView, meetingListView, MEETINGS_PATH } from './floor-view.js';
import type { CallForm } from './meeting-form.js';
import { registerPetitionPages } from './petitions-routes.js';
import { PETITIONS_PATH } from './petitions-view.js';
import { callFormView, meetingActionsView } from './schedule-view.js';
import { registerScheduleActions } from './schedule-routes.js';

type NumberParams = { Params: { number: string } };

/** What a change done through the console says on the meeting's page afterwards. */
const DONE_KEYS: Readonly<Record<string, string>> = {
  called: 'meetings.console.done.called',
  moved: 'meetings.console.done.moved',
  cancelled: 'meetings.console.done.cancelled',
  closed: 'meetings.console.done.closed',
};

/** The list with the call form, filled as typed and with what went wrong when a call was refused. */
export type ListPage = (request: FastifyRequest, reply: FastifyReply, options: { filled?: Partial<CallForm>; status?: { kind: 'ok' | 'error'; text: string }; statusCode?: number }) => Promise<FastifyReply>;

/** One meeting's page, with what a change just done (or refused) says. */
export type MeetingPage = (request: FastifyRequest, reply: FastifyReply, number: string, options: { status?: { kind: 'ok' | 'error'; text: string }; statusCode?: number }) => Promise<FastifyReply>;

export function registerMeetingPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  /** A page of the meetings section: its title and place in the menu, a status line if any. */
  const sendMeetingsPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    now: Date,
    options: { status?: { kind: 'ok' | 'error'; text: string }; statusCode?: number },
    main: (ctx: ViewContext) => ReturnType<typeof floorView>,
  ) => {
    const { t, viewer } = staffOf(request);
    return sendStaffPage(request, reply, {
      title: t('meetings.console.title'),
      section: 'meetings',
      ...(options.status ? { status: options.status } : {}),
      ...(options.statusCode ? { statusCode: options.statusCode } : {}),
      main: (csrfToken) => main({ t, viewer, csrfToken, now }),
    });
  };
  const guarded = { preHandler: requireStaff(deps) };
  const listPage: ListPage = async (request, reply, options) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const items = await deps.prisma.meeting.findMany({ where: { communityId: deps.communityId }, orderBy: { startsAt: 'desc' }, take: 50, select: { number: true, title: true, startsAt: true, status: true } });
    // Offered to whoever may call a meeting of the whole community (the types' audiences are the whole community's).
    const mayCall = can(viewer.actor, 'meeting.call', { communityId: deps.communityId, areaIds: [] }, { now });
    return sendMeetingsPage(request, reply, now, options, (ctx) =>
      html`${meetingListView(items, ctx)}<p><a href="${PETITIONS_PATH}">${t('meetings.console.petitions.link')}</a></p>${mayCall ? callFormView(options.filled ?? {}, ctx) : ''}`,
    );
  };

  scope.get(MEETINGS_PATH, guarded, async (request, reply) => listPage(request, reply, {}));
  registerScheduleActions(scope, deps, listPage, (request, reply, number, options) => meetingPage(request, reply, number, options));
  registerPetitionPages(scope, deps);

  const meetingPage: MeetingPage = async (request, reply, typedNumber, options) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const loaded = await deps.prisma.$transaction(async (tx) => {
      const meeting = await findMeetingByNumber(tx, deps.communityId, typedNumber);
      return meeting ? loadMinutes(tx, meeting, viewer.actor, now) : null;
    });
    const page = (main: (ctx: ViewContext) => ReturnType<typeof floorView>, statusCode = 200) => sendMeetingsPage(request, reply, now, { statusCode }, main);
    if (!loaded) return page((ctx) => meetingListView([], ctx), 404);
    if (loaded.status === 'denied') return page((ctx) => floorDeniedView(loaded.reason, ctx), 403);
    const { meeting } = loaded.minutes;
    return sendMeetingsPage(request, reply, now, options, (ctx) => {
      const actions = meetingActionsView(meeting, localMinute(meeting.startsAt, viewer.timezone).replace(' ', 'T'), ctx);
      // What has become of it is said first; what can still be done comes after the floor.
      const settled = meeting.status === 'closed' || meeting.status === 'cancelled';
      return settled ? html`${actions}${floorView(loaded.minutes, ctx)}` : html`${floorView(loaded.minutes, ctx)}${actions}`;
    });
  };

  scope.get<NumberParams & { Querystring: { done?: unknown } }>(`${MEETINGS_PATH}/:number`, guarded, async (request, reply) => {
    const { t } = staffOf(request);
    const done = typeof request.query.done === 'string' ? request.query.done : null;
    const doneKey = done ? DONE_KEYS[done] : undefined;
    const number = request.params.number.toUpperCase();
    return meetingPage(request, reply, request.params.number, doneKey ? { status: { kind: 'ok', text: t(doneKey, { number }) } } : {});
  });

  /** A sitting's minutes for a download, or the refusal already answered (404 / 403 with words). */
  const minutesFor = async (request: FastifyRequest<NumberParams>, reply: FastifyReply) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const loaded = await deps.prisma.$transaction(async (tx) => {
      const meeting = await findMeetingByNumber(tx, deps.communityId, request.params.number);
      return meeting ? loadMinutes(tx, meeting, viewer.actor, now) : null;
    });
    if (!loaded) {
      await reply.code(404).type('text/plain; charset=utf-8').send(t('meetings.floor.meeting_not_found', { number: request.params.number }));
      return null;
    }
    if (loaded.status === 'denied') {
      await reply.code(403).type('text/plain; charset=utf-8').send(t(denialMessageKey(loaded.reason)));
      return null;
    }
    return loaded.minutes;
  };
  const download = (reply: FastifyReply, type: string, file: { fileName: string; buffer: Buffer }) =>
    reply.type(type).header('content-disposition', `attachment; filename="${file.fileName}"`).header('cache-control', 'no-store').send(file.buffer);

  scope.get<NumberParams>(`${MEETINGS_PATH}/:number/minutes.xlsx`, guarded, async (request, reply) => {
    const minutes = await minutesFor(request, reply);
    if (!minutes) return reply;
    const { t, viewer } = staffOf(request);
    return download(reply, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await minutesWorkbook(minutes, t, viewer.timezone));
  });

  scope.get<NumberParams>(`${MEETINGS_PATH}/:number/minutes.pdf`, guarded, async (request, reply) => {
    const minutes = await minutesFor(request, reply);
    if (!minutes) return reply;
    const { t, viewer, communityName } = staffOf(request);
    const pdf = await minutesPdf(minutes, t, { timezone: viewer.timezone, communityName, now: deps.now() });
    // Without a CJK font the server cannot make it now; an installed font fixes it, nothing the reader did.
    if (pdf.status === 'no_font') {
      deps.logger.warn({ route: request.routeOptions.url }, 'minutes PDF refused: no CJK font installed (fonts-noto-cjk)');
      return reply.code(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(t('meetings.pdf.no_font'));
    }
    return download(reply, 'application/pdf', pdf);
  });
}
