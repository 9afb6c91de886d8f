/**
 * The monthly disclosure notice (居务公开) in one language: the month's opening balance, what came
 * in (and from how many households), each expense with its job, the closing balance and what
 * waits for a per-item decision. Pure: figures in, text out.
 */
import { SAFE_TEXT_LIMIT } from '../../../channels/text-limit.js';
import type { Translator } from '../../../i18n/translator.js';
import { localParts } from '../../tickets/rules/local-time.js';
import type { FundStatement, StatementExpense } from '../ledger/fund-statement.js';
import type { FundMonth } from '../rules/fund-month.js';
import { formatYuan } from '../rules/money.js';

/** More lines than this are summed up in one ("and 12 more"): a chat message stays readable. */
export const MAX_EXPENSE_LINES = 20;
/**
 * The notice is one message to every recipient, whatever their channel: it is kept within the
 * length every channel takes (fewer expense lines, the rest summed up), never split.
 */
export const MAX_NOTICE_LENGTH = SAFE_TEXT_LIMIT;

export interface DisclosureContext {
  translator: Translator;
  locale: string;
  timezone: string;
  areaPath: string;
  month: FundMonth;
}

export function disclosureText(statement: FundStatement, context: DisclosureContext): string {
  for (let shown = Math.min(MAX_EXPENSE_LINES, statement.expenses.length); ; shown--) {
    const text = noticeWith(statement, context, shown);
    if (text.length <= MAX_NOTICE_LENGTH || shown === 0) return text;
  }
}

/** The notice listing the first `shown` expenses of the month. */
function noticeWith(statement: FundStatement, context: DisclosureContext, shownCount: number): string {
  const t = (key: string, vars?: Record<string, string | number>) => context.translator.t(context.locale, key, vars);
  const { figures } = statement;
  const lines = [
    t('property_fund.disclosure.title', { area: context.areaPath, year: context.month.year, month: context.month.month }),
    t('property_fund.disclosure.opening', { amount: formatYuan(figures.openingFen) }),
    t('property_fund.disclosure.in', { amount: formatYuan(figures.inFen), paid: statement.householdsPaid, households: statement.households }),
    t('property_fund.disclosure.out', { amount: formatYuan(figures.outFen) }),
  ];
  const shown = statement.expenses.slice(0, shownCount);
  for (const expense of shown) lines.push(expenseLine(expense, context));
  if (statement.expenses.length > shown.length) lines.push(t('property_fund.disclosure.more', { count: statement.expenses.length - shown.length }));
  lines.push(t('property_fund.disclosure.closing', { amount: formatYuan(figures.closingFen) }));
  if (figures.pendingCount > 0) lines.push(t('property_fund.disclosure.pending', { count: figures.pendingCount, amount: formatYuan(figures.pendingFen) }));
  lines.push(t('property_fund.disclosure.footer'));
  return lines.join('\n');
}

function expenseLine(expense: StatementExpense, context: DisclosureContext): string {
  const t = (key: string, vars?: Record<string, string | number>) => context.translator.t(context.locale, key, vars);
  const { month, day } = localParts(expense.spentOn, context.timezone);
  const vars = { number: expense.number, month, day, purpose: expense.purpose, amount: formatYuan(expense.amountFen) };
  const line = expense.jobNumber ? t('property_fund.disclosure.expense_job', { ...vars, job: expense.jobNumber }) : t('property_fund.disclosure.expense', vars);
  if (expense.status === 'pending') return `${line}${t('property_fund.disclosure.status_pending')}`;
  if (expense.status === 'rejected') return `${line}${t('property_fund.disclosure.status_rejected')}`;
  return line;
}
