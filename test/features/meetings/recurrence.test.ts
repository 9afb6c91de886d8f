import { describe, expect, it } from 'vitest';
import { isValidRule, localToInstant, nextSittings, parseLocal } from '../../../src/features/meetings/rules/recurrence.js';
import { defaultAssemblyStart } from '../../../src/features/meetings/schedule/series-sittings.js';

describe('meeting recurrence in the community time zone', () => {
  it('keeps the biweekly forum at 19:00 Shanghai time, every 14 days', () => {
    const sittings = nextSittings({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', firstLocal: '2026-01-07T19:00', timeZone: 'Asia/Shanghai' }, new Date('2026-01-01T00:00:00Z'), 3);
    expect(sittings.map((d) => d.toISOString())).toEqual(['2026-01-07T11:00:00.000Z', '2026-01-21T11:00:00.000Z', '2026-02-04T11:00:00.000Z']);
  });

  it('stays at the same wall time across the spring DST change in New York (an hour earlier in UTC)', () => {
    const sittings = nextSittings({ rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU', firstLocal: '2026-03-03T19:00', timeZone: 'America/New_York' }, new Date('2026-03-01T00:00:00Z'), 2);
    // 3 March is EST (UTC-5), 10 March after the 8 March change is EDT (UTC-4).
    expect(sittings.map((d) => d.toISOString())).toEqual(['2026-03-04T00:00:00.000Z', '2026-03-10T23:00:00.000Z']);
  });

  it('stays at the same wall time across the autumn DST change in Berlin', () => {
    const sittings = nextSittings({ rrule: 'FREQ=WEEKLY;BYDAY=SA', firstLocal: '2026-10-24T10:00', timeZone: 'Europe/Berlin' }, new Date('2026-10-20T00:00:00Z'), 2);
    expect(sittings.map((d) => d.toISOString())).toEqual(['2026-10-24T08:00:00.000Z', '2026-10-31T09:00:00.000Z']);
  });

  it('skips months without a 31st for a monthly rule on the 31st', () => {
    const sittings = nextSittings({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=31', firstLocal: '2026-01-31T09:00', timeZone: 'Asia/Shanghai' }, new Date('2026-01-01T00:00:00Z'), 3);
    expect(sittings.map((d) => d.toISOString())).toEqual(['2026-01-31T01:00:00.000Z', '2026-03-31T01:00:00.000Z', '2026-05-31T01:00:00.000Z']);
  });

  it('takes the last day of each month with BYMONTHDAY=-1 (month ends, leap year)', () => {
    const sittings = nextSittings({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', firstLocal: '2028-01-31T18:00', timeZone: 'Asia/Shanghai' }, new Date('2028-02-01T00:00:00Z'), 2);
    expect(sittings.map((d) => d.toISOString())).toEqual(['2028-02-29T10:00:00.000Z', '2028-03-31T10:00:00.000Z']);
  });

  it('"next" is strictly after: a sitting starting now goes to the following one', () => {
    const series = { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', firstLocal: '2026-01-07T19:00', timeZone: 'Asia/Shanghai' };
    expect(nextSittings(series, new Date('2026-01-07T11:00:00Z'), 1)[0]!.toISOString()).toBe('2026-01-21T11:00:00.000Z');
    expect(nextSittings(series, new Date('2026-01-07T10:59:59Z'), 1)[0]!.toISOString()).toBe('2026-01-07T11:00:00.000Z');
  });

  it('the half-yearly assembly comes every six months', () => {
    const sittings = nextSittings({ rrule: 'FREQ=MONTHLY;INTERVAL=6', firstLocal: '2027-01-15T09:00', timeZone: 'Asia/Shanghai' }, new Date('2026-12-01T00:00:00Z'), 3);
    expect(sittings.map((d) => d.toISOString().slice(0, 10))).toEqual(['2027-01-15', '2027-07-15', '2028-01-15']);
  });

  it('a default assembly series starts on the next 15 January or 15 July, local', () => {
    expect(defaultAssemblyStart(new Date('2026-06-30T15:59:00Z'), 'Asia/Shanghai')).toBe('2026-07-15T09:00');
    // 16:00 UTC on 30 June is 1 July in Shanghai: the second half has begun.
    expect(defaultAssemblyStart(new Date('2026-06-30T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-15T09:00');
  });

  it('reads local times and rules strictly', () => {
    expect(parseLocal('2026-02-30T10:00')).toBeNull();
    expect(parseLocal('2026-02-28T24:00')).toBeNull();
    expect(localToInstant('2026-03-08T02:30', 'America/New_York')?.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(isValidRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=WE')).toBe(true);
    expect(isValidRule('DTSTART:20260101T000000Z')).toBe(false);
    expect(isValidRule('nonsense')).toBe(false);
  });
});
