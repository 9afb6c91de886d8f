/** Quiet hours at their edges, on the community's wall clock: 22:00 is quiet, 07:00 is not; across midnight; equal times: none. */
import { describe, expect, it } from 'vitest';
import { quietHoursEnd } from '../../../../src/features/notices/rules/quiet-hours.js';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const DEFAULT = { from: '22:00', to: '07:00' };

describe('quiet hours (22:00–07:00 in Asia/Shanghai)', () => {
  it('lets a notice go at 21:59', () => {
    expect(quietHoursEnd(at('2026-03-01T21:59:00'), DEFAULT, TZ)).toBeNull();
  });
  it('holds one at exactly 22:00 until 07:00 the next morning', () => {
    expect(quietHoursEnd(at('2026-03-01T22:00:00'), DEFAULT, TZ)).toEqual(at('2026-03-02T07:00:00'));
  });
  it('holds one just after midnight until 07:00 the same morning', () => {
    expect(quietHoursEnd(at('2026-03-02T00:30:00'), DEFAULT, TZ)).toEqual(at('2026-03-02T07:00:00'));
  });
  it('holds one at 06:59 for a minute', () => {
    expect(quietHoursEnd(at('2026-03-02T06:59:00'), DEFAULT, TZ)).toEqual(at('2026-03-02T07:00:00'));
  });
  it('lets one go at exactly 07:00', () => {
    expect(quietHoursEnd(at('2026-03-02T07:00:00'), DEFAULT, TZ)).toBeNull();
  });
  it('crosses the end of a month and a year', () => {
    expect(quietHoursEnd(at('2026-12-31T23:00:00'), DEFAULT, TZ)).toEqual(at('2027-01-01T07:00:00'));
  });
  it('reads the community zone, not the server’s: 15:00 UTC is 23:00 in Shanghai', () => {
    expect(quietHoursEnd(new Date('2026-03-01T15:00:00Z'), DEFAULT, TZ)).toEqual(new Date('2026-03-01T23:00:00Z'));
    expect(quietHoursEnd(new Date('2026-03-01T15:00:00Z'), DEFAULT, 'Europe/London')).toBeNull();
  });
});

describe('other quiet hours', () => {
  it('equal from and to mean no quiet hours at all', () => {
    for (const time of ['00:00', '12:00', '22:00']) {
      expect(quietHoursEnd(at('2026-03-01T22:30:00'), { from: time, to: time }, TZ)).toBeNull();
      expect(quietHoursEnd(at(`2026-03-01T${time}:00`), { from: time, to: time }, TZ)).toBeNull();
    }
  });
  it('a window within one day (12:00–14:00, a midday rest) includes 12:00 and excludes 14:00', () => {
    const midday = { from: '12:00', to: '14:00' };
    expect(quietHoursEnd(at('2026-03-01T11:59:00'), midday, TZ)).toBeNull();
    expect(quietHoursEnd(at('2026-03-01T12:00:00'), midday, TZ)).toEqual(at('2026-03-01T14:00:00'));
    expect(quietHoursEnd(at('2026-03-01T13:59:00'), midday, TZ)).toEqual(at('2026-03-01T14:00:00'));
    expect(quietHoursEnd(at('2026-03-01T14:00:00'), midday, TZ)).toBeNull();
  });
  it('a window starting at midnight', () => {
    const night = { from: '00:00', to: '06:00' };
    expect(quietHoursEnd(at('2026-03-01T23:59:00'), night, TZ)).toBeNull();
    expect(quietHoursEnd(at('2026-03-02T00:00:00'), night, TZ)).toEqual(at('2026-03-02T06:00:00'));
  });
});
