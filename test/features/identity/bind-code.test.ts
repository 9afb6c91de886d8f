/**
 * Binding with a code in the database: a person's code binds at once; a household's code binds
 * the member picked; used, expired, wrong and malformed codes are told apart; wrong codes lock
 * the account at the 5th; a code is used up once even when two accounts race for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { bindHouseholdMember, bindStatus, householdMembers, tryBindCode } from '../../../src/features/identity/bind-code.js';
import { createBindingRequest } from '../../../src/features/identity/binding-requests.js';
import { createInviteCode } from '../../../src/features/identity/invite-codes.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedAccount, seedHousehold } from './support/seed.js';
import { seedCommunity } from '../../support/community.js';

const MINUTE = 60_000;
const operator = { kind: 'operator' } as const;

describe.each(databaseTargets())('binding with a code on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let communityId: string;
  const now = new Date('2026-06-01T06:00:00Z');
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    communityId = (await seedCommunity(prisma)).id;
  });
  afterAll(() => db?.close());

  const attempt = (chatAccountId: string, code: string, at = now) =>
    prisma.$transaction((tx) => tryBindCode(tx, { communityId, chatAccountId, code, now: at }));

  it('a person’s code binds the account to that person and uses the code up', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '张三' }]);
    const { code } = await createInviteCode(prisma, { communityId, residentId: household.residentIds[0]!, actor: operator, now });
    const account = await seedAccount(prisma, communityId);
    const result = await attempt(account, code.toLowerCase());
    expect(result).toEqual({ status: 'bound', residentId: household.residentIds[0], name: '张三', address: household.address });
    const row = await prisma.chatAccount.findUniqueOrThrow({ where: { id: account } });
    expect(row.residentId).toBe(household.residentIds[0]);
    expect(row.boundAt).toEqual(now);
    const invite = await prisma.inviteCode.findFirstOrThrow({ where: { residentId: household.residentIds[0] } });
    expect(invite.usedAt).toEqual(now);
    expect(invite.usedByAccountId).toBe(account);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'account.bind', subjectId: household.residentIds[0] } });
    expect(audit.via).toBe('chat');
    expect(await bindStatus(prisma, account, now)).toEqual({ status: 'bound', name: '张三' });
  });

  it('an account with a binding request waiting is “pending”, with the request’s number', async () => {
    const account = await seedAccount(prisma, communityId);
    expect(await bindStatus(prisma, account, now)).toEqual({ status: 'visitor' });
    const request = await prisma.$transaction((tx) =>
      createBindingRequest(tx, { communityId, chatAccountId: account, name: '等待者', address: '团结巷1号', phone: '13900000000' }),
    );
    expect(request.status).toBe('created');
    expect(await bindStatus(prisma, account, now)).toEqual({ status: 'pending', number: (request as { number: number }).number });
  });

  it('a used code is “used” for anyone; a bound account is told it is bound already', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '李四' }]);
    const { code } = await createInviteCode(prisma, { communityId, residentId: household.residentIds[0]!, actor: operator, now });
    const first = await seedAccount(prisma, communityId);
    await attempt(first, code);
    expect(await attempt(await seedAccount(prisma, communityId), code)).toEqual({ status: 'used' });
    expect(await attempt(first, code)).toEqual({ status: 'already_bound', name: '李四' });
  });

  it('an expired code is “expired”, from the instant it expires', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '王五' }]);
    const { code, expiresAt } = await createInviteCode(prisma, { communityId, residentId: household.residentIds[0]!, ttlDays: 1, actor: operator, now });
    const account = await seedAccount(prisma, communityId);
    expect(await attempt(account, code, expiresAt)).toEqual({ status: 'expired' });
    const row = await prisma.chatAccount.findUniqueOrThrow({ where: { id: account } });
    expect([row.residentId, row.bindFailures]).toEqual([null, 0]);
    expect((await attempt(account, code, new Date(expiresAt.getTime() - 1))).status).toBe('bound');
  });

  it('a household’s code lists its members; the one picked is bound and the code used up', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '赵一' }, { name: '赵二' }]);
    const { code } = await createInviteCode(prisma, { communityId, householdId: household.householdId, actor: operator, now });
    const account = await seedAccount(prisma, communityId);
    expect(await attempt(account, code)).toEqual({ status: 'household', householdId: household.householdId });
    expect(await prisma.$transaction((tx) => householdMembers(tx, household.householdId))).toEqual({
      address: household.address,
      members: [
        { id: household.residentIds[0], name: '赵一' },
        { id: household.residentIds[1], name: '赵二' },
      ],
    });
    // Nothing is used up until the person says who they are.
    expect((await prisma.inviteCode.findFirstOrThrow({ where: { householdId: household.householdId } })).usedAt).toBeNull();

    const pick = (residentId: string, chatAccountId = account) =>
      prisma.$transaction((tx) => bindHouseholdMember(tx, { communityId, chatAccountId, code, residentId, now }));
    const stranger = (await seedHousehold(prisma, communityId, [{ name: '外人' }])).residentIds[0]!;
    expect(await pick(stranger)).toEqual({ status: 'not_member' });
    expect(await pick(household.residentIds[1]!)).toMatchObject({ status: 'bound', name: '赵二' });
    expect(await pick(household.residentIds[0]!, await seedAccount(prisma, communityId))).toEqual({ status: 'used' });
  });

  it('wrong codes: the 4th leaves a try, the 5th locks for 15 minutes, even a right code waits, then it works', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '钱七' }]);
    const { code } = await createInviteCode(prisma, { communityId, residentId: household.residentIds[0]!, ttlDays: 1, actor: operator, now });
    const account = await seedAccount(prisma, communityId);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await attempt(account, 'WXYZ-2345', new Date(now.getTime() + i * MINUTE)));
    expect(results.slice(0, 4)).toEqual([4, 3, 2, 1].map((triesLeft) => ({ status: 'invalid', triesLeft })));
    const until = new Date(now.getTime() + 4 * MINUTE + 15 * MINUTE);
    expect(results[4]).toEqual({ status: 'locked', until });

    // The 6th try, with the right code, a minute before the lock ends: refused, nothing used.
    expect(await attempt(account, code, new Date(until.getTime() - MINUTE))).toEqual({ status: 'locked', until });
    expect(await bindStatus(prisma, account, new Date(until.getTime() - 1))).toEqual({ status: 'locked', until });
    expect((await prisma.inviteCode.findFirstOrThrow({ where: { residentId: household.residentIds[0] } })).usedAt).toBeNull();

    // At the end of the lock the right code binds, and the count is cleared.
    expect(await bindStatus(prisma, account, until)).toEqual({ status: 'visitor' });
    expect((await attempt(account, code, until)).status).toBe('bound');
    const row = await prisma.chatAccount.findUniqueOrThrow({ where: { id: account } });
    expect([row.bindFailures, row.bindWindowStart, row.bindLockedUntil]).toEqual([0, null, null]);
  });

  it('something not shaped like a code is not counted as a guess', async () => {
    const account = await seedAccount(prisma, communityId);
    for (const typed of ['我没有码', '12345', 'ABCD-EFG0']) expect(await attempt(account, typed)).toEqual({ status: 'malformed' });
    expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: account } })).bindFailures).toBe(0);
  });

  it('two accounts racing for one code: exactly one is bound', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '孙八' }]);
    const { code } = await createInviteCode(prisma, { communityId, residentId: household.residentIds[0]!, actor: operator, now });
    const accounts = await Promise.all([1, 2, 3, 4].map(() => seedAccount(prisma, communityId)));
    const results = await Promise.all(accounts.map((account) => attempt(account, code)));
    expect(results.filter((r) => r.status === 'bound')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'used')).toHaveLength(3);
    expect(await prisma.chatAccount.count({ where: { residentId: household.residentIds[0] } })).toBe(1);
  });
});
