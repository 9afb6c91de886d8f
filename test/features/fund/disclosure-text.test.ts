/**
 * The disclosure notice's text (pure): the month's lines in order, a pending and a rejected
 * expense marked, and a month with many long expenses kept within the length every channel
 * takes, the rest summed up in one line.
 */
import { describe, expect, it } from 'vitest';
import { disclosureText, MAX_EXPENSE_LINES, MAX_NOTICE_LENGTH } from '../../../src/features/fund/disclosure/disclosure-text.js';
import type { FundStatement, StatementExpense } from '../../../src/features/fund/ledger/fund-statement.js';
import { parseLocalDay, parseMonth } from '../../../src/features/fund/rules/fund-month.js';
import { translator } from '../tickets/scheduling/harness.js';

const TZ = 'Asia/Shanghai';
const month = parseMonth('2026-11', TZ)!;
const expense = (number: number, purpose: string, status: StatementExpense['status'] = 'approved', jobNumber: string | null = null): StatementExpense => ({
  number,
  amountFen: 1234,
  purpose,
  spentOn: parseLocalDay('2026-11-09', TZ)!,
  status,
  jobNumber,
});
const statement = (expenses: StatementExpense[]): FundStatement => ({
  figures: { openingFen: 1000, inFen: 2000, outFen: 1234, closingFen: 1766, pendingFen: 0, pendingCount: 0 },
  total: { contributedFen: 3000, spentFen: 1234, pendingFen: 0, pendingCount: 0, balanceFen: 1766 },
  expenses,
  pending: [],
  householdsPaid: 2,
  households: 30,
});
const context = (locale: string) => ({ translator, locale, timezone: TZ, areaPath: '平房区', month });

describe('the disclosure text', () => {
  it('lists the expenses with their job, and marks what is pending or rejected', () => {
    const text = disclosureText(statement([expense(1, '更换灯泡', 'approved', 'BX-2026-00042'), expense(2, '更换主水管', 'pending'), expense(3, '新建车棚', 'rejected')]), context('zh-CN'));
    expect(text.split('\n').slice(4, 7)).toEqual([
      '#1 11月9日 更换灯泡 ¥12.34（维修单BX-2026-00042）',
      '#2 11月9日 更换主水管 ¥12.34（待一事一议，未计入）',
      '#3 11月9日 新建车棚 ¥12.34（未通过，未支出）',
    ]);
    expect(disclosureText(statement([expense(1, 'bulbs')]), context('en'))).toContain('#1 9/11 bulbs ¥12.34');
  });

  it('sums up what does not fit: never longer than every channel takes', () => {
    const many = Array.from({ length: 30 }, (_, i) => expense(i + 1, '修'.repeat(200)));
    const text = disclosureText(statement(many), context('zh-CN'));
    expect(text.length).toBeLessThanOrEqual(MAX_NOTICE_LENGTH);
    const listed = text.split('\n').filter((line) => line.startsWith('#')).length;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(MAX_EXPENSE_LINES);
    expect(text).toContain(`……另有${30 - listed}笔`);
    expect(text.split('\n').at(-1)).toBe('如有疑问，请联系社区居委会。');
  });
});
