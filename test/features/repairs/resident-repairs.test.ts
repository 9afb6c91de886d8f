/**
 * The resident's side of a repair on a real database: each change of the job reaches the
 * resident once, in their language (asked — only at the first offer —, taken by whom and when, on
 * the way, done with the work, materials and fee by the community's rule); "not fixed" sends it
 * back to the same member with the resident's words; "fixed" confirms it and resolves the ticket
 * on the resident's word with no second notice; nobody else can answer for it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { fileRepair } from '../../../src/features/repairs/filing/file-repair.js';
import { confirmRepair, sendRepairBack } from '../../../src/features/repairs/resident/resident-repairs.js';
import { listenForWorkOrderChanges } from '../../../src/features/repairs/resident/status-notices.js';
import { listenForEndedTickets } from '../../../src/features/repairs/resident/ticket-ended.js';
import { listenForTakenJobs } from '../../../src/features/repairs/resident/first-response.js';
import { listenForDoneWork } from '../../../src/features/repairs/resident/ticket-resolution.js';
import { listenForReopenedRepairs } from '../../../src/features/repairs/resident/send-back.js';
import { addToMyTicket, withdrawMyTicket } from '../../../src/features/tickets/service/index.js';
import type { WorkOrderChange } from '../../../src/features/repairs/work-order-events.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedPolicyCommunity, type SeededCommunity } from '../policy/support/seed-community.js';
import { testDeps, type TestDeps } from '../tickets/service/support.js';
import { StandInDispatch } from './support/stand-in-dispatch.js';

type Person = Actor & { kind: 'person' };

describe.each(databaseTargets())('the resident’s side of a repair on %s', (target) => {
  let db: TestDatabase;
  let c: SeededCommunity;
  let deps: TestDeps;
  let team: StandInDispatch;
  let heard: WorkOrderChange[];
  let electrician = '';
  const prisma = () => db.prisma;
  const person = async (residentId: string) => (await loadActor(prisma(), { residentId }, { now: c.now }))! as Person;
  const file = async (actor: Person) =>
    prisma().$transaction((tx) => fileRepair(tx, deps, { communityId: c.communityId, actor, job: 'water_leak', description: '卫生间水管漏水' }));
  /** What the person was told about the ticket, oldest first. */
  const told = async (residentId: string, ticketId: string) => {
    const accounts = await prisma().chatAccount.findMany({ where: { residentId }, select: { id: true } });
    const rows = await prisma().outboxMessage.findMany({
      where: { chatAccountId: { in: accounts.map((a) => a.id) }, refs: { some: { subjectKind: 'ticket', subjectId: ticketId } } },
      orderBy: { seq: 'asc' },
    });
    return rows.map((row) => (row.payload as { text: string }).text);
  };

  beforeAll(async () => {
    db = await createTestDatabase(target);
  }, 60_000);
  afterAll(() => db?.close());
  beforeEach(async () => {
    c = await seedPolicyCommunity(prisma());
    deps = testDeps(c.now);
    heard = [];
    deps.events.on('work_order.changed', async (_tx, change) => void heard.push(change));
    listenForWorkOrderChanges(deps.events, deps);
    listenForEndedTickets(deps.events, deps);
    listenForTakenJobs(deps.events, deps);
    listenForDoneWork(deps.events, deps);
    listenForReopenedRepairs(deps.events);
    team = new StandInDispatch(prisma(), deps.events, () => deps.clock.now);
    electrician = (await prisma().resident.create({ data: { communityId: c.communityId, name: '冯电工', locale: 'zh-CN' } })).id;
    // Wang writes from the web chat too.
    await prisma().chatAccount.create({ data: { communityId: c.communityId, channel: 'web', externalId: `web-${c.communityId}-wang`, residentId: c.residents.wang, boundAt: c.now } });
  });

  const later = (minutes: number) => {
    deps.clock.now = new Date(deps.clock.now.getTime() + minutes * 60_000);
  };

  it('tells each step once: asked (at the first offer only), taken by whom and when, on the way, done — free for a priority household', async () => {
    const zhang = await person(c.residents.zhang); // A1: elderly → priority, free by default
    const filed = await file(zhang);
    const ticketId = filed.ticket.ticketId;
    await team.offer(filed.workOrderId, electrician);
    later(3);
    await team.decline(filed.workOrderId, electrician);
    await team.offer(filed.workOrderId, c.residents.plumber);
    later(2);
    await team.accept(filed.workOrderId, c.residents.plumber);
    later(20);
    await team.onTheWay(filed.workOrderId, c.residents.plumber);
    later(40);
    await team.done(filed.workOrderId, c.residents.plumber, {
      workDone: '更换了水管接头',
      materials: [{ name: '水管接头', quantity: 2, costCents: 1250 }],
      afterPhotos: ['web/after-1.jpg'],
    });
    const texts = await told(c.residents.zhang, ticketId);
    expect(texts).toEqual([
      `【${filed.number}】正在联系师傅，接单后马上告诉您。`,
      // c.now is 12:00 in Beijing; accepted 5 minutes later; a priority household: expected within 4 h.
      `【${filed.number}】郑师傅已接单（6月1日12:05），预计6月1日16:00前上门。`,
      `【${filed.number}】郑师傅已出发，正在上门的路上，请家里留人。`,
      expect.stringContaining(`【${filed.number}】郑师傅已完工。\n做了什么：更换了水管接头\n用料：水管接头×2（¥12.50）\n费用：免费`),
    ]);
    expect(texts[3]).toContain(`修好了请回复“修好了 ${filed.number}”`);
    // The done notice carries the after photo.
    const rows = await prisma().outboxMessage.findMany({ where: { refs: { some: { subjectKind: 'ticket', subjectId: ticketId } } }, orderBy: { seq: 'asc' } });
    expect(JSON.stringify(rows.at(-1)!.payload)).toContain('web/after-1.jpg');
  });

  it('an ordinary household pays the materials when no fee was recorded, a recorded fee as it is; a priority household what the rule allows', async () => {
    const wang = await person(c.residents.wang);
    const first = await file(wang);
    await team.offer(first.workOrderId, c.residents.plumber);
    await team.accept(first.workOrderId, c.residents.plumber);
    await team.done(first.workOrderId, c.residents.plumber, { workDone: '换阀门', materials: [{ name: '阀门', quantity: 1, costCents: 3500 }] });
    expect((await told(c.residents.wang, first.ticket.ticketId)).at(-1)).toContain('费用：¥35.00');
    const second = await file(wang);
    await team.offer(second.workOrderId, c.residents.plumber);
    await team.accept(second.workOrderId, c.residents.plumber);
    await team.done(second.workOrderId, c.residents.plumber, { workDone: '疏通', feeCents: 2000 });
    expect((await told(c.residents.wang, second.ticket.ticketId)).at(-1)).toContain('用料：无\n费用：¥20.00');
    // A priority household under a "materials only" rule pays the materials, whatever was recorded.
    await prisma().community.update({ where: { id: c.communityId }, data: { repairSettings: { priorityFee: 'materials_only' } } });
    const zhangs = await file(await person(c.residents.zhang));
    await team.offer(zhangs.workOrderId, c.residents.plumber);
    await team.accept(zhangs.workOrderId, c.residents.plumber);
    await team.done(zhangs.workOrderId, c.residents.plumber, { workDone: '换阀门', materials: [{ name: '阀门', quantity: 1, costCents: 1250 }], feeCents: 5000 });
    expect((await told(c.residents.zhang, zhangs.ticket.ticketId)).at(-1)).toContain('用料：阀门×1（¥12.50）\n费用：¥12.50');
  });

  it('nobody to take it, and an emergency offered to all at once, are each told once', async () => {
    const wang = await person(c.residents.wang);
    const quiet = await file(wang);
    await team.nobody(quiet.workOrderId);
    expect(await told(c.residents.wang, quiet.ticket.ticketId)).toEqual([`【${quiet.number}】暂时没有师傅能接单，已转给社区工作人员人工安排，会尽快联系您。`]);
    const urgent = await prisma().$transaction((tx) => fileRepair(tx, deps, { communityId: c.communityId, actor: wang, job: 'other', danger: 'sparking', description: '插座冒火花' }));
    await team.offer(urgent.workOrderId, electrician);
    await team.offer(urgent.workOrderId, c.residents.plumber);
    expect(await told(c.residents.wang, urgent.ticket.ticketId)).toHaveLength(1);
  });

  it('done resolves the ticket quietly; “not fixed” reopens it and goes back to the same member with the words; done again and “fixed” confirms, the resolution to rate returned', async () => {
    const zhang = await person(c.residents.zhang);
    const filed = await file(zhang);
    const ticketId = filed.ticket.ticketId;
    await team.offer(filed.workOrderId, c.residents.plumber);
    await team.accept(filed.workOrderId, c.residents.plumber);
    const beforeDone = (await told(c.residents.zhang, ticketId)).length;
    await team.done(filed.workOrderId, c.residents.plumber, { workDone: '更换了水管接头' });
    // Resolved by the member with what they did; the resident hears only the repair's own "done" notice.
    expect(await prisma().ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: 'resolved', resolvedById: c.residents.plumber, resolutionCount: 1 });
    expect(await told(c.residents.zhang, ticketId)).toHaveLength(beforeDone + 1);
    expect(await prisma().ticketEvent.count({ where: { ticketId, kind: 'rating_asked' } })).toBe(0);

    later(60);
    const back = await prisma().$transaction((tx) => sendRepairBack(tx, deps, { actor: zhang, number: filed.number, text: '接头还在滴水', at: deps.clock.now }));
    expect(back).toEqual({ status: 'sent_back', number: filed.number, worker: '郑水暖' });
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: filed.workOrderId } })).toMatchObject({ status: 'accepted', memberId: c.residents.plumber, returns: 1, doneAt: null });
    expect(await prisma().ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    expect(heard.at(-1)).toEqual({ communityId: c.communityId, workOrderId: filed.workOrderId, ticketId, kind: 'not_fixed', actorId: c.residents.zhang, memberId: c.residents.plumber });
    const words = await prisma().ticketEvent.findFirstOrThrow({ where: { ticketId, kind: 'resident_message' } });
    expect(words).toMatchObject({ text: '接头还在滴水', actorId: c.residents.zhang });
    // Not done now: neither answer applies.
    expect(await prisma().$transaction((tx) => confirmRepair(tx, deps, { actor: zhang, number: filed.number, at: deps.clock.now }))).toEqual({ status: 'not_done', number: filed.number, workStatus: 'accepted' });

    await team.done(filed.workOrderId, c.residents.plumber, { workDone: '重新缠了生料带' });
    const before = (await told(c.residents.zhang, ticketId)).length;
    later(30);
    const confirmed = await prisma().$transaction((tx) => confirmRepair(tx, deps, { actor: zhang, number: '', at: deps.clock.now }));
    expect(confirmed).toEqual({ status: 'confirmed', number: filed.number, ticketId, resolution: 2 });
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: filed.workOrderId } })).toMatchObject({ status: 'confirmed', confirmedAt: deps.clock.now });
    expect(await prisma().ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: 'resolved', resolvedById: c.residents.plumber, resolutionCount: 2 });
    // The chat asks for the rating itself: nothing more is sent.
    expect(await told(c.residents.zhang, ticketId)).toHaveLength(before);
    expect(heard.at(-1)).toMatchObject({ kind: 'confirm', actorId: c.residents.zhang, memberId: c.residents.plumber });
    const audit = await prisma().auditLog.findMany({ where: { subjectId: ticketId, action: 'ticket.resolve' } });
    expect(audit.map((a) => a.actorId)).toEqual([c.residents.plumber, c.residents.plumber]);
    // A second "fixed": nothing waits any more.
    expect(await prisma().$transaction((tx) => confirmRepair(tx, deps, { actor: zhang, number: filed.number, at: deps.clock.now }))).toMatchObject({ status: 'not_done', workStatus: 'confirmed' });
  });

  it('a neighbour, and a housemate who did not file it, cannot answer for it', async () => {
    const zhang = await person(c.residents.zhang);
    const filed = await file(zhang);
    await team.offer(filed.workOrderId, c.residents.plumber);
    await team.accept(filed.workOrderId, c.residents.plumber);
    await team.done(filed.workOrderId, c.residents.plumber, { workDone: '修好了' });
    for (const residentId of [c.residents.wang, c.residents.li]) {
      const other = await person(residentId);
      expect(await prisma().$transaction((tx) => confirmRepair(tx, deps, { actor: other, number: filed.number, at: deps.clock.now }))).toEqual({ status: 'not_found' });
      expect(await prisma().$transaction((tx) => sendRepairBack(tx, deps, { actor: other, number: filed.number, text: '没修好', at: deps.clock.now }))).toEqual({ status: 'not_found' });
      expect(await prisma().$transaction((tx) => confirmRepair(tx, deps, { actor: other, number: '', at: deps.clock.now }))).toEqual({ status: 'none' });
    }
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: filed.workOrderId } })).toMatchObject({ status: 'done', returns: 0 });
  });

  it('withdrawing the repair’s ticket cancels the job for the team, and tells the resident nothing they did not know', async () => {
    const wang = await person(c.residents.wang);
    const filed = await file(wang);
    await team.offer(filed.workOrderId, c.residents.plumber);
    const before = await told(c.residents.wang, filed.ticket.ticketId);
    const outcome = await prisma().$transaction((tx) => withdrawMyTicket(tx, deps, { actor: wang, ticketId: filed.ticket.ticketId, at: deps.clock.now }));
    expect(outcome.status).toBe('withdrawn');
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: filed.workOrderId } })).toMatchObject({ status: 'cancelled', cancelledAt: deps.clock.now });
    expect(heard.at(-1)).toMatchObject({ kind: 'cancel', actorId: c.residents.wang, workOrderId: filed.workOrderId });
    expect(await told(c.residents.wang, filed.ticket.ticketId)).toEqual(before);
    // A job already done is not cancelled by a later withdrawal: there is nothing left to call off.
    const done = await file(wang);
    await team.offer(done.workOrderId, c.residents.plumber);
    await team.accept(done.workOrderId, c.residents.plumber);
    await team.done(done.workOrderId, c.residents.plumber, { workDone: '修好了' });
    await prisma().$transaction((tx) => withdrawMyTicket(tx, deps, { actor: wang, ticketId: done.ticket.ticketId, at: deps.clock.now }));
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: done.workOrderId } })).toMatchObject({ status: 'done' });
  });

  it('a member taking the job is the ticket’s first response, once, with the words the resident was told and no second notice', async () => {
    const zhang = await person(c.residents.zhang);
    const filed = await file(zhang);
    await team.offer(filed.workOrderId, c.residents.plumber);
    later(5);
    await team.accept(filed.workOrderId, c.residents.plumber);
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticket.ticketId } });
    expect(ticket).toMatchObject({ status: 'in_progress', firstRespondedAt: deps.clock.now });
    const replies = await prisma().ticketEvent.findMany({ where: { ticketId: ticket.id, kind: 'staff_reply' } });
    expect(replies).toMatchObject([{ actorId: c.residents.plumber, text: '郑师傅已接单，预计6月1日16:00前上门。' }]);
    expect(await told(c.residents.zhang, ticket.id)).toHaveLength(2);
    // The first-response clock hears it: `ticket.changed` with its deadline cancelled.
    expect(deps.observer.changes.at(-1)).toMatchObject({ kind: 'staff_reply', effects: ['notify_resident', 'cancel_first_response_deadline'] });
  });

  it('a message that reopens the repair’s ticket in “我的工单” sends the done work back too', async () => {
    const zhang = await person(c.residents.zhang);
    const filed = await file(zhang);
    await team.offer(filed.workOrderId, c.residents.plumber);
    await team.accept(filed.workOrderId, c.residents.plumber);
    await team.done(filed.workOrderId, c.residents.plumber, { workDone: '换了阀芯' });
    const outcome = await prisma().$transaction((tx) => addToMyTicket(tx, deps, { actor: zhang, ticketId: filed.ticket.ticketId, text: '还是关不紧', at: deps.clock.now }));
    expect(outcome.status).toBe('reopened');
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: filed.workOrderId } })).toMatchObject({ status: 'accepted', memberId: c.residents.plumber, returns: 1 });
    expect(heard.at(-1)).toMatchObject({ kind: 'not_fixed', actorId: c.residents.zhang, memberId: c.residents.plumber });
    // A message to a repair still being worked on leaves the job alone.
    await prisma().$transaction((tx) => addToMyTicket(tx, deps, { actor: zhang, ticketId: filed.ticket.ticketId, text: '师傅几点到？', at: deps.clock.now }));
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: filed.workOrderId } })).toMatchObject({ status: 'accepted', returns: 1 });
  });
});
