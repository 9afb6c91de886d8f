/**
 * Requests to be bound without a code: numbered in turn, one waiting per account; approved by
 * staff whose area covers the household (matching the member by name, or adding the person),
 * or rejected — the person told in their language through the outbox, the decision audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/channels/types.js';
import { AccountNotifier } from '../../../src/notify/account-notifier.js';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import {
  approveBindingRequest,
  approveBindingRequestIn,
  createBindingRequest,
  rejectBindingRequest,
  rejectBindingRequestIn,
} from '../../../src/features/identity/binding-requests.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { PolicyDeniedError } from '../../../src/features/policy/policy.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { ROOT } from '../../conversation/support/test-locales.js';
import { seedAccount, seedArea, seedHousehold, seedStaff } from './support/seed.js';
import { seedCommunity } from '../../support/community.js';
import { join } from 'node:path';

const operator = { kind: 'operator' } as const;
const notifier = new AccountNotifier({ translator: loadTranslator(join(ROOT, 'locales')) });

describe.each(databaseTargets())('binding requests on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let communityId: string;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    // The office's number is in what a turned-down applicant is told.
    communityId = (await seedCommunity(prisma, { officePhone: '0991-1234567' })).id;
  });
  afterAll(() => db?.close());

  const request = (chatAccountId: string, fields: { name: string; address?: string; phone?: string }) =>
    prisma.$transaction((tx) =>
      createBindingRequest(tx, { communityId, chatAccountId, address: '团结巷3号院', phone: '13800138000', ...fields }),
    );
  const sentTo = async (chatAccountId: string) =>
    (await prisma.outboxMessage.findMany({ where: { chatAccountId }, orderBy: { seq: 'asc' } })).map((row) => ({
      chatId: row.chatId,
      channel: row.channel,
      text: (row.payload as unknown as OutboundMessage).text,
    }));

  it('numbers requests in turn; asking again while one waits gives the same number', async () => {
    const own = (await seedCommunity(prisma)).id;
    const make = (chatAccountId: string) =>
      prisma.$transaction((tx) => createBindingRequest(tx, { communityId: own, chatAccountId, name: '甲', address: '乙', phone: '13800138000' }));
    const [a, b] = [await seedAccount(prisma, own), await seedAccount(prisma, own)];
    expect(await make(a)).toEqual({ status: 'created', number: 1 });
    expect(await make(b)).toEqual({ status: 'created', number: 2 });
    expect(await make(a)).toEqual({ status: 'pending', number: 1 });
    expect(await prisma.bindingRequest.count({ where: { communityId: own } })).toBe(2);
  });

  it('hands out distinct numbers to requests filed at the same moment', async () => {
    const own = (await seedCommunity(prisma)).id;
    const accounts = await Promise.all([1, 2, 3, 4, 5].map(() => seedAccount(prisma, own)));
    const results = await Promise.all(
      accounts.map((chatAccountId) =>
        prisma.$transaction((tx) => createBindingRequest(tx, { communityId: own, chatAccountId, name: '甲', address: '乙', phone: '13800138000' })),
      ),
    );
    expect(results.map((r) => ('number' in r ? r.number : 0)).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('approval with the household binds the member of that name and tells the person in their language', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '张三' }, { name: '张小三' }]);
    const account = await seedAccount(prisma, communityId, 'telegram', 'en');
    const filed = await request(account, { name: ' 张 三 ' });
    if (filed.status !== 'created') throw new Error('expected a new request');
    const outcome = await approveBindingRequest(prisma, { communityId, number: filed.number, householdCode: household.code, actor: operator, notifier });
    expect(outcome).toEqual({ status: 'approved', residentId: household.residentIds[0], createdResident: false, householdId: household.householdId });
    expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: account } })).residentId).toBe(household.residentIds[0]);
    const row = await prisma.bindingRequest.findFirstOrThrow({ where: { communityId, number: filed.number } });
    expect([row.status, row.residentId]).toEqual(['approved', household.residentIds[0]]);
    const external = (await prisma.chatAccount.findUniqueOrThrow({ where: { id: account } })).externalId;
    expect(await sentTo(account)).toEqual([
      { chatId: external, channel: 'telegram', text: `Your binding request (number ${filed.number}) has been approved. Welcome, 张三! Reply "menu" to get started.` },
    ]);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'binding.approve', subjectId: row.id } });
    expect(audit.details).toMatchObject({ number: filed.number, residentId: household.residentIds[0], createdResident: false });
    expect(JSON.stringify(audit.details)).not.toContain('张三');
  });

  it('approval adds someone not on the roster to the household, after its members', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '李四' }]);
    const account = await seedAccount(prisma, communityId);
    const filed = await request(account, { name: '李小四', phone: '13900001111' });
    if (filed.status !== 'created') throw new Error('expected a new request');
    const outcome = await approveBindingRequest(prisma, { communityId, number: filed.number, householdCode: household.code, actor: operator, notifier });
    if (outcome.status !== 'approved') throw new Error(outcome.status);
    expect(outcome.createdResident).toBe(true);
    const added = await prisma.resident.findUniqueOrThrow({ where: { id: outcome.residentId } });
    expect(added).toMatchObject({ name: '李小四', phone: '13900001111', householdId: household.householdId, position: 1 });
    expect((await sentTo(account))[0]!.text).toContain('欢迎您，李小四');
  });

  it('without a household it needs exactly one person on the roster with that name and phone', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '王五', phone: '13700002222' }]);
    const account = await seedAccount(prisma, communityId);
    const wrongPhone = await request(account, { name: '王五', phone: '13700009999' });
    if (wrongPhone.status !== 'created') throw new Error('expected a new request');
    expect(await approveBindingRequest(prisma, { communityId, number: wrongPhone.number, actor: operator, notifier })).toEqual({ status: 'household_required' });
    expect((await prisma.bindingRequest.findFirstOrThrow({ where: { communityId, number: wrongPhone.number } })).status).toBe('pending');
    await rejectBindingRequest(prisma, { communityId, number: wrongPhone.number, actor: operator, notifier });

    const right = await request(account, { name: '王五', phone: '13700002222' });
    if (right.status !== 'created') throw new Error('expected a new request');
    expect(await approveBindingRequest(prisma, { communityId, number: right.number, actor: operator, notifier })).toMatchObject({
      status: 'approved',
      residentId: household.residentIds[0],
    });
  });

  it('refuses unknown numbers and households, and decides each request once', async () => {
    const account = await seedAccount(prisma, communityId);
    const filed = await request(account, { name: '赵六' });
    if (filed.status !== 'created') throw new Error('expected a new request');
    expect(await approveBindingRequest(prisma, { communityId, number: 99_999, actor: operator, notifier })).toEqual({ status: 'not_found' });
    expect(await approveBindingRequest(prisma, { communityId, number: filed.number, householdCode: 'NO-SUCH', actor: operator, notifier })).toEqual({
      status: 'household_not_found',
    });
    expect(await rejectBindingRequest(prisma, { communityId, number: filed.number, actor: operator, notifier })).toEqual({ status: 'rejected' });
    expect(await rejectBindingRequest(prisma, { communityId, number: filed.number, actor: operator, notifier })).toEqual({
      status: 'already_decided',
      decision: 'rejected',
    });
    const household = await seedHousehold(prisma, communityId, [{ name: '赵六' }]);
    expect(await approveBindingRequest(prisma, { communityId, number: filed.number, householdCode: household.code, actor: operator, notifier })).toEqual({
      status: 'already_decided',
      decision: 'rejected',
    });
    const texts = (await sentTo(account)).map((m) => m.text);
    expect(texts).toEqual([`抱歉，您的绑定申请（编号${filed.number}）已拒绝：信息没能核实。如有疑问，请联系社区办公室（电话：0991-1234567）。`]);
    // A rejected person may ask again.
    expect((await request(account, { name: '赵六' })).status).toBe('created');
  });

  it('two staff approving at once: one approval, one binding, one message', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '孙七' }]);
    const account = await seedAccount(prisma, communityId);
    const filed = await request(account, { name: '孙七' });
    if (filed.status !== 'created') throw new Error('expected a new request');
    const approve = () => approveBindingRequest(prisma, { communityId, number: filed.number, householdCode: household.code, actor: operator, notifier });
    const results = await Promise.all([approve(), approve(), approve()]);
    expect(results.filter((r) => r.status === 'approved')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'already_decided')).toHaveLength(2);
    expect(await sentTo(account)).toHaveLength(1);
    expect(await prisma.auditLog.count({ where: { action: 'binding.approve', details: { path: ['number'], equals: filed.number }, communityId } })).toBe(1);
  });

  it('a steward approves in their own area only; elsewhere nothing changes', async () => {
    const area = await seedArea(prisma, communityId);
    const mine = await seedHousehold(prisma, communityId, [{ name: '周八' }], { areaId: area });
    const theirs = await seedHousehold(prisma, communityId, [{ name: '吴九' }]);
    const steward = (await loadActor(prisma, { residentId: await seedStaff(prisma, communityId, 'steward', area) }))!;
    const [a, b] = [await seedAccount(prisma, communityId), await seedAccount(prisma, communityId)];
    const inside = await request(a, { name: '周八' });
    const outside = await request(b, { name: '吴九' });
    if (inside.status !== 'created' || outside.status !== 'created') throw new Error('expected new requests');
    await expect(approveBindingRequest(prisma, { communityId, number: outside.number, householdCode: theirs.code, actor: steward, notifier })).rejects.toThrow(
      PolicyDeniedError,
    );
    expect((await prisma.bindingRequest.findFirstOrThrow({ where: { communityId, number: outside.number } })).status).toBe('pending');
    expect(await sentTo(b)).toEqual([]);
    expect((await approveBindingRequest(prisma, { communityId, number: inside.number, householdCode: mine.code, actor: steward, notifier })).status).toBe(
      'approved',
    );
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'binding.approve', details: { path: ['number'], equals: inside.number } } });
    expect([audit.via, audit.actorId]).toEqual(['chat', steward.kind === 'person' ? steward.residentId : null]);
  });

  it('an account bound meanwhile with a code is not rebound to someone else', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '郑十' }, { name: '郑十一' }]);
    const account = await seedAccount(prisma, communityId);
    const filed = await request(account, { name: '郑十' });
    if (filed.status !== 'created') throw new Error('expected a new request');
    await prisma.chatAccount.update({ where: { id: account }, data: { residentId: household.residentIds[1] } });
    expect(await approveBindingRequest(prisma, { communityId, number: filed.number, householdCode: household.code, actor: operator, notifier })).toEqual({
      status: 'account_bound',
    });
    expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: account } })).residentId).toBe(household.residentIds[1]);
  });

  it('a bound account cannot file a request', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '冯十二' }]);
    const account = await seedAccount(prisma, communityId);
    await prisma.chatAccount.update({ where: { id: account }, data: { residentId: household.residentIds[0] } });
    expect(await request(account, { name: '冯十二' })).toEqual({ status: 'already_bound', name: '冯十二' });
  });

  it('in the caller’s transaction a refusal is an outcome, audited; someone with no staff role learns nothing about the request', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '陈十三', phone: '13655556666' }]);
    const neighbour = (await loadActor(prisma, { residentId: household.residentIds[0]! }))!;
    const steward = (await loadActor(prisma, { residentId: await seedStaff(prisma, communityId, 'steward', await seedArea(prisma, communityId)) }))!;
    const account = await seedAccount(prisma, communityId);
    const filed = await request(account, { name: '陈十四', phone: '13677778888' });
    if (filed.status !== 'created') throw new Error('expected a new request');
    const decide = (actor: typeof neighbour, number: number, kind: 'approve' | 'reject') =>
      prisma.$transaction(async (tx): Promise<{ outcome: { status: string }; rows: unknown[] }> =>
        kind === 'approve'
          ? approveBindingRequestIn(tx, { communityId, number, actor, notifier })
          : rejectBindingRequestIn(tx, { communityId, number, actor, notifier }),
      );
    expect(await decide(neighbour, filed.number, 'approve')).toEqual({ outcome: { status: 'denied', reason: 'role_required' }, rows: [] });
    expect(await decide(neighbour, 99_999, 'reject')).toEqual({ outcome: { status: 'denied', reason: 'role_required' }, rows: [] });
    // A steward is told what is missing (the household), and may not turn down a request of no known area.
    expect((await decide(steward, filed.number, 'approve')).outcome).toEqual({ status: 'household_required' });
    expect((await decide(steward, filed.number, 'reject')).outcome).toEqual({ status: 'denied', reason: 'outside_your_area' });
    expect((await prisma.bindingRequest.findFirstOrThrow({ where: { communityId, number: filed.number } })).status).toBe('pending');
    expect(await sentTo(account)).toEqual([]);
    const refusals = await prisma.auditLog.findMany({
      where: { communityId, actorId: { in: [household.residentIds[0]!, steward.kind === 'person' ? steward.residentId : ''] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(refusals.map((row) => [row.action, row.actorId, row.details])).toEqual([
      ['binding.approve', household.residentIds[0], { number: filed.number, denied: true, reason: 'role_required' }],
      ['binding.reject', household.residentIds[0], { number: 99_999, denied: true, reason: 'role_required' }],
      ['binding.reject', steward.kind === 'person' ? steward.residentId : null, { number: filed.number, denied: true, reason: 'outside_your_area' }],
    ]);
  });
});
