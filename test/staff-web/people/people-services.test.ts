/**
 * The people part of the staff console against a real database, with households from the roster
 * importer and staff from the staff service: the roster search by each field and its scope per
 * role (checked against the policy both ways), paging, the household page, binding codes handed
 * out once and audited, and staff terms with the last admin protected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { lookUpInviteCode } from '../../../src/features/identity/invite-codes.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadHouseholdSubject } from '../../../src/features/policy/load-subjects.js';
import { can } from '../../../src/features/policy/policy.js';
import { issueHouseholdCode, issuePersonCode } from '../../../src/staff-web/people/issue-codes.js';
import { loadHousehold } from '../../../src/staff-web/people/load-household.js';
import { PAGE_SIZE } from '../../../src/staff-web/people/paging.js';
import { qrSvg } from '../../../src/staff-web/people/qr-svg.js';
import { revealMemberPhone } from '../../../src/staff-web/people/reveal-phones.js';
import { searchHouseholds } from '../../../src/staff-web/people/search-households.js';
import { addTerm, changeTermEnd, endTermNow, listStaff } from '../../../src/staff-web/people/staff-terms.js';
import { seedCommunity } from '../../support/community.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { NOW, seedPeopleCommunity, TIMEZONE, type PeopleCommunity } from './fixture.js';

describe.each(databaseTargets())('staff console people on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let c: PeopleCommunity;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    c = await seedPeopleCommunity(prisma);
  });
  afterAll(() => db?.close());

  const search = async (actor: Actor, q: string, page?: number) =>
    searchHouseholds(prisma, { communityId: c.communityId, actor, q, now: NOW, ...(page ? { page } : {}) });
  const codes = (result: Awaited<ReturnType<typeof search>>) => (result.status === 'found' ? result.households.map((h) => h.code) : result.status);

  describe('the roster search', () => {
    it('finds households by a member name, an address or a code, any part of them', async () => {
      const committee = await c.actorOf('钱委员');
      expect(codes(await search(committee, '三丰'))).toEqual(['H-101']);
      expect(codes(await search(committee, '欧阳'))).toEqual(['H-102']);
      expect(codes(await search(committee, '胜利巷'))).toEqual(['H-201']);
      expect(codes(await search(committee, 'h-3'))).toEqual(['H-301']);
      expect(codes(await search(committee, '  团结巷 '))).toEqual(['H-101', 'H-102']);
    });

    it('finds a phone by its last four or three digits, and refuses two as too short', async () => {
      const committee = await c.actorOf('钱委员');
      expect(codes(await search(committee, '1234'))).toEqual(['H-101', 'H-201']);
      expect(codes(await search(committee, '5678'))).toEqual(['H-101']);
      expect(codes(await search(committee, '468'))).toEqual(['H-102']);
      expect(codes(await search(committee, '２４６８'))).toEqual(['H-102']);
      expect(await search(committee, '68')).toEqual({ status: 'too_short', q: '68', minDigits: 3 });
      expect(await search(committee, '   ')).toEqual({ status: 'empty', q: '' });
    });

    it('matches no more of a phone than its mask shows: five digits or more are not a phone search', async () => {
      const committee = await c.actorOf('钱委员');
      // 张三丰's number ends 01234: its last four are on the page, a fifth would not be.
      expect(codes(await search(committee, '01234'))).toEqual([]);
      expect(codes(await search(committee, '001234'))).toEqual([]);
      expect(codes(await search(committee, '13800001234'))).toEqual([]);
      expect(codes(await search(committee, '234'))).toEqual(['H-101', 'H-201']);
    });

    it('takes % and _ as themselves, not as wildcards', async () => {
      const committee = await c.actorOf('钱委员');
      expect(codes(await search(committee, '%'))).toEqual([]);
      expect(codes(await search(committee, '_'))).toEqual([]);
      expect(codes(await search(committee, '团结巷%号院'))).toEqual([]);
      expect(codes(await search(committee, 'H_1'))).toEqual([]);
      expect(codes(await search(committee, '团结巷1'))).toEqual(['H-101']);
    });

    it('shows names, and phones only masked', async () => {
      const result = await search(await c.actorOf('钱委员'), '1234');
      if (result.status !== 'found') throw new Error(result.status);
      expect(result.households[0]).toEqual({
        code: 'H-101',
        address: '团结巷1号院',
        areaPath: '平房区/团结巷',
        flags: ['elderly'],
        members: [
          { name: '张三丰', maskedPhone: '138****1234' },
          { name: '张小丰', maskedPhone: '138****5678' },
        ],
      });
      expect(JSON.stringify(result)).not.toContain('13800001234');
    });

    it.each([
      ['赵管理', ['H-101', 'H-102', 'H-201', 'H-301']],
      ['钱委员', ['H-101', 'H-102', 'H-201', 'H-301']],
      ['孙片长', ['H-101', 'H-102']],
      ['周片长', ['H-301']],
      ['张三丰', ['H-101']],
    ])('shows %s exactly the households the policy lets them view', async (name, expected) => {
      const actor = await c.actorOf(name);
      // Every address has 号: the query matches every household of the community.
      expect(codes(await search(actor, '号'))).toEqual(expected);
      for (const [code, householdId] of Object.entries(c.households)) {
        const subject = (await loadHouseholdSubject(prisma, c.communityId, householdId))!;
        expect({ code, visible: can(actor, 'household.view', subject, { now: NOW }) }).toEqual({ code, visible: expected.includes(code) });
      }
    });

    it('shows a council member tied to no area nothing, and says so', async () => {
      expect(await search(await c.actorOf('吴理事'), '号')).toEqual({ status: 'none_visible', q: '号' });
    });

    it('pages a long list and says how many there are in all', async () => {
      const { id: communityId } = await seedCommunity(prisma);
      const area = await prisma.area.create({ data: { communityId, name: '大院', path: '大院', depth: 1 } });
      await prisma.household.createMany({
        data: Array.from({ length: PAGE_SIZE + 10 }, (_, i) => ({ communityId, code: `D-${String(i).padStart(3, '0')}`, address: `大院${i}号`, areaId: area.id })),
      });
      const operator: Actor = { kind: 'operator' };
      const first = await searchHouseholds(prisma, { communityId, actor: operator, q: '大院', now: NOW });
      const second = await searchHouseholds(prisma, { communityId, actor: operator, q: '大院', page: 2, now: NOW });
      const beyond = await searchHouseholds(prisma, { communityId, actor: operator, q: '大院', page: 9, now: NOW });
      if (first.status !== 'found' || second.status !== 'found' || beyond.status !== 'found') throw new Error('not found');
      expect(first.paging).toEqual({ page: 1, pageSize: PAGE_SIZE, total: PAGE_SIZE + 10, pages: 2 });
      expect(first.households).toHaveLength(PAGE_SIZE);
      expect(second.households.map((h) => h.code)).toEqual(Array.from({ length: 10 }, (_, i) => `D-${String(PAGE_SIZE + i).padStart(3, '0')}`));
      expect(beyond.paging.page).toBe(2);
    });
  });

  describe('the household page', () => {
    it('shows where the household is, its flags, group and head, members with bound channels and roles', async () => {
      const since = new Date('2026-03-10T01:00:00Z');
      await prisma.chatAccount.create({
        data: { communityId: c.communityId, channel: 'telegram', externalId: 'tg-secret-4711', residentId: c.people['张三丰']!, boundAt: since },
      });
      const steward = await c.actorOf('孙片长');
      const found = await prisma.$transaction((tx) => loadHousehold(tx, { communityId: c.communityId, actor: steward, code: ' H-101 ', now: NOW }));
      if (found.status !== 'found') throw new Error(found.status);
      expect(found.household).toMatchObject({
        code: 'H-101',
        address: '团结巷1号院',
        areaPath: '平房区/团结巷',
        flags: ['elderly'],
        group: { code: 'G01', head: { name: '张三丰', householdCode: 'H-101' } },
        canIssueCode: true,
      });
      expect(found.household.members).toEqual([
        {
          residentId: c.people['张三丰'],
          name: '张三丰',
          maskedPhone: '138****1234',
          accounts: [{ channel: 'telegram', since }],
          roles: [],
          isGroupHead: true,
          mayRevealPhone: true,
        },
        { residentId: c.people['张小丰'], name: '张小丰', maskedPhone: '138****5678', accounts: [], roles: [], isGroupHead: false, mayRevealPhone: true },
      ]);
      expect(JSON.stringify(found)).not.toContain('tg-secret-4711');
    });

    it('lists a member’s current roles with their area', async () => {
      const { communityId } = c;
      const admin = await c.actorOf('赵管理');
      const added = await addTerm(prisma, { communityId, actor: admin, now: NOW, timezone: TIMEZONE, name: '欧阳娜娜', role: 'patrol', area: '平房区/团结巷' });
      expect(added).toMatchObject({ status: 'added', result: { status: 'created', newPerson: false, householdCode: 'H-102' } });
      const found = await prisma.$transaction((tx) => loadHousehold(tx, { communityId, actor: admin, code: 'H-102', now: NOW }));
      if (found.status !== 'found') throw new Error(found.status);
      expect(found.household.members[0]!.roles).toEqual([{ role: 'patrol', areaPath: '平房区/团结巷', skills: [] }]);
    });

    it('refuses a steward of another area, and the attempt is audited', async () => {
      const other = await c.actorOf('周片长');
      const before = await prisma.auditLog.count({ where: { communityId: c.communityId, action: 'household.view' } });
      const outcome = await prisma.$transaction((tx) => loadHousehold(tx, { communityId: c.communityId, actor: other, code: 'H-101', now: NOW }));
      expect(outcome).toEqual({ status: 'denied', reason: 'outside_your_area' });
      const rows = await prisma.auditLog.findMany({ where: { communityId: c.communityId, action: 'household.view' }, orderBy: { createdAt: 'asc' } });
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toMatchObject({ actorId: other.residentId, subjectType: 'household', subjectId: c.households['H-101'], details: { denied: true, reason: 'outside_your_area' } });
      expect(await prisma.$transaction((tx) => loadHousehold(tx, { communityId: c.communityId, actor: other, code: 'NOPE', now: NOW }))).toEqual({ status: 'not_found' });
    });
  });

  describe('phone numbers', () => {
    it('reveals a full number to the area’s steward and refuses another area’s, both audited', async () => {
      const [steward, other] = [await c.actorOf('孙片长'), await c.actorOf('周片长')];
      const residentId = c.people['张小丰']!;
      expect(await revealMemberPhone(prisma, { communityId: c.communityId, actor: steward, residentId, now: NOW })).toEqual({ ok: true, phone: '13800005678' });
      expect(await revealMemberPhone(prisma, { communityId: c.communityId, actor: other, residentId, now: NOW })).toEqual({ ok: false, reason: 'outside_your_area' });
      const rows = await prisma.auditLog.findMany({ where: { communityId: c.communityId, action: 'resident.reveal_phone', subjectId: residentId }, orderBy: { createdAt: 'asc' } });
      expect(rows.map((row) => [row.actorId, (row.details as { denied?: boolean }).denied ?? false])).toEqual([
        [steward.residentId, false],
        [other.residentId, true],
      ]);
      expect(JSON.stringify(rows.map((row) => row.details))).not.toContain('13800005678');
    });
  });

  describe('binding codes', () => {
    it('hands a household code to the area’s steward once; it binds and is audited', async () => {
      const steward = await c.actorOf('孙片长');
      const issued = await issueHouseholdCode(prisma, { communityId: c.communityId, actor: steward, householdCode: 'H-101', now: NOW });
      if (issued.status !== 'issued') throw new Error(issued.status);
      expect(issued.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(issued.expiresAt).toEqual(new Date(NOW.getTime() + 7 * 86_400_000));
      expect(issued.forHousehold).toBe('H-101');
      const lookup = await prisma.$transaction((tx) => lookUpInviteCode(tx, c.communityId, issued.code, NOW));
      expect(lookup).toMatchObject({ status: 'valid', householdId: c.households['H-101'], residentId: null });
      const audit = await prisma.auditLog.findFirstOrThrow({ where: { communityId: c.communityId, action: 'invite.create', subjectId: c.households['H-101'] } });
      expect(audit).toMatchObject({ actorId: steward.residentId, via: 'console', subjectType: 'household' });
      expect(JSON.stringify(audit.details)).not.toContain(issued.code);
    });

    it('hands a personal code that binds that person', async () => {
      const issued = await issuePersonCode(prisma, { communityId: c.communityId, actor: await c.actorOf('孙片长'), residentId: c.people['张小丰']!, now: NOW });
      if (issued.status !== 'issued') throw new Error(issued.status);
      expect(issued.forPerson).toBe('张小丰');
      const lookup = await prisma.$transaction((tx) => lookUpInviteCode(tx, c.communityId, issued.code, NOW));
      expect(lookup).toMatchObject({ status: 'valid', residentId: c.people['张小丰'], householdId: null });
    });

    it('refuses a steward of another area, audited, and makes no code', async () => {
      const other = await c.actorOf('周片长');
      const codesBefore = await prisma.inviteCode.count({ where: { communityId: c.communityId } });
      expect(await issueHouseholdCode(prisma, { communityId: c.communityId, actor: other, householdCode: 'H-101', now: NOW })).toEqual({ status: 'denied', reason: 'outside_your_area' });
      // Staff who live elsewhere have no area: only staff of the whole community hand them a code.
      expect(await issuePersonCode(prisma, { communityId: c.communityId, actor: other, residentId: c.people['赵管理']!, now: NOW })).toEqual({ status: 'denied', reason: 'outside_your_area' });
      expect(await prisma.inviteCode.count({ where: { communityId: c.communityId } })).toBe(codesBefore);
      expect(await prisma.auditLog.count({ where: { communityId: c.communityId, action: 'invite.create', actorId: other.residentId, details: { path: ['denied'], equals: true } } })).toBe(2);
      expect(await issueHouseholdCode(prisma, { communityId: c.communityId, actor: other, householdCode: 'NOPE', now: NOW })).toEqual({ status: 'not_found' });
    });

    it('draws the code as an SVG QR code marked as decoration', async () => {
      const svg = await qrSvg('ABCD-EFGH');
      expect(svg.startsWith('<svg class="people-qr" aria-hidden="true" focusable="false" ')).toBe(true);
      expect(svg).toContain('</svg>');
      expect(svg).not.toMatch(/<script|style=/);
    });
  });

  describe('staff terms', () => {
    it('lists terms for admins only; a refused look is audited', async () => {
      const [admin, committee] = [await c.actorOf('赵管理'), await c.actorOf('钱委员')];
      const listed = await prisma.$transaction((tx) => listStaff(tx, { communityId: c.communityId, actor: admin, now: NOW }));
      if (listed.status !== 'listed') throw new Error(listed.status);
      const steward = listed.terms.find((term) => term.name === '孙片长')!;
      expect(steward).toMatchObject({ role: 'steward', areaPath: '平房区/团结巷', state: 'current', endsOn: null, maskedPhone: null, householdCode: null });
      expect(listed.terms.find((term) => term.name === '赵管理')).toMatchObject({ role: 'admin', maskedPhone: '135****0001' });
      // By role in the vocabulary's order: committee first, admins last.
      expect(listed.terms[0]!.role).toBe('committee');
      expect(listed.terms.at(-1)!.role).toBe('admin');
      const refused = await prisma.$transaction((tx) => listStaff(tx, { communityId: c.communityId, actor: committee, now: NOW }));
      expect(refused).toEqual({ status: 'denied', reason: 'role_required' });
      expect(await prisma.auditLog.count({ where: { communityId: c.communityId, action: 'staff.manage', actorId: committee.residentId, details: { path: ['denied'], equals: true } } })).toBe(1);
    });

    it('gives a role with a personal code, and says what was wrong with a form', async () => {
      const admin = await c.actorOf('赵管理');
      const base = { communityId: c.communityId, actor: admin, now: NOW, timezone: TIMEZONE };
      const added = await addTerm(prisma, { ...base, name: '张小丰', role: 'service_team', skills: ['plumbing', 'electrical'], inviteTtlDays: 3 });
      if (added.status !== 'added') throw new Error(added.status);
      expect(added.result).toMatchObject({ status: 'created', residentId: c.people['张小丰'], householdCode: 'H-101' });
      const lookup = await prisma.$transaction((tx) => lookUpInviteCode(tx, c.communityId, added.result.invite!.code, NOW));
      expect(lookup).toMatchObject({ status: 'valid', residentId: c.people['张小丰'] });
      expect(await addTerm(prisma, { ...base, name: '李四', role: 'steward' })).toEqual({ status: 'invalid', problem: { code: 'area_required', role: 'steward' } });
      expect(await addTerm(prisma, { ...base, name: '李四', role: 'steward', area: '无此片区' })).toEqual({ status: 'lookup_failed', problem: { code: 'area_not_found', area: '无此片区' } });
      expect(await addTerm(prisma, { ...base, actor: await c.actorOf('孙片长'), name: '李四', role: 'patrol' })).toEqual({ status: 'denied', reason: 'role_required' });
    });

    it('moves a term’s last day to the end of that day in the community, or makes it open-ended', async () => {
      const admin = await c.actorOf('赵管理');
      const base = { communityId: c.communityId, actor: admin, assignmentId: c.terms['周片长']!, timezone: TIMEZONE, now: NOW };
      expect(await changeTermEnd(prisma, { ...base, ends: '2027-06-30' })).toEqual({ status: 'changed', endsOn: new Date('2027-06-30T15:59:59.999Z') });
      expect((await prisma.roleAssignment.findUniqueOrThrow({ where: { id: base.assignmentId } })).endsOn).toEqual(new Date('2027-06-30T15:59:59.999Z'));
      expect(await changeTermEnd(prisma, { ...base, ends: '2026-03-14' })).toEqual({ status: 'ends_in_past', date: '2026-03-14' });
      expect(await changeTermEnd(prisma, { ...base, ends: '2027-02-30' })).toEqual({ status: 'bad_date', date: '2027-02-30' });
      expect(await changeTermEnd(prisma, { ...base, ends: '' })).toEqual({ status: 'changed', endsOn: null });
      const audit = await prisma.auditLog.findMany({ where: { communityId: c.communityId, subjectId: base.assignmentId, action: 'staff.manage' }, orderBy: { createdAt: 'asc' } });
      expect(audit.map((row) => row.details)).toEqual([
        expect.objectContaining({ change: 'role_added' }),
        expect.objectContaining({ change: 'term_end_changed', endsOn: '2027-06-30T15:59:59.999Z', role: 'steward' }),
        expect.objectContaining({ change: 'term_end_changed', endsOn: null }),
      ]);
    });

    it('never ends the last admin’s term; with a second admin it ends now, and the list marks it', async () => {
      // A community of its own: this test changes who the admins are.
      c = await seedPeopleCommunity(prisma);
      const { communityId } = c;
      const admin = await c.actorOf('赵管理');
      const end = (assignmentId: string, actor: Actor = admin) => endTermNow(prisma, { communityId, actor, assignmentId, now: NOW });
      expect(await end(c.terms['赵管理']!)).toEqual({ status: 'last_admin' });
      expect(await end(c.terms['孙片长']!, await c.actorOf('钱委员'))).toEqual({ status: 'denied', reason: 'role_required' });

      const second = await addTerm(prisma, { communityId, actor: admin, now: NOW, timezone: TIMEZONE, name: '钱委员', role: 'admin' });
      if (second.status !== 'added') throw new Error(second.status);
      expect(await end(c.terms['赵管理']!)).toEqual({ status: 'changed', endsOn: new Date(NOW.getTime() - 1) });
      // From this instant 赵管理 is no admin: the policy says so, and the other admin is now the last.
      expect((await c.actorOf('赵管理')).roles).toEqual([]);
      const other = await c.actorOf('钱委员');
      expect(await end(second.result.assignmentId, other)).toEqual({ status: 'last_admin' });
      expect(await end(c.terms['赵管理']!, other)).toEqual({ status: 'already_ended' });

      const current = await prisma.$transaction((tx) => listStaff(tx, { communityId, actor: other, now: NOW }));
      const all = await prisma.$transaction((tx) => listStaff(tx, { communityId, actor: other, now: NOW, includeEnded: true }));
      if (current.status !== 'listed' || all.status !== 'listed') throw new Error('not listed');
      expect(current.terms.some((term) => term.assignmentId === c.terms['赵管理'])).toBe(false);
      expect(all.terms.at(-1)).toMatchObject({ assignmentId: c.terms['赵管理'], state: 'ended' });
      const audit = await prisma.auditLog.findFirstOrThrow({ where: { communityId, subjectId: c.terms['赵管理'], details: { path: ['change'], equals: 'term_ended' } } });
      expect(audit).toMatchObject({ actorId: admin.residentId, via: 'console', subjectType: 'role_assignment' });
    });

    it('never moves the only admin’s last day closer; another admin whose term runs past the day lets it', async () => {
      const own = await seedPeopleCommunity(prisma);
      const admin = await own.actorOf('赵管理');
      const base = { communityId: own.communityId, actor: admin, assignmentId: own.terms['赵管理']!, timezone: TIMEZONE, now: NOW };
      const endsOn = async () => (await prisma.roleAssignment.findUniqueOrThrow({ where: { id: base.assignmentId } })).endsOn;
      expect(await changeTermEnd(prisma, { ...base, ends: '2026-03-16' })).toEqual({ status: 'last_admin' });
      expect(await changeTermEnd(prisma, { ...base, ends: '2030-12-31' })).toEqual({ status: 'last_admin' });
      expect(await endsOn()).toBeNull();
      // A second admin whose term ends the same day does not help: nobody is admin the day after.
      const second = await addTerm(prisma, { communityId: own.communityId, actor: admin, now: NOW, timezone: TIMEZONE, name: '钱委员', role: 'admin', ends: '2026-06-30' });
      if (second.status !== 'added') throw new Error(second.status);
      expect(await changeTermEnd(prisma, { ...base, ends: '2026-06-30' })).toEqual({ status: 'last_admin' });
      expect(await changeTermEnd(prisma, { ...base, ends: '2026-06-29' })).toEqual({ status: 'changed', endsOn: new Date('2026-06-29T15:59:59.999Z') });
      // Open-ended is always allowed; so is a steward's date.
      expect(await changeTermEnd(prisma, { ...base, ends: '' })).toEqual({ status: 'changed', endsOn: null });
      expect((await changeTermEnd(prisma, { ...base, assignmentId: own.terms['孙片长']!, ends: '2026-03-16' })).status).toBe('changed');
    });
  });
});
