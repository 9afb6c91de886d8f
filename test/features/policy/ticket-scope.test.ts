/**
 * The ticket list filter says exactly what `can(actor, 'ticket.view', …)` says, for thousands of
 * generated actors and tickets (seeded, so a failure repeats), plus the cases a reader expects.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/features/community/vocabulary.js';
import type { Actor, HeldRole } from '../../../src/features/policy/actor.js';
import { can } from '../../../src/features/policy/policy.js';
import type { TicketSubject } from '../../../src/features/policy/subjects.js';
import { inTicketScope, ticketViewScope } from '../../../src/features/policy/ticket-scope.js';

const NOW = new Date('2026-06-01T00:00:00Z');
// A small tree: z1 ─ l1 ─ c1, c2;  z2 ─ l2 ─ c3
const ANCESTRY: Record<string, string[]> = {
  z1: ['z1'],
  l1: ['l1', 'z1'],
  c1: ['c1', 'l1', 'z1'],
  c2: ['c2', 'l1', 'z1'],
  z2: ['z2'],
  l2: ['l2', 'z2'],
  c3: ['c3', 'l2', 'z2'],
};
const AREAS = Object.keys(ANCESTRY);
const ROLES: Role[] = ['committee', 'steward', 'council', 'representative', 'liaison', 'patrol', 'service_team', 'admin'];
const PEOPLE = ['p1', 'p2', 'p3', 'p4'];
const HOUSEHOLDS = ['h1', 'h2', 'h3'];

/** A small seeded generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ticketViewScope', () => {
  it('agrees with can(ticket.view) for 20,000 generated actors and tickets', () => {
    const next = random(20261126);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const maybe = <T>(value: T, chance = 0.5): T | null => (next() < chance ? value : null);
    const disagreements: string[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const roles: HeldRole[] = [];
      const roleCount = Math.floor(next() * 3);
      for (let r = 0; r < roleCount; r += 1) {
        const day = 24 * 60 * 60 * 1000;
        const term = pick(['current', 'ended', 'upcoming', 'open'] as const);
        roles.push({
          role: pick(ROLES),
          areaId: maybe(pick(AREAS), 0.7),
          skills: [],
          ...(term === 'ended' ? { endsOn: new Date(NOW.getTime() - day) } : {}),
          ...(term === 'upcoming' ? { startsOn: new Date(NOW.getTime() + day) } : {}),
          ...(term === 'current' ? { startsOn: new Date(NOW.getTime() - day), endsOn: new Date(NOW.getTime() + day) } : {}),
        });
      }
      const actor: Actor =
        next() < 0.05
          ? { kind: 'visitor', chatAccountId: 'a', communityId: 'c' }
          : next() < 0.03
            ? { kind: 'operator' }
            : { kind: 'person', residentId: pick(PEOPLE), communityId: next() < 0.95 ? 'c' : 'other', householdId: maybe(pick(HOUSEHOLDS), 0.7), headOfGroupId: maybe('g1'), roles };
      const area = pick(AREAS);
      const ticket: TicketSubject = {
        communityId: 'c',
        ticketId: `t${i}`,
        householdId: maybe(pick(HOUSEHOLDS), 0.8),
        areaIds: ANCESTRY[area]!,
        filedByResidentId: maybe(pick(PEOPLE), 0.8),
        assigneeResidentId: maybe(pick(PEOPLE), 0.4),
      };
      const allowed = can(actor, 'ticket.view', ticket, { now: NOW });
      const listed = inTicketScope(ticketViewScope(actor, { now: NOW }), ticket);
      if (allowed !== listed) disagreements.push(JSON.stringify({ actor, ticket, allowed, listed }));
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
  });

  it('describes the usual actors plainly', () => {
    const steward: Actor = { kind: 'person', residentId: 's', communityId: 'c', householdId: 'h9', headOfGroupId: null, roles: [{ role: 'steward', areaId: 'l1', skills: [] }] };
    expect(ticketViewScope(steward, { now: NOW })).toEqual({ kind: 'some', communityId: 'c', areaIds: ['l1'], householdId: 'h9', residentId: 's', staffAssignee: true });
    const resident: Actor = { kind: 'person', residentId: 'r', communityId: 'c', householdId: 'h1', headOfGroupId: 'g1', roles: [] };
    expect(ticketViewScope(resident, { now: NOW })).toEqual({ kind: 'some', communityId: 'c', areaIds: [], householdId: 'h1', residentId: 'r', staffAssignee: false });
    const committee: Actor = { ...resident, roles: [{ role: 'committee', areaId: null, skills: [] }] };
    expect(ticketViewScope(committee, { now: NOW })).toEqual({ kind: 'all', communityId: 'c' });
    expect(ticketViewScope({ kind: 'operator' })).toEqual({ kind: 'all', communityId: null });
    expect(ticketViewScope({ kind: 'visitor', chatAccountId: 'a', communityId: 'c' })).toEqual({ kind: 'none' });
  });
});
