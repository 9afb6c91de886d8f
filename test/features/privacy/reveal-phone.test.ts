/**
 * Revealing a full phone number: only to those the policy allows, and every attempt — refused
 * ones too — leaves an audit row with ids only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { createBindingRequest } from '../../../src/features/identity/binding-requests.js';
import { revealPhone, revealRequestPhoneIn } from '../../../src/features/privacy/reveal-phone.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { PEOPLE, seedPolicyCommunity, type SeededCommunity } from '../policy/support/seed-community.js';

describe.each(databaseTargets())('revealPhone on %s', (target) => {
  let db: TestDatabase;
  let s: SeededCommunity;
  const actor = async (residentId: string): Promise<Actor> => (await loadActor(db.prisma, { residentId }, { now: s.now }))!;
  const audits = (subjectId: string) =>
    db.prisma.auditLog.findMany({ where: { subjectId, action: 'resident.reveal_phone' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

  beforeAll(async () => {
    db = await createTestDatabase(target);
    s = await seedPolicyCommunity(db.prisma);
  });
  afterAll(() => db.close());

  it("shows the steward of the person's area the full number, and audits it", async () => {
    const steward = await actor(s.residents.steward);
    const result = await revealPhone(db.prisma, { actor: steward, residentId: s.residents.wang, communityId: s.communityId, now: s.now });
    expect(result).toEqual({ ok: true, phone: PEOPLE.wang.phone });
    const [row] = await audits(s.residents.wang);
    expect(row).toMatchObject({
      communityId: s.communityId,
      actorId: s.residents.steward,
      via: 'chat',
      subjectType: 'resident',
      subjectId: s.residents.wang,
      details: { numberOnRecord: true },
    });
  });

  it('refuses a steward outside their area and a neighbour, and audits each refusal with its reason', async () => {
    const steward = await actor(s.residents.steward);
    expect(await revealPhone(db.prisma, { actor: steward, residentId: s.residents.zhao, communityId: s.communityId, now: s.now })).toEqual({
      ok: false,
      reason: 'outside_your_area',
    });
    // Zhang heads group A and lives with Li: still not allowed Li's number.
    const zhang = await actor(s.residents.zhang);
    expect(await revealPhone(db.prisma, { actor: zhang, residentId: s.residents.li, communityId: s.communityId, now: s.now })).toEqual({
      ok: false,
      reason: 'not_yourself',
    });
    expect((await audits(s.residents.zhao)).map((row) => [row.actorId, row.details])).toEqual([
      [s.residents.steward, { denied: true, reason: 'outside_your_area' }],
    ]);
    expect((await audits(s.residents.li)).map((row) => [row.actorId, row.details])).toEqual([
      [s.residents.zhang, { denied: true, reason: 'not_yourself' }],
    ]);
  });

  it("audits a visitor's attempt by chat account, and the operator's by `cli`", async () => {
    const visitor = (await loadActor(db.prisma, { chatAccountId: s.accounts.visitor }))!;
    expect(await revealPhone(db.prisma, { actor: visitor, residentId: s.residents.plumber, communityId: s.communityId })).toEqual({
      ok: false,
      reason: 'not_bound',
    });
    expect(await revealPhone(db.prisma, { actor: { kind: 'operator' }, residentId: s.residents.plumber, communityId: s.communityId })).toEqual({
      ok: true,
      phone: PEOPLE.plumber.phone,
    });
    expect((await audits(s.residents.plumber)).map((row) => [row.actorId, row.via, row.details])).toEqual([
      [null, 'chat', { denied: true, reason: 'not_bound', chatAccountId: s.accounts.visitor }],
      [null, 'cli', { numberOnRecord: true }],
    ]);
  });

  it('counts a term that has ended for nothing', async () => {
    const formerCommittee = await loadActor(db.prisma, { residentId: s.residents.steward }, { now: s.now });
    // The steward's committee term ended a year ago: Zhao (outside the steward's lane) stays hidden.
    expect(formerCommittee?.kind === 'person' && formerCommittee.roles.some((r) => r.role === 'committee')).toBe(false);
    const committee = await actor(s.residents.committee);
    expect(await revealPhone(db.prisma, { actor: committee, residentId: s.residents.zhao, communityId: s.communityId, now: s.now })).toEqual({
      ok: true,
      phone: PEOPLE.zhao.phone,
    });
    // An actor built earlier but used after its term's end is refused too.
    const lapsed: Actor = {
      kind: 'person',
      residentId: s.residents.committee,
      communityId: s.communityId,
      householdId: null,
      headOfGroupId: null,
      roles: [{ role: 'committee', areaId: null, skills: [], endsOn: new Date(s.now.getTime() - 1) }],
    };
    expect(await revealPhone(db.prisma, { actor: lapsed, residentId: s.residents.zhao, communityId: s.communityId, now: s.now })).toEqual({
      ok: false,
      reason: 'not_yourself',
    });
  });

  it('lets a person see their own number, answers null when none is on record', async () => {
    const zhao = await actor(s.residents.zhao);
    expect(await revealPhone(db.prisma, { actor: zhao, residentId: s.residents.zhao, communityId: s.communityId, now: s.now })).toEqual({
      ok: true,
      phone: PEOPLE.zhao.phone,
    });
    const noPhone = await db.prisma.resident.create({ data: { communityId: s.communityId, householdId: s.households.a2, name: '无电话' } });
    const admin = await actor(s.residents.admin);
    expect(await revealPhone(db.prisma, { actor: admin, residentId: noPhone.id, communityId: s.communityId, now: s.now })).toEqual({ ok: true, phone: null });
    expect((await audits(noPhone.id)).map((row) => row.details)).toEqual([{ numberOnRecord: false }]);
  });

  it('answers not_found for someone not in this community, without an audit row', async () => {
    const admin = await actor(s.residents.admin);
    const other = await seedPolicyCommunity(db.prisma);
    expect(await revealPhone(db.prisma, { actor: admin, residentId: other.residents.zhang, communityId: s.communityId, now: s.now })).toEqual({
      ok: false,
      reason: 'not_found',
    });
    // Asking in the other community by its id is refused: the admin is not theirs.
    expect(await revealPhone(db.prisma, { actor: admin, residentId: other.residents.zhang, communityId: other.communityId, now: s.now })).toEqual({
      ok: false,
      reason: 'other_community',
    });
    expect((await audits(other.residents.zhang)).map((row) => [row.communityId, row.details])).toEqual([
      [other.communityId, { denied: true, reason: 'other_community' }],
    ]);
    expect(await audits('no-such-resident')).toEqual([]);
  });

  it("shows a binding request's number to those who may decide it: the probable household's steward, else community-wide staff", async () => {
    const request = async (name: string, phone: string) => {
      const account = await db.prisma.chatAccount.create({ data: { communityId: s.communityId, channel: 'web', externalId: `req-${Math.random()}` } });
      const filed = await db.prisma.$transaction((tx) => createBindingRequest(tx, { communityId: s.communityId, chatAccountId: account.id, name, address: '团结巷', phone }));
      if (filed.status !== 'created') throw new Error(filed.status);
      return filed.number;
    };
    const reveal = (actor: Actor, number: number) =>
      db.prisma.$transaction((tx) => revealRequestPhoneIn(tx, { actor, communityId: s.communityId, number, now: s.now }));
    const steward = await actor(s.residents.steward);
    const committee = await actor(s.residents.committee);
    const neighbour = await actor(s.residents.zhao);
    // Wang Wu on the roster (A2, in the steward's lane), asking again from a new account.
    const wang = await request(PEOPLE.wang.name, PEOPLE.wang.phone);
    const stranger = await request('陌生人', '13011112222');
    expect(await reveal(steward, wang)).toEqual({ ok: true, phone: PEOPLE.wang.phone });
    expect(await reveal(steward, stranger)).toEqual({ ok: false, reason: 'outside_your_area' });
    expect(await reveal(neighbour, stranger)).toEqual({ ok: false, reason: 'role_required' });
    expect(await reveal(committee, stranger)).toEqual({ ok: true, phone: '13011112222' });
    expect(await reveal(committee, 99_999)).toEqual({ ok: false, reason: 'not_found' });
    const rows = await db.prisma.auditLog.findMany({
      where: { communityId: s.communityId, action: 'resident.reveal_phone', subjectType: 'binding_request' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(rows.map((row) => [row.actorId, row.details])).toEqual([
      [s.residents.steward, { number: wang }],
      [s.residents.steward, { number: stranger, denied: true, reason: 'outside_your_area' }],
      [s.residents.zhao, { number: stranger, denied: true, reason: 'role_required' }],
      [s.residents.committee, { number: stranger }],
    ]);
  });
});
