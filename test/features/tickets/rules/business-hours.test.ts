import { describe, expect, it } from 'vitest';
import {
  addOpenMinutes,
  businessHoursSchema,
  DEFAULT_BUSINESS_HOURS,
  isOpenAt,
  isWorkingDay,
  openMinutesPerDay,
} from '../../../../src/features/tickets/rules/business-hours.js';

const BJ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();
// 2026-01-05 is a Monday; 2026-01-09 a Friday.

describe('business hours: when the clock runs', () => {
  it('runs from the opening minute and has stopped at the closing minute', () => {
    expect(isOpenAt(at('2026-01-05T08:29:59.999'), DEFAULT_BUSINESS_HOURS, BJ)).toBe(false);
    expect(isOpenAt(at('2026-01-05T08:30:00'), DEFAULT_BUSINESS_HOURS, BJ)).toBe(true);
    expect(isOpenAt(at('2026-01-05T17:29:59.999'), DEFAULT_BUSINESS_HOURS, BJ)).toBe(true);
    expect(isOpenAt(at('2026-01-05T17:30:00'), DEFAULT_BUSINESS_HOURS, BJ)).toBe(false);
  });

  it('does not run at the weekend', () => {
    expect(isOpenAt(at('2026-01-10T10:00:00'), DEFAULT_BUSINESS_HOURS, BJ)).toBe(false);
    expect(isWorkingDay(at('2026-01-11T10:00:00'), DEFAULT_BUSINESS_HOURS, BJ)).toBe(false);
  });

  it('has nine open hours a day by default', () => {
    expect(openMinutesPerDay(DEFAULT_BUSINESS_HOURS)).toBe(540);
  });
});

describe('addOpenMinutes', () => {
  const add = (start: string, minutes: number, hours = DEFAULT_BUSINESS_HOURS) => iso(addOpenMinutes(at(start), minutes, hours, BJ));

  it('adds within the day', () => {
    expect(add('2026-01-05T09:00:00', 60)).toBe(iso(at('2026-01-05T10:00:00')));
  });

  it('created exactly at opening: a full day of open time ends at closing the same day', () => {
    expect(add('2026-01-05T08:30:00', 540)).toBe(iso(at('2026-01-05T17:30:00')));
  });

  it('created exactly at closing: nothing counts until the next opening', () => {
    expect(add('2026-01-05T17:30:00', 1)).toBe(iso(at('2026-01-06T08:31:00')));
    expect(add('2026-01-05T17:30:00', 540)).toBe(iso(at('2026-01-06T17:30:00')));
  });

  it('one minute before closing carries the rest over to the next working day', () => {
    expect(add('2026-01-05T17:29:00', 2)).toBe(iso(at('2026-01-06T08:31:00')));
  });

  it('Friday afternoon runs on into Monday', () => {
    expect(add('2026-01-09T17:00:00', 240)).toBe(iso(at('2026-01-12T12:00:00')));
  });

  it('Friday evening and the weekend do not count', () => {
    expect(add('2026-01-09T19:00:00', 60)).toBe(iso(at('2026-01-12T09:30:00')));
    expect(add('2026-01-10T11:00:00', 60)).toBe(iso(at('2026-01-12T09:30:00')));
  });

  it('before opening, the clock starts at opening', () => {
    expect(add('2026-01-05T06:00:00', 60)).toBe(iso(at('2026-01-05T09:30:00')));
  });

  it('zero minutes outside hours is the next opening', () => {
    expect(add('2026-01-10T11:00:00', 0)).toBe(iso(at('2026-01-12T08:30:00')));
    expect(add('2026-01-05T11:00:00', 0)).toBe(iso(at('2026-01-05T11:00:00')));
  });

  it('skips a lunch break', () => {
    const lunch = businessHoursSchema.parse({ weekdays: [1, 2, 3, 4, 5], windows: [{ opens: '08:30', closes: '12:00' }, { opens: '13:30', closes: '17:30' }] });
    expect(openMinutesPerDay(lunch)).toBe(450);
    expect(add('2026-01-05T11:00:00', 120, lunch)).toBe(iso(at('2026-01-05T14:30:00')));
    expect(add('2026-01-05T12:30:00', 30, lunch)).toBe(iso(at('2026-01-05T14:00:00')));
    expect(add('2026-01-05T11:00:00', 60, lunch)).toBe(iso(at('2026-01-05T12:00:00')));
  });

  it('skips holidays and works on make-up days (调休)', () => {
    const golden = businessHoursSchema.parse({
      weekdays: [1, 2, 3, 4, 5],
      windows: [{ opens: '08:30', closes: '17:30' }],
      holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
      workdays: ['2026-10-10'],
    });
    // Wednesday 30 September 17:00 + 1 h: half an hour that day, then the holiday week, then Thursday 8 October.
    expect(add('2026-09-30T17:00:00', 60, golden)).toBe(iso(at('2026-10-08T09:00:00')));
    // Friday 9 October 17:00 + 1 h: Saturday 10 October is a working day.
    expect(add('2026-10-09T17:00:00', 60, golden)).toBe(iso(at('2026-10-10T09:00:00')));
    expect(isOpenAt(at('2026-10-10T10:00:00'), golden, BJ)).toBe(true);
    expect(isOpenAt(at('2026-10-01T10:00:00'), golden, BJ)).toBe(false);
  });

  it('keeps local opening hours across a daylight-saving weekend', () => {
    // Berlin switches to summer time on Sunday 29 March 2026.
    const friday = new Date('2026-03-27T16:00:00+01:00');
    const due = addOpenMinutes(friday, 240, DEFAULT_BUSINESS_HOURS, 'Europe/Berlin');
    expect(due.toISOString()).toBe(new Date('2026-03-30T11:00:00+02:00').toISOString());
  });

  it('refuses a negative amount', () => {
    expect(() => addOpenMinutes(at('2026-01-05T09:00:00'), -1, DEFAULT_BUSINESS_HOURS, BJ)).toThrow(RangeError);
  });
});

describe('businessHoursSchema', () => {
  const base = { weekdays: [1, 2, 3, 4, 5], windows: [{ opens: '08:30', closes: '17:30' }] };

  it('accepts the default and fills empty holiday lists', () => {
    expect(businessHoursSchema.parse(base)).toEqual({ ...base, holidays: [], workdays: [] });
  });

  it.each([
    ['no weekdays', { ...base, weekdays: [] }],
    ['weekday 0', { ...base, weekdays: [0] }],
    ['weekday 8', { ...base, weekdays: [8] }],
    ['a weekday twice', { ...base, weekdays: [1, 1] }],
    ['no windows', { ...base, windows: [] }],
    ['opening after closing', { ...base, windows: [{ opens: '17:30', closes: '08:30' }] }],
    ['opening equal to closing', { ...base, windows: [{ opens: '08:30', closes: '08:30' }] }],
    ['24:00', { ...base, windows: [{ opens: '08:30', closes: '24:00' }] }],
    ['8:30 without the zero', { ...base, windows: [{ opens: '8:30', closes: '17:30' }] }],
    ['overlapping windows', { ...base, windows: [{ opens: '08:30', closes: '12:30' }, { opens: '12:00', closes: '17:30' }] }],
    ['a bad date', { ...base, holidays: ['2026-13-01'] }],
    ['a date both holiday and workday', { ...base, holidays: ['2026-10-10'], workdays: ['2026-10-10'] }],
  ])('rejects %s', (_name, value) => {
    expect(businessHoursSchema.safeParse(value).success).toBe(false);
  });

  it('accepts touching windows (closing 12:00, opening 12:00)', () => {
    expect(businessHoursSchema.safeParse({ ...base, windows: [{ opens: '08:30', closes: '12:00' }, { opens: '12:00', closes: '17:30' }] }).success).toBe(true);
  });
});
