/**
 * The fund page's two forms for whoever may keep the ledger (`fund.record`: committee, admins,
 * the fund area's stewards and councils): a household's payment and an expense. Pure views, and
 * the checks of what was typed (amount, day, texts), each refusal in words.
 */
import { z } from 'zod';
import { parseLocalDay } from '../../features/fund/rules/fund-month.js';
import { parseYuan } from '../../features/fund/rules/money.js';
import { MAX_PURPOSE_LENGTH } from '../../features/fund/ledger/record-expense.js';
import { formText, MAX_PATH_PART } from '../people/typed-input.js';
import { csrfField, type ViewContext } from '../people/view-parts.js';
import { html, type SafeHtml } from '../shell/html.js';
import { FUND_PATH } from './fund-view.js';

export const contributionBody = z.object({
  _csrf: z.string(),
  household: formText(MAX_PATH_PART),
  amount: formText(30),
  date: formText(10),
  receipt: formText(MAX_PATH_PART).optional(),
});

export const expenseBody = z.object({
  _csrf: z.string(),
  amount: formText(30),
  purpose: formText(MAX_PURPOSE_LENGTH),
  date: formText(10),
  job: formText(MAX_PATH_PART).optional(),
});

/** What the forms' typed amount and day mean, or the locale key of what is wrong with them. */
export function typedMoneyAndDay(amount: string, day: string, timezone: string): { amountFen: number; on: Date } | { problem: string } {
  const amountFen = parseYuan(amount);
  if (amountFen === null) return { problem: 'staffweb.fund.form.bad_amount' };
  const on = parseLocalDay(day, timezone);
  if (!on) return { problem: 'staffweb.fund.form.bad_date' };
  return { amountFen, on };
}

export function recordForms(today: string, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  return html`<section aria-labelledby="fund-record-heading">
<h2 id="fund-record-heading">${t('staffweb.fund.form.heading')}</h2>
<div class="requests-cards">
<form class="requests-card" method="post" action="${FUND_PATH}/contributions">${csrfField(ctx)}
<h3>${t('staffweb.fund.form.contribution')}</h3>
<label for="fund-c-household">${t('staffweb.fund.form.household')}</label><input id="fund-c-household" name="household" required maxlength="${MAX_PATH_PART}" autocomplete="off">
<label for="fund-c-amount">${t('staffweb.fund.form.amount')}</label><input id="fund-c-amount" name="amount" required inputmode="decimal" maxlength="30">
<label for="fund-c-date">${t('staffweb.fund.form.date')}</label><input id="fund-c-date" name="date" type="date" required value="${today}">
<label for="fund-c-receipt">${t('staffweb.fund.form.receipt')}</label><input id="fund-c-receipt" name="receipt" maxlength="${MAX_PATH_PART}" autocomplete="off">
<button type="submit">${t('staffweb.fund.form.record_contribution')}</button>
</form>
<form class="requests-card" method="post" action="${FUND_PATH}/expenses">${csrfField(ctx)}
<h3>${t('staffweb.fund.form.expense')}</h3>
<label for="fund-e-amount">${t('staffweb.fund.form.amount')}</label><input id="fund-e-amount" name="amount" required inputmode="decimal" maxlength="30">
<label for="fund-e-purpose">${t('staffweb.fund.form.purpose')}</label><input id="fund-e-purpose" name="purpose" required maxlength="${MAX_PURPOSE_LENGTH}">
<label for="fund-e-date">${t('staffweb.fund.form.date')}</label><input id="fund-e-date" name="date" type="date" required value="${today}">
<label for="fund-e-job">${t('staffweb.fund.form.job')}</label><input id="fund-e-job" name="job" maxlength="${MAX_PATH_PART}" autocomplete="off">
<p class="requests-hint">${t('staffweb.fund.form.threshold_hint')}</p>
<button type="submit">${t('staffweb.fund.form.record_expense')}</button>
</form>
</div>
</section>`;
}
