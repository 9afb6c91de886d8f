/**
 * The fund's pure rules at their boundaries: yuan typed → fen (never through a float), the
 * approval threshold (exactly the threshold is ordinary, one fen more waits), the balance that
 * leaves pending and rejected expenses out, a period's opening and closing, months and days in
 * the community's time zone.
 */
import { describe, expect, it } from 'vitest';
import { decidedStatus, needsDecision, statusOnRecord } from '../../../src/features/fund/rules/expense-approval.js';
import { fundFigures, periodFigures } from '../../../src/features/fund/rules/fund-balance.js';
import { lastFullMonth, monthContaining, parseLocalDay, parseMonth } from '../../../src/features/fund/rules/fund-month.js';
import { formatYuan, MAX_AMOUNT_FEN, parseYuan } from '../../../src/features/fund/rules/money.js';

const TZ = 'Asia/Shanghai';

describe('money in fen', () => {
  it('reads yuan with up to two decimals, a currency sign or 元, and thousands separators', () => {
    expect(parseYuan('10')).toBe(1000);
    expect(parseYuan('10.5')).toBe(1050);
    expect(parseYuan('10.05')).toBe(1005);
    expect(parseYuan('0.01')).toBe(1);
    expect(parseYuan('¥12.80')).toBe(1280);
    expect(parseYuan('￥ 12.80')).toBe(1280);
    expect(parseYuan('12.80元')).toBe(1280);
    expect(parseYuan('1,234.50')).toBe(123450);
    // 0.1 + 0.2 is 0.30000000000000004 as a float; as digits it is exact.
    expect(parseYuan('0.3')).toBe(30);
    expect(parseYuan('1.13')).toBe(113);
  });

  it('refuses zero, negative, three decimals, words and more than the most an entry may hold', () => {
    for (const bad of ['0', '0.00', '-5', '10.001', 'ten', '', '1e3', '10,5', '.5']) expect(parseYuan(bad), bad).toBeNull();
    expect(parseYuan(formatYuan(MAX_AMOUNT_FEN))).toBe(MAX_AMOUNT_FEN);
    expect(parseYuan('10000000.01')).toBeNull();
  });

  it('shows fen as yuan with two decimals', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(1000)).toBe('10.00');
    expect(formatYuan(-350)).toBe('-3.50');
  });
});

describe('一事一议: the approval threshold', () => {
  const threshold = 50_000;
  it('exactly the threshold is ordinary; one fen above waits for the decision', () => {
    expect(needsDecision(threshold - 1, threshold)).toBe(false);
    expect(needsDecision(threshold, threshold)).toBe(false);
    expect(needsDecision(threshold + 1, threshold)).toBe(true);
    expect(statusOnRecord(threshold, threshold)).toBe('approved');
    expect(statusOnRecord(threshold + 1, threshold)).toBe('pending');
  });

  it('decides only a pending expense, once', () => {
    expect(decidedStatus('pending', 'approve')).toBe('approved');
    expect(decidedStatus('pending', 'reject')).toBe('rejected');
    expect(decidedStatus('approved', 'reject')).toBeNull();
    expect(decidedStatus('rejected', 'approve')).toBeNull();
  });
});

describe('the balance', () => {
  const day = (text: string) => parseLocalDay(text, TZ)!;
  const contributions = [
    { amountFen: 1000, on: day('2026-10-20') },
    { amountFen: 1000, on: day('2026-11-01') },
    { amountFen: 1000, on: day('2026-11-30') },
    { amountFen: 1000, on: day('2026-12-01') },
  ];
  const expenses = [
    { amountFen: 300, status: 'approved' as const, on: day('2026-10-31') },
    { amountFen: 500, status: 'approved' as const, on: day('2026-11-15') },
    { amountFen: 90_000, status: 'pending' as const, on: day('2026-11-16') },
    { amountFen: 70_000, status: 'rejected' as const, on: day('2026-11-17') },
  ];

  it('counts approved expenses only; pending ones are reported apart and rejected ones not at all', () => {
    expect(fundFigures(contributions, expenses)).toEqual({ contributedFen: 4000, spentFen: 800, pendingFen: 90_000, pendingCount: 1, balanceFen: 3200 });
    expect(fundFigures([], [])).toEqual({ contributedFen: 0, spentFen: 0, pendingFen: 0, pendingCount: 0, balanceFen: 0 });
  });

  it("gives a month's opening, in, out and closing: the 1st belongs to its month, the next 1st to the next", () => {
    const november = parseMonth('2026-11', TZ)!;
    expect(periodFigures(contributions, expenses, november)).toEqual({ openingFen: 700, inFen: 2000, outFen: 500, closingFen: 2200, pendingFen: 90_000, pendingCount: 1 });
  });
});

describe('months and days in the community time zone', () => {
  it('takes the month before at the first instant of a month, local time', () => {
    // 2026-12-01 00:00 in Shanghai is 2026-11-30 16:00 UTC.
    const firstOfDecember = new Date('2026-11-30T16:00:00Z');
    expect(lastFullMonth(firstOfDecember, TZ)).toMatchObject({ year: 2026, month: 11, from: new Date('2026-10-31T16:00:00Z'), to: firstOfDecember });
    expect(lastFullMonth(new Date(firstOfDecember.getTime() - 1), TZ)).toMatchObject({ year: 2026, month: 10 });
    expect(lastFullMonth(new Date('2027-01-10T00:00:00Z'), TZ)).toMatchObject({ year: 2026, month: 12 });
    expect(monthContaining(firstOfDecember, TZ)).toMatchObject({ year: 2026, month: 12 });
  });

  it('reads days and months, refusing what no calendar has', () => {
    expect(parseLocalDay('2026-11-05', TZ)).toEqual(new Date('2026-11-04T16:00:00Z'));
    expect(parseLocalDay('2026-02-30', TZ)).toBeNull();
    expect(parseLocalDay('2026/11/05', TZ)).toBeNull();
    expect(parseMonth('2026-13', TZ)).toBeNull();
    expect(parseMonth('2026-0', TZ)).toBeNull();
    expect(parseMonth('2026-1', TZ)).toMatchObject({ year: 2026, month: 1 });
  });
});
