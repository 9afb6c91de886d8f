/**
 * The property fund part of the console:
 *
 *   GET  /staff/fund?month=YYYY-MM                   the balance, the month, what waits for a decision
 *   POST /staff/fund/expenses/<n>/approve|reject     a committee member's per-item decision (一事一议)
 *   POST /staff/fund/contributions                   a household's payment (household, amount, date, receipt)
 *   POST /staff/fund/expenses                        an expense (amount, purpose, date, the repair job's number)
 *
 * A decision goes through the fund's own `decideExpense` with the signed-in person (policy
 * `fund.decide`, audited `via: console`) and back to the page (303) with what it did; a refused
 * one answers on the page with its words and status (403 the policy, 404 no such expense, 409
 * decided meanwhile).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { finishCommitted, transactionWithAfterCommit } from '../../db/after-commit.js';
import type { Tx } from '../../db/prisma-types.js';
import { recordContribution } from '../../features/fund/ledger/record-contribution.js';
import { recordExpense } from '../../features/fund/ledger/record-expense.js';
import { ChatStaffAlerts } from '../../features/tickets/scheduling/staff-alerts.js';
import { localDateKey } from '../../features/tickets/rules/local-time.js';
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
import { contributionBody, expenseBody, typedMoneyAndDay } from './record-forms.js';

type Reply = Parameters<typeof sendStaffPage>[1];
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
    reply: Reply,
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
        return fundPageView(page, shownMonth, localDateKey(now, viewer.timezone), ctx);
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

  /** Runs a recording in a transaction whose messages go out after commit; its outcome in the status line. */
  const recording = async (
    request: FastifyRequest,
    reply: Reply,
    record: (tx: Tx) => Promise<{ refused: string } | { done: string }>,
  ) => {
    const { t } = staffOf(request);
    try {
      const committed = await transactionWithAfterCommit(deps.prisma, record);
      await finishCommitted(committed, deps.outbox);
      const outcome = committed.value;
      if ('refused' in outcome) return sendFundPage(request, reply, null, { status: { kind: 'error', text: outcome.refused }, statusCode: 403 });
      return sendFundPage(request, reply, null, { status: { kind: 'ok', text: outcome.done } });
    } catch (error) {
      if (!(error instanceof FundError)) throw error;
      return sendFundPage(request, reply, null, { status: { kind: 'error', text: t(fundErrorKey(error.code), error.vars) }, statusCode: 400 });
    }
  };

  scope.post(`${FUND_PATH}/contributions`, posting, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const form = contributionBody.safeParse(request.body);
    if (!form.success) return sendFundPage(request, reply, null, { status: { kind: 'error', text: t('staffweb.errors.bad_form') }, statusCode: 400 });
    const typed = typedMoneyAndDay(form.data.amount, form.data.date, viewer.timezone);
    if ('problem' in typed) return sendFundPage(request, reply, null, { status: { kind: 'error', text: t(typed.problem) }, statusCode: 400 });
    const householdCode = form.data.household.trim();
    const now = deps.now();
    return recording(request, reply, async (tx) => {
      const fund = await findFund(tx, deps.communityId);
      const outcome = await recordContribution(tx, { fund, actor: viewer.actor, householdCode, amountFen: typed.amountFen, paidOn: typed.on, receipt: form.data.receipt?.trim() || null, now });
      if (isRefused(outcome)) return { refused: t(denialMessageKey(outcome.refused)) };
      return { done: t('staffweb.fund.form.contribution_done', { code: householdCode, amount: formatYuan(typed.amountFen) }) };
    });
  });

  scope.post(`${FUND_PATH}/expenses`, posting, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const form = expenseBody.safeParse(request.body);
    if (!form.success) return sendFundPage(request, reply, null, { status: { kind: 'error', text: t('staffweb.errors.bad_form') }, statusCode: 400 });
    const typed = typedMoneyAndDay(form.data.amount, form.data.date, viewer.timezone);
    if ('problem' in typed) return sendFundPage(request, reply, null, { status: { kind: 'error', text: t(typed.problem) }, statusCode: 400 });
    const now = deps.now();
    return recording(request, reply, async (tx) => {
      const fund = await findFund(tx, deps.communityId);
      const outcome = await recordExpense(
        tx,
        { fund, actor: viewer.actor, amountFen: typed.amountFen, purpose: form.data.purpose, spentOn: typed.on, jobNumber: form.data.job?.trim() || null, now },
        { staffAlerts: new ChatStaffAlerts({ now: deps.now }), translator: deps.translator },
      );
      if (isRefused(outcome)) return { refused: t(denialMessageKey(outcome.refused)) };
      const key = outcome.status === 'pending' ? 'staffweb.fund.form.expense_pending' : 'staffweb.fund.form.expense_done';
      return { done: t(key, { number: outcome.number, amount: formatYuan(typed.amountFen) }) };
    });
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
