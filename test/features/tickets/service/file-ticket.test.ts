/**
 * Filing a ticket on a real database: numbers (local year, gapless, unique under concurrency),
 * categories from the community's settings, due times (priority households get shorter ones),
 * routing (steward up the area tree, category override, committee fallback), the event, the
 * observer, the notices, and filing on someone's behalf within what the policy allows.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/features/policy/actor.js';
import { loadActor } from '../../../../src/features/policy/load-actor.js';
import { PolicyDeniedError } from '../../../../src/features/policy/policy.js';
import { fileTicket, TicketFilingError, type FileTicketInput } from '../../../../src/features/tickets/service/index.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { seedPolicyCommunity, type SeededCommunity } from '../../policy/support/seed-community.js';
import { DAY, HOUR, testDeps, type TestDeps } from './support.js';

describe.each(databaseTargets())('filing a ticket on %s', (target) => {
  let db: TestDatabase;
  let c: SeededCommunity;
  let deps: TestDeps;
  const prisma = () => db.prisma;
  const actorOf = async (residentId: string): Promise<Actor> => (await loadActor(prisma(), { residentId }, { now: c.now }))!;
  const file = (input: Partial<FileTicketInput> & { actor: Actor }) =>
    prisma().$transaction((tx) =>
      fileTicket(tx, deps, { communityId: c.communityId, kind: 'complaint', category: 'environment_sanitation', description: '楼道里堆满了杂物', ...input }),
    );

  beforeAll(async () => {
    db = await createTestDatabase(target);
  }, 60_000);
  afterAll(() => db?.close());
  beforeEach(async () => {
    // A community of its own per test: numbers start at 1.
    c = await seedPolicyCommunity(prisma());
    deps = testDeps(c.now);
  });

  it('numbers tickets MQ-<local year>-00001 on, and a filing at 00:30 on 1 January Beijing time is the new year’s', async () => {
    const zhang = await actorOf(c.residents.zhang);
    expect((await file({ actor: zhang })).number).toBe('MQ-2026-00001');
    expect((await file({ actor: zhang })).number).toBe('MQ-2026-00002');
    // 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Shanghai.
    const newYear = await file({ actor: zhang, at: new Date('2026-12-31T16:30:00Z') });
    expect(newYear.number).toBe('MQ-2027-00001');
    const lastOfOld = await file({ actor: zhang, at: new Date('2026-12-31T15:59:59Z') });
    expect(lastOfOld.number).toBe('MQ-2026-00003');
  });

  it('uses the community’s own prefix and categories from its settings', async () => {
    await prisma().community.update({
      where: { id: c.communityId },
      data: {
        ticketSettings: {
          numberPrefix: 'JM',
          categories: [
            { code: 'noise', firstResponse: '2h', resolution: '3d', priority: { firstResponse: '1h', resolution: '1d' }, label: { 'zh-CN': '噪音' } },
            { code: 'other', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '4h', resolution: '3d' } },
          ],
        },
      },
    });
    const zhao = await actorOf(c.residents.zhao);
    const filed = await file({ actor: zhao, category: 'noise' });
    expect(filed.number).toBe('JM-2026-00001');
    expect(filed.due.firstResponseDue).toEqual(new Date(c.now.getTime() + 2 * HOUR));
    // A default category the community dropped is refused, not silently filed as something else.
    await expect(file({ actor: zhao, category: 'environment_sanitation' })).rejects.toThrow(TicketFilingError);
    expect(await prisma().ticket.count({ where: { communityId: c.communityId } })).toBe(1);
  });

  it('gives a priority household (elderly) the shorter deadlines, and an ordinary one the usual', async () => {
    const zhang = await actorOf(c.residents.zhang); // A1: elderly
    const wang = await actorOf(c.residents.wang); // A2: no flags
    const priority = await file({ actor: zhang });
    const ordinary = await file({ actor: wang });
    expect(priority.due.tier).toBe('priority');
    expect(priority.firstResponse.duration).toEqual({ amount: 4, unit: 'h' });
    expect(priority.due.firstResponseDue).toEqual(new Date(c.now.getTime() + 4 * HOUR));
    expect(priority.due.resolutionDue).toEqual(new Date(c.now.getTime() + 3 * DAY));
    expect(ordinary.due.tier).toBe('ordinary');
    expect(ordinary.due.firstResponseDue).toEqual(new Date(c.now.getTime() + DAY));
    const row = await prisma().ticket.findUniqueOrThrow({ where: { id: priority.ticketId } });
    expect(row.firstResponseDueAt).toEqual(priority.due.firstResponseDue);
    // Public output gets the ordinary deadline: it must not reveal a frail household.
    expect(row.publicResolutionDueAt).toEqual(new Date(c.now.getTime() + 7 * DAY));
  });

  it('routes to the steward of the area up the tree, else the committee; public security to the patrol', async () => {
    const zhang = await actorOf(c.residents.zhang); // courtA under laneA: laneA's steward
    const zhao = await actorOf(c.residents.zhao); // buildingB: no steward anywhere up
    const toSteward = await file({ actor: zhang });
    expect(toSteward.route).toMatchObject({ via: 'steward', assigneeId: c.residents.steward, areaId: c.areas.laneA });
    const toCommittee = await file({ actor: zhao });
    expect(toCommittee.route).toMatchObject({ via: 'committee', assigneeId: c.residents.committee });

    const patrol = await prisma().resident.create({ data: { communityId: c.communityId, name: '巡防甲' } });
    await prisma().roleAssignment.create({
      data: { communityId: c.communityId, residentId: patrol.id, role: 'patrol', areaId: c.areas.zoneB, startsOn: new Date(c.now.getTime() - DAY) },
    });
    const security = await file({ actor: zhao, category: 'public_security' });
    expect(security.route).toMatchObject({ via: 'category_override', assigneeId: patrol.id, areaId: c.areas.zoneB });
    // Public security is on a round-the-clock 1 h / 2 h clock (B1 is not a priority household: 2 h).
    expect(security.due.firstResponseDue).toEqual(new Date(c.now.getTime() + 2 * HOUR));
  });

  it('writes the filed event, tells the observer, and writes the handler a note in their own chat', async () => {
    const zhang = await actorOf(c.residents.zhang);
    const filed = await file({ actor: zhang, photos: ['photo-1', 'photo-2'], anonymous: true, filerAnsweredInChat: true });
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
    expect(ticket).toMatchObject({
      status: 'new',
      kind: 'complaint',
      householdId: c.households.a1,
      areaId: c.areas.courtA,
      reporterId: c.residents.zhang,
      filedById: c.residents.zhang,
      assigneeId: c.residents.steward,
      anonymous: true,
      photos: ['photo-1', 'photo-2'],
      version: 0,
    });
    const events = await prisma().ticketEvent.findMany({ where: { ticketId: filed.ticketId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'filed', actorId: c.residents.zhang, text: '楼道里堆满了杂物', photos: ['photo-1', 'photo-2'] });
    expect(deps.observer.changes).toEqual([
      { communityId: c.communityId, ticketId: filed.ticketId, eventId: events[0]!.id, kind: 'filed', effects: ['notify_resident', 'schedule_deadlines', 'notify_assignee'] },
    ]);
    // The steward's WeChat account gets the note, with a ref to the ticket; the filer got the chat's own reply instead.
    const rows = await prisma().outboxMessage.findMany({ where: { id: { in: filed.rows.map((r) => r.id) } }, include: { refs: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ chatAccountId: c.accounts.stewardChat, channel: 'wechat' });
    expect(rows[0]!.refs).toMatchObject([{ subjectKind: 'ticket', subjectId: filed.ticketId, role: 'notice' }]);
    expect((rows[0]!.payload as { text: string }).text).toContain(filed.number);
    expect((rows[0]!.payload as { text: string }).text).toContain('4小时内');
    // No audit row for filing one's own.
    expect(await prisma().auditLog.count({ where: { subjectId: filed.ticketId } })).toBe(0);
  });

  it('without filerAnsweredInChat the filer is told the number and the expected answer time by a notice', async () => {
    const zhang = await actorOf(c.residents.zhang);
    const filed = await file({ actor: zhang });
    const rows = await prisma().outboxMessage.findMany({ where: { id: { in: filed.rows.map((r) => r.id) }, chatAccountId: { not: c.accounts.stewardChat } } });
    expect(rows).toHaveLength(1);
    const text = (rows[0]!.payload as { text: string }).text;
    expect(text).toContain('MQ-2026-00001');
    expect(text).toContain('4小时内（最晚6月1日16:00）');
  });

  it('a group head files on behalf of a household of the group: the household is told, the filing audited', async () => {
    const wangAccount = await prisma().chatAccount.create({
      data: { communityId: c.communityId, channel: 'web', externalId: `web-wang-${c.communityId}`, residentId: c.residents.wang, boundAt: c.now },
    });
    const zhang = await actorOf(c.residents.zhang); // head of GA; A2 is in GA
    const filed = await file({ actor: zhang, householdId: c.households.a2, filerAnsweredInChat: true });
    expect(filed.onBehalf).toBe(true);
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
    expect(ticket).toMatchObject({ householdId: c.households.a2, reporterId: c.residents.wang, filedById: c.residents.zhang });
    const toWang = await prisma().outboxMessage.findMany({ where: { chatAccountId: wangAccount.id } });
    expect(toWang).toHaveLength(1);
    expect((toWang[0]!.payload as { text: string }).text).toMatch(/^十户长替您家登记了一件投诉（环境卫生），编号MQ-2026-00001/);
    const audit = await prisma().auditLog.findMany({ where: { subjectId: filed.ticketId } });
    expect(audit).toMatchObject([{ action: 'ticket.file_on_behalf', actorId: c.residents.zhang, details: { householdId: c.households.a2 } }]);
    expect(deps.observer.changes[0]!.effects).toContain('notify_household');
  });

  it('a household nobody in has a chat account: the ticket has no reporter, and nobody is told', async () => {
    const zhang = await actorOf(c.residents.zhang);
    const filed = await file({ actor: zhang, householdId: c.households.a3, filerAnsweredInChat: true });
    expect(filed.reporterId).toBeNull();
    expect(deps.observer.changes[0]!.effects).not.toContain('notify_household');
  });

  it('refuses filing for a household outside what the policy allows, and for a resident’s neighbour', async () => {
    const zhang = await actorOf(c.residents.zhang); // head of GA, not of GB
    await expect(file({ actor: zhang, householdId: c.households.b1 })).rejects.toThrow(PolicyDeniedError);
    const wang = await actorOf(c.residents.wang); // an ordinary resident
    await expect(file({ actor: wang, householdId: c.households.a1 })).rejects.toThrow(PolicyDeniedError);
    expect(await prisma().ticket.count({ where: { communityId: c.communityId } })).toBe(0);
    // Nothing was taken from the counter either.
    expect((await file({ actor: wang })).number).toBe('MQ-2026-00001');
  });

  it('staff who live nowhere file about a place (it needs one), routed to the committee', async () => {
    const steward = await actorOf(c.residents.steward);
    await expect(file({ actor: steward })).rejects.toMatchObject({ problem: 'no_place' });
    const filed = await file({ actor: steward, place: { text: '团结巷口路灯' } });
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
    expect(ticket).toMatchObject({ householdId: null, areaId: null, placeText: '团结巷口路灯' });
    // The filer is never their own handler: the committee member gets it.
    expect(filed.assigneeId).toBe(c.residents.committee);
  });

  it('refuses empty or over-long descriptions', async () => {
    const zhang = await actorOf(c.residents.zhang);
    await expect(file({ actor: zhang, description: '   ' })).rejects.toMatchObject({ problem: 'description_length' });
    await expect(file({ actor: zhang, description: '长'.repeat(2001) })).rejects.toMatchObject({ problem: 'description_length' });
    expect((await file({ actor: zhang, description: '长'.repeat(2000) })).number).toBe('MQ-2026-00001');
  });

  it('a filing that fails after taking its number gives it back (one transaction)', async () => {
    const zhang = await actorOf(c.residents.zhang);
    deps.observer.failNext = true;
    await expect(file({ actor: zhang })).rejects.toThrow('listener failed');
    expect(await prisma().ticket.count({ where: { communityId: c.communityId } })).toBe(0);
    expect(await prisma().ticketEvent.count({ where: { ticket: { communityId: c.communityId } } })).toBe(0);
    expect((await file({ actor: zhang })).number).toBe('MQ-2026-00001');
  });

  it('twelve filings at once get twelve different numbers, 1 to 12', async () => {
    const people = [c.residents.zhang, c.residents.li, c.residents.wang, c.residents.zhao];
    const actors = await Promise.all(people.map(actorOf));
    const filed = await Promise.all(Array.from({ length: 12 }, (_, i) => file({ actor: actors[i % actors.length]! })));
    const numbers = filed.map((f) => f.number).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => `MQ-2026-${String(i + 1).padStart(5, '0')}`));
  });
});
