/**
 * Dispatch's pure rules at their boundaries: who is eligible (skill, area, hours, away, offered
 * before, answering another offer), the ranking (load, free longest, id), one member at a time but
 * every member for an emergency, wait versus nobody, the offer timeouts, and the order of waiting
 * jobs and of a member's day (priority households first).
 */
import { describe, expect, it } from 'vitest';
import { planOffers, rankCandidates, whyIneligible, whyNobody, type Candidate, type DispatchJob } from '../../../../src/features/repairs/dispatch/rules/eligibility.js';
import { dayOrder, waitingJobOrder } from '../../../../src/features/repairs/dispatch/rules/job-order.js';
import { DEFAULT_OFFER_TIMING, offerExpiresAt, offerHasExpired } from '../../../../src/features/repairs/dispatch/rules/offer-timing.js';
import { readWeeklyHours, worksAt } from '../../../../src/features/repairs/dispatch/rules/working-hours.js';

const TZ = 'Asia/Shanghai';
// Monday 7 December 2026, 10:00 in Beijing.
const MONDAY_10 = new Date('2026-12-07T02:00:00Z');

function member(id: string, over: Partial<Candidate> = {}): Candidate {
  return { residentId: id, skills: ['plumbing'], areaIds: [], hours: {}, away: false, jobsInHand: 0, answeringAnotherOffer: false, freeSince: null, offeredThisJobBefore: false, ...over };
}
const leak: DispatchJob = { skill: 'plumbing', areaIds: ['lane', 'zone'], emergency: false };

describe('working hours', () => {
  const hours = readWeeklyHours({ '1': [['08:00', '12:00'], ['14:00', '18:00']] })!;
  it('counts a span from its start, not at its end, in the community time zone', () => {
    expect(worksAt(hours, new Date('2026-12-07T00:00:00Z'), TZ)).toBe(true); // 08:00 local
    expect(worksAt(hours, new Date('2026-12-06T23:59:00Z'), TZ)).toBe(false); // 07:59 local
    expect(worksAt(hours, new Date('2026-12-07T04:00:00Z'), TZ)).toBe(false); // 12:00 local
    expect(worksAt(hours, new Date('2026-12-07T03:59:00Z'), TZ)).toBe(true); // 11:59 local
    expect(worksAt(hours, new Date('2026-12-08T02:00:00Z'), TZ)).toBe(false); // Tuesday: no spans
  });
  it('takes no hours as any time and refuses a malformed shape', () => {
    expect(worksAt({}, new Date('2026-12-06T19:00:00Z'), TZ)).toBe(true);
    expect(readWeeklyHours({ '1': [['18:00', '08:00']] })).toBeNull();
    expect(readWeeklyHours({ '8': [['08:00', '18:00']] })).toBeNull();
    expect(readWeeklyHours(null)).toEqual({});
  });
});

describe('eligibility', () => {
  it('refuses the away, the unskilled, members of other areas, those offered it before and those off hours', () => {
    expect(whyIneligible(leak, member('a', { away: true }), MONDAY_10, TZ)).toBe('away');
    expect(whyIneligible(leak, member('a', { skills: ['electrical'] }), MONDAY_10, TZ)).toBe('missing_skill');
    expect(whyIneligible(leak, member('a', { areaIds: ['other-zone'] }), MONDAY_10, TZ)).toBe('outside_area');
    expect(whyIneligible(leak, member('a', { areaIds: ['zone'] }), MONDAY_10, TZ)).toBeNull();
    expect(whyIneligible(leak, member('a', { offeredThisJobBefore: true }), MONDAY_10, TZ)).toBe('offered_before');
    expect(whyIneligible(leak, member('a', { hours: { '2': [['08:00', '18:00']] } }), MONDAY_10, TZ)).toBe('off_hours');
    expect(whyIneligible(leak, member('a', { answeringAnotherOffer: true }), MONDAY_10, TZ)).toBe('answering_another_offer');
  });
  it('lets any member take a job that names no skill, and an emergency at any hour', () => {
    expect(whyIneligible({ ...leak, skill: null }, member('a', { skills: [] }), MONDAY_10, TZ)).toBeNull();
    const emergency = { ...leak, emergency: true };
    expect(whyIneligible(emergency, member('a', { hours: { '2': [['08:00', '18:00']] }, answeringAnotherOffer: true }), MONDAY_10, TZ)).toBeNull();
    expect(whyIneligible(emergency, member('a', { away: true }), MONDAY_10, TZ)).toBe('away');
  });
  it('ranks by jobs in hand, then free longest, then id', () => {
    const ranked = rankCandidates([
      member('d', { jobsInHand: 1 }),
      member('c', { freeSince: new Date('2026-12-07T01:00:00Z') }),
      member('b', { freeSince: new Date('2026-12-07T00:00:00Z') }),
      member('a', { freeSince: new Date('2026-12-07T00:00:00Z') }),
      member('e'),
    ]);
    expect(ranked.map((m) => m.residentId)).toEqual(['e', 'a', 'b', 'c', 'd']);
  });
});

describe('the plan', () => {
  it('offers one member at a time, but an emergency to every eligible member', () => {
    const team = [member('b', { jobsInHand: 1 }), member('a'), member('c', { skills: ['electrical'] })];
    expect(planOffers(leak, team, MONDAY_10, TZ)).toEqual({ kind: 'offer', memberIds: ['a'] });
    expect(planOffers({ ...leak, emergency: true }, team, MONDAY_10, TZ)).toEqual({ kind: 'offer', memberIds: ['a', 'b'] });
  });
  it('waits while the only eligible member answers another offer, and finds nobody when none is left', () => {
    expect(planOffers(leak, [member('a', { answeringAnotherOffer: true })], MONDAY_10, TZ)).toEqual({ kind: 'wait' });
    expect(planOffers(leak, [member('a', { offeredThisJobBefore: true }), member('b', { away: true })], MONDAY_10, TZ)).toEqual({ kind: 'nobody' });
    expect(planOffers(leak, [], MONDAY_10, TZ)).toEqual({ kind: 'nobody' });
  });
  it('says for the staff how many members each reason kept out, and nothing for an empty team', () => {
    const team = [member('a', { offeredThisJobBefore: true }), member('b', { offeredThisJobBefore: true }), member('c', { away: true }), member('d', { skills: ['electrical'] })];
    expect(whyNobody(leak, team, MONDAY_10, TZ)).toEqual({ offered_before: 2, away: 1, missing_skill: 1 });
    expect(whyNobody(leak, [], MONDAY_10, TZ)).toEqual({});
  });
});

describe('offer timeouts', () => {
  it('gives ten minutes, two for an emergency, and runs out at the very instant', () => {
    const at = new Date('2026-12-07T02:00:00Z');
    const normal = offerExpiresAt(DEFAULT_OFFER_TIMING, false, at);
    const emergency = offerExpiresAt(DEFAULT_OFFER_TIMING, true, at);
    expect(normal.getTime() - at.getTime()).toBe(10 * 60_000);
    expect(emergency.getTime() - at.getTime()).toBe(2 * 60_000);
    expect(offerHasExpired(normal, new Date(normal.getTime() - 1))).toBe(false);
    expect(offerHasExpired(normal, normal)).toBe(true);
  });
});

describe('job order', () => {
  const t = (minute: number) => new Date(Date.UTC(2026, 11, 7, 2, minute));
  it('sends waiting emergencies first, then priority households, then the oldest', () => {
    const order = waitingJobOrder([
      { id: 'old', emergency: false, priority: false, createdAt: t(0) },
      { id: 'prio', emergency: false, priority: true, createdAt: t(5) },
      { id: 'gas', emergency: true, priority: false, createdAt: t(9) },
      { id: 'new', emergency: false, priority: false, createdAt: t(1) },
    ]);
    expect(order.map((j) => j.id)).toEqual(['gas', 'prio', 'old', 'new']);
  });
  it("puts a member's job on the way first, then emergencies, priority, the earliest time someone is home", () => {
    const day = dayOrder([
      { id: 'late-home', status: 'accepted', emergency: false, priority: false, createdAt: t(0), homeFrom: t(50) },
      { id: 'early-home', status: 'accepted', emergency: false, priority: false, createdAt: t(1), homeFrom: t(30) },
      { id: 'no-window', status: 'accepted', emergency: false, priority: false, createdAt: t(0), homeFrom: null },
      { id: 'prio', status: 'accepted', emergency: false, priority: true, createdAt: t(9), homeFrom: null },
      { id: 'going', status: 'on_the_way', emergency: false, priority: false, createdAt: t(9), homeFrom: null },
    ]);
    expect(day.map((j) => j.id)).toEqual(['going', 'prio', 'early-home', 'late-home', 'no-window']);
  });
});
