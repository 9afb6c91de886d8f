/**
 * The property fund part of the console:
 *
 *   GET  /staff/fund?month=YYYY-MM                   the balance, the month, what waits for a decision
 *   POST /staff/fund/expenses/<n>/approve|reject     a committee member's per-item decision (一事一议)
 *
 * A decision goes through the fund's own `decideExpense` with the signed-in person (policy
 * `fund.decide`, audited `via: console`) and back to the page (303) with what it did; a refused
 * one answers on the page with its words and status (403 the policy, 404 no such expense, 409
 * decided meanwhile).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decideExpense } from '../../features/fund/ledger/decide-expense.js';
import { isRefused } from '../../features/fund/ledger/fund-check.js';
import { FundError, fundErrorKey } from '../../features/fund/ledger/fund-errors.js';
import { findFund } from '../../features/fund/ledger/fund-lookup.js';
import { monthContaining, parseMonth } from '../../features/fund/rules/fund-month.js';
import { formatYuan } from '../../features/fund/rules/money.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import { hrefWith, type ViewContext } from '../people/view-parts.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { FUND_PATH, fundPageView } from './fund-view.js';
import { loadFundPage } from './load-fund-page.js';

type PageQuery = { Querystring: { month?: unknown; done?: unknown; number?: unknown; amount?: unknown } };
type ExpenseParams = { Params: { number: string; decision: string } };

const DONE_KEYS: Readonly<Record<string, string>> = {
  approved: 'staffweb.fund.outcome.approved',
  rejected: 'staffweb.fund.outcome.rejected',
};

export function registerFundPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  const guarded = { preHandler: requireStaff(deps) };
  const posting = { preHandler: [requireStaff(deps), scope.csrfProtection] };

  const sendFundPage = async (
    request: FastifyRequest,
    reply: Parameters<typeof sendStaffPage>[1],
    monthText: string | null,
    options: { status?: { kind: 'ok' | 'error'; text: string }; statusCode?: number } = {},
  ) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const month = (monthText ? parseMonth(monthText, viewer.timezone) : null) ?? monthContaining(now, viewer.timezone);
    const page = await loadFundPage(deps.prisma, { communityId: deps.communityId, actor: viewer.actor, month, now });
    const shownMonth = `${month.year}-${String(month.month).padStart(2, '0')}`;
    return sendStaffPage(request, reply, {
      title: t('staffweb.fund.title'),
      section: 'fund',
      statusCode: options.statusCode ?? (page.status === 'denied' ? 403 : 200),
      ...(options.status ? { status: options.status } : {}),
      main: (csrfToken) => {
        const ctx: ViewContext = { t, viewer, csrfToken, now };
        return fundPageView(page, shownMonth, ctx);
      },
    });
  };

  scope.get<PageQuery>(FUND_PATH, guarded, async (request, reply) => {
    const { t } = staffOf(request);
    const query = request.query;
    const monthText = typeof query.month === 'string' && query.month.length <= 10 ? query.month : null;
    const doneKey = typeof query.done === 'string' ? DONE_KEYS[query.done] : undefined;
    const number = typeof query.number === 'string' && /^\d{1,9}$/.test(query.number) ? Number(query.number) : null;
    const amount = typeof query.amount === 'string' && /^\d{1,12}$/.test(query.amount) ? formatYuan(Number(query.amount)) : null;
    return sendFundPage(request, reply, monthText, doneKey && number !== null && amount !== null ? { status: { kind: 'ok', text: t(doneKey, { number, amount }) } } : {});
  });

  scope.post<ExpenseParams>(`${FUND_PATH}/expenses/:number/:decision`, posting, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const { decision } = request.params;
    const number = /^\d{1,9}$/.test(request.params.number) ? Number(request.params.number) : null;
    if (number === null || (decision !== 'approve' && decision !== 'reject')) {
      return sendFundPage(request, reply, null, { status: { kind: 'error', text: t('staffweb.errors.bad_form') }, statusCode: 404 });
    }
    const now = deps.now();
    try {
      const outcome = await deps.prisma.$transaction(async (tx) => {
        const fund = await findFund(tx, deps.communityId);
        return decideExpense(tx, { fund, actor: viewer.actor, number, decision, now });
      });
      if (isRefused(outcome)) return sendFundPage(request, reply, null, { status: { kind: 'error', text: t(denialMessageKey(outcome.refused)) }, statusCode: 403 });
      return reply.redirect(hrefWith(FUND_PATH, { done: outcome.status, number, amount: outcome.amountFen }), 303);
    } catch (error) {
      if (!(error instanceof FundError)) throw error;
      const statusCode = error.code === 'already_decided' ? 409 : 404;
      return sendFundPage(request, reply, null, { status: { kind: 'error', text: t(fundErrorKey(error.code), error.vars) }, statusCode });
    }
  });
}
