import { describe, expect, it } from 'vitest';
import { parseNoticeSettings } from '../../../../src/features/notices/rules/notice-settings.js';

describe('a community’s notice settings', () => {
  it('are the documented defaults when nothing is stored', () => {
    expect(parseNoticeSettings({})).toEqual({
      quietHours: { from: '22:00', to: '07:00' },
      rollCall: { headsAfterMinutes: 10, stewardsAfterMinutes: 30 },
      archiveDays: 365,
    });
    expect(parseNoticeSettings(null)).toEqual(parseNoticeSettings({}));
  });

  it('refuse a clock time that is not HH:mm and a roll-call that asks the stewards first', () => {
    expect(() => parseNoticeSettings({ quietHours: { from: '24:00' } })).toThrow();
    expect(() => parseNoticeSettings({ rollCall: { headsAfterMinutes: 30, stewardsAfterMinutes: 30 } })).toThrow();
    expect(parseNoticeSettings({ rollCall: { headsAfterMinutes: 29, stewardsAfterMinutes: 30 } }).rollCall.headsAfterMinutes).toBe(29);
  });
});
