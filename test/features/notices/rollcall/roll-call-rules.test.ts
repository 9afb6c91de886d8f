/**
 * The roll-call's pure rules: the counts by area and group add up to the households addressed
 * (an answer from a household not addressed is not counted), and each stage is due at its very
 * instant — 10 and 30 minutes by default, the community's own times otherwise — never a moment before.
 */
import { describe, expect, it } from 'vitest';
import { rollCallCounts } from '../../../../src/features/notices/rollcall/rules/roll-call-counts.js';
import { stageDueAt, stageIsDue } from '../../../../src/features/notices/rollcall/rules/escalation-times.js';
import { parseNoticeSettings } from '../../../../src/features/notices/rules/notice-settings.js';

describe('roll-call counts', () => {
  const households = [
    { id: 'h1', areaId: 'lane-a', groupId: 'g1' },
    { id: 'h2', areaId: 'lane-a', groupId: 'g1' },
    { id: 'h3', areaId: 'lane-a', groupId: null },
    { id: 'h4', areaId: 'lane-b', groupId: 'g2' },
    { id: 'h5', areaId: 'lane-b', groupId: 'g2' },
  ];

  it('counts safe, help, reached and not yet in all, by area and by group', () => {
    const counts = rollCallCounts(households, [
      { householdId: 'h1', answer: 'ok' },
      { householdId: 'h2', answer: 'help' },
      { householdId: 'h4', answer: 'reached' },
      { householdId: 'h5', answer: 'confirmed' },
      { householdId: 'moved-away', answer: 'ok' },
    ]);
    expect(counts.total).toEqual({ households: 5, ok: 2, help: 1, reached: 1, notYet: 1 });
    expect(counts.byArea.get('lane-a')).toEqual({ households: 3, ok: 1, help: 1, reached: 0, notYet: 1 });
    expect(counts.byArea.get('lane-b')).toEqual({ households: 2, ok: 1, help: 0, reached: 1, notYet: 0 });
    expect(counts.byGroup.get('g1')).toEqual({ households: 2, ok: 1, help: 1, reached: 0, notYet: 0 });
    expect(counts.byGroup.get(null)).toEqual({ households: 1, ok: 0, help: 0, reached: 0, notYet: 1 });
  });

  it('counts every household as not yet before anyone answers, and nothing for no households', () => {
    expect(rollCallCounts(households, []).total).toEqual({ households: 5, ok: 0, help: 0, reached: 0, notYet: 5 });
    const none = rollCallCounts([], [{ householdId: 'h1', answer: 'ok' }]);
    expect(none.total).toEqual({ households: 0, ok: 0, help: 0, reached: 0, notYet: 0 });
    expect(none.byArea.size).toBe(0);
  });
});

describe('roll-call stage times', () => {
  const sentAt = new Date('2026-12-07T06:00:00Z');
  const defaults = parseNoticeSettings({});

  it('asks the heads at exactly 10 minutes and the stewards at exactly 30, not a millisecond before', () => {
    expect(stageDueAt(sentAt, defaults, 'heads').toISOString()).toBe('2026-12-07T06:10:00.000Z');
    expect(stageIsDue(sentAt, defaults, 'heads', new Date('2026-12-07T06:09:59.999Z'))).toBe(false);
    expect(stageIsDue(sentAt, defaults, 'heads', new Date('2026-12-07T06:10:00.000Z'))).toBe(true);
    expect(stageIsDue(sentAt, defaults, 'stewards', new Date('2026-12-07T06:29:59.999Z'))).toBe(false);
    expect(stageIsDue(sentAt, defaults, 'stewards', new Date('2026-12-07T06:30:00.000Z'))).toBe(true);
  });

  it('follows the community’s own times', () => {
    const own = parseNoticeSettings({ rollCall: { headsAfterMinutes: 5, stewardsAfterMinutes: 15 } });
    expect(stageDueAt(sentAt, own, 'heads').toISOString()).toBe('2026-12-07T06:05:00.000Z');
    expect(stageDueAt(sentAt, own, 'stewards').toISOString()).toBe('2026-12-07T06:15:00.000Z');
  });
});
