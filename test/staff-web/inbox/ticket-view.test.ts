/**
 * One ticket for the console on a real database: found by any form of its number, 404 and 403
 * told apart (the refusal audited), the history in order with internal notes marked and staff
 * named while residents are masked, the reporter masked, the same household's earlier tickets
 * only, the deadlines with time left or overdue by, and the actions each role may take now.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rateMyTicket } from '../../../src/features/tickets/service/index.js';
import { loadStaffTicket, type StaffTicket, type StaffTicketResult } from '../../../src/staff-web/inbox/ticket-view.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { act, DAY, file, HOUR, personActor, seedInboxWorld, type InboxWorld } from './support.js';

describe.each(databaseTargets())('a ticket for staff on %s', (target) => {
  let db: TestDatabase;
  let w: InboxWorld;
  const prisma = () => db.prisma;
  const at = (hours: number) => new Date(w.now.getTime() + hours * HOUR);
  // In a transaction, as a page's request reads it (a refusal's audit row commits with it).
  const load = async (residentId: string, number: string, now = at(1)): Promise<StaffTicketResult> => {
    const actor = await personActor(prisma(), residentId, now);
    return prisma().$transaction((tx) => loadStaffTicket(tx, { communityId: w.communityId, actor, number, now }));
  };
  const open = async (residentId: string, number: string, now = at(1)): Promise<StaffTicket> => {
    const result = await load(residentId, number, now);
    if (result.status !== 'ok') throw new Error(`not shown: ${result.status}`);
    return result.ticket;
  };

  beforeAll(async () => {
    db = await createTestDatabase(target);
  }, 60_000);
  afterAll(() => db?.close());
  beforeEach(async () => {
    w = await seedInboxWorld(prisma());
  });

  it('tells a missing ticket from one the viewer may not handle, and audits the refusal', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    expect(await load(w.residents.committee, 'MQ-2026-09999')).toEqual({ status: 'not_found' });
    expect(await load(w.residents.committee, 'not a number')).toEqual({ status: 'not_found' });
    expect(await load(w.stewardB, t.number)).toEqual({ status: 'forbidden' });
    expect(await load(w.residents.plumber, t.number)).toEqual({ status: 'forbidden' });
    // The resident who filed it sees it in their own chat, not in the staff console.
    expect(await load(w.residents.zhang, t.number)).toEqual({ status: 'forbidden' });
    const refusals = await prisma().auditLog.findMany({ where: { communityId: w.communityId, action: 'ticket.view_internal', subjectId: t.ticketId } });
    expect(refusals.map((r) => [r.actorId, (r.details as { denied?: boolean }).denied])).toEqual(
      expect.arrayContaining([
        [w.stewardB, true],
        [w.residents.plumber, true],
        [w.residents.zhang, true],
      ]),
    );
    // Any form of the number opens it.
    for (const number of [t.number, 'mq2026-1', '1']) expect((await open(w.residents.steward, number)).number).toBe(t.number);
  });

  it('shows the history in order, internal notes marked, staff by name and the resident masked', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0), description: '楼道灯坏了三天了', photos: ['uploads/lamp.jpg'] });
    await act(prisma(), w, w.residents.steward, t.ticketId, 'claim', at(1));
    await act(prisma(), w, w.residents.steward, t.ticketId, 'note', at(2), { text: '电工周三有空' });
    await act(prisma(), w, w.residents.steward, t.ticketId, 'reply', at(3), { text: '周三上午来修' });
    await act(prisma(), w, w.residents.steward, t.ticketId, 'assign', at(4), { assigneeId: w.residents.council });
    await act(prisma(), w, w.residents.council, t.ticketId, 'resolve', at(5), { text: '灯已换新' });
    const ticket = await open(w.residents.committee, t.number, at(6));

    const lines = ticket.timeline.map((e) => [e.kind, e.internal, e.text]);
    expect(lines).toEqual([
      ['filed', false, '楼道灯坏了三天了'],
      ['claimed', false, null],
      ['internal_note', true, '电工周三有空'],
      ['staff_reply', false, '周三上午来修'],
      ['assigned', false, null],
      ['resolved', false, '灯已换新'],
    ]);
    const [filed, claimed, note] = ticket.timeline;
    expect(filed).toMatchObject({ actor: { kind: 'resident', maskedName: '张**' }, photos: ['uploads/lamp.jpg'], seenByResident: true });
    expect(claimed!.actor).toEqual({ kind: 'staff', name: '钱包片' });
    expect(note).toMatchObject({ seenByResident: false, actor: { kind: 'staff', name: '钱包片' } });
    expect(ticket.timeline.find((e) => e.kind === 'assigned')!.assigneeName).toBe('孙理事');
    expect(ticket).toMatchObject({ status: 'resolved', assignee: { residentId: w.residents.council, name: '孙理事' }, areaPath: '平房区/团结巷/3号院' });
  });

  it('masks the reporter and names their household', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    const ticket = await open(w.residents.steward, t.number);
    expect(ticket.reporter).toEqual({ residentId: w.residents.zhang, maskedName: '张**', maskedPhone: '138****5678' });
    expect(ticket.household).toEqual({ code: 'A1', address: '团结巷3号院2号' });
    expect(JSON.stringify(ticket)).not.toContain('13812345678');
    expect(JSON.stringify(ticket)).not.toContain('张三丰');
    expect(ticket.filedOnBehalf).toBe(false);
    // Filed by the group head for a neighbour: the neighbour's household, filed on their behalf.
    const forA3 = await file(prisma(), w, w.residents.zhang, { at: at(0.5), householdId: w.households.a3 });
    const other = await open(w.residents.steward, forA3.number);
    expect(other).toMatchObject({ household: { code: 'A3' }, filedOnBehalf: true });
  });

  it('lists the same household’s other tickets only, newest first, with their count', async () => {
    const first = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    const housemate = await file(prisma(), w, w.residents.li, { at: at(1) }); // Li lives in A1 too
    await file(prisma(), w, w.residents.wang, { at: at(2) }); // A2: another household
    const latest = await file(prisma(), w, w.residents.zhang, { at: at(3) });
    const ticket = await open(w.residents.committee, latest.number, at(4));
    expect(ticket.earlier.items.map((e) => e.number)).toEqual([housemate.number, first.number]);
    expect(ticket.earlier.total).toBe(2);
    expect(ticket.earlier.items[0]).toMatchObject({ status: 'new', category: 'other' });
  });

  it('shows time left, overdue by at the due instant, and met deadlines', async () => {
    const t = await file(prisma(), w, w.residents.wang, { at: at(0) });
    const row = await prisma().ticket.findUniqueOrThrow({ where: { id: t.ticketId } });
    const before = await open(w.residents.committee, t.number, new Date(row.firstResponseDueAt.getTime() - HOUR));
    expect(before.deadlines.firstResponse).toEqual({ state: 'running', dueAt: row.firstResponseDueAt, remainingMs: HOUR });
    const atDue = await open(w.residents.committee, t.number, row.firstResponseDueAt);
    expect(atDue.deadlines.firstResponse).toEqual({ state: 'overdue', dueAt: row.firstResponseDueAt, overdueMs: 0 });
    await act(prisma(), w, w.residents.steward, t.ticketId, 'reply', at(30), { text: '收到' });
    const answered = await open(w.residents.committee, t.number, at(31));
    expect(answered.deadlines.firstResponse).toEqual({ state: 'met', dueAt: row.firstResponseDueAt, metAt: at(30), late: true });
    expect(answered.deadlines.resolution).toMatchObject({ state: 'running', dueAt: row.resolutionDueAt });
    expect(row.resolutionDueAt!.getTime() - at(0).getTime()).toBe(7 * DAY);
  });

  it('offers each role only the actions the policy and the ticket’s status allow', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    const allowed = async (who: string) => (await open(who, t.number, at(2))).allowed;
    const everything = { reply: true, note: true, claim: true, assign: true, major: true, resolve: true, reopen: false, merge: true, reveal_phone: true };
    expect(await allowed(w.residents.committee)).toEqual(everything);
    expect(await allowed(w.residents.admin)).toEqual(everything);
    expect(await allowed(w.residents.steward)).toEqual(everything);
    expect(await allowed(w.residents.council)).toEqual(everything);

    // Assigned to the zone B steward: they handle it, but the phone of a zone A household is not theirs.
    await act(prisma(), w, w.residents.committee, t.ticketId, 'assign', at(1), { assigneeId: w.stewardB });
    expect(await allowed(w.stewardB)).toEqual({ ...everything, reveal_phone: false });
    // Taken in hand (in progress): it is someone's now, so nobody claims it; assigning moves it.
    await act(prisma(), w, w.stewardB, t.ticketId, 'claim', at(1.2));
    expect(await allowed(w.residents.steward)).toEqual({ ...everything, claim: false });

    await act(prisma(), w, w.residents.steward, t.ticketId, 'major', at(1.5));
    await act(prisma(), w, w.residents.steward, t.ticketId, 'resolve', at(1.6), { text: '已处理' });
    expect(await allowed(w.residents.steward)).toEqual({
      reply: true,
      note: true,
      claim: false,
      assign: false,
      major: false,
      resolve: false,
      reopen: true,
      merge: false,
      reveal_phone: true,
    });
    // The assignments offered: current staff only (the plumber is a service-team member, not staff).
    const ticket = await open(w.residents.committee, t.number, at(2));
    const names = ticket.assignable.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['钱包片', '孙理事', '周主任', '吴管理', '冯楼长']));
    expect(names).not.toContain('郑水暖');
    expect(names).not.toContain('张三丰');
    expect(ticket).toMatchObject({ major: true, status: 'resolved' });
  });

  it('shows merges both ways and the rating', async () => {
    const kept = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    const dup = await file(prisma(), w, w.residents.li, { at: at(0.5) });
    await act(prisma(), w, w.residents.steward, dup.ticketId, 'merge', at(1), { intoTicketId: kept.ticketId });
    const merged = await open(w.residents.committee, dup.number, at(2));
    expect(merged).toMatchObject({ status: 'merged', mergedInto: kept.number });
    expect(merged.timeline.find((e) => e.kind === 'merged')!.mergedIntoNumber).toBe(kept.number);
    expect(merged.deadlines.firstResponse.state).toBe('met'); // the merge notice is an answer
    expect((await open(w.residents.committee, kept.number, at(2))).mergedFrom).toEqual([dup.number]);

    await act(prisma(), w, w.residents.steward, kept.ticketId, 'resolve', at(3), { text: '已修好' });
    const zhang = await personActor(prisma(), w.residents.zhang, at(4));
    const rated = await prisma().$transaction((tx) =>
      rateMyTicket(tx, w.deps, { actor: zhang, ticketId: kept.ticketId, resolution: 1, stars: 4, solved: true, at: at(4) }),
    );
    expect(rated.status).toBe('rated');
    const ticket = await open(w.residents.committee, kept.number, at(5));
    expect(ticket.rating).toEqual({ stars: 4, solved: true, ratedAt: at(4) });
    expect(ticket.timeline.at(-1)).toMatchObject({ kind: 'rated', stars: 4, solved: true, actor: { kind: 'resident', maskedName: '张**' } });
  });
});
