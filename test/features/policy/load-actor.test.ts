/**
 * Building actors and subjects from a real database: current roles only, head of group,
 * household; one query per actor; the area tree's ancestry, subtree and common ancestry; the
 * ancestry cache; and the policy answering for actors and subjects read from rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../../src/db/prisma-types.js';
import { areaAncestry, areaSubtree, commonAncestry, createAreaAncestryCache } from '../../../src/features/policy/area-ancestry.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { loadGroupSubject, loadHouseholdSubject, loadResidentSubject } from '../../../src/features/policy/load-subjects.js';
import { can, explain } from '../../../src/features/policy/policy.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedPolicyCommunity, type SeededCommunity } from './support/seed-community.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(databaseTargets())('loading actors and subjects on %s', (target) => {
  let db: TestDatabase;
  let s: SeededCommunity;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    s = await seedPolicyCommunity(db.prisma);
  });
  afterAll(() => db.close());

  /** The client, counting the Prisma calls made through it. */
  function counting(): { client: Tx; calls: () => number } {
    let calls = 0;
    const client = db.prisma.$extends({
      query: {
        async $allOperations({ args, query }) {
          calls += 1;
          return query(args);
        },
      },
    });
    return { client: client as unknown as Tx, calls: () => calls };
  }

  it('makes an unbound chat account a visitor of its community', async () => {
    expect(await loadActor(db.prisma, { chatAccountId: s.accounts.visitor }, { now: s.now })).toEqual({
      kind: 'visitor',
      chatAccountId: s.accounts.visitor,
      communityId: s.communityId,
    });
  });

  it('builds a resident with household and the group they head, in one call', async () => {
    const { client, calls } = counting();
    const actor = await loadActor(client, { chatAccountId: s.accounts.zhangWeb }, { now: s.now });
    expect(calls()).toBe(1);
    expect(actor).toEqual({
      kind: 'person',
      residentId: s.residents.zhang,
      communityId: s.communityId,
      householdId: s.households.a1,
      headOfGroupId: s.groups.ga,
      roles: [],
      chatAccountId: s.accounts.zhangWeb,
    });
  });

  it('includes only roles whose term is current, judged at the given time', async () => {
    const { client, calls } = counting();
    const today = await loadActor(client, { residentId: s.residents.steward }, { now: s.now });
    expect(calls()).toBe(1);
    expect(today?.kind === 'person' && today.roles.map((r) => [r.role, r.areaId])).toEqual([['steward', s.areas.laneA]]);
    // Thirty days on, the admin term has begun; two years back only the committee term was running.
    const later = await loadActor(db.prisma, { residentId: s.residents.steward }, { now: new Date(s.now.getTime() + 30 * DAY) });
    expect(later?.kind === 'person' && later.roles.map((r) => r.role).sort()).toEqual(['admin', 'steward']);
    const earlier = await loadActor(db.prisma, { residentId: s.residents.steward }, { now: new Date(s.now.getTime() - 2 * 365 * DAY) });
    expect(earlier?.kind === 'person' && earlier.roles.map((r) => r.role)).toEqual(['committee']);
  });

  it('keeps skills and drops words this version does not know', async () => {
    await db.prisma.roleAssignment.create({
      data: { communityId: s.communityId, residentId: s.residents.plumber, role: 'astronaut', startsOn: new Date(s.now.getTime() - DAY) },
    });
    const plumber = await loadActor(db.prisma, { residentId: s.residents.plumber }, { now: s.now });
    expect(plumber?.kind === 'person' && plumber.roles).toEqual([
      expect.objectContaining({ role: 'service_team', areaId: null, skills: ['plumbing'] }),
    ]);
  });

  it('answers null for an account or a resident that does not exist', async () => {
    expect(await loadActor(db.prisma, { chatAccountId: 'no-such-account' })).toBeNull();
    expect(await loadActor(db.prisma, { residentId: 'no-such-resident' })).toBeNull();
  });

  it('gives an area with its ancestors nearest first, the subtree below areas, and what ancestries share', async () => {
    expect(await areaAncestry(db.prisma, s.areas.courtA)).toEqual([s.areas.courtA, s.areas.laneA, s.areas.zoneA]);
    expect(await areaAncestry(db.prisma, s.areas.zoneB)).toEqual([s.areas.zoneB]);
    expect(await areaAncestry(db.prisma, 'no-such-area')).toEqual([]);
    expect((await areaSubtree(db.prisma, [s.areas.laneA])).sort()).toEqual([s.areas.laneA, s.areas.courtA, s.areas.courtA2].sort());
    expect((await areaSubtree(db.prisma, [s.areas.courtA, s.areas.zoneB])).sort()).toEqual([s.areas.courtA, s.areas.zoneB, s.areas.buildingB].sort());
    expect(await areaSubtree(db.prisma, [])).toEqual([]);
    expect(commonAncestry([['c', 'l', 'z'], ['c2', 'l', 'z']])).toEqual(['l', 'z']);
    expect(commonAncestry([['c', 'l', 'z'], ['b', 'y']])).toEqual([]);
    expect(commonAncestry([])).toEqual([]);
  });

  it('answers ancestry inside a transaction too', async () => {
    const inside = await db.prisma.$transaction((tx) => areaAncestry(tx, s.areas.courtA2));
    expect(inside).toEqual([s.areas.courtA2, s.areas.laneA, s.areas.zoneA]);
  });

  it('serves ancestry from its cache until the entry is older than the TTL', async () => {
    const zone = await db.prisma.area.create({ data: { communityId: s.communityId, name: '新区', path: '新区', depth: 1 } });
    const lane = await db.prisma.area.create({ data: { communityId: s.communityId, name: '新巷', path: '新区/新巷', depth: 2, parentId: zone.id } });
    let clock = 1_000;
    const cache = createAreaAncestryCache({ ttlMs: 60_000, now: () => clock });
    expect(await cache.get(db.prisma, lane.id)).toEqual([lane.id, zone.id]);
    // The lane is moved under zone A: the cache still answers the old tree for a minute.
    await db.prisma.area.update({ where: { id: lane.id }, data: { parentId: s.areas.zoneA } });
    clock += 59_999;
    expect(await cache.get(db.prisma, lane.id)).toEqual([lane.id, zone.id]);
    clock += 2;
    expect(await cache.get(db.prisma, lane.id)).toEqual([lane.id, s.areas.zoneA]);
    await db.prisma.area.update({ where: { id: lane.id }, data: { parentId: zone.id } });
    cache.clear();
    expect(await cache.get(db.prisma, lane.id)).toEqual([lane.id, zone.id]);
  });

  it('builds resident, household and group subjects; a group sits at the area holding all its households', async () => {
    expect(await loadResidentSubject(db.prisma, s.communityId, s.residents.wang)).toEqual({
      communityId: s.communityId,
      residentId: s.residents.wang,
      householdId: s.households.a2,
      groupId: s.groups.ga,
      areaIds: [s.areas.courtA, s.areas.laneA, s.areas.zoneA],
    });
    expect(await loadResidentSubject(db.prisma, s.communityId, s.residents.committee)).toEqual({
      communityId: s.communityId,
      residentId: s.residents.committee,
      householdId: null,
      groupId: null,
      areaIds: [],
    });
    expect(await loadHouseholdSubject(db.prisma, s.communityId, s.households.b1)).toEqual({
      communityId: s.communityId,
      householdId: s.households.b1,
      groupId: s.groups.gb,
      areaIds: [s.areas.buildingB, s.areas.zoneB],
    });
    // Group A has households in courtyards 3 and 5 of the lane: it sits at the lane.
    expect(await loadGroupSubject(db.prisma, s.communityId, s.groups.ga)).toEqual({
      communityId: s.communityId,
      groupId: s.groups.ga,
      areaIds: [s.areas.laneA, s.areas.zoneA],
    });
    // Another community's id finds nothing.
    expect(await loadResidentSubject(db.prisma, 'other-community', s.residents.wang)).toBeNull();
    expect(await loadHouseholdSubject(db.prisma, 'other-community', s.households.b1)).toBeNull();
    expect(await loadGroupSubject(db.prisma, 'other-community', s.groups.ga)).toBeNull();
  });

  it('answers for actors and subjects read from the database', async () => {
    const steward = (await loadActor(db.prisma, { chatAccountId: s.accounts.stewardChat }, { now: s.now }))!;
    const head = (await loadActor(db.prisma, { residentId: s.residents.zhang }, { now: s.now }))!;
    const wang = (await loadResidentSubject(db.prisma, s.communityId, s.residents.wang))!;
    const zhao = (await loadResidentSubject(db.prisma, s.communityId, s.residents.zhao))!;
    const groupA = (await loadGroupSubject(db.prisma, s.communityId, s.groups.ga))!;
    expect(can(steward, 'resident.reveal_phone', wang, { now: s.now })).toBe(true);
    expect(explain(steward, 'resident.reveal_phone', zhao, { now: s.now })).toEqual({ allowed: false, reason: 'outside_your_area' });
    // The steward's admin term has not begun: no roster import yet; loaded once it has, yes.
    expect(can(steward, 'household.import', { communityId: s.communityId }, { now: s.now })).toBe(false);
    const later = new Date(s.now.getTime() + 31 * DAY);
    const stewardLater = (await loadActor(db.prisma, { chatAccountId: s.accounts.stewardChat }, { now: later }))!;
    expect(can(stewardLater, 'household.import', { communityId: s.communityId }, { now: later })).toBe(true);
    expect(can(head, 'group.view_members', groupA, { now: s.now })).toBe(true);
    expect(can(head, 'resident.view', wang, { now: s.now })).toBe(true);
    expect(can(head, 'resident.view', zhao, { now: s.now })).toBe(false);
  });
});
