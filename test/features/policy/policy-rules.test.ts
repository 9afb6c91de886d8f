/**
 * The rules' edges that the matrix does not reach: term boundaries to the millisecond, area
 * subtrees, group heads and their group's tickets, filers, assignees, null areas, places,
 * other communities, the reason given for each refusal, and the polite texts behind the reasons.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor, HeldRole } from '../../../src/features/policy/actor.js';
import { DENIAL_REASONS, denialMessageKey } from '../../../src/features/policy/denials.js';
import { assertCan, can, explain, PolicyDeniedError } from '../../../src/features/policy/policy.js';
import type { JobSubject, ResidentSubject, TicketSubject } from '../../../src/features/policy/subjects.js';
import { loadTranslator } from '../../../src/i18n/translator.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const C = 'c1';
const COURT = ['court', 'lane', 'zone'];
const LANE = ['lane', 'zone'];
const ELSEWHERE = ['building', 'zone-b'];

const role = (r: HeldRole['role'], areaId: string | null = null, extra: Partial<HeldRole> = {}): HeldRole => ({ role: r, areaId, skills: [], ...extra });
function person(id: string, options: { householdId?: string | null; head?: string | null; roles?: HeldRole[]; communityId?: string } = {}): Actor {
  return {
    kind: 'person',
    residentId: id,
    communityId: options.communityId ?? C,
    householdId: options.householdId ?? null,
    headOfGroupId: options.head ?? null,
    roles: options.roles ?? [],
  };
}
const ticket = (extra: Partial<TicketSubject> = {}): TicketSubject => ({
  communityId: C,
  ticketId: 't1',
  householdId: 'h-court',
  areaIds: COURT,
  filedByResidentId: 'r-filer',
  assigneeResidentId: null,
  ...extra,
});
const residentIn = (extra: Partial<ResidentSubject> = {}): ResidentSubject => ({
  communityId: C,
  residentId: 'r-x',
  householdId: 'h-court',
  groupId: 'g1',
  areaIds: COURT,
  ...extra,
});
const job = (extra: Partial<JobSubject> = {}): JobSubject => ({ communityId: C, jobId: 'j1', skill: 'plumbing', assigneeResidentId: null, areaIds: COURT, ...extra });

describe('terms', () => {
  const startsOn = new Date('2026-01-01T00:00:00Z');
  const endsOn = new Date('2026-12-31T15:59:59.999Z');
  const steward = person('r-s', { roles: [role('steward', 'lane', { startsOn, endsOn })] });
  const at = (time: number) => can(steward, 'ticket.view', ticket(), { now: new Date(time) });

  it('counts a role from the first instant of its term to the last, both included', () => {
    expect(at(startsOn.getTime() - 1)).toBe(false);
    expect(at(startsOn.getTime())).toBe(true);
    expect(at(endsOn.getTime())).toBe(true);
    expect(at(endsOn.getTime() + 1)).toBe(false);
  });

  it('judges terms against the clock when no time is given', () => {
    const ended = person('r-e', { roles: [role('admin', null, { endsOn: new Date(Date.now() - 1000) })] });
    const current = person('r-c', { roles: [role('admin', null, { endsOn: new Date(Date.now() + 60_000) })] });
    expect(can(ended, 'household.import', { communityId: C })).toBe(false);
    expect(can(current, 'household.import', { communityId: C })).toBe(true);
  });

  it('keeps a second, current role of a person whose other term ended', () => {
    const both = person('r-b', { roles: [role('committee', null, { endsOn: new Date('2026-01-01') }), role('steward', 'lane')] });
    expect(can(both, 'ticket.resolve', ticket(), { now: NOW })).toBe(true);
    expect(explain(both, 'ticket.resolve', ticket({ areaIds: ELSEWHERE }), { now: NOW })).toEqual({ allowed: false, reason: 'outside_your_area' });
  });
});

describe('areas', () => {
  it('lets an area role cover its whole subtree but not its parent or siblings', () => {
    const zoneSteward = person('r1', { roles: [role('steward', 'zone')] });
    const courtSteward = person('r2', { roles: [role('steward', 'court')] });
    expect(can(zoneSteward, 'ticket.view', ticket({ areaIds: COURT }), { now: NOW })).toBe(true);
    expect(can(courtSteward, 'ticket.view', ticket({ areaIds: COURT }), { now: NOW })).toBe(true);
    // A ticket filed at lane level (above the courtyard) is not the courtyard steward's.
    expect(explain(courtSteward, 'ticket.view', ticket({ areaIds: LANE }), { now: NOW })).toEqual({ allowed: false, reason: 'outside_your_area' });
    expect(can(courtSteward, 'ticket.view', ticket({ areaIds: ['court-2', 'lane', 'zone'] }), { now: NOW })).toBe(false);
  });

  it('gives a steward or council member set up without an area nothing, and a liaison or patrol without one the whole community', () => {
    const loose = person('r1', { roles: [role('steward'), role('council')] });
    expect(explain(loose, 'ticket.view', ticket(), { now: NOW })).toEqual({ allowed: false, reason: 'outside_your_area' });
    const household = { communityId: C, householdId: 'h-far', groupId: null, areaIds: ELSEWHERE };
    expect(can(person('r2', { roles: [role('patrol')] }), 'ticket.file_on_behalf', household, { now: NOW })).toBe(true);
    expect(can(person('r3', { roles: [role('liaison')] }), 'ticket.file_on_behalf', household, { now: NOW })).toBe(true);
    expect(explain(person('r4', { roles: [role('liaison', 'lane')] }), 'ticket.file_on_behalf', household, { now: NOW })).toEqual({
      allowed: false,
      reason: 'outside_your_area',
    });
  });

  it('keeps community-wide work (an area list of none) for committee and admins', () => {
    const steward = person('r1', { roles: [role('steward', 'zone')] });
    const committee = person('r2', { roles: [role('committee')] });
    for (const action of ['digest.view', 'meeting.call', 'invite.create', 'binding.approve'] as const) {
      expect(explain(steward, action, { communityId: C, areaIds: [] }, { now: NOW })).toEqual({ allowed: false, reason: 'outside_your_area' });
      expect(can(committee, action, { communityId: C, areaIds: [] }, { now: NOW })).toBe(true);
    }
  });
});

describe('group heads', () => {
  const head = person('r-head', { householdId: 'h-own', head: 'g1' });
  const neighbourTicket = ticket({ householdId: 'h-neighbour', filedByResidentId: 'r-neighbour' });

  it("see their group's members and acknowledgements, not their tickets", () => {
    expect(can(head, 'resident.view', residentIn({ householdId: 'h-neighbour', groupId: 'g1' }), { now: NOW })).toBe(true);
    expect(can(head, 'group.view_acknowledgements', { communityId: C, groupId: 'g1', areaIds: COURT }, { now: NOW })).toBe(true);
    expect(explain(head, 'ticket.view', neighbourTicket, { now: NOW })).toEqual({ allowed: false, reason: 'not_your_household' });
    expect(can(head, 'resident.reveal_phone', residentIn({ householdId: 'h-neighbour', groupId: 'g1' }), { now: NOW })).toBe(false);
  });

  it('file on behalf of their group households only, and may then follow up what they filed', () => {
    const groupHousehold = { communityId: C, householdId: 'h-neighbour', groupId: 'g1', areaIds: COURT };
    expect(can(head, 'ticket.file_on_behalf', groupHousehold, { now: NOW })).toBe(true);
    expect(explain(head, 'ticket.file_on_behalf', { ...groupHousehold, groupId: 'g2' }, { now: NOW })).toEqual({ allowed: false, reason: 'not_your_group' });
    const filedByHead = { ...neighbourTicket, filedByResidentId: 'r-head' };
    expect(can(head, 'ticket.view', filedByHead, { now: NOW })).toBe(true);
    expect(can(head, 'ticket.add', filedByHead, { now: NOW })).toBe(true);
    expect(can(head, 'ticket.resolve', filedByHead, { now: NOW })).toBe(false);
  });

  it('send notices to their own group only', () => {
    expect(can(head, 'notice.send_group', { communityId: C, groupId: 'g1', areaIds: COURT }, { now: NOW })).toBe(true);
    expect(explain(head, 'notice.send_group', { communityId: C, groupId: 'g2', areaIds: COURT }, { now: NOW })).toEqual({ allowed: false, reason: 'not_your_group' });
    expect(explain(head, 'notice.send_area', { communityId: C, areaIds: COURT }, { now: NOW })).toEqual({ allowed: false, reason: 'role_required' });
  });
});

describe('tickets', () => {
  it('lets a liaison follow up a ticket they filed for another household, without handling it', () => {
    const liaison = person('r-l', { roles: [role('liaison')] });
    const filed = ticket({ householdId: 'h-far', areaIds: ELSEWHERE, filedByResidentId: 'r-l' });
    for (const action of ['ticket.view', 'ticket.add', 'ticket.withdraw', 'ticket.rate'] as const) expect(can(liaison, action, filed, { now: NOW })).toBe(true);
    for (const action of ['ticket.reply', 'ticket.resolve', 'ticket.view_internal'] as const) expect(can(liaison, action, filed, { now: NOW })).toBe(false);
  });

  it('lets the staff member a ticket is assigned to handle it outside their area, but not a service-team member or a resident', () => {
    const steward = person('r-s', { roles: [role('steward', 'lane')] });
    const far = ticket({ areaIds: ELSEWHERE, householdId: 'h-far', assigneeResidentId: 'r-s' });
    expect(can(steward, 'ticket.resolve', far, { now: NOW })).toBe(true);
    expect(can(steward, 'ticket.resolve', { ...far, assigneeResidentId: 'r-other' }, { now: NOW })).toBe(false);
    const plumber = person('r-p', { roles: [role('service_team', null, { skills: ['plumbing'] })] });
    expect(can(plumber, 'ticket.view', { ...far, assigneeResidentId: 'r-p' }, { now: NOW })).toBe(false);
    expect(can(person('r-res', { householdId: 'h-x' }), 'ticket.view', { ...far, assigneeResidentId: 'r-res' }, { now: NOW })).toBe(false);
  });

  it('lets anyone bound report a place (no household), but not a visitor', () => {
    const place = { communityId: C, householdId: null, areaIds: LANE };
    expect(can(person('r-p', { roles: [role('patrol', 'lane')] }), 'ticket.file', place, { now: NOW })).toBe(true);
    expect(can(person('r-r', { householdId: 'h1' }), 'ticket.file', place, { now: NOW })).toBe(true);
    expect(explain({ kind: 'visitor', chatAccountId: 'a', communityId: C }, 'ticket.file', place, { now: NOW })).toEqual({ allowed: false, reason: 'not_bound' });
    expect(explain(person('r-r', { householdId: 'h1' }), 'ticket.file', { ...place, householdId: 'h2' }, { now: NOW })).toEqual({
      allowed: false,
      reason: 'not_your_household',
    });
  });
});

describe('people', () => {
  it('lets a person see and reveal their own phone and remove themself; removing others needs an admin', () => {
    const me = person('r-me', { householdId: 'h1' });
    const mine = residentIn({ residentId: 'r-me', householdId: 'h1' });
    expect(can(me, 'resident.reveal_phone', mine, { now: NOW })).toBe(true);
    expect(can(me, 'resident.remove', mine, { now: NOW })).toBe(true);
    const housemate = residentIn({ residentId: 'r-mate', householdId: 'h1' });
    expect(can(me, 'resident.view', housemate, { now: NOW })).toBe(true);
    expect(can(me, 'resident.reveal_phone', housemate, { now: NOW })).toBe(false);
    expect(explain(me, 'resident.remove', housemate, { now: NOW })).toEqual({ allowed: false, reason: 'not_yourself' });
    expect(can(person('r-c', { roles: [role('committee')] }), 'resident.remove', housemate, { now: NOW })).toBe(false);
    expect(can(person('r-a', { roles: [role('admin')] }), 'resident.remove', housemate, { now: NOW })).toBe(true);
  });

  it('lets staff who live elsewhere view themselves', () => {
    const staff = person('r-s', { roles: [role('steward', 'lane')] });
    expect(can(staff, 'resident.view', residentIn({ residentId: 'r-s', householdId: null, groupId: null, areaIds: [] }), { now: NOW })).toBe(true);
  });
});

describe('service team', () => {
  const plumber = person('r-p', { roles: [role('service_team', null, { skills: ['plumbing', 'heating'] })] });

  it('may take an open job with their skill (or one naming no skill), not one needing another skill', () => {
    expect(can(plumber, 'job.accept', job(), { now: NOW })).toBe(true);
    expect(can(plumber, 'job.accept', job({ skill: null }), { now: NOW })).toBe(true);
    expect(explain(plumber, 'job.accept', job({ skill: 'electrical' }), { now: NOW })).toEqual({ allowed: false, reason: 'missing_skill' });
    expect(explain(plumber, 'job.receive', job({ skill: 'cleaning' }), { now: NOW })).toEqual({ allowed: false, reason: 'missing_skill' });
  });

  it("sees and reports only their own assigned jobs", () => {
    expect(can(plumber, 'job.report_done', job({ assigneeResidentId: 'r-p' }), { now: NOW })).toBe(true);
    expect(explain(plumber, 'job.report_done', job({ assigneeResidentId: 'r-q' }), { now: NOW })).toEqual({ allowed: false, reason: 'not_assigned_to_you' });
    expect(explain(plumber, 'job.view', job({ assigneeResidentId: 'r-q' }), { now: NOW })).toEqual({ allowed: false, reason: 'not_assigned_to_you' });
    // Open jobs are offered, not browsed: viewing needs the assignment.
    expect(can(plumber, 'job.view', job(), { now: NOW })).toBe(false);
    expect(can(plumber, 'job.report_done', job(), { now: NOW })).toBe(false);
  });
});

describe('reasons', () => {
  it('names the most useful reason when several grounds fail', () => {
    const stewardAtHome = person('r-s', { householdId: 'h-home', roles: [role('steward', 'lane')] });
    expect(explain(stewardAtHome, 'ticket.view', ticket({ householdId: 'h-far', areaIds: ELSEWHERE }), { now: NOW })).toEqual({
      allowed: false,
      reason: 'outside_your_area',
    });
    expect(explain(person('r-rep', { householdId: 'h1', roles: [role('representative')] }), 'household.import', { communityId: C }, { now: NOW })).toEqual({
      allowed: false,
      reason: 'role_required',
    });
    expect(explain(person('r-r', { householdId: 'h1' }), 'account.bind', { communityId: C }, { now: NOW })).toEqual({ allowed: false, reason: 'already_bound' });
  });

  it('refuses everything of another community, even to its admin', () => {
    const admin = person('r-a', { roles: [role('admin')], communityId: 'c2' });
    expect(explain(admin, 'ticket.view', ticket(), { now: NOW })).toEqual({ allowed: false, reason: 'other_community' });
    expect(explain({ kind: 'visitor', chatAccountId: 'a', communityId: 'c2' }, 'help.view', { communityId: C }, { now: NOW })).toEqual({
      allowed: false,
      reason: 'other_community',
    });
    expect(can({ kind: 'operator' }, 'ticket.view', ticket(), { now: NOW })).toBe(true);
  });

  it('throws the reason, and nothing about the subject, from assertCan', () => {
    const resident = person('r-r', { householdId: 'h1' });
    expect(() => assertCan(resident, 'ticket.view', ticket({ ticketId: 'secret-ticket' }), { now: NOW })).toThrow(PolicyDeniedError);
    try {
      assertCan(resident, 'ticket.view', ticket({ ticketId: 'secret-ticket' }), { now: NOW });
    } catch (error) {
      expect(error).toMatchObject({ action: 'ticket.view', reason: 'not_your_household' });
      expect(String(error)).not.toContain('secret-ticket');
    }
    expect(() => assertCan(resident, 'ticket.view', ticket({ householdId: 'h1' }), { now: NOW })).not.toThrow();
  });

  it('has a polite sentence for every reason in every language', () => {
    const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales'));
    for (const locale of translator.locales) {
      for (const reason of DENIAL_REASONS) {
        expect(translator.has(denialMessageKey(reason), locale)).toBe(true);
        expect(translator.t(locale, denialMessageKey(reason)).length).toBeGreaterThan(5);
      }
    }
  });
});
