/**
 * The meetings part of the console:
 *
 *   GET /staff/meetings                          the sittings, newest first
 *   GET /staff/meetings/<number>                 one sitting's live floor, which is its minutes
 *   GET /staff/meetings/<number>/minutes.xlsx    the minutes as a workbook
 *
 * Reading a sitting is `meeting.run` (refusals audited, answered 403 with words).
 */
import type { FastifyInstance } from 'fastify';
import { loadMinutes } from '../../features/meetings/floor/minutes/load-minutes.js';
import { minutesWorkbook } from '../../features/meetings/floor/minutes/minutes-xlsx.js';
import { findMeetingByNumber } from '../../features/meetings/floor/service/meeting-lookup.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import type { ViewContext } from '../people/view-parts.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { floorDeniedView, floorView, meetingListView, MEETINGS_PATH } from './floor-view.js';

type NumberParams = { Params: { number: string } };

export function registerMeetingPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  const guarded = { preHandler: requireStaff(deps) };

  scope.get(MEETINGS_PATH, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const items = await deps.prisma.meeting.findMany({ where: { communityId: deps.communityId }, orderBy: { startsAt: 'desc' }, take: 50, select: { number: true, title: true, startsAt: true, status: true } });
    return sendStaffPage(request, reply, { title: t('meetings.console.title'), section: 'meetings', main: (csrfToken) => meetingListView(items, { t, viewer, csrfToken, now }) });
  });

  scope.get<NumberParams>(`${MEETINGS_PATH}/:number`, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const loaded = await deps.prisma.$transaction(async (tx) => {
      const meeting = await findMeetingByNumber(tx, deps.communityId, request.params.number);
      return meeting ? loadMinutes(tx, meeting, viewer.actor, now) : null;
    });
    const page = (main: (ctx: ViewContext) => ReturnType<typeof floorView>, statusCode = 200) =>
      sendStaffPage(request, reply, { title: t('meetings.console.title'), section: 'meetings', statusCode, main: (csrfToken) => main({ t, viewer, csrfToken, now }) });
    if (!loaded) return page((ctx) => meetingListView([], ctx), 404);
    if (loaded.status === 'denied') return page((ctx) => floorDeniedView(loaded.reason, ctx), 403);
    return page((ctx) => floorView(loaded.minutes, ctx));
  });

  scope.get<NumberParams>(`${MEETINGS_PATH}/:number/minutes.xlsx`, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const loaded = await deps.prisma.$transaction(async (tx) => {
      const meeting = await findMeetingByNumber(tx, deps.communityId, request.params.number);
      return meeting ? loadMinutes(tx, meeting, viewer.actor, now) : null;
    });
    if (!loaded) return reply.code(404).type('text/plain; charset=utf-8').send(t('meetings.floor.meeting_not_found', { number: request.params.number }));
    if (loaded.status === 'denied') return reply.code(403).type('text/plain; charset=utf-8').send(t(denialMessageKey(loaded.reason)));
    const workbook = await minutesWorkbook(loaded.minutes, t, viewer.timezone);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${workbook.fileName}"`)
      .header('cache-control', 'no-store')
      .send(workbook.buffer);
  });
}
