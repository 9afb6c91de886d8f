import { describe, expect, it } from 'vitest';
import { change, digest, lastFullDay, lastFullWeek, weekBefore, weeklyDigest } from '../../../../src/features/tickets/rules/digest.js';
import { threeRates } from '../../../../src/features/tickets/rules/three-rates.js';
import type { TicketFact } from '../../../../src/features/tickets/rules/ticket-facts.js';

const BJ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
let n = 0;
function fact(overrides: Partial<TicketFact>): TicketFact {
  const createdAt = overrides.createdAt ?? at('2026-01-05T10:00:00');
  return {
    id: `t${++n}`,
    kind: 'complaint',
    category: 'other',
    areaPath: '平房区/团结巷/3号院',
    status: 'new',
    createdAt,
    firstResponseDue: new Date(createdAt.getTime() + 86_400_000),
    firstRespondedAt: null,
    resolutionDue: new Date(createdAt.getTime() + 7 * 86_400_000),
    finishedAt: null,
    resolvedAt: null,
    rating: null,
    solved: null,
    ...overrides,
  };
}

// Monday 5 January 2026, the whole local day.
const monday = { from: at('2026-01-05T00:00:00'), to: at('2026-01-06T00:00:00') };

describe('periods', () => {
  it('the daily digest sent at 08:00 covers yesterday, midnight to midnight, Beijing time', () => {
    expect(lastFullDay(at('2026-01-06T08:00:00'), BJ)).toEqual(monday);
    expect(lastFullDay(at('2026-01-06T00:00:00'), BJ)).toEqual(monday);
  });

  it('the weekly digest covers the last full Monday-to-Monday week', () => {
    const week = { from: at('2026-01-05T00:00:00'), to: at('2026-01-12T00:00:00') };
    expect(lastFullWeek(at('2026-01-12T08:00:00'), BJ)).toEqual(week);
    expect(lastFullWeek(at('2026-01-18T23:59:00'), BJ)).toEqual(week);
    expect(lastFullWeek(at('2026-01-12T00:00:00'), BJ)).toEqual(week);
    expect(weekBefore(week, BJ)).toEqual({ from: at('2025-12-29T00:00:00'), to: at('2026-01-05T00:00:00') });
  });
});

describe('digest', () => {
  it('counts new tickets filed in [from, to): at midnight starting the day in, at the next midnight out', () => {
    const facts = [fact({ createdAt: at('2026-01-05T00:00:00') }), fact({ createdAt: at('2026-01-06T00:00:00') }), fact({ createdAt: at('2026-01-04T23:59:59') })];
    expect(digest(facts, monday).counts.new).toBe(1);
  });

  it('counts open, overdue and resolved as of the end of the day', () => {
    const facts = [
      // filed the week before, never answered: both deadlines passed by Monday's end
      fact({ createdAt: at('2025-12-28T10:00:00') }),
      // filed Sunday 12:00, first response due Monday 12:00, answered Monday 11:00: open, not overdue
      fact({ createdAt: at('2026-01-04T12:00:00'), firstRespondedAt: at('2026-01-05T11:00:00'), status: 'in_progress' }),
      // resolved on Monday
      fact({ createdAt: at('2026-01-02T09:00:00'), status: 'resolved', firstRespondedAt: at('2026-01-02T10:00:00'), resolvedAt: at('2026-01-05T15:00:00'), finishedAt: at('2026-01-05T15:00:00') }),
      // first response due exactly at the day's end: counts as overdue
      fact({ createdAt: at('2026-01-05T00:00:00'), firstResponseDue: at('2026-01-06T00:00:00') }),
      // resolved after the day ended: still open on Monday's digest
      fact({ createdAt: at('2026-01-05T09:00:00'), firstRespondedAt: at('2026-01-05T09:30:00'), status: 'resolved', resolvedAt: at('2026-01-06T09:00:00'), finishedAt: at('2026-01-06T09:00:00') }),
    ];
    expect(digest(facts, monday).counts).toEqual({ new: 2, resolved: 1, open: 4, overdue: 2, overdueFirstResponse: 2, overdueResolution: 1 });
  });

  it('an answer after the day’s end does not clear Monday’s overdue count', () => {
    const late = fact({ createdAt: at('2026-01-04T08:00:00'), firstRespondedAt: at('2026-01-06T09:00:00'), status: 'in_progress' });
    expect(digest([late], monday).counts.overdueFirstResponse).toBe(1);
  });

  it('groups by zone (or deeper) and by category, busiest first', () => {
    const facts = [
      fact({ areaPath: '平房区/团结巷/3号院', category: 'environment_sanitation' }),
      fact({ areaPath: '平房区/和平巷/1号院', category: 'environment_sanitation' }),
      fact({ areaPath: '楼寓区/5号楼', category: 'public_security' }),
      fact({ areaPath: '', category: 'other', createdAt: at('2026-01-01T10:00:00') }),
    ];
    const d = digest(facts, monday);
    expect(d.byArea).toEqual([
      { key: '平房区', new: 2, open: 2 },
      { key: '楼寓区', new: 1, open: 1 },
      { key: '', new: 0, open: 1 },
    ]);
    expect(d.byCategory).toEqual([
      { key: 'environment_sanitation', new: 2, open: 2 },
      { key: 'public_security', new: 1, open: 1 },
      { key: 'other', new: 0, open: 1 },
    ]);
    expect(digest(facts, monday, 2).byArea.map((g) => g.key)).toEqual(['平房区/和平巷', '平房区/团结巷', '楼寓区/5号楼', '']);
  });

  it('an empty day is all zeros and rates with nothing to judge', () => {
    const d = digest([], monday);
    expect(d.counts).toEqual({ new: 0, resolved: 0, open: 0, overdue: 0, overdueFirstResponse: 0, overdueResolution: 0 });
    expect(d.rates.response).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(d.byArea).toEqual([]);
  });
});

describe('the three rates', () => {
  it('响应率: answers by the deadline among deadlines that fell in the period; exactly at the deadline is in time', () => {
    const due = at('2026-01-05T12:00:00');
    const facts = [
      fact({ firstResponseDue: due, firstRespondedAt: due }),
      fact({ firstResponseDue: due, firstRespondedAt: new Date(due.getTime() + 1) }),
      fact({ firstResponseDue: due }),
      fact({ firstResponseDue: at('2026-01-06T00:00:00') }), // next day's cohort
    ];
    expect(threeRates(facts, monday).response).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
  });

  it('响应率 leaves out a ticket withdrawn, unanswered, before its deadline', () => {
    const due = at('2026-01-05T12:00:00');
    const facts = [
      fact({ firstResponseDue: due, status: 'withdrawn', finishedAt: at('2026-01-05T11:00:00') }),
      fact({ firstResponseDue: due, status: 'withdrawn', finishedAt: at('2026-01-05T13:00:00') }),
    ];
    expect(threeRates(facts, monday).response).toEqual({ numerator: 0, denominator: 1, rate: 0 });
  });

  it('解决率 is the residents’ "yes, solved" among those who answered in the period', () => {
    const facts = [
      fact({ solved: { value: true, answeredAt: at('2026-01-05T10:00:00') } }),
      fact({ solved: { value: false, answeredAt: at('2026-01-05T11:00:00') } }),
      fact({ solved: { value: true, answeredAt: at('2026-01-05T12:00:00') } }),
      fact({ solved: { value: false, answeredAt: at('2026-01-07T12:00:00') } }),
      fact({}),
    ];
    expect(threeRates(facts, monday).resolution).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
  });

  it('满意率 counts ratings given in the period, ≥ 4 stars satisfied', () => {
    const facts = [3, 4, 5, 1].map((stars) => fact({ rating: { stars, ratedAt: at('2026-01-05T20:00:00') } }));
    expect(threeRates(facts, monday).satisfaction).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
  });
});

describe('weekly digest', () => {
  const week = { from: at('2026-01-05T00:00:00'), to: at('2026-01-12T00:00:00') };

  it('compares with the week before', () => {
    const facts = [
      fact({ createdAt: at('2025-12-30T10:00:00'), status: 'resolved', firstRespondedAt: at('2025-12-30T11:00:00'), resolvedAt: at('2025-12-31T10:00:00'), finishedAt: at('2025-12-31T10:00:00'), rating: { stars: 5, ratedAt: at('2025-12-31T12:00:00') } }),
      fact({ createdAt: at('2025-12-31T10:00:00'), status: 'resolved', firstRespondedAt: at('2025-12-31T11:00:00'), resolvedAt: at('2026-01-06T10:00:00'), finishedAt: at('2026-01-06T10:00:00'), rating: { stars: 2, ratedAt: at('2026-01-06T12:00:00') } }),
      fact({ createdAt: at('2026-01-06T10:00:00'), firstRespondedAt: at('2026-01-06T11:00:00'), status: 'in_progress' }),
      fact({ createdAt: at('2026-01-07T10:00:00'), firstRespondedAt: at('2026-01-07T11:00:00'), status: 'in_progress' }),
      fact({ createdAt: at('2026-01-08T10:00:00'), firstRespondedAt: at('2026-01-08T11:00:00'), status: 'in_progress' }),
      fact({ createdAt: at('2026-01-09T10:00:00'), firstRespondedAt: at('2026-01-09T11:00:00'), status: 'in_progress' }),
    ];
    const w = weeklyDigest(facts, week, BJ);
    expect(w.previous.counts.new).toBe(2);
    expect(w.current.counts.new).toBe(4);
    expect(w.change.new).toEqual({ current: 4, previous: 2, delta: 2, percent: 100 });
    expect(w.change.resolved).toEqual({ current: 1, previous: 1, delta: 0, percent: 0 });
    expect(w.change.open).toEqual({ current: 4, previous: 1, delta: 3, percent: 300 });
    expect(w.rateChange.satisfaction).toBe(-100);
    expect(w.rateChange.resolution).toBeNull();
  });

  it('handles a previous week with nothing: no percentage of zero', () => {
    const w = weeklyDigest([fact({ createdAt: at('2026-01-06T10:00:00') })], week, BJ);
    expect(w.change.new).toEqual({ current: 1, previous: 0, delta: 1, percent: null });
    expect(w.change.resolved).toEqual({ current: 0, previous: 0, delta: 0, percent: 0 });
    expect(w.rateChange.satisfaction).toBeNull();
  });

  it('change() boundaries', () => {
    expect(change(0, 0)).toEqual({ current: 0, previous: 0, delta: 0, percent: 0 });
    expect(change(5, 0).percent).toBeNull();
    expect(change(0, 4)).toEqual({ current: 0, previous: 4, delta: -4, percent: -100 });
    expect(change(3, 4).percent).toBe(-25);
  });
});
