/**
 * The staff service in a real database: finding the person (a resident by name and phone, or a
 * new person without a household), the role with its area, skills and term, the audit row and
 * the binding code in the same transaction, harmless repeats, and the list of current roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { addStaff, listStaff, StaffLookupError } from '../../../src/features/community/staff.js';
import { planStaff, type StaffPlan, type StaffRequest } from '../../../src/features/community/staff-rules.js';
import { lookUpInviteCode } from '../../../src/features/identity/invite-codes.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedCommunity } from '../../support/community.js';

const OPERATOR: Actor = { kind: 'operator' };
const now = new Date('2026-03-15T04:00:00Z');

function plan(request: Partial<StaffRequest> & { name: string; role: string }, at: Date = now): StaffPlan {
  const result = planStaff(request, at, 'Asia/Shanghai');
  if (!result.ok) throw new Error(`bad plan: ${result.problem.code}`);
  return result.plan;
}

/** A community with one lane, one household of two and a second 王芳 elsewhere. */
async function community(prisma: PrismaClient) {
  const { id: communityId } = await seedCommunity(prisma);
  const zone = await prisma.area.create({ data: { communityId, name: '平房区', path: '平房区', depth: 1 } });
  const lane = await prisma.area.create({ data: { communityId, name: '团结巷', path: '平房区/团结巷', depth: 2, parentId: zone.id } });
  const household = await prisma.household.create({ data: { communityId, code: 'H0001', address: '团结巷1号院1号', areaId: lane.id } });
  const other = await prisma.household.create({ data: { communityId, code: 'H0002', address: '团结巷1号院2号', areaId: lane.id } });
  const wang = await prisma.resident.create({ data: { communityId, householdId: household.id, name: '王芳', phone: '13900001234' } });
  await prisma.resident.create({ data: { communityId, householdId: other.id, name: '王芳', phone: '13900005678' } });
  const li = await prisma.resident.create({ data: { communityId, householdId: household.id, name: '李强', phone: '13900002222', position: 1 } });
  return { communityId, laneId: lane.id, wangId: wang.id, liId: li.id };
}

describe.each(databaseTargets())('staff on %s', (target) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(target);
  });
  afterAll(() => db.close());

  it('makes a resident found by name and phone the steward of an area, audited, with a binding code for them', async () => {
    const { communityId, laneId, wangId } = await community(db.prisma);
    const madeFrom = Date.now();
    const result = await addStaff(db.prisma, {
      communityId,
      plan: plan({ name: '王芳', phone: '139 0000 1234', role: 'steward', area: '平房区/团结巷' }),
      actor: OPERATOR,
      inviteTtlDays: 7,
    });
    expect(result).toMatchObject({ status: 'created', residentId: wangId, newPerson: false, householdCode: 'H0001', endsOn: null });

    const assignment = await db.prisma.roleAssignment.findUniqueOrThrow({ where: { id: result.assignmentId } });
    expect(assignment).toMatchObject({ residentId: wangId, role: 'steward', areaId: laneId, skills: [], endsOn: null });

    const audit = await db.prisma.auditLog.findMany({ where: { communityId, action: 'staff.manage' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ via: 'cli', actorId: null, subjectType: 'role_assignment', subjectId: result.assignmentId });
    expect(JSON.stringify(audit[0]!.details)).not.toMatch(/王芳|13900001234/);
    expect(audit[0]!.details).toMatchObject({ residentId: wangId, areaId: laneId, change: 'role_added', role: 'steward' });

    // The code binds to this person, is valid for seven days and was audited too.
    expect(result.invite?.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // Seven days from the moment it was made, however long making it took.
    expect(result.invite!.expiresAt.getTime()).toBeGreaterThanOrEqual(madeFrom + 7 * 86_400_000);
    expect(result.invite!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    const lookup = await db.prisma.$transaction((tx) => lookUpInviteCode(tx, communityId, result.invite!.code, new Date()));
    expect(lookup).toMatchObject({ status: 'valid', residentId: wangId, householdId: null });
    expect(await db.prisma.auditLog.count({ where: { communityId, action: 'invite.create', subjectId: wangId } })).toBe(1);
  });

  it('changes nothing when the person already holds the role, and only the skills when those differ', async () => {
    const { communityId, liId } = await community(db.prisma);
    const first = await addStaff(db.prisma, { communityId, plan: plan({ name: '李强', role: 'service_team', skills: 'plumbing' }), actor: OPERATOR });
    expect(first).toMatchObject({ status: 'created', residentId: liId });
    const again = await addStaff(db.prisma, { communityId, plan: plan({ name: '李强', role: 'service_team', skills: 'plumbing' }), actor: OPERATOR });
    expect(again).toMatchObject({ status: 'unchanged', assignmentId: first.assignmentId });
    expect(again.invite).toBeUndefined();
    const changed = await addStaff(db.prisma, {
      communityId,
      plan: plan({ name: '李强', role: 'service_team', skills: 'drains,plumbing' }),
      actor: OPERATOR,
    });
    expect(changed).toMatchObject({ status: 'updated', assignmentId: first.assignmentId });
    expect(await db.prisma.roleAssignment.findMany({ where: { communityId }, select: { skills: true } })).toEqual([{ skills: ['plumbing', 'drains'] }]);
    expect(await db.prisma.auditLog.count({ where: { communityId, action: 'staff.manage' } })).toBe(2);
  });

  it('gives an elected member a three-year term, and a second role beside the first', async () => {
    const { communityId, liId } = await community(db.prisma);
    const committee = await addStaff(db.prisma, { communityId, plan: plan({ name: '李强', role: 'committee' }), actor: OPERATOR });
    expect(committee.endsOn?.toISOString()).toBe('2029-03-15T04:00:00.000Z');
    await addStaff(db.prisma, { communityId, plan: plan({ name: '李强', role: 'liaison' }), actor: OPERATOR });
    expect(await db.prisma.roleAssignment.count({ where: { communityId, residentId: liId } })).toBe(2);
  });

  it('adds someone not on the roster as a person without a household', async () => {
    const { communityId } = await community(db.prisma);
    const result = await addStaff(db.prisma, { communityId, plan: plan({ name: '赵主任', phone: '13900009999', role: 'committee' }), actor: OPERATOR });
    expect(result).toMatchObject({ status: 'created', newPerson: true, householdCode: null });
    expect(await db.prisma.resident.findUniqueOrThrow({ where: { id: result.residentId } })).toMatchObject({
      householdId: null,
      name: '赵主任',
      phone: '13900009999',
    });
    // Added again, the same person is found: no second 赵主任.
    const again = await addStaff(db.prisma, { communityId, plan: plan({ name: '赵主任', phone: '13900009999', role: 'committee' }), actor: OPERATOR });
    expect(again).toMatchObject({ status: 'unchanged', residentId: result.residentId, newPerson: false });
  });

  it('refuses a name two people share unless the phone says which, and an unknown area, writing nothing', async () => {
    const { communityId } = await community(db.prisma);
    const before = await db.prisma.resident.count({ where: { communityId } });
    await expect(addStaff(db.prisma, { communityId, plan: plan({ name: '王芳', role: 'liaison' }), actor: OPERATOR })).rejects.toMatchObject({
      problem: { code: 'ambiguous_person', name: '王芳', count: 2 },
    });
    const unknownArea = addStaff(db.prisma, { communityId, plan: plan({ name: '新人', role: 'steward', area: '平房区/无此巷' }), actor: OPERATOR });
    await expect(unknownArea).rejects.toBeInstanceOf(StaffLookupError);
    await expect(unknownArea).rejects.toMatchObject({ problem: { code: 'area_not_found', area: '平房区/无此巷' } });
    expect(await db.prisma.resident.count({ where: { communityId } })).toBe(before);
    expect(await db.prisma.roleAssignment.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.auditLog.count({ where: { communityId } })).toBe(0);
    const second = await addStaff(db.prisma, { communityId, plan: plan({ name: '王芳', phone: '13900005678', role: 'liaison' }), actor: OPERATOR });
    expect(second.householdCode).toBe('H0002');
  });

  it('refuses anyone the policy does not allow to manage staff', async () => {
    const { communityId, liId } = await community(db.prisma);
    const resident: Actor = { kind: 'person', residentId: liId, communityId, householdId: null, headOfGroupId: null, roles: [] };
    await expect(addStaff(db.prisma, { communityId, plan: plan({ name: '李强', role: 'committee' }), actor: resident })).rejects.toThrow(/staff\.manage/);
    expect(await db.prisma.roleAssignment.count({ where: { communityId } })).toBe(0);
  });

  it('lists roles whose term is current, by role, area and name', async () => {
    const { communityId } = await community(db.prisma);
    const add = (request: Partial<StaffRequest> & { name: string; role: string }, at: Date = now) =>
      addStaff(db.prisma, { communityId, plan: plan(request, at), actor: OPERATOR });
    await add({ name: '李强', role: 'service_team', skills: 'masonry,plumbing' });
    await add({ name: '王芳', phone: '13900001234', role: 'steward', area: '平房区/团结巷' });
    await add({ name: '赵主任', role: 'committee' });
    // A term that ended before "now" is not listed.
    await add({ name: '钱旧', role: 'committee' }, new Date('2020-01-01T00:00:00Z'));

    const listed = await listStaff(db.prisma, communityId, now);
    expect(listed.map((l) => [l.role, l.name, l.areaPath, l.skills, l.householdCode])).toEqual([
      ['committee', '赵主任', null, [], null],
      ['steward', '王芳', '平房区/团结巷', [], 'H0001'],
      ['service_team', '李强', null, ['plumbing', 'masonry'], 'H0001'],
    ]);
    expect(listed[1]!.phone).toBe('13900001234');
    // Three years after the committee term began it is still current on its last instant, not after.
    const end = listed[0]!.endsOn!;
    expect((await listStaff(db.prisma, communityId, end)).some((l) => l.name === '赵主任')).toBe(true);
    expect((await listStaff(db.prisma, communityId, new Date(end.getTime() + 1))).some((l) => l.name === '赵主任')).toBe(false);
  });
});
