/**
 * Removing a person: the community's records stay, the person goes — accounts unbound, binding
 * requests and invite codes deleted, roles ended, group head cleared, the Resident row deleted,
 * one audit row with ids and counts. Afterwards their name and phone are in no table at all.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../../src/features/audit/record-audit.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { PolicyDeniedError } from '../../../src/features/policy/policy.js';
import { removeResident, ResidentNotFoundError } from '../../../src/features/privacy/remove-resident.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { A1_ADDRESS, PEOPLE, seedPolicyCommunity, type SeededCommunity } from '../policy/support/seed-community.js';
import { tablesContaining } from './support/scan-database.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(databaseTargets())('removeResident on %s', (target) => {
  let db: TestDatabase | undefined;
  let s: SeededCommunity;
  const prisma = () => db!.prisma;
  const actor = async (residentId: string): Promise<Actor> => (await loadActor(prisma(), { residentId }, { now: s.now }))!;

  beforeEach(async () => {
    db ??= await createTestDatabase(target);
    s = await seedPolicyCommunity(prisma());
    // Zhang's traces beyond the Resident row: a binding request per account (one approved, one
    // pending), an unused and a used personal invite code, a household code (not his), a role,
    // an earlier audit row about him.
    await prisma().bindingRequest.createMany({
      data: [
        { communityId: s.communityId, number: 1, chatAccountId: s.accounts.zhangWeb, name: PEOPLE.zhang.name, address: A1_ADDRESS, phone: PEOPLE.zhang.phone, status: 'approved', residentId: s.residents.zhang },
        { communityId: s.communityId, number: 2, chatAccountId: s.accounts.zhangTelegram, name: PEOPLE.zhang.name, address: A1_ADDRESS, phone: PEOPLE.zhang.phone },
        { communityId: s.communityId, number: 3, chatAccountId: s.accounts.visitor, name: '陌生人', address: '别处', phone: '13000009999' },
      ],
    });
    const expiresAt = new Date(Date.now() + 7 * DAY);
    await prisma().inviteCode.createMany({
      data: [
        { communityId: s.communityId, codeHash: `unused-${s.communityId}`, residentId: s.residents.zhang, expiresAt },
        { communityId: s.communityId, codeHash: `used-${s.communityId}`, residentId: s.residents.zhang, expiresAt, usedAt: new Date() },
        { communityId: s.communityId, codeHash: `household-${s.communityId}`, householdId: s.households.a1, expiresAt },
      ],
    });
    await prisma().roleAssignment.create({ data: { communityId: s.communityId, residentId: s.residents.zhang, role: 'representative' } });
    await recordAudit(prisma(), { communityId: s.communityId, actor: { kind: 'system' }, action: 'resident.reveal_phone', subjectType: 'resident', subjectId: s.residents.zhang });
  });
  afterAll(() => db?.close());

  it('lets a person remove themself and strips them from everything, keeping the community records', async () => {
    const zhang = await actor(s.residents.zhang);
    const result = await prisma().$transaction((tx) => removeResident(tx, { communityId: s.communityId, residentId: s.residents.zhang, actor: zhang, now: s.now }));
    expect(result).toEqual({
      accountsUnbound: 2,
      bindingRequestsDeleted: 2,
      rolesEnded: 1,
      inviteCodesDeleted: 2,
      wasGroupHead: true,
      messagesCleared: 0,
      webMessagesDeleted: 0,
      flowAnswersCleared: 0,
      photosForgotten: 0,
    });

    expect(await prisma().resident.findUnique({ where: { id: s.residents.zhang } })).toBeNull();
    const accounts = await prisma().chatAccount.findMany({ where: { id: { in: [s.accounts.zhangWeb, s.accounts.zhangTelegram] } } });
    expect(accounts.map((account) => [account.residentId, account.boundAt])).toEqual([
      [null, null],
      [null, null],
    ]);
    // Their accounts are visitors now.
    expect(await loadActor(prisma(), { chatAccountId: s.accounts.zhangWeb })).toMatchObject({ kind: 'visitor' });
    expect(await prisma().householdGroup.findUnique({ where: { id: s.groups.ga } })).toMatchObject({ headId: null });
    expect(await prisma().roleAssignment.count({ where: { residentId: s.residents.zhang } })).toBe(0);
    expect(await prisma().inviteCode.count({ where: { residentId: s.residents.zhang } })).toBe(0);

    // What belongs to the community stays: the household, its code, the housemate, others' requests.
    expect(await prisma().household.findUnique({ where: { id: s.households.a1 } })).toMatchObject({ code: 'A1' });
    expect(await prisma().inviteCode.count({ where: { householdId: s.households.a1 } })).toBe(1);
    expect(await prisma().resident.findUnique({ where: { id: s.residents.li } })).toMatchObject({ name: PEOPLE.li.name });
    expect(await prisma().bindingRequest.findMany({ where: { communityId: s.communityId }, select: { number: true } })).toEqual([{ number: 3 }]);

    const [audit] = await prisma().auditLog.findMany({ where: { subjectId: s.residents.zhang, action: 'resident.remove' } });
    expect(audit).toMatchObject({
      actorId: s.residents.zhang,
      via: 'chat',
      subjectType: 'resident',
      details: { ...result, householdId: s.households.a1, self: true },
    });
  });

  it('leaves their name and phone in no table of the database', async () => {
    // A name and number no other test's community holds, so the whole database can be searched.
    const name = '诸葛独一';
    const phone = '15876543210';
    await prisma().resident.update({ where: { id: s.residents.zhang }, data: { name, phone } });
    await prisma().bindingRequest.updateMany({ where: { communityId: s.communityId, residentId: s.residents.zhang }, data: { name, phone } });
    await prisma().bindingRequest.updateMany({ where: { chatAccountId: s.accounts.zhangTelegram }, data: { name, phone } });
    // What their chats hold: a sent "my data" summary, the web chat's history both ways, the answers
    // of a finished binding-request run, and a conversation resting at the menu with old answers.
    const web = await prisma().chatAccount.findUniqueOrThrow({ where: { id: s.accounts.zhangWeb } });
    const summary = { text: `姓名：${name}\n电话：${phone}` };
    await prisma().outboxMessage.create({ data: { communityId: s.communityId, channel: 'web', chatId: web.externalId, chatAccountId: web.id, payload: summary, status: 'sent' } });
    const pending = await prisma().outboxMessage.create({ data: { communityId: s.communityId, channel: 'web', chatId: web.externalId, chatAccountId: web.id, payload: { text: '已为您删除。' } } });
    await prisma().webChatMessage.createMany({
      data: [
        { communityId: s.communityId, sessionId: web.externalId, direction: 'in', payload: { text: phone } },
        { communityId: s.communityId, sessionId: web.externalId, direction: 'out', payload: summary },
      ],
    });
    const conversation = await prisma().conversation.create({ data: { communityId: s.communityId, chatAccountId: web.id, channel: 'web', chatId: web.externalId, data: { phone } } });
    const run = await prisma().flowRun.create({ data: { conversationId: conversation.id, flowId: 'bind_request', status: 'done', endedAt: new Date() } });
    await prisma().flowEffect.create({ data: { flowRunId: run.id, stepId: 'submit', name: 'binding_request', result: { name, phone } } });
    expect(await tablesContaining(prisma(), phone)).toEqual({ BindingRequest: 2, Conversation: 1, FlowEffect: 1, OutboxMessage: 1, Resident: 1, WebChatMessage: 2 });
    expect(await tablesContaining(prisma(), name)).toEqual({ BindingRequest: 2, FlowEffect: 1, OutboxMessage: 1, Resident: 1, WebChatMessage: 1 });

    const zhang = await actor(s.residents.zhang);
    const result = await prisma().$transaction((tx) => removeResident(tx, { communityId: s.communityId, residentId: s.residents.zhang, actor: zhang, now: s.now }));
    expect(result).toMatchObject({ messagesCleared: 1, webMessagesDeleted: 2, flowAnswersCleared: 2 });
    // A message still on its way (the removal's own confirmation) goes out as written.
    expect((await prisma().outboxMessage.findUniqueOrThrow({ where: { id: pending.id } })).payload).toEqual({ text: '已为您删除。' });
    expect(await tablesContaining(prisma(), phone)).toEqual({});
    expect(await tablesContaining(prisma(), name)).toEqual({});
  });

  it('needs an admin to remove someone else; a refusal changes nothing', async () => {
    for (const who of [s.residents.committee, s.residents.li, s.residents.steward]) {
      const staff = await actor(who);
      const refused = prisma().$transaction((tx) => removeResident(tx, { communityId: s.communityId, residentId: s.residents.zhang, actor: staff, now: s.now }));
      await expect(refused).rejects.toBeInstanceOf(PolicyDeniedError);
      await expect(refused).rejects.toMatchObject({ reason: 'not_yourself' });
    }
    expect(await prisma().resident.findUnique({ where: { id: s.residents.zhang } })).not.toBeNull();
    expect(await prisma().chatAccount.count({ where: { residentId: s.residents.zhang } })).toBe(2);
    expect(await prisma().auditLog.count({ where: { subjectId: s.residents.zhang, action: 'resident.remove' } })).toBe(0);

    const admin = await actor(s.residents.admin);
    await prisma().$transaction((tx) => removeResident(tx, { communityId: s.communityId, residentId: s.residents.zhang, actor: admin, now: s.now }));
    const [audit] = await prisma().auditLog.findMany({ where: { subjectId: s.residents.zhang, action: 'resident.remove' } });
    expect(audit).toMatchObject({ actorId: s.residents.admin, via: 'chat', details: { self: false } });
  });

  it('lets the operator remove a member of staff (community taken from the person), recorded as `cli`', async () => {
    const result = await prisma().$transaction((tx) => removeResident(tx, { residentId: s.residents.steward, actor: { kind: 'operator' }, now: s.now }));
    expect(result).toEqual({
      accountsUnbound: 1,
      bindingRequestsDeleted: 0,
      rolesEnded: 3,
      inviteCodesDeleted: 0,
      wasGroupHead: false,
      messagesCleared: 0,
      webMessagesDeleted: 0,
      flowAnswersCleared: 0,
      photosForgotten: 0,
    });
    const [audit] = await prisma().auditLog.findMany({ where: { subjectId: s.residents.steward, action: 'resident.remove' } });
    expect(audit).toMatchObject({ communityId: s.communityId, actorId: null, via: 'cli', details: { householdId: null, self: false } });
  });

  it('refuses someone of another community as not found, and leaves them be', async () => {
    const other = await seedPolicyCommunity(prisma());
    const attempt = prisma().$transaction((tx) =>
      removeResident(tx, { communityId: s.communityId, residentId: other.residents.zhao, actor: { kind: 'operator' }, now: s.now }),
    );
    await expect(attempt).rejects.toBeInstanceOf(ResidentNotFoundError);
    const nobody = prisma().$transaction((tx) => removeResident(tx, { residentId: 'no-such-resident', actor: { kind: 'operator' } }));
    await expect(nobody).rejects.toBeInstanceOf(ResidentNotFoundError);
    expect(await prisma().resident.count({ where: { id: other.residents.zhao } })).toBe(1);
  });
});
