/**
 * Filing a repair on a real database: a ticket of kind `repair` numbered BX-, its work order in
 * the same transaction (job, skill, emergency, priority, home windows, expected time), the
 * `work_order.changed` kind `filed` heard inside that transaction, and all of it rolled back
 * together when a listener fails.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { PolicyDeniedError } from '../../../src/features/policy/policy.js';
import { fileRepair, type FileRepairInput } from '../../../src/features/repairs/filing/file-repair.js';
import { fileTicket } from '../../../src/features/tickets/service/file-ticket.js';
import { listenForWorkOrderChanges } from '../../../src/features/repairs/resident/status-notices.js';
import type { WorkOrderChange } from '../../../src/features/repairs/work-order-events.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedPolicyCommunity, type SeededCommunity } from '../policy/support/seed-community.js';
import { DAY, HOUR, testDeps, type TestDeps } from '../tickets/service/support.js';

describe.each(databaseTargets())('filing a repair on %s', (target) => {
  let db: TestDatabase;
  let c: SeededCommunity;
  let deps: TestDeps;
  let heard: { change: WorkOrderChange; workOrderSeen: boolean }[];
  let failListener: boolean;
  const prisma = () => db.prisma;
  const person = async (residentId: string) => (await loadActor(prisma(), { residentId }, { now: c.now }))! as Actor & { kind: 'person' };
  const file = (input: Partial<FileRepairInput> & { actor: Actor & { kind: 'person' } }) =>
    prisma().$transaction((tx) => fileRepair(tx, deps, { communityId: c.communityId, job: 'water_leak', description: '厨房水管接头漏水', ...input }));

  beforeAll(async () => {
    db = await createTestDatabase(target);
  }, 60_000);
  afterAll(() => db?.close());
  beforeEach(async () => {
    c = await seedPolicyCommunity(prisma());
    deps = testDeps(c.now);
    heard = [];
    failListener = false;
    deps.events.on('work_order.changed', async (tx, change) => {
      // The work order exists in the very transaction the event is heard in.
      const workOrderSeen = (await tx.workOrder.count({ where: { id: change.workOrderId, ticketId: change.ticketId } })) === 1;
      if (failListener) throw new Error('listener failed');
      heard.push({ change, workOrderSeen });
    });
  });

  it('files a BX-numbered repair ticket and its work order, and publishes `filed` inside the transaction', async () => {
    const wang = await person(c.residents.wang); // A2: no flags
    const filed = await file({ actor: wang });
    expect(filed.number).toBe('BX-2026-00001');
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticket.ticketId }, include: { workOrder: true } });
    expect(ticket).toMatchObject({ kind: 'repair', category: 'utilities_roads', householdId: c.households.a2, reporterId: c.residents.wang, description: '厨房水管接头漏水' });
    expect(ticket.workOrder).toMatchObject({ job: 'water_leak', skill: 'plumbing', emergency: false, priority: false, status: 'received', memberId: null, homeWindows: [] });
    // Ordinary, someone always home: a day from filing.
    expect(ticket.workOrder!.expectedBy).toEqual(new Date(c.now.getTime() + DAY));
    expect(heard).toEqual([
      { change: { communityId: c.communityId, workOrderId: filed.workOrderId, ticketId: filed.ticket.ticketId, kind: 'filed', actorId: c.residents.wang }, workOrderSeen: true },
    ]);
    // Complaints keep their own numbers.
    expect((await file({ actor: wang })).number).toBe('BX-2026-00002');
  });

  it('the area steward holds a repair but is not told of each one (the team is offered it); a complaint still tells them', async () => {
    const wang = await person(c.residents.wang); // A2, in the steward's lane
    const toSteward = (ticketId: string) =>
      prisma().outboxMessage.count({ where: { chatAccountId: c.accounts.stewardChat, refs: { some: { subjectKind: 'ticket', subjectId: ticketId } } } });
    const repair = await file({ actor: wang });
    expect((await prisma().ticket.findUniqueOrThrow({ where: { id: repair.ticket.ticketId } })).assigneeId).toBe(c.residents.steward);
    expect(await toSteward(repair.ticket.ticketId)).toBe(0);

    const complaint = await prisma().$transaction((tx) =>
      fileTicket(tx, deps, { communityId: c.communityId, actor: wang, kind: 'complaint', category: 'utilities_roads', description: '路灯坏了好几天了', filerAnsweredInChat: true }),
    );
    expect((await prisma().ticket.findUniqueOrThrow({ where: { id: complaint.ticketId } })).assigneeId).toBe(c.residents.steward);
    expect(await toSteward(complaint.ticketId)).toBe(1);
  });

  it('a priority household (elderly) gets priority and the shorter time; a home window moves the expected time into it', async () => {
    const zhang = await person(c.residents.zhang); // A1: elderly
    const window = { from: new Date(c.now.getTime() + 5 * HOUR), to: new Date(c.now.getTime() + 8 * HOUR) };
    const filed = await file({ actor: zhang, job: 'heating', homeWindows: [window] });
    expect(filed).toMatchObject({ priority: true, emergency: false, tier: 'priority' });
    const order = await prisma().workOrder.findUniqueOrThrow({ where: { id: filed.workOrderId } });
    expect(order).toMatchObject({ priority: true, skill: 'heating', homeWindows: [{ from: window.from.toISOString(), to: window.to.toISOString() }] });
    // 4 h for a priority household, but nobody is home before +5 h: by the window's end.
    expect(order.expectedBy).toEqual(window.to);
  });

  it('a danger makes it an emergency of the danger’s job, expected within 2 h, home windows ignored', async () => {
    const wang = await person(c.residents.wang);
    const window = { from: new Date(c.now.getTime() + 20 * HOUR), to: new Date(c.now.getTime() + 22 * HOUR) };
    const filed = await file({ actor: wang, job: 'other', danger: 'sparking', description: '插座冒火花', homeWindows: [window] });
    const order = await prisma().workOrder.findUniqueOrThrow({ where: { id: filed.workOrderId } });
    expect(order).toMatchObject({ job: 'power', skill: 'electrical', emergency: true, homeWindows: [] });
    expect(order.expectedBy).toEqual(new Date(c.now.getTime() + 2 * HOUR));
  });

  it('the community’s own settings: a low-income household is priority, another category, longer ordinary time', async () => {
    await prisma().household.update({ where: { id: c.households.a2 }, data: { flags: ['low_income'] } });
    await prisma().community.update({ where: { id: c.communityId }, data: { repairSettings: { ticketCategory: 'no_such_category', expectedWithin: { priority: '6h' } } } });
    const filed = await file({ actor: await person(c.residents.wang) });
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticket.ticketId }, include: { workOrder: true } });
    // A category the list does not have falls back to `other`, never a refused filing.
    expect(ticket.category).toBe('other');
    expect(ticket.workOrder).toMatchObject({ priority: true });
    expect(ticket.workOrder!.expectedBy).toEqual(new Date(c.now.getTime() + 6 * HOUR));
  });

  it('a failing listener rolls back the ticket, the work order and the number together', async () => {
    failListener = true;
    await expect(file({ actor: await person(c.residents.wang) })).rejects.toThrow('listener failed');
    expect(await prisma().ticket.count({ where: { communityId: c.communityId } })).toBe(0);
    expect(await prisma().workOrder.count({ where: { communityId: c.communityId } })).toBe(0);
    failListener = false;
    expect((await file({ actor: await person(c.residents.wang) })).number).toBe('BX-2026-00001');
  });

  it('a group head files for another household of the group: its flags decide priority, it is told, the filing is audited; outside the group it is refused', async () => {
    await prisma().household.update({ where: { id: c.households.a2 }, data: { flags: ['disabled'] } });
    // Wang can be reached: the repair is theirs and they hear of it.
    const wangAccount = await prisma().chatAccount.create({ data: { communityId: c.communityId, channel: 'web', externalId: `web-${c.communityId}-wang`, residentId: c.residents.wang, boundAt: c.now } });
    const zhang = await person(c.residents.zhang); // head of group GA (A1, A2, A3)
    const filed = await file({ actor: zhang, householdId: c.households.a2 });
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticket.ticketId }, include: { workOrder: true } });
    expect(ticket).toMatchObject({ householdId: c.households.a2, reporterId: c.residents.wang, filedById: c.residents.zhang, workOrder: { priority: true } });
    expect(filed.ticket.onBehalf).toBe(true);
    const told = await prisma().outboxMessage.findMany({ where: { chatAccountId: wangAccount.id, refs: { some: { subjectKind: 'ticket', subjectId: ticket.id } } } });
    expect(told.map((m) => (m.payload as { text: string }).text)).toEqual([expect.stringContaining(`十户长替您家登记了一件报修（水电道路），编号${filed.number}`)]);
    const audit = await prisma().auditLog.findMany({ where: { subjectId: ticket.id } });
    expect(audit.map((a) => a.action)).toEqual(['ticket.file_on_behalf']);
    await expect(file({ actor: zhang, householdId: c.households.b1 })).rejects.toThrow(PolicyDeniedError);
    expect(await prisma().workOrder.count({ where: { communityId: c.communityId } })).toBe(1);
  });

  it('what dispatch does within the filing is the filing’s to say: no notice before the reply, the first offer counted as told', async () => {
    listenForWorkOrderChanges(deps.events, deps);
    // Dispatch's part, inside the filing's transaction: Wang's job is offered, Zhao's finds nobody.
    let nobodyFor: string | null = null;
    deps.events.on('work_order.changed', async (tx, change) => {
      if (change.kind !== 'filed') return;
      const order = await tx.workOrder.findUniqueOrThrow({ where: { id: change.workOrderId }, select: { ticket: { select: { reporterId: true } } } });
      const nobody = order.ticket.reporterId === nobodyFor;
      if (!nobody) await tx.dispatchOffer.create({ data: { workOrderId: change.workOrderId, memberId: c.residents.plumber, expiresAt: new Date(c.now.getTime() + 600_000) } });
      await tx.workOrder.update({ where: { id: change.workOrderId }, data: { status: nobody ? 'unassigned' : 'offered' } });
      await deps.events.publish(tx, 'work_order.changed', { ...change, kind: nobody ? 'nobody' : 'offer', ...(nobody ? {} : { memberId: c.residents.plumber }) });
    });
    const accounts: string[] = [];
    for (const residentId of [c.residents.wang, c.residents.zhao]) {
      accounts.push((await prisma().chatAccount.create({ data: { communityId: c.communityId, channel: 'web', externalId: `web-${c.communityId}-${residentId}`, residentId, boundAt: c.now } })).id);
    }
    const offered = await file({ actor: await person(c.residents.wang) });
    nobodyFor = c.residents.zhao;
    const nobody = await file({ actor: await person(c.residents.zhao) });
    expect(offered.status).toBe('offered');
    expect(nobody.status).toBe('unassigned');
    for (const filed of [offered, nobody]) {
      const notices = await prisma().outboxMessage.findMany({ where: { chatAccountId: { in: accounts }, refs: { some: { subjectKind: 'ticket', subjectId: filed.ticket.ticketId } } } });
      expect(notices).toEqual([]);
    }
    expect((await prisma().workOrder.findUniqueOrThrow({ where: { id: offered.workOrderId } })).offerToldAt).toEqual(c.now);
  });
});
