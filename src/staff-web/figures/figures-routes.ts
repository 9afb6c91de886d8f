/**
 * The figures part of the console:
 *
 *   GET /staff/figures?period=week|month        the page
 *   GET /staff/figures.xlsx?period=week|month   the same figures as a workbook
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendDenied } from '../shell/denied-page.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { renderFigureCharts } from './charts.js';
import { parseFigurePeriod } from './figure-periods.js';
import { loadFigures } from './figures.js';
import { figuresView } from './figures-view.js';
import { figuresWorkbook } from './figures-xlsx.js';

type PeriodQuery = { Querystring: { period?: string } };

export function registerFiguresPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  const load = (request: FastifyRequest<PeriodQuery>) => {
    const { viewer } = staffOf(request);
    const period = parseFigurePeriod(request.query.period);
    // A refusal writes its audit row through the client (no transaction to roll it back).
    return loadFigures(deps.prisma, { communityId: deps.communityId, actor: viewer.actor, period, endingAt: deps.now(), timezone: viewer.timezone });
  };

  scope.get<PeriodQuery>('/staff/figures', { preHandler: requireStaff(deps) }, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const result = await load(request);
    if (!result.ok) return sendDenied(request, reply, result.reason, 'figures');
    const charts = await renderFigureCharts(result.figures, { t, locale: viewer.locale });
    const now = deps.now();
    return sendStaffPage(request, reply, {
      title: t('staffweb.figures.title'),
      section: 'figures',
      main: (csrfToken) => figuresView({ figures: result.figures, charts }, { t, viewer, csrfToken, now }),
    });
  });

  scope.get<PeriodQuery>('/staff/figures.xlsx', { preHandler: requireStaff(deps) }, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const result = await load(request);
    if (!result.ok) return sendDenied(request, reply, result.reason, 'figures');
    const { fileName, buffer } = await figuresWorkbook(result.figures, { t, locale: viewer.locale });
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .send(buffer);
  });
}
