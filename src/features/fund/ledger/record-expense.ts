/**
 * Recording money spent from the fund, optionally for a repair job (its ticket number). An
 * expense strictly above the fund's threshold is recorded `pending`: it waits for the committee's
 * per-item decision (一事一议) and counts as nothing spent until approved; the committee is told
 * in the staff chats in the same transaction. Policy `fund.record`, audited.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { queueAfterCommit } from '../../../db/after-commit.js';
import type { Translator } from '../../../i18n/translator.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import type { StaffAlerts } from '../../tickets/scheduling/staff-alerts.js';
import { isStorableText } from '../../../util/storable-text.js';
import { formatYuan } from '../rules/money.js';
import { statusOnRecord, type ExpenseStatus } from '../rules/expense-approval.js';
import { checkFundAction, type Refused } from './fund-check.js';
import { FundError } from './fund-errors.js';
import type { FundRecord } from './fund-lookup.js';

export interface NewExpense {
  fund: FundRecord;
  actor: Actor;
  amountFen: number;
  /** What it paid for, in words the households read (no personal data). */
  purpose: string;
  spentOn: Date;
  /** The repair job's ticket number (BX-2026-00042), when it paid for one. */
  jobNumber?: string | null;
  now: Date;
}

/** Longest purpose: one line of the disclosure notice. */
export const MAX_PURPOSE_LENGTH = 200;

export interface ExpenseAlerts {
  staffAlerts: StaffAlerts;
  translator: Translator;
}

export interface RecordedExpense {
  expenseId: string;
  number: number;
  status: ExpenseStatus;
}

export async function recordExpense(tx: Tx, input: NewExpense, alerts?: ExpenseAlerts): Promise<RecordedExpense | Refused> {
  const { fund } = input;
  const refused = await checkFundAction(tx, fund, input.actor, 'fund.record', 'fund.expense_recorded', input.now);
  if (refused) return refused;
  const purpose = input.purpose.trim();
  if (purpose === '' || [...purpose].length > MAX_PURPOSE_LENGTH || !isStorableText(purpose)) throw new FundError('bad_purpose', { max: MAX_PURPOSE_LENGTH });
  const workOrderId = input.jobNumber ? await workOrderOf(tx, fund.communityId, input.jobNumber) : null;
  // Numbers follow each other per fund: a second expense recorded at once waits here.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`fund-expense:${fund.id}`}))`;
  const last = await tx.fundExpense.aggregate({ where: { fundId: fund.id }, _max: { number: true } });
  const number = (last._max.number ?? 0) + 1;
  const status = statusOnRecord(input.amountFen, fund.approvalThresholdFen);
  const expense = await tx.fundExpense.create({
    data: { fundId: fund.id, number, amountFen: input.amountFen, purpose, workOrderId, spentOn: input.spentOn, status, decidedAt: status === 'approved' ? input.now : null },
    select: { id: true },
  });
  await recordAudit(tx, {
    communityId: fund.communityId,
    actor: input.actor,
    action: 'fund.expense_recorded',
    subjectType: 'fund_expense',
    subjectId: expense.id,
    details: { fundId: fund.id, number, amountFen: input.amountFen, status, ...(workOrderId ? { workOrderId } : {}) },
  });
  if (status === 'pending' && alerts) {
    const rows = await alerts.staffAlerts.toCommittee(tx, {
      communityId: fund.communityId,
      text: (locale) =>
        alerts.translator.t(locale, 'property_fund.alert.decision_needed', {
          area: fund.areaPath,
          number,
          amount: formatYuan(input.amountFen),
          threshold: formatYuan(fund.approvalThresholdFen),
          purpose,
        }),
    });
    queueAfterCommit(tx, rows);
  }
  return { expenseId: expense.id, number, status };
}

async function workOrderOf(tx: Tx, communityId: string, jobNumber: string): Promise<string> {
  const ticket = await tx.ticket.findFirst({
    where: { communityId, number: { equals: jobNumber.trim(), mode: 'insensitive' } },
    select: { workOrder: { select: { id: true } } },
  });
  if (!ticket?.workOrder) throw new FundError('job_not_found', { number: jobNumber });
  return ticket.workOrder.id;
}
