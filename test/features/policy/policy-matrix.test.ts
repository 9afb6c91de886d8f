/**
 * The policy matrix: every role × every action × a subject of the actor's own (their household,
 * group, area, job, themself, community) and another's. The expected table is written out by
 * hand below; a new action without a row fails the test.
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action, type SubjectOf } from '../../../src/features/policy/actions.js';
import type { Actor, HeldRole } from '../../../src/features/policy/actor.js';
import { DENIAL_REASONS } from '../../../src/features/policy/denials.js';
import { explain } from '../../../src/features/policy/policy.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const C = 'community-1';
const OTHER_C = 'community-2';
// 平房区 zA ─ 团结巷 lA ─ 3号院 cA (households hA1 in group gA);  楼寓 zB ─ 5号楼 bB (household hB in group gB)
const OWN_AREAS = ['cA', 'lA', 'zA'];
const OTHER_AREAS = ['bB', 'zB'];

const ROLE_NAMES = [
  'visitor',
  'resident',
  'group_head',
  'representative',
  'liaison',
  'patrol',
  'steward',
  'council',
  'committee',
  'admin',
  'service_team',
  'operator',
  'system',
  'api_client',
  'steward_term_ended',
  'admin_term_not_begun',
] as const;
type RoleName = (typeof ROLE_NAMES)[number];

const DAY = 24 * 60 * 60 * 1000;
const role = (r: HeldRole['role'], areaId: string | null = null, extra: Partial<HeldRole> = {}): HeldRole => ({ role: r, areaId, skills: [], ...extra });
const person = (name: string, householdId: string | null, roles: HeldRole[], headOfGroupId: string | null = null): Actor => ({
  kind: 'person',
  residentId: `r-${name}`,
  communityId: C,
  householdId,
  headOfGroupId,
  roles,
});

const ACTORS: Record<RoleName, Actor> = {
  visitor: { kind: 'visitor', chatAccountId: 'acc-visitor', communityId: C },
  resident: person('resident', 'hA1', []),
  group_head: person('group_head', 'hA1', [], 'gA'),
  representative: person('representative', 'hA1', [role('representative')]),
  // Staff below live elsewhere (no household), so only their roles speak.
  liaison: person('liaison', null, [role('liaison')]),
  patrol: person('patrol', null, [role('patrol', 'lA')]),
  steward: person('steward', null, [role('steward', 'lA')]),
  council: person('council', null, [role('council', 'zA')]),
  committee: person('committee', null, [role('committee')]),
  admin: person('admin', null, [role('admin')]),
  service_team: person('service_team', null, [role('service_team', null, { skills: ['plumbing'] })]),
  operator: { kind: 'operator' },
  system: { kind: 'system' },
  api_client: { kind: 'api_client', communityId: C, key: 1 },
  steward_term_ended: person('steward_term_ended', null, [role('steward', 'lA', { endsOn: new Date(NOW.getTime() - DAY) })]),
  admin_term_not_begun: person('admin_term_not_begun', null, [role('admin', null, { startsOn: new Date(NOW.getTime() + DAY) })]),
};

type Side = 'own' | 'other';
type SubjectMaker = (actor: Actor, side: Side) => unknown;

const me = (actor: Actor) => (actor.kind === 'person' ? actor.residentId : 'r-nobody');
const community: SubjectMaker = (_actor, side) => ({ communityId: side === 'own' ? C : OTHER_C });
const self: SubjectMaker = (actor, side) => ({ communityId: C, residentId: side === 'own' ? me(actor) : 'r-someone-else' });
const scope: SubjectMaker = (_actor, side) => ({ communityId: C, areaIds: side === 'own' ? OWN_AREAS : OTHER_AREAS });
const draft: SubjectMaker = (_actor, side) => ({ communityId: C, householdId: side === 'own' ? 'hA1' : 'hB', areaIds: side === 'own' ? OWN_AREAS : OTHER_AREAS });
const household: SubjectMaker = (_actor, side) =>
  side === 'own'
    ? { communityId: C, householdId: 'hA1', groupId: 'gA', areaIds: OWN_AREAS }
    : { communityId: C, householdId: 'hB', groupId: 'gB', areaIds: OTHER_AREAS };
// A household member who is not the actor (the actor's own person is tested with `self`).
const resident: SubjectMaker = (_actor, side) =>
  side === 'own'
    ? { communityId: C, residentId: 'r-housemate', householdId: 'hA1', groupId: 'gA', areaIds: OWN_AREAS }
    : { communityId: C, residentId: 'r-stranger', householdId: 'hB', groupId: 'gB', areaIds: OTHER_AREAS };
// Filed by a housemate, so "filed it themself" does not blur the household rule.
const ticket: SubjectMaker = (_actor, side) =>
  side === 'own'
    ? { communityId: C, ticketId: 't-own', householdId: 'hA1', areaIds: OWN_AREAS, filedByResidentId: 'r-housemate', assigneeResidentId: null }
    : { communityId: C, ticketId: 't-other', householdId: 'hB', areaIds: OTHER_AREAS, filedByResidentId: 'r-stranger', assigneeResidentId: null };
const group: SubjectMaker = (_actor, side) => ({ communityId: C, groupId: side === 'own' ? 'gA' : 'gB', areaIds: side === 'own' ? OWN_AREAS : OTHER_AREAS });
const job: SubjectMaker = (actor, side) =>
  side === 'own'
    ? { communityId: C, jobId: 'j-own', skill: 'plumbing', assigneeResidentId: me(actor), areaIds: OWN_AREAS }
    : { communityId: C, jobId: 'j-other', skill: 'electrical', assigneeResidentId: 'r-someone-else', areaIds: OTHER_AREAS };

const EVERYWHERE: RoleName[] = ['committee', 'admin', 'operator', 'system'];
const PERSONS: RoleName[] = ROLE_NAMES.filter((name) => !['visitor', 'operator', 'system', 'api_client'].includes(name));
const HOUSEHOLD_MEMBERS: RoleName[] = ['resident', 'group_head', 'representative'];
const AREA_STAFF: RoleName[] = ['steward', 'council'];
// Public reading; beyond it an API client may only file reports about places (tested below).
const ALL: RoleName[] = [...ROLE_NAMES];

interface Row {
  subject: SubjectMaker;
  /** Who may, on a subject of their own. */
  own: RoleName[];
  /** Who may, on someone else's (another household, group, area, job, person or community). */
  other: RoleName[];
}

const staffTicket: Row = { subject: ticket, own: [...EVERYWHERE, ...AREA_STAFF], other: EVERYWHERE };
const followUp: Row = { subject: ticket, own: HOUSEHOLD_MEMBERS, other: [] };
const selfOnly: Row = { subject: self, own: PERSONS, other: [] };
const groupWork: Row = { subject: group, own: [...EVERYWHERE, ...AREA_STAFF, 'group_head'], other: EVERYWHERE };
const areaWork: Row = { subject: scope, own: [...EVERYWHERE, ...AREA_STAFF], other: EVERYWHERE };
const adminWork: Row = { subject: community, own: ['admin', 'operator', 'system'], other: ['operator', 'system'] };

const EXPECTED: Record<Action, Row> = {
  'help.view': { subject: community, own: ALL, other: ['operator', 'system'] },
  'notice.view_public': { subject: community, own: ALL, other: ['operator', 'system'] },
  'account.bind': { subject: community, own: ['visitor'], other: [] },

  'account.unbind': selfOnly,
  'resident.view_own_data': selfOnly,
  'notice.acknowledge': selfOnly,
  'meeting.respond': selfOnly,
  'meeting.vote': selfOnly,
  'petition.sign': selfOnly,

  'ticket.file': { subject: draft, own: HOUSEHOLD_MEMBERS, other: [] },
  'ticket.file_on_behalf': {
    subject: household,
    own: [...EVERYWHERE, ...AREA_STAFF, ...HOUSEHOLD_MEMBERS, 'liaison', 'patrol'],
    other: [...EVERYWHERE, 'liaison'],
  },
  'ticket.view': { subject: ticket, own: [...EVERYWHERE, ...AREA_STAFF, ...HOUSEHOLD_MEMBERS], other: EVERYWHERE },
  'ticket.add': followUp,
  'ticket.withdraw': followUp,
  'ticket.rate': followUp,

  'ticket.claim': staffTicket,
  'ticket.assign': staffTicket,
  'ticket.reply': staffTicket,
  'ticket.internal_note': staffTicket,
  'ticket.view_internal': staffTicket,
  'ticket.mark_major': staffTicket,
  'ticket.resolve': staffTicket,
  'ticket.reopen': staffTicket,
  'ticket.merge': staffTicket,
  'ticket.publish_text': { subject: ticket, own: EVERYWHERE, other: EVERYWHERE },

  'household.view': { subject: household, own: [...EVERYWHERE, ...AREA_STAFF, ...HOUSEHOLD_MEMBERS], other: EVERYWHERE },
  'resident.view': { subject: resident, own: [...EVERYWHERE, ...AREA_STAFF, ...HOUSEHOLD_MEMBERS], other: EVERYWHERE },
  'resident.reveal_phone': { subject: resident, own: [...EVERYWHERE, ...AREA_STAFF], other: EVERYWHERE },
  'resident.remove': { subject: resident, own: ['admin', 'operator', 'system'], other: ['admin', 'operator', 'system'] },

  'group.view_members': groupWork,
  'group.view_acknowledgements': groupWork,
  'notice.send_group': groupWork,
  'notice.send_area': areaWork,
  'notice.send_all': { subject: community, own: EVERYWHERE, other: ['operator', 'system'] },

  'meeting.call': areaWork,
  'meeting.run': areaWork,
  'digest.view': areaWork,

  'household.import': adminWork,
  'household.export': adminWork,
  'staff.manage': adminWork,
  'area.setup': adminWork,
  'invite.create': areaWork,
  'binding.approve': areaWork,
  'binding.resume': { subject: community, own: EVERYWHERE, other: ['operator', 'system'] },
  'audit.view': { subject: community, own: EVERYWHERE, other: ['operator', 'system'] },
  'staff_chat.setup': { subject: community, own: EVERYWHERE, other: ['operator', 'system'] },
  // A head binds their own group's chat only (own: group gA; other: group gB).
  'chat.bind': { subject: (_actor, side) => ({ communityId: C, groupId: side === 'own' ? 'gA' : 'gB' }), own: [...EVERYWHERE, 'group_head'], other: EVERYWHERE },

  'job.receive': { subject: job, own: ['service_team'], other: [] },
  'job.view': { subject: job, own: [...EVERYWHERE, ...AREA_STAFF, 'service_team'], other: EVERYWHERE },
  'job.accept': { subject: job, own: ['service_team'], other: [] },
  'job.decline': { subject: job, own: ['service_team'], other: [] },
  'job.report_done': { subject: job, own: ['service_team'], other: [] },
  'job.dispatch': { subject: job, own: [...EVERYWHERE, ...AREA_STAFF], other: EVERYWHERE },

  'booking.configure': adminWork,
  'booking.view_all': { subject: community, own: EVERYWHERE, other: ['operator', 'system'] },
  'fund.view': areaWork,
  'fund.record': areaWork,
  // The committee alone: an admin, the operator and the system may not decide for the households.
  'fund.decide': { subject: scope, own: ['committee'], other: ['committee'] },
};

describe('policy matrix', () => {
  it('has a row for every action, and only for actions', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  it('answers every role × action × own/other cell as the table says', () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const action of ACTIONS) {
      const row = EXPECTED[action];
      for (const name of ROLE_NAMES) {
        for (const side of ['own', 'other'] as const) {
          const subject = row.subject(ACTORS[name], side) as SubjectOf<typeof action>;
          const decision = explain(ACTORS[name], action, subject, { now: NOW });
          const expected = row[side].includes(name);
          cells += 1;
          if (decision.allowed !== expected) {
            wrong.push(`${name} ${action} (${side}): expected ${expected ? 'allowed' : 'refused'}, got ${JSON.stringify(decision)}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBe(ACTIONS.length * ROLE_NAMES.length * 2);
  });

  it('gives every refusal a known reason; a visitor hears "bind first" for anything personal', () => {
    for (const action of ACTIONS) {
      for (const name of ROLE_NAMES) {
        for (const side of ['own', 'other'] as const) {
          const decision = explain(ACTORS[name], action, EXPECTED[action].subject(ACTORS[name], side) as SubjectOf<typeof action>, { now: NOW });
          if (!decision.allowed) expect(DENIAL_REASONS).toContain(decision.reason);
          if (name === 'visitor' && side === 'own' && !decision.allowed && action !== 'account.bind') {
            expect({ action, reason: decision.reason }).toEqual({ action, reason: 'not_bound' });
          }
        }
      }
    }
  });

  it('lets an API client file a report about a place in its own community, and nothing for a household', () => {
    const client = ACTORS.api_client;
    expect(explain(client, 'ticket.file', { communityId: C, householdId: null, areaIds: [] }, { now: NOW })).toEqual({ allowed: true });
    expect(explain(client, 'ticket.file', { communityId: OTHER_C, householdId: null, areaIds: [] }, { now: NOW }).allowed).toBe(false);
    expect(explain(client, 'ticket.file', { communityId: C, householdId: 'hA1', areaIds: OWN_AREAS }, { now: NOW }).allowed).toBe(false);
  });

  it('treats roles outside their term exactly like holding no role', () => {
    const nobody = person('nobody', null, []);
    for (const action of ACTIONS) {
      for (const side of ['own', 'other'] as const) {
        const subjectFor = (actor: Actor) => EXPECTED[action].subject(actor, side) as SubjectOf<typeof action>;
        const bare = explain(nobody, action, subjectFor(nobody), { now: NOW }).allowed;
        expect(explain(ACTORS.steward_term_ended, action, subjectFor(ACTORS.steward_term_ended), { now: NOW }).allowed).toBe(bare);
        expect(explain(ACTORS.admin_term_not_begun, action, subjectFor(ACTORS.admin_term_not_begun), { now: NOW }).allowed).toBe(bare);
      }
    }
  });
});
