/**
 * The rules of a sitting at every boundary: quorum and majority strictly more than half (rule 2),
 * each petition threshold exactly at and one below (rule 3), 60 % exactly not below (rule 5), and
 * the check-in window's edges.
 */
import { describe, expect, it } from 'vitest';
import { asCheckInCode, checkInWindow, codeThrottled, WRONG_CODE_LIMIT } from '../../../src/features/meetings/floor/rules/check-in-window.js';
import { needsRectification, ratePercent } from '../../../src/features/meetings/floor/rules/evaluation.js';
import { isAdultBy, reaches, signaturesNeeded, thresholdMet, type PetitionCounts } from '../../../src/features/meetings/floor/rules/petition-thresholds.js';
import { hasQuorum, motionResult, quorumNeeded } from '../../../src/features/meetings/floor/rules/quorum.js';
import { autoCloseAt, dueToClose } from '../../../src/features/meetings/floor/rules/closing.js';

describe('quorum (rule 2)', () => {
  it('of 20 representatives, 10 present is not a quorum and 11 is', () => {
    expect(hasQuorum(10, 20)).toBe(false);
    expect(hasQuorum(11, 20)).toBe(true);
    expect(quorumNeeded(20)).toBe(11);
  });
  it('of an odd roll of 21, 10 is not and 11 is; of 1, the one is', () => {
    expect(hasQuorum(10, 21)).toBe(false);
    expect(hasQuorum(11, 21)).toBe(true);
    expect(quorumNeeded(21)).toBe(11);
    expect(hasQuorum(1, 1)).toBe(true);
    expect(hasQuorum(0, 1)).toBe(false);
  });
  it('an empty roll is never a quorum', () => {
    expect(hasQuorum(0, 0)).toBe(false);
    expect(hasQuorum(3, 0)).toBe(false);
  });
});

describe('a motion passes with more than half of those present', () => {
  it('exactly half fails, one more passes', () => {
    expect(motionResult(10, 20)).toBe('failed');
    expect(motionResult(11, 20)).toBe('passed');
  });
  it('with an odd number present, the smallest majority passes', () => {
    expect(motionResult(7, 13)).toBe('passed');
    expect(motionResult(6, 13)).toBe('failed');
  });
  it('nobody present decides nothing', () => {
    expect(motionResult(0, 0)).toBe('failed');
  });
});

describe('petition thresholds (rule 3), "at least" includes the threshold', () => {
  const totals: PetitionCounts = { representatives: 20, adults: 100, households: 42, groups: 9 };
  const none: PetitionCounts = { representatives: 0, adults: 0, households: 0, groups: 0 };

  it('⅓ of 20 representatives needs 7: 6 does not bind', () => {
    expect(signaturesNeeded('representatives', 20)).toBe(7);
    expect(thresholdMet({ ...none, representatives: 6 }, totals)).toBeNull();
    expect(thresholdMet({ ...none, representatives: 7 }, totals)).toBe('representatives');
  });
  it('⅓ of 21 representatives is exactly 7', () => {
    expect(reaches('representatives', 7, 21)).toBe(true);
    expect(reaches('representatives', 6, 21)).toBe(false);
  });
  it('⅕ of 100 adults is exactly 20; 19 does not bind', () => {
    expect(thresholdMet({ ...none, adults: 19 }, totals)).toBeNull();
    expect(thresholdMet({ ...none, adults: 20 }, totals)).toBe('adults');
  });
  it('⅕ of 42 households needs 9 (5·9 ≥ 42), 8 does not', () => {
    expect(signaturesNeeded('households', 42)).toBe(9);
    expect(thresholdMet({ ...none, households: 8 }, totals)).toBeNull();
    expect(thresholdMet({ ...none, households: 9 }, totals)).toBe('households');
  });
  it('⅓ of 9 groups is exactly 3; 2 does not bind', () => {
    expect(thresholdMet({ ...none, groups: 2 }, totals)).toBeNull();
    expect(thresholdMet({ ...none, groups: 3 }, totals)).toBe('groups');
  });
  it('names the first threshold in the rule\'s order when several are met', () => {
    expect(thresholdMet({ representatives: 7, adults: 20, households: 9, groups: 3 }, totals)).toBe('representatives');
  });
  it('a kind the roster has none of never binds', () => {
    expect(thresholdMet(none, { representatives: 0, adults: 0, households: 0, groups: 0 })).toBeNull();
  });
  it('counts 18 and over by the birth year alone', () => {
    expect(isAdultBy(2008, 2026)).toBe(true);
    expect(isAdultBy(2009, 2026)).toBe(false);
    expect(isAdultBy(null, 2026)).toBe(false);
  });
});

describe('evaluation (rule 5): below 60 % orders rectification, exactly 60 % does not', () => {
  it('6 of 10 satisfied is not below; 5 of 10 is', () => {
    expect(needsRectification(6, 10)).toBe(false);
    expect(needsRectification(5, 10)).toBe(true);
  });
  it('3 of 5 (60 %) is not below; 11 of 19 (57.9 %) is; 12 of 20 is not', () => {
    expect(needsRectification(3, 5)).toBe(false);
    expect(needsRectification(11, 19)).toBe(true);
    expect(needsRectification(12, 20)).toBe(false);
    expect(ratePercent(11, 19)).toBe(57);
  });
  it('no answers is no verdict', () => {
    expect(needsRectification(0, 0)).toBe(false);
  });
});

describe('the check-in window and codes', () => {
  const meeting = { startsAt: new Date('2026-12-08T10:00:00Z'), endsAt: new Date('2026-12-08T12:00:00Z') };
  it('opens 30 minutes before the start, to the minute', () => {
    expect(checkInWindow(meeting, new Date('2026-12-08T09:29:59.999Z'))).toBe('early');
    expect(checkInWindow(meeting, new Date('2026-12-08T09:30:00Z'))).toBe('open');
  });
  it('closes at the end itself', () => {
    expect(checkInWindow(meeting, new Date('2026-12-08T11:59:59.999Z'))).toBe('open');
    expect(checkInWindow(meeting, new Date('2026-12-08T12:00:00Z'))).toBe('over');
  });
  it('a code is six digits, spaces around forgiven', () => {
    expect(asCheckInCode(' 123456 ')).toBe('123456');
    expect(asCheckInCode('12345')).toBeNull();
    expect(asCheckInCode('1234567')).toBeNull();
    expect(asCheckInCode('12a456')).toBeNull();
  });
  it('throttles after the limit of wrong codes, not before', () => {
    expect(codeThrottled(WRONG_CODE_LIMIT - 1)).toBe(false);
    expect(codeThrottled(WRONG_CODE_LIMIT)).toBe(true);
  });
});

describe('a sitting nobody closed closes itself at the end of its day', () => {
  const zone = 'Asia/Shanghai';
  it('one ending at 21:00 local closes at the next local midnight, not a moment before', () => {
    const endsAt = new Date('2026-03-04T13:00:00Z'); // 21:00 in Shanghai
    expect(autoCloseAt({ endsAt }, zone).toISOString()).toBe('2026-03-04T16:00:00.000Z');
    expect(dueToClose({ endsAt }, zone, new Date('2026-03-04T15:59:59.999Z'))).toBe(false);
    expect(dueToClose({ endsAt }, zone, new Date('2026-03-04T16:00:00.000Z'))).toBe(true);
  });
  it('one running late into the evening keeps two hours after its end', () => {
    const endsAt = new Date('2026-03-04T15:30:00Z'); // 23:30 in Shanghai
    expect(autoCloseAt({ endsAt }, zone).toISOString()).toBe('2026-03-04T17:30:00.000Z');
  });
  it('counts the day in the community\'s zone, not in UTC', () => {
    // 09:00 in Shanghai is 01:00 UTC: the day ends at Shanghai's midnight, 16:00 UTC.
    expect(autoCloseAt({ endsAt: new Date('2026-03-04T01:00:00Z') }, zone).toISOString()).toBe('2026-03-04T16:00:00.000Z');
    expect(autoCloseAt({ endsAt: new Date('2026-03-04T01:00:00Z') }, 'Europe/London').toISOString()).toBe('2026-03-05T00:00:00.000Z');
  });
});
