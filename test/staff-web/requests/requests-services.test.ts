/**
 * Binding requests in the staff console against a real database (households from the roster
 * importer, staff from the staff service): the list shows each viewer exactly the requests the
 * policy lets them decide, waiting ones first and oldest first, with the likely household; the
 * roster search for a request; and a decision from the page is the chat's decision — the same
 * identity feature's function, the same audit row and the same message to the person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/channels/types.js';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { approveBindingRequestIn, createBindingRequest } from '../../../src/features/identity/binding-requests.js';
import { rosterMatch } from '../../../src/features/identity/roster-match.js';
import { areaAncestry } from '../../../src/features/policy/area-ancestry.js';
import { can } from '../../../src/features/policy/policy.js';
import { AccountNotifier } from '../../../src/notify/account-notifier.js';
import { decideBindingRequest } from '../../../src/staff-web/requests/decide-request.js';
import { listBindingRequests, loadBindingRequest } from '../../../src/staff-web/requests/list-requests.js';
import { searchRosterForRequest } from '../../../src/staff-web/requests/search-roster.js';
import { revealRequestPhone } from '../../../src/staff-web/people/reveal-phones.js';
import type { EventPublisher } from '../../../src/events/index.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { NOW, seedPeopleCommunity, translator, type PeopleCommunity } from '../people/fixture.js';

const notifier = new AccountNotifier({ translator });

describe.each(databaseTargets())('staff console binding requests on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let c: PeopleCommunity;
  /** Request numbers by who asked. */
  const asked: Record<string, number> = {};
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    c = await seedPeopleCommunity(prisma);
    for (const [who, fields] of Object.entries(REQUESTS)) asked[who] = await ask(fields.name, fields.phone, fields.channel);
  });
  afterAll(() => db?.close());

  /** A visitor asks to be bound; the request's number. */
  async function ask(name: string, phone: string, channel = 'telegram'): Promise<number> {
    const account = await prisma.chatAccount.create({ data: { communityId: c.communityId, channel, externalId: `ext-${Math.random()}`, locale: 'en' } });
    const filed = await prisma.$transaction((tx) => createBindingRequest(tx, { communityId: c.communityId, chatAccountId: account.id, name, address: '团结巷1号院东屋', phone }));
    if (filed.status !== 'created') throw new Error(filed.status);
    return filed.number;
  }

  const REQUESTS: Record<string, { name: string; phone: string; channel?: string }> = {
    // 张小丰 of H-101 (平房区/团结巷), on the roster with this phone.
    xiaofeng: { name: '张小丰', phone: '13800005678', channel: 'web' },
    // 王五 of H-301 (楼寓/2号楼).
    wangwu: { name: '王五', phone: '13600009999' },
    // Nobody on the roster.
    stranger: { name: '陌生人', phone: '13000000000' },
  };

  const list = (actor: Parameters<typeof listBindingRequests>[1]['actor'], status: 'pending' | 'decided' | 'all' = 'pending') =>
    listBindingRequests(prisma, { communityId: c.communityId, actor, status, now: NOW });

  it('lists every waiting request for the committee, oldest first, with what was typed and the likely household', async () => {
    const result = await list(await c.actorOf('钱委员'));
    expect(result.requests.map((r) => r.number)).toEqual([asked.xiaofeng, asked.wangwu, asked.stranger]);
    expect(result.paging).toMatchObject({ total: 3, page: 1 });
    expect(result).toMatchObject({ mayDecide: true, mayReject: true });
    expect(result.requests[0]).toMatchObject({
      name: '张小丰',
      address: '团结巷1号院东屋',
      maskedPhone: '138****5678',
      channel: 'web',
      status: 'pending',
      decidedAt: null,
      likely: { residentId: c.people['张小丰'], householdCode: 'H-101', address: '团结巷1号院', areaPath: '平房区/团结巷' },
    });
    expect(result.requests[2]!.likely).toBeNull();
    expect(JSON.stringify(result)).not.toContain('13800005678');
  });

  it.each([
    ['赵管理', ['xiaofeng', 'wangwu', 'stranger']],
    ['孙片长', ['xiaofeng']],
    ['周片长', ['wangwu']],
    ['吴理事', []],
    ['张三丰', []],
  ])('shows %s exactly the requests the policy lets them decide', async (name, expected) => {
    const actor = await c.actorOf(name);
    const result = await list(actor);
    expect(result.requests.map((r) => r.number)).toEqual(expected.map((who) => asked[who]));
    expect(result.paging.total).toBe(expected.length);
    for (const [who, fields] of Object.entries(REQUESTS)) {
      const match = await rosterMatch(prisma, c.communityId, fields);
      const areaIds = match?.household ? await areaAncestry(prisma, match.household.areaId) : [];
      expect({ who, decides: can(actor, 'binding.approve', { communityId: c.communityId, areaIds }, { now: NOW }) }).toEqual({ who, decides: expected.includes(who) });
    }
    const one = await loadBindingRequest(prisma, { communityId: c.communityId, actor, number: asked.xiaofeng!, now: NOW });
    expect(one.status).toBe(expected.includes('xiaofeng') ? 'found' : 'not_found');
    // Approve buttons in the roster search: exactly where the policy lets this viewer approve into the household.
    const found = await searchRosterForRequest(prisma, { communityId: c.communityId, actor, q: '号', now: NOW });
    for (const household of found.status === 'found' ? found.households : []) {
      const subject = { communityId: c.communityId, areaIds: await areaAncestry(prisma, (await prisma.household.findFirstOrThrow({ where: { communityId: c.communityId, code: household.code } })).areaId) };
      expect({ code: household.code, mayApprove: household.mayApprove }).toEqual({ code: household.code, mayApprove: can(actor, 'binding.approve', subject, { now: NOW }) });
    }
  });

  it('tells a steward they may approve but not reject (nothing says where a rejected person lives)', async () => {
    expect(await list(await c.actorOf('孙片长'))).toMatchObject({ mayDecide: true, mayReject: false });
    expect(await list(await c.actorOf('吴理事'))).toMatchObject({ mayDecide: false, mayReject: false, requests: [] });
  });

  it('searches the roster for a request within the viewer’s households, members masked', async () => {
    const steward = await c.actorOf('孙片长');
    const found = await searchRosterForRequest(prisma, { communityId: c.communityId, actor: steward, q: '1234', now: NOW });
    // 李四 of 胜利巷 also has a phone ending 1234, outside this steward's area.
    expect(found).toEqual({
      status: 'found',
      q: '1234',
      paging: { page: 1, pageSize: 50, total: 1, pages: 1 },
      households: [
        {
          code: 'H-101',
          address: '团结巷1号院',
          areaPath: '平房区/团结巷',
          members: [
            { maskedName: '张**', phoneEnding: '1234' },
            { maskedName: '张**', phoneEnding: '5678' },
          ],
          mayApprove: true,
        },
      ],
    });
    const committee = await searchRosterForRequest(prisma, { communityId: c.communityId, actor: await c.actorOf('钱委员'), q: '234', now: NOW });
    expect(committee.status === 'found' && committee.households.map((h) => h.code)).toEqual(['H-101', 'H-201']);
    expect(await searchRosterForRequest(prisma, { communityId: c.communityId, actor: steward, q: '34', now: NOW })).toEqual({ status: 'too_short', q: '34', minDigits: 3 });
    expect(await searchRosterForRequest(prisma, { communityId: c.communityId, actor: steward, q: '欧阳', now: NOW })).toMatchObject({
      households: [{ code: 'H-102', members: [{ maskedName: '欧阳**', phoneEnding: '2468' }] }],
    });
  });

  it('approves from the page as the chat does: the same audit row, the same message to the person, rows to dispatch', async () => {
    const steward = await c.actorOf('孙片长');
    const viaChat = await ask('李四', '13700001234');
    const viaPage = await ask('欧阳娜娜', '13900002468');
    const published: string[] = [];
    const events: EventPublisher = {
      async publish(_tx, name, payload) {
        published.push(`${name}:${(payload as { kind?: string }).kind}`);
      },
    };
    // The staff chat's path: the identity feature's function in the turn's transaction, with the
    // sender's roles (the committee member in chat).
    const inChat = { ...(await c.actorOf('钱委员')), via: undefined };
    await prisma.$transaction((tx) => approveBindingRequestIn(tx, { communityId: c.communityId, number: viaChat, householdCode: 'H-201', actor: inChat, notifier, now: NOW }));
    const decided = await decideBindingRequest(prisma, { communityId: c.communityId, actor: steward, number: viaPage, decision: 'approve', householdCode: ' H-102 ', notifier, events, now: NOW });
    expect(decided.outcome).toEqual({ status: 'approved', residentId: c.people['欧阳娜娜'], createdResident: false, householdId: c.households['H-102'] });
    expect(decided.rows).toHaveLength(1);
    expect(published).toEqual(['binding_request.changed:approved']);

    const audits = await prisma.auditLog.findMany({ where: { communityId: c.communityId, action: 'binding.approve', OR: [viaChat, viaPage].map((number) => ({ details: { path: ['number'], equals: number } })) }, orderBy: { createdAt: 'asc' } });
    expect(audits.map((row) => Object.keys(row.details as object).sort())).toEqual([
      ['createdResident', 'householdId', 'number', 'residentId'],
      ['createdResident', 'householdId', 'number', 'residentId'],
    ]);
    expect(audits[0]).toMatchObject({ actorId: inChat.residentId, via: 'chat', subjectType: 'binding_request', details: { number: viaChat, residentId: c.people['李四'] } });
    // The same row, said to come from the console.
    expect(audits[1]).toMatchObject({ actorId: steward.residentId, via: 'console', subjectType: 'binding_request', details: { number: viaPage, residentId: c.people['欧阳娜娜'] } });

    const messages = await prisma.outboxMessage.findMany({ where: { id: { in: decided.rows.map((row) => row.id) } } });
    expect((messages[0]!.payload as unknown as OutboundMessage).text).toBe(
      `Your binding request (number ${viaPage}) has been approved. Welcome, 欧阳娜娜! Reply "menu" to get started.`,
    );
    const request = await prisma.bindingRequest.findFirstOrThrow({ where: { communityId: c.communityId, number: viaPage }, select: { status: true, chatAccount: { select: { residentId: true } } } });
    expect(request).toEqual({ status: 'approved', chatAccount: { residentId: c.people['欧阳娜娜'] } });

    expect((await decideBindingRequest(prisma, { communityId: c.communityId, actor: steward, number: viaPage, decision: 'approve', householdCode: 'H-102', notifier, now: NOW })).outcome).toEqual({
      status: 'already_decided',
      decision: 'approved',
    });
    const all = await list(await c.actorOf('钱委员'), 'all');
    expect(all.requests.map((r) => [r.number, r.status])).toEqual([
      [asked.xiaofeng, 'pending'],
      [asked.wangwu, 'pending'],
      [asked.stranger, 'pending'],
      [viaChat, 'approved'],
      [viaPage, 'approved'],
    ]);
  });

  it('refuses a steward of another area: nothing changes, the person hears nothing, the attempt is audited', async () => {
    const other = await c.actorOf('周片长');
    const number = asked.xiaofeng!;
    const decided = await decideBindingRequest(prisma, { communityId: c.communityId, actor: other, number, decision: 'approve', householdCode: 'H-101', notifier, now: NOW });
    expect(decided).toEqual({ outcome: { status: 'denied', reason: 'outside_your_area' }, rows: [] });
    const rejected = await decideBindingRequest(prisma, { communityId: c.communityId, actor: other, number, decision: 'reject', notifier, now: NOW });
    expect(rejected.outcome).toEqual({ status: 'denied', reason: 'outside_your_area' });
    expect((await prisma.bindingRequest.findFirstOrThrow({ where: { communityId: c.communityId, number } })).status).toBe('pending');
    const refusals = await prisma.auditLog.findMany({ where: { communityId: c.communityId, actorId: other.residentId, details: { path: ['denied'], equals: true } } });
    expect(refusals.map((row) => row.action).sort()).toEqual(['binding.approve', 'binding.reject']);
  });

  it('reveals a request’s number to whoever may decide it, audited', async () => {
    const input = { communityId: c.communityId, number: asked.wangwu!, now: NOW };
    expect(await revealRequestPhone(prisma, { ...input, actor: await c.actorOf('周片长') })).toEqual({ ok: true, phone: '13600009999' });
    expect(await revealRequestPhone(prisma, { ...input, actor: await c.actorOf('孙片长') })).toEqual({ ok: false, reason: 'outside_your_area' });
    expect(await prisma.auditLog.count({ where: { communityId: c.communityId, action: 'resident.reveal_phone', subjectType: 'binding_request' } })).toBe(2);
  });

  it('rejects for staff of the whole community, and the person is told', async () => {
    const committee = await c.actorOf('钱委员');
    const decided = await decideBindingRequest(prisma, { communityId: c.communityId, actor: committee, number: asked.stranger!, decision: 'reject', notifier, now: NOW });
    expect(decided.outcome).toEqual({ status: 'rejected' });
    expect(decided.rows).toHaveLength(1);
    const decidedList = await list(committee, 'decided');
    expect(decidedList.requests.find((r) => r.number === asked.stranger)).toMatchObject({ status: 'rejected', decidedAt: NOW });
    expect((await list(committee)).requests.map((r) => r.number)).not.toContain(asked.stranger);
  });
});
