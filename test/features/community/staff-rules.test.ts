/** The rules for giving someone a role, with the boundaries of each: areas, skills, terms, phones, dates. */
import { describe, expect, it } from 'vitest';
import { defaultTermEnd, ELECTED_ROLES, parseLastDay, planStaff, type StaffRequest } from '../../../src/features/community/staff-rules.js';
import { ROLES } from '../../../src/features/community/vocabulary.js';

const SHANGHAI = 'Asia/Shanghai';
const now = new Date('2026-03-15T04:00:00Z'); // 12:00 in Shanghai

function plan(request: Partial<StaffRequest>) {
  return planStaff({ name: '王芳', role: 'committee', ...request }, now, SHANGHAI);
}

function problemOf(request: Partial<StaffRequest>) {
  const result = plan(request);
  return result.ok ? null : result.problem;
}

describe('roles', () => {
  it.each(ROLES.filter((r) => r !== 'steward' && r !== 'service_team'))('%s needs neither area nor skills', (role) => {
    expect(plan({ role }).ok).toBe(true);
  });

  it('refuses a role that is not in the vocabulary, and an empty name', () => {
    expect(problemOf({ role: 'mayor' })).toEqual({ code: 'unknown_role', role: 'mayor' });
    expect(problemOf({ role: 'Committee' })).toEqual({ code: 'unknown_role', role: 'Committee' });
    expect(problemOf({ name: '   ' })).toEqual({ code: 'name_missing' });
  });
});

describe('areas', () => {
  it('a steward must name an area; the path is kept without outer slashes', () => {
    expect(problemOf({ role: 'steward' })).toEqual({ code: 'area_required', role: 'steward' });
    expect(problemOf({ role: 'steward', area: '  ' })).toEqual({ code: 'area_required', role: 'steward' });
    const result = plan({ role: 'steward', area: '/平房区/团结巷/' });
    expect(result.ok && result.plan.areaPath).toBe('平房区/团结巷');
  });

  it('councils and patrols may name an area or not', () => {
    expect(plan({ role: 'council' }).ok).toBe(true);
    expect(plan({ role: 'patrol', area: '平房区' }).ok).toBe(true);
  });

  it.each(['committee', 'liaison', 'representative', 'service_team', 'admin'])('%s may not name an area', (role) => {
    expect(problemOf({ role, area: '平房区', skills: 'plumbing' })).toEqual({ code: 'area_not_allowed', role });
  });
});

describe('skills', () => {
  it('the service team needs at least one known skill, kept once each in vocabulary order', () => {
    expect(problemOf({ role: 'service_team' })).toEqual({ code: 'skills_required' });
    expect(problemOf({ role: 'service_team', skills: ' , ' })).toEqual({ code: 'skills_required' });
    expect(problemOf({ role: 'service_team', skills: 'plumbing,welding' })).toEqual({ code: 'unknown_skill', skill: 'welding' });
    const result = plan({ role: 'service_team', skills: 'masonry, plumbing，masonry、electrical' });
    expect(result.ok && result.plan.skills).toEqual(['plumbing', 'electrical', 'masonry']);
  });

  it('nobody else takes skills', () => {
    expect(problemOf({ role: 'liaison', skills: 'plumbing' })).toEqual({ code: 'skills_not_allowed', role: 'liaison' });
  });
});

describe('terms', () => {
  it.each(ELECTED_ROLES)('%s serves three years from the start by default', (role) => {
    const result = plan({ role });
    expect(result.ok && result.plan.endsOn?.toISOString()).toBe('2029-03-15T04:00:00.000Z');
  });

  it('appointed roles are open-ended by default', () => {
    expect(defaultTermEnd('liaison', now)).toBeNull();
    const result = plan({ role: 'patrol' });
    expect(result.ok && result.plan.endsOn).toBeNull();
  });

  it('--ends is the last day of the term, all of it, in the community time zone', () => {
    const result = plan({ role: 'liaison', ends: '2026-12-31' });
    expect(result.ok && result.plan.endsOn?.toISOString()).toBe('2026-12-31T15:59:59.999Z');
    // An elected member's term may be set shorter (a by-election to the end of the current term).
    const elected = plan({ role: 'committee', ends: '2027-06-30' });
    expect(elected.ok && elected.plan.endsOn?.toISOString()).toBe('2027-06-30T15:59:59.999Z');
  });

  it('today is the last allowed end; yesterday has passed', () => {
    expect(plan({ ends: '2026-03-15' }).ok).toBe(true);
    expect(problemOf({ ends: '2026-03-14' })).toEqual({ code: 'ends_in_past', date: '2026-03-14' });
  });

  it.each(['2027-02-30', '2027-13-01', '27-06-30', '2027/06/30', 'next year'])('%s is not a date', (ends) => {
    expect(problemOf({ ends })).toEqual({ code: 'bad_date', date: ends });
  });

  it('parseLastDay keeps leap days and refuses the ones that do not exist', () => {
    expect(parseLastDay('2028-02-29', 'UTC')?.toISOString()).toBe('2028-02-29T23:59:59.999Z');
    expect(parseLastDay('2027-02-29', 'UTC')).toBeNull();
  });
});

describe('phones', () => {
  it('are read like the roster reads them', () => {
    const result = plan({ phone: '+86 139 0000 1234' });
    expect(result.ok && result.plan.phone).toBe('13900001234');
    const landline = plan({ phone: '0991-4567890' });
    expect(landline.ok && landline.plan.phone).toBe('09914567890');
    const none = plan({ phone: '' });
    expect(none.ok && none.plan.phone).toBeNull();
  });

  it.each(['1390000123', '12900001234', 'abc'])('%s is refused', (phone) => {
    expect(problemOf({ phone })).toEqual({ code: 'bad_phone', phone });
  });
});
