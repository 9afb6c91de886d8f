import { describe, expect, it } from 'vitest';
import {
  evaluateSatisfactionAlert,
  INITIAL_ALERT_STATE,
  isBelowThreshold,
  isSatisfied,
  ratingsInWindow,
  rollingSatisfaction,
  satisfactionRate,
  type RatingFact,
  type SatisfactionRate,
} from '../../../../src/features/tickets/rules/satisfaction.js';

const NOW = new Date('2026-06-30T12:00:00+08:00');
const DAY = 86_400_000;
let counter = 0;
const rating = (stars: number, daysAgo = 1, staffId: string | null = 's-zhao', ticketId = `t${++counter}`): RatingFact => ({
  ticketId,
  stars,
  ratedAt: new Date(NOW.getTime() - daysAgo * DAY),
  staffId,
});
const rateOf = (satisfied: number, total: number): SatisfactionRate => ({ satisfied, total, rate: total === 0 ? null : satisfied / total });

describe('what counts as satisfied', () => {
  it('4 and 5 stars (满意, 基本满意); 3 and below do not', () => {
    expect([1, 2, 3, 4, 5].map(isSatisfied)).toEqual([false, false, false, true, true]);
  });

  it('computes the rate from the ratings', () => {
    expect(satisfactionRate([rating(5), rating(4), rating(3), rating(1)])).toEqual({ satisfied: 2, total: 4, rate: 0.5 });
    expect(satisfactionRate([])).toEqual({ satisfied: 0, total: 0, rate: null });
  });
});

describe('the 60 % line (strictly below)', () => {
  it('60 % exactly is not below; 59.9 % is', () => {
    expect(isBelowThreshold(rateOf(6, 10))).toBe(false);
    expect(isBelowThreshold(rateOf(600, 1000))).toBe(false);
    expect(isBelowThreshold(rateOf(599, 1000))).toBe(true);
    expect(isBelowThreshold(rateOf(5, 10))).toBe(true);
  });

  it('3 of 5 is exactly 60 % even though 3/5 is not exact in binary', () => {
    expect(isBelowThreshold(rateOf(3, 5))).toBe(false);
    expect(isBelowThreshold(rateOf(18, 30))).toBe(false);
    expect(isBelowThreshold(rateOf(17, 30))).toBe(true);
  });

  it('no ratings is not below', () => {
    expect(isBelowThreshold(rateOf(0, 0))).toBe(false);
  });
});

describe('the alert', () => {
  const policy = { windowDays: 90, minimumSample: 10 };

  it('fires once when the rate falls below 60 % with enough ratings', () => {
    const first = evaluateSatisfactionAlert(rateOf(5, 10), INITIAL_ALERT_STATE, policy);
    expect(first).toEqual({ verdict: 'alert', state: { armed: false } });
    expect(evaluateSatisfactionAlert(rateOf(4, 10), first.state, policy)).toEqual({ verdict: 'still_below', state: { armed: false } });
  });

  it('60 % exactly raises nothing', () => {
    expect(evaluateSatisfactionAlert(rateOf(6, 10), INITIAL_ALERT_STATE, policy)).toEqual({ verdict: 'ok', state: { armed: true } });
  });

  it('re-arms when the rate is back at 60 %, and fires again on the next fall', () => {
    const fired = evaluateSatisfactionAlert(rateOf(5, 10), INITIAL_ALERT_STATE, policy).state;
    const recovered = evaluateSatisfactionAlert(rateOf(6, 10), fired, policy);
    expect(recovered).toEqual({ verdict: 'ok', state: { armed: true } });
    expect(evaluateSatisfactionAlert(rateOf(599, 1000), recovered.state, policy).verdict).toBe('alert');
  });

  it('needs at least 10 ratings: 9 bad ones raise nothing, the 10th does', () => {
    expect(evaluateSatisfactionAlert(rateOf(0, 9), INITIAL_ALERT_STATE, policy)).toEqual({ verdict: 'too_few_ratings', state: { armed: true } });
    expect(evaluateSatisfactionAlert(rateOf(0, 10), INITIAL_ALERT_STATE, policy).verdict).toBe('alert');
  });

  it('too few ratings do not re-arm a fired alert', () => {
    const fired = { armed: false };
    expect(evaluateSatisfactionAlert(rateOf(9, 9), fired, policy)).toEqual({ verdict: 'too_few_ratings', state: { armed: false } });
  });
});

describe('the rolling window', () => {
  it('keeps ratings of the last 90 days: exactly 90 days old is out, a millisecond younger is in', () => {
    const old = { ...rating(1), ratedAt: new Date(NOW.getTime() - 90 * DAY) };
    const young = { ...rating(1), ratedAt: new Date(NOW.getTime() - 90 * DAY + 1) };
    expect(ratingsInWindow([old, young], NOW, 90)).toEqual([young]);
  });

  it('ignores ratings from the future (a clock ahead)', () => {
    expect(ratingsInWindow([rating(5, -1)], NOW, 90)).toEqual([]);
  });

  it('counts one rating per ticket: the newest', () => {
    const first = rating(1, 5, 's-zhao', 'same');
    const second = rating(5, 2, 's-zhao', 'same');
    expect(ratingsInWindow([second, first], NOW, 90)).toEqual([second]);
  });

  it('rates each staff member on the tickets they resolved, and the committee on all', () => {
    const ratings = [
      ...Array.from({ length: 6 }, () => rating(5, 1, 's-zhao')),
      ...Array.from({ length: 4 }, () => rating(2, 1, 's-zhao')),
      rating(1, 1, 's-qian'),
      rating(5, 1, null),
      rating(1, 200, 's-qian'),
    ];
    const { committee, byStaff } = rollingSatisfaction(ratings, NOW);
    expect(committee).toEqual({ satisfied: 7, total: 12, rate: 7 / 12 });
    expect(byStaff.get('s-zhao')).toEqual({ satisfied: 6, total: 10, rate: 0.6 });
    expect(byStaff.get('s-qian')).toEqual({ satisfied: 0, total: 1, rate: 0 });
    expect([...byStaff.keys()].sort()).toEqual(['s-qian', 's-zhao']);
  });
});
