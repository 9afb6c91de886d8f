/**
 * The fund page: the balance and the month's figures as the households will read them, the
 * expenses waiting for the committee's per-item decision (一事一议) with Approve and Reject for
 * committee members, and the month's expenses. Pure: data in, HTML out.
 */
import { fundErrorKey } from '../../features/fund/ledger/fund-errors.js';
import type { StatementExpense } from '../../features/fund/ledger/fund-statement.js';
import { formatYuan } from '../../features/fund/rules/money.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import { csrfField, dayTag, type ViewContext } from '../people/view-parts.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { FundPage } from './load-fund-page.js';
import { recordForms } from './record-forms.js';

export const FUND_PATH = '/staff/fund';

const STATUS_KEYS = { approved: 'staffweb.fund.state.approved', pending: 'staffweb.fund.state.pending', rejected: 'staffweb.fund.state.rejected' } as const;

/** `today`: the community's date, `YYYY-MM-DD`, the forms' default day. */
export function fundPageView(page: FundPage, monthText: string, today: string, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  if (page.status === 'missing') return html`<h1>${t('staffweb.fund.title')}</h1><p class="requests-note" role="alert">${t(fundErrorKey(page.code), page.vars)}</p>`;
  if (page.status === 'denied') return html`<h1>${t('staffweb.fund.title')}</h1><p class="requests-note" role="alert">${t(denialMessageKey(page.reason))}</p>`;
  const { fund, statement, month } = page;
  const { figures, total } = statement;
  return html`<h1>${t('staffweb.fund.heading', { area: fund.areaPath })}</h1>
<div>
<dl class="requests-facts">
<dt>${t('staffweb.fund.balance')}</dt><dd><strong>¥${formatYuan(total.balanceFen)}</strong></dd>
<dt>${t('staffweb.fund.total_in')}</dt><dd>¥${formatYuan(total.contributedFen)}</dd>
<dt>${t('staffweb.fund.total_out')}</dt><dd>¥${formatYuan(total.spentFen)}</dd>
<dt>${t('staffweb.fund.threshold')}</dt><dd>¥${formatYuan(fund.approvalThresholdFen)}</dd>
</dl>
<section aria-labelledby="fund-pending-heading">
<h2 id="fund-pending-heading">${t('staffweb.fund.pending_heading', { count: figures.pendingCount, amount: formatYuan(figures.pendingFen) })}</h2>
${statement.pending.length === 0
    ? html`<p class="requests-note">${t('staffweb.fund.pending_none')}</p>`
    : html`${page.mayDecide ? '' : html`<p class="requests-note">${t('staffweb.fund.committee_decides')}</p>`}
<ul class="requests-cards">${statement.pending.map((expense) => html`<li class="requests-card">${expenseFacts(expense, ctx)}${page.mayDecide ? decisionForms(expense.number, ctx) : ''}</li>`)}</ul>`}
</section>
${page.mayRecord ? recordForms(today, ctx) : ''}
<section aria-labelledby="fund-month-heading">
<h2 id="fund-month-heading">${t('staffweb.fund.month_heading', { year: month.year, month: month.month })}</h2>
<form class="requests-filter" method="get" action="${FUND_PATH}">
<label for="fund-month">${t('staffweb.fund.month_label')}</label>
<input id="fund-month" name="month" type="month" value="${monthText}">
<button type="submit">${t('staffweb.fund.month_show')}</button>
</form>
<dl class="requests-facts">
<dt>${t('staffweb.fund.opening')}</dt><dd>¥${formatYuan(figures.openingFen)}</dd>
<dt>${t('staffweb.fund.month_in')}</dt><dd>¥${formatYuan(figures.inFen)} ${t('staffweb.fund.households_paid', { paid: statement.householdsPaid, households: statement.households })}</dd>
<dt>${t('staffweb.fund.month_out')}</dt><dd>¥${formatYuan(figures.outFen)}</dd>
<dt>${t('staffweb.fund.closing')}</dt><dd>¥${formatYuan(figures.closingFen)}</dd>
</dl>
${statement.expenses.length === 0
    ? html`<p class="requests-note">${t('staffweb.fund.no_expenses')}</p>`
    : html`<ul class="requests-cards">${statement.expenses.map((expense) => html`<li class="requests-card">${expenseFacts(expense, ctx)}</li>`)}</ul>`}
</section>
</div>`;
}

function expenseFacts(expense: StatementExpense, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<h3>${t('staffweb.fund.expense_title', { number: expense.number, amount: formatYuan(expense.amountFen) })}</h3>
<dl class="requests-facts">
<dt>${t('staffweb.fund.purpose')}</dt><dd>${expense.purpose}</dd>
<dt>${t('staffweb.fund.spent_on')}</dt><dd>${dayTag(expense.spentOn, ctx)}</dd>
<dt>${t('staffweb.fund.status')}</dt><dd>${t(STATUS_KEYS[expense.status])}</dd>
${expense.jobNumber ? html`<dt>${t('staffweb.fund.job')}</dt><dd><a href="/staff/tickets/${expense.jobNumber}">${expense.jobNumber}</a></dd>` : ''}
</dl>`;
}

function decisionForms(number: number, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<div class="requests-actions">
<form method="post" action="${FUND_PATH}/expenses/${number}/approve">${csrfField(ctx)}<button type="submit">${t('staffweb.fund.approve', { number })}</button></form>
<form method="post" action="${FUND_PATH}/expenses/${number}/reject">${csrfField(ctx)}<button type="submit">${t('staffweb.fund.reject', { number })}</button></form>
</div>`;
}
