import { describe, expect, it } from 'vitest';
import { durationSchema, formatDuration, nominalMinutes, parseDuration } from '../../../../src/features/tickets/rules/duration.js';

describe('durations', () => {
  it('reads a number and a unit', () => {
    expect(parseDuration('30m')).toEqual({ amount: 30, unit: 'm' });
    expect(parseDuration('4h')).toEqual({ amount: 4, unit: 'h' });
    expect(parseDuration('15d')).toEqual({ amount: 15, unit: 'd' });
  });

  it.each(['0h', '-1h', '1.5h', '4 h', '4H', 'h', '4', '4w', '100000d', ''])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
    expect(durationSchema.safeParse(text).success).toBe(false);
  });

  it('round-trips and compares nominally (a day as 24 hours)', () => {
    expect(formatDuration(durationSchema.parse('7d'))).toBe('7d');
    expect(nominalMinutes(parseDuration('1d')!)).toBe(nominalMinutes(parseDuration('24h')!));
  });
});
