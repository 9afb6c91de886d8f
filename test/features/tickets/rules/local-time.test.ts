import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  isValidTimeZone,
  localDateKey,
  localDateTime,
  localParts,
  startOfLocalDay,
} from '../../../../src/features/tickets/rules/local-time.js';

describe('local time', () => {
  it('reads the wall clock in the community’s zone, whatever the server’s', () => {
    expect(localParts(new Date('2026-01-04T16:30:00Z'), 'Asia/Shanghai')).toEqual({ year: 2026, month: 1, day: 5, isoWeekday: 1, hour: 0, minute: 30 });
    expect(localParts(new Date('2026-01-11T12:00:00Z'), 'Asia/Shanghai').isoWeekday).toBe(7);
  });

  it('builds instants from wall-clock times, overflowing days into the next month', () => {
    expect(localDateTime(2026, 1, 32, 8, 30, 'Asia/Shanghai').toISOString()).toBe('2026-02-01T00:30:00.000Z');
  });

  it('knows local midnight and the local date', () => {
    const late = new Date('2026-03-01T15:59:00Z'); // 23:59 Beijing
    expect(localDateKey(late, 'Asia/Shanghai')).toBe('2026-03-01');
    expect(startOfLocalDay(late, 'Asia/Shanghai').toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('adds calendar days at the same wall time, across a daylight-saving change (23 real hours)', () => {
    const before = new Date('2026-03-28T12:00:00+01:00');
    const after = addLocalDays(before, 1, 'Europe/Berlin');
    expect(after.toISOString()).toBe('2026-03-29T10:00:00.000Z');
    expect((after.getTime() - before.getTime()) / 3_600_000).toBe(23);
  });

  it('validates zone names', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
