/**
 * bench:reminders' accounting per person, meeting and offset: a reminder owed and never written is
 * missing, a second copy of one is sent twice, one nobody owed is counted apart; lateness is from
 * the due moment, unknown moments left out.
 */
import { describe, expect, it } from 'vitest';
import { countReminders, latenesses, meetingNumberIn } from '../../bench/reminders-tally.js';

describe('bench:reminders accounting', () => {
  const owed = [
    { chatId: '1', number: 'HY-2026-00001' },
    { chatId: '2', number: 'HY-2026-00001' },
    { chatId: '1', number: 'HY-2026-00002' },
  ];

  it('finds a missing reminder, a second copy and one nobody owed', () => {
    const got = [
      { chatId: '1', number: 'HY-2026-00001' },
      { chatId: '1', number: 'HY-2026-00001' },
      { chatId: '1', number: 'HY-2026-00002' },
      { chatId: '3', number: 'HY-2026-00001' },
    ];
    expect(countReminders(owed, got)).toEqual({ owed: 3, missing: 1, twice: 1, unowed: 1 });
  });

  it('keeps the same person apart across meetings', () => {
    expect(countReminders(owed, owed)).toEqual({ owed: 3, missing: 0, twice: 0, unowed: 0 });
  });

  it("reads the meeting's number from a reminder's text and measures from the due moment", () => {
    expect(meetingNumberIn('⏰ 会议提醒：楼栋会议（HY-2026-00012）\n时间：…')).toBe('HY-2026-00012');
    expect(meetingNumberIn('⏰ 会议提醒')).toBeUndefined();
    expect(latenesses(1_000, [1_250, null, 900, undefined])).toEqual([250, -100]);
  });
});
