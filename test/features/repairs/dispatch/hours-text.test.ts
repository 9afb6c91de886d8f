/** Working hours as the operator types them and reads them back. */
import { describe, expect, it } from 'vitest';
import { formatHoursText, parseHoursText } from '../../../../src/features/repairs/dispatch/rules/hours-text.js';

describe('working hours in words', () => {
  it('reads days, ranges of days and several spans, and writes them back the same', () => {
    const hours = parseHoursText('1-5 08:00-12:00,14:00-18:00; 6 09:00-12:00');
    expect(hours).toEqual({
      '1': [['08:00', '12:00'], ['14:00', '18:00']],
      '2': [['08:00', '12:00'], ['14:00', '18:00']],
      '3': [['08:00', '12:00'], ['14:00', '18:00']],
      '4': [['08:00', '12:00'], ['14:00', '18:00']],
      '5': [['08:00', '12:00'], ['14:00', '18:00']],
      '6': [['09:00', '12:00']],
    });
    expect(formatHoursText(hours!)).toBe('1-5 08:00-12:00,14:00-18:00; 6 09:00-12:00');
    expect(parseHoursText('any')).toEqual({});
    expect(formatHoursText({})).toBe('any');
  });

  it('refuses what cannot be read', () => {
    for (const typed of ['', '8 08:00-18:00', '5-1 08:00-18:00', '1 18:00-08:00', '1 8:00-18:00', 'weekdays', '1-5']) {
      expect(parseHoursText(typed), typed).toBeNull();
    }
  });
});
