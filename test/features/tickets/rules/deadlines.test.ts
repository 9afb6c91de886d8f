import { describe, expect, it } from 'vitest';
import { DEFAULT_BUSINESS_HOURS } from '../../../../src/features/tickets/rules/business-hours.js';
import { DEFAULT_CATEGORIES } from '../../../../src/features/tickets/rules/categories.js';
import { dueTimes, isPriorityHousehold } from '../../../../src/features/tickets/rules/deadlines.js';

const BJ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const category = (code: string) => DEFAULT_CATEGORIES.find((c) => c.code === code)!;
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('priority households', () => {
  it.each([
    [['elderly'], true],
    [['disabled'], true],
    [['ill'], true],
    [['low_income', 'ill'], true],
    [['low_income'], false],
    [['veteran_family'], false],
    [[], false],
    [['unknown_flag'], false],
  ])('%j → %s', (flags, expected) => {
    expect(isPriorityHousehold(flags)).toBe(expected);
  });
});

describe('dueTimes on a continuous clock', () => {
  it('water and power: 4 h first response, 24 h resolution, committee told at 8 h, through the night', () => {
    const due = dueTimes({ category: category('utilities_roads'), createdAt: at('2026-01-05T22:00:00'), householdFlags: [], timezone: BJ });
    expect(due).toMatchObject({ tier: 'ordinary', clock: 'continuous' });
    expect(iso(due.firstResponseDue)).toBe(iso(at('2026-01-06T02:00:00')));
    expect(iso(due.committeeEscalationDue)).toBe(iso(at('2026-01-06T06:00:00')));
    expect(iso(due.resolutionDue)).toBe(iso(at('2026-01-06T22:00:00')));
  });

  it('gives an elderly household the shorter deadlines, and publishes only the ordinary one', () => {
    const due = dueTimes({ category: category('utilities_roads'), createdAt: at('2026-01-05T22:00:00'), householdFlags: ['elderly'], timezone: BJ });
    expect(due.tier).toBe('priority');
    expect(iso(due.firstResponseDue)).toBe(iso(at('2026-01-06T00:00:00')));
    expect(iso(due.resolutionDue)).toBe(iso(at('2026-01-06T10:00:00')));
    expect(iso(due.publicResolutionDue)).toBe(iso(at('2026-01-06T22:00:00')));
  });

  it('a low-income household alone keeps the ordinary deadlines', () => {
    const due = dueTimes({ category: category('utilities_roads'), createdAt: at('2026-01-05T22:00:00'), householdFlags: ['low_income'], timezone: BJ });
    expect(due.tier).toBe('ordinary');
  });

  it('counts days as calendar days when the community has no business hours', () => {
    const due = dueTimes({ category: category('environment_sanitation'), createdAt: at('2026-01-09T16:00:00'), householdFlags: [], timezone: BJ, businessHours: null });
    expect(iso(due.firstResponseDue)).toBe(iso(at('2026-01-10T16:00:00')));
    expect(iso(due.resolutionDue)).toBe(iso(at('2026-01-16T16:00:00')));
  });

  it('praise has a first response and nothing to resolve', () => {
    const due = dueTimes({ category: category('other'), kind: 'praise', createdAt: at('2026-01-05T09:00:00'), householdFlags: [], timezone: BJ });
    expect(iso(due.firstResponseDue)).toBe(iso(at('2026-01-06T09:00:00')));
    expect(due.resolutionDue).toBeNull();
    expect(due.publicResolutionDue).toBeNull();
  });

  it('in a daylight-saving zone, hours are elapsed time and days keep the wall time', () => {
    const createdAt = new Date('2026-03-28T12:00:00+01:00');
    const utilities = dueTimes({ category: category('utilities_roads'), createdAt, householdFlags: [], timezone: 'Europe/Berlin' });
    expect(iso(utilities.resolutionDue)).toBe(iso(new Date('2026-03-29T13:00:00+02:00')));
    const other = dueTimes({ category: category('other'), createdAt, householdFlags: [], timezone: 'Europe/Berlin' });
    expect(iso(other.firstResponseDue)).toBe(iso(new Date('2026-03-29T12:00:00+02:00')));
  });
});

describe('dueTimes on business hours (Mon–Fri 08:30–17:30, Beijing)', () => {
  const due = (code: string, created: string, flags: string[] = []) =>
    dueTimes({ category: category(code), createdAt: at(created), householdFlags: flags, businessHours: DEFAULT_BUSINESS_HOURS, timezone: BJ });

  it('Friday 16:00: one business day is Monday 16:00, seven are Tuesday week', () => {
    const d = due('environment_sanitation', '2026-01-09T16:00:00');
    expect(d.clock).toBe('business_hours');
    expect(iso(d.firstResponseDue)).toBe(iso(at('2026-01-12T16:00:00')));
    expect(iso(d.committeeEscalationDue)).toBe(iso(at('2026-01-13T16:00:00')));
    expect(iso(d.resolutionDue)).toBe(iso(at('2026-01-20T16:00:00')));
  });

  it('Friday 16:00, elderly household: 4 open hours is Monday 11:00, 3 days Wednesday 16:00', () => {
    const d = due('environment_sanitation', '2026-01-09T16:00:00', ['elderly']);
    expect(iso(d.firstResponseDue)).toBe(iso(at('2026-01-12T11:00:00')));
    expect(iso(d.resolutionDue)).toBe(iso(at('2026-01-14T16:00:00')));
    expect(iso(d.publicResolutionDue)).toBe(iso(at('2026-01-20T16:00:00')));
  });

  it('created exactly at opening: the first response is due at closing the same day', () => {
    expect(iso(due('other', '2026-01-05T08:30:00').firstResponseDue)).toBe(iso(at('2026-01-05T17:30:00')));
  });

  it('created exactly at closing: the clock starts next morning', () => {
    expect(iso(due('other', '2026-01-05T17:30:00').firstResponseDue)).toBe(iso(at('2026-01-06T17:30:00')));
  });

  it('created on Friday evening: all of Monday counts', () => {
    expect(iso(due('other', '2026-01-09T19:00:00').firstResponseDue)).toBe(iso(at('2026-01-12T17:30:00')));
  });

  it('categories that must not wait keep the continuous clock even with business hours', () => {
    const d = due('public_security', '2026-01-09T19:00:00');
    expect(d.clock).toBe('continuous');
    expect(iso(d.firstResponseDue)).toBe(iso(at('2026-01-09T21:00:00')));
  });
});
