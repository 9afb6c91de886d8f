/**
 * Binding someone on the staff hands over their role (the console's sign-in code goes to every
 * account bound to them). A steward of the area where an admin lives must not get there by any
 * path: a personal code (console or service), a household code's member list, or approving a
 * binding request with the admin's name and phone (matched on the roster or with the household's
 * code). An admin can; every refusal is audited.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { bindHouseholdMember, tryBindCode } from '../../../src/features/identity/bind-code.js';
import { approveBindingRequestIn, createBindingRequest } from '../../../src/features/identity/binding-requests.js';
import { createInviteCode, lookUpInviteCode } from '../../../src/features/identity/invite-codes.js';
import { PolicyDeniedError } from '../../../src/features/policy/policy.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import { AccountNotifier } from '../../../src/notify/account-notifier.js';
import { issueHouseholdCode, issuePersonCode } from '../../../src/staff-web/people/issue-codes.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { APPOINTED, NOW, seedPeopleCommunity, type PeopleCommunity } from './fixture.js';

const notifier = new AccountNotifier({ translator: loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales')) });

describe.each(databaseTargets())('binding a staff member on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let c: PeopleCommunity;
  /** 张三丰 of H-101 (孙片长's area) is made an admin too. */
  let adminAtHome: string;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    c = await seedPeopleCommunity(prisma);
    adminAtHome = c.people['张三丰']!;
    await prisma.roleAssignment.create({ data: { communityId: c.communityId, residentId: adminAtHome, role: 'admin', startsOn: APPOINTED } });
  });
  afterAll(() => db?.close());

  const account = async (name: string) =>
    (await prisma.chatAccount.create({ data: { communityId: c.communityId, channel: 'web', externalId: `web-${name}-${Math.random()}`, locale: 'zh-CN' } })).id;
  const refusals = (actorId: string, action: string) =>
    prisma.auditLog.count({ where: { communityId: c.communityId, actorId, action, details: { path: ['denied'], equals: true } } });

  describe('a personal code', () => {
    it('is refused to the area’s steward for an admin living there, audited, and no code is made', async () => {
      const steward = await c.actorOf('孙片长');
      const before = await prisma.inviteCode.count({ where: { communityId: c.communityId } });
      expect(await issuePersonCode(prisma, { communityId: c.communityId, actor: steward, residentId: adminAtHome, now: NOW })).toEqual({
        status: 'denied',
        reason: 'role_required',
      });
      expect(await prisma.inviteCode.count({ where: { communityId: c.communityId } })).toBe(before);
      expect(await refusals(steward.residentId, 'invite.create')).toBe(1);
      // The identity service itself refuses too (the chat's and the command line's way in).
      await expect(prisma.$transaction((tx) => createInviteCode(tx, { communityId: c.communityId, residentId: adminAtHome, actor: steward, now: NOW }))).rejects.toThrow(
        PolicyDeniedError,
      );
    });

    it('is still handed to the steward for a resident with no role', async () => {
      const issued = await issuePersonCode(prisma, { communityId: c.communityId, actor: await c.actorOf('孙片长'), residentId: c.people['张小丰']!, now: NOW });
      expect(issued.status).toBe('issued');
    });

    it('is handed to an admin, and binds the admin', async () => {
      const issued = await issuePersonCode(prisma, { communityId: c.communityId, actor: await c.actorOf('赵管理'), residentId: adminAtHome, now: NOW });
      if (issued.status !== 'issued') throw new Error(issued.status);
      const chat = await account('admin-own');
      const bound = await prisma.$transaction((tx) => tryBindCode(tx, { communityId: c.communityId, chatAccountId: chat, code: issued.code, now: NOW }));
      expect(bound).toMatchObject({ status: 'bound', residentId: adminAtHome });
    });

    it('counts only a current term: once the role has ended, the steward may hand one out', async () => {
      const later = new Date('2026-06-01T00:00:00Z');
      const person = c.people['李四']!;
      await prisma.roleAssignment.create({ data: { communityId: c.communityId, residentId: person, role: 'committee', startsOn: APPOINTED, endsOn: new Date('2026-05-01T00:00:00Z') } });
      const steward = await prisma.roleAssignment.create({ data: { communityId: c.communityId, residentId: c.people['欧阳娜娜']!, role: 'steward', areaId: (await prisma.household.findFirstOrThrow({ where: { id: c.households['H-201'] }, select: { areaId: true } })).areaId, startsOn: APPOINTED } });
      const actor = await c.actorOf('欧阳娜娜', NOW);
      expect((await issuePersonCode(prisma, { communityId: c.communityId, actor, residentId: person, now: NOW })).status).toBe('denied');
      const afterTerm = await c.actorOf('欧阳娜娜', later);
      expect((await issuePersonCode(prisma, { communityId: c.communityId, actor: afterTerm, residentId: person, now: later })).status).toBe('issued');
      await prisma.roleAssignment.delete({ where: { id: steward.id } });
    });
  });

  describe('a household code', () => {
    it('may be handed out by the steward, but picking the admin is refused; the code stays for the others', async () => {
      const issued = await issueHouseholdCode(prisma, { communityId: c.communityId, actor: await c.actorOf('孙片长'), householdCode: 'H-101', now: NOW });
      if (issued.status !== 'issued') throw new Error(issued.status);
      const chat = await account('picker');
      const tried = await prisma.$transaction((tx) => tryBindCode(tx, { communityId: c.communityId, chatAccountId: chat, code: issued.code, now: NOW }));
      expect(tried.status).toBe('household');
      const pick = (residentId: string) =>
        prisma.$transaction((tx) => bindHouseholdMember(tx, { communityId: c.communityId, chatAccountId: chat, code: issued.code, residentId, now: NOW }));
      expect(await pick(adminAtHome)).toEqual({ status: 'staff_member' });
      expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: chat } })).residentId).toBeNull();
      expect(await prisma.$transaction((tx) => lookUpInviteCode(tx, c.communityId, issued.code, NOW))).toMatchObject({ status: 'valid' });
      expect(await pick(c.people['张小丰']!)).toMatchObject({ status: 'bound', residentId: c.people['张小丰'] });
    });

    it('answers the refusal politely in both languages', () => {
      const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales'));
      expect(translator.t('zh-CN', 'flows.bind.staff_member', { office: '0991-1234567' })).toContain('个人绑定码');
      expect(translator.t('en', 'flows.bind.staff_member', { office: '0991-1234567' })).toContain('personal binding code');
    });
  });

  describe('a binding request with the admin’s name and phone', () => {
    const file = async (name: string) => {
      const chat = await account(name);
      const filed = await prisma.$transaction((tx) =>
        createBindingRequest(tx, { communityId: c.communityId, chatAccountId: chat, name: '张三丰', address: '团结巷1号院', phone: '13800001234' }),
      );
      if (filed.status !== 'created') throw new Error(filed.status);
      return { chat, number: filed.number };
    };

    it('cannot be approved by the area’s steward, matched on the roster or with the household’s code', async () => {
      const steward = await c.actorOf('孙片长');
      const { chat, number } = await file('asker');
      for (const householdCode of [undefined, 'H-101']) {
        const decided = await prisma.$transaction((tx) =>
          approveBindingRequestIn(tx, { communityId: c.communityId, number, actor: steward, notifier, now: NOW, ...(householdCode ? { householdCode } : {}) }),
        );
        expect(decided).toEqual({ outcome: { status: 'denied', reason: 'role_required' }, rows: [] });
      }
      expect(await refusals(steward.residentId, 'binding.approve')).toBe(2);
      expect(await prisma.bindingRequest.findFirstOrThrow({ where: { communityId: c.communityId, number } })).toMatchObject({ status: 'pending' });
      expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: chat } })).residentId).toBeNull();
    });

    it('can be approved by an admin', async () => {
      const { chat, number } = await file('asker-2');
      const admin = await c.actorOf('赵管理');
      const decided = await prisma.$transaction((tx) =>
        approveBindingRequestIn(tx, { communityId: c.communityId, number, actor: admin, notifier, now: NOW }),
      );
      expect(decided.outcome).toMatchObject({ status: 'approved', residentId: adminAtHome });
      expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: chat } })).residentId).toBe(adminAtHome);
    });
  });
});
