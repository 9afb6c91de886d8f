/**
 * The roll-call part of the console:
 *
 *   GET /staff/alerts            the alerts sent, newest first
 *   GET /staff/alerts/<number>   one alert's roll-call: counts by area and group, who has not answered
 *
 * What a viewer sees is `loadRollCall` with their own roles (policy `group.view_acknowledgements`:
 * committee and admins everything, stewards and councils their areas; a viewer who may see none
 * of it is refused, 403, audited). The page refreshes itself as answers come in (live updates,
 * `notice:<id>`), and on reload.
 */
import type { FastifyInstance } from 'fastify';
import { GONE_OUT_STATUSES } from '../../features/notices/answers/gone-out.js';
import { loadRollCall } from '../../features/notices/rollcall/roll-call-status.js';
import { sendDenied, sendNotFound } from '../shell/denied-page.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { ALERTS_PATH, alertsListView, rollCallView } from './alerts-view.js';

const NUMBER = /^[A-Za-z]{1,4}-\d{4}-\d{1,6}$/;
const LISTED = 30;

export function registerAlertsPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  const guarded = { preHandler: requireStaff(deps) };

  scope.get(ALERTS_PATH, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const alerts = await deps.prisma.notice.findMany({
      where: { communityId: deps.communityId, kind: 'alert', status: { in: [...GONE_OUT_STATUSES] }, sentAt: { not: null } },
      orderBy: { sentAt: 'desc' },
      take: LISTED,
      select: { number: true, title: true, sentAt: true },
    });
    const now = deps.now();
    return sendStaffPage(request, reply, { title: t('notices.rollcall.web.title'), section: 'alerts', main: (csrfToken) => alertsListView(alerts, { t, viewer, csrfToken, now }) });
  });

  scope.get<{ Params: { number: string } }>(`${ALERTS_PATH}/:number`, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const number = request.params.number;
    if (!NUMBER.test(number)) return sendNotFound(request, reply, 'alerts');
    const now = deps.now();
    const found = await deps.prisma.$transaction((tx) => loadRollCall(tx, { communityId: deps.communityId, actor: viewer.actor, number, now }));
    if (found.status === 'not_found') return sendNotFound(request, reply, 'alerts');
    if (found.status === 'denied') return sendDenied(request, reply, found.reason, 'alerts');
    return sendStaffPage(request, reply, {
      title: t('notices.rollcall.web.heading', { number: found.rollCall.notice.number, title: found.rollCall.notice.title }),
      section: 'alerts',
      main: (csrfToken) => rollCallView(found.rollCall, { t, viewer, csrfToken, now }),
    });
  });
}
