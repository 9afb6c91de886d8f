/**
 * The inbox list on a real database: who sees which tickets (committee everything, a steward their
 * area's subtree and what is assigned to them, a steward of another zone nothing of zone A,
 * residents and the service team nothing) in agreement with the policy; each filter and its count
 * (overdue at the due instant, not a millisecond before); search by every form of a ticket number
 * and by Chinese words; paging that says how many there are.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { can } from '../../../src/features/policy/policy.js';
import { loadTicketSubject } from '../../../src/features/tickets/service/index.js';
import { listFilterOptions, listTickets, parseTicketListQuery, TICKET_PAGE_SIZE, type TicketListFilter } from '../../../src/staff-web/inbox/ticket-list.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { act, file, HOUR, personActor, seedInboxWorld, type InboxWorld } from './support.js';

describe.each(databaseTargets())('the inbox list on %s', (target) => {
  let db: TestDatabase;
  let w: InboxWorld;
  const prisma = () => db.prisma;
  const at = (hours: number) => new Date(w.now.getTime() + hours * HOUR);
  const list = async (residentId: string, filter: Partial<TicketListFilter> = {}, now = at(1), page = 1) =>
    listTickets(prisma(), { communityId: w.communityId, actor: await personActor(prisma(), residentId, now), filter, page, now });
  const numbers = async (residentId: string, filter: Partial<TicketListFilter> = {}, now = at(1)) => (await list(residentId, filter, now)).items.map((i) => i.number);

  beforeAll(async () => {
    db = await createTestDatabase(target);
  }, 60_000);
  afterAll(() => db?.close());
  beforeEach(async () => {
    w = await seedInboxWorld(prisma());
  });

  describe('scope', () => {
    it('shows the committee every ticket, a steward their area’s subtree, a steward of zone B none of zone A', async () => {
      const a1 = await file(prisma(), w, w.residents.zhang, { at: at(0), description: '3号院门口堆了垃圾' });
      const a3 = await file(prisma(), w, w.residents.zhang, { at: at(0.1), householdId: w.households.a3, description: '5号院的井盖松了' });
      const b1 = await file(prisma(), w, w.residents.zhao, { at: at(0.2), description: '5号楼电梯坏了' });

      expect(await numbers(w.residents.committee)).toEqual([b1.number, a3.number, a1.number]);
      expect(await numbers(w.residents.admin)).toEqual([b1.number, a3.number, a1.number]);
      expect(await numbers(w.residents.steward)).toEqual([a3.number, a1.number]);
      expect(await numbers(w.residents.council)).toEqual([a3.number, a1.number]);
      expect(await numbers(w.stewardB)).toEqual([b1.number]);
      // Residents (even the one who filed it) and the service team handle no tickets here.
      expect(await numbers(w.residents.zhang)).toEqual([]);
      expect(await numbers(w.residents.plumber)).toEqual([]);
      expect((await list(w.residents.zhang)).counts).toEqual({ open: 0, new: 0, overdue: 0, mine: 0, unassigned: 0, resolved: 0 });
    });

    it('shows a staff member what is assigned to them wherever it is, and agrees with the policy for everyone', async () => {
      await file(prisma(), w, w.residents.zhang, { at: at(0) });
      const b1 = await file(prisma(), w, w.residents.zhao, { at: at(0.1) });
      await file(prisma(), w, w.residents.steward, { at: at(0.2), householdId: w.households.a2, description: '代王五反映' });
      await act(prisma(), w, w.residents.committee, b1.ticketId, 'assign', at(0.3), { assigneeId: w.residents.steward });
      expect(await numbers(w.residents.steward)).toContain(b1.number);

      const all = await prisma().ticket.findMany({ where: { communityId: w.communityId }, select: { id: true, number: true } });
      const now = at(1);
      for (const who of [...Object.values(w.residents), w.stewardB]) {
        const actor = await personActor(prisma(), who, now);
        const shown = new Set(await numbers(who, { state: 'all' }, now));
        for (const ticket of all) {
          const subject = (await loadTicketSubject(prisma(), w.communityId, ticket.id))!;
          expect({ who, ticket: ticket.number, shown: shown.has(ticket.number) }).toEqual({
            who,
            ticket: ticket.number,
            shown: can(actor, 'ticket.view_internal', subject, { now }),
          });
        }
      }
    });

    it('shows nothing of another community', async () => {
      const other = await seedInboxWorld(prisma());
      await file(prisma(), other, other.residents.zhang, { at: at(0) });
      await file(prisma(), w, w.residents.zhang, { at: at(0) });
      const actor = await personActor(prisma(), other.residents.committee, at(1));
      const result = await listTickets(prisma(), { communityId: w.communityId, actor, now: at(1) });
      expect(result.items).toEqual([]);
      expect(result.total).toBe(0);
    });
  });

  describe('filters and their counts', () => {
    it('counts open, new, mine, unassigned and resolved under the same scope, and filters by each', async () => {
      const first = await file(prisma(), w, w.residents.zhang, { at: at(0) });
      const second = await file(prisma(), w, w.residents.wang, { at: at(0.1) });
      const third = await file(prisma(), w, w.residents.li, { at: at(0.2) });
      const zoneB = await file(prisma(), w, w.residents.zhao, { at: at(0.3) });
      await act(prisma(), w, w.residents.council, first.ticketId, 'claim', at(0.4));
      await act(prisma(), w, w.residents.steward, second.ticketId, 'resolve', at(0.5), { text: '已清理' });
      // Its handler was removed from the roster: the ticket is nobody's until someone takes it.
      await prisma().ticket.update({ where: { id: third.ticketId }, data: { assigneeId: null } });

      const committee = await list(w.residents.committee);
      expect(committee.counts).toEqual({ open: 3, new: 2, overdue: 0, mine: 0, unassigned: 1, resolved: 1 });
      expect(committee.items.map((i) => i.number)).toEqual([zoneB.number, third.number, first.number]);
      const council = await list(w.residents.council);
      expect(council.counts).toEqual({ open: 2, new: 1, overdue: 0, mine: 1, unassigned: 1, resolved: 1 });

      expect(await numbers(w.residents.council, { mine: true })).toEqual([first.number]);
      expect(await numbers(w.residents.committee, { unassigned: true })).toEqual([third.number]);
      expect(await numbers(w.residents.committee, { state: 'new' })).toEqual([zoneB.number, third.number]);
      expect(await numbers(w.residents.committee, { state: 'in_progress' })).toEqual([first.number]);
      expect(await numbers(w.residents.committee, { state: 'resolved' })).toEqual([second.number]);
      expect(await numbers(w.residents.committee, { state: 'all' })).toEqual([zoneB.number, third.number, second.number, first.number]);
      expect(await numbers(w.residents.committee, { state: 'withdrawn' })).toEqual([]);
      const item = committee.items.find((i) => i.number === first.number)!;
      expect(item).toMatchObject({ status: 'in_progress', assigneeName: '孙理事', areaPath: '平房区/团结巷/3号院', kind: 'complaint', category: 'other' });
    });

    it('filters by an area with everything below it, and by category', async () => {
      const court = await file(prisma(), w, w.residents.zhang, { at: at(0), category: 'environment_sanitation' });
      const court2 = await file(prisma(), w, w.residents.zhang, { at: at(0.1), householdId: w.households.a3 });
      await file(prisma(), w, w.residents.zhao, { at: at(0.2), category: 'environment_sanitation' });
      expect(await numbers(w.residents.committee, { areaId: w.areas.laneA })).toEqual([court2.number, court.number]);
      expect(await numbers(w.residents.committee, { areaId: w.areas.courtA })).toEqual([court.number]);
      const lane = await list(w.residents.committee, { areaId: w.areas.laneA, category: 'environment_sanitation' });
      expect(lane.items.map((i) => i.number)).toEqual([court.number]);
      // The counts follow the area and category too.
      expect(lane.counts.open).toBe(1);
    });

    it('counts a ticket overdue at its first-response deadline’s very instant, not a millisecond before', async () => {
      const late = await file(prisma(), w, w.residents.wang, { at: at(0) });
      const due = (await prisma().ticket.findUniqueOrThrow({ where: { id: late.ticketId } })).firstResponseDueAt;
      expect(due.getTime()).toBe(at(24).getTime()); // "other": a first answer within a day
      const before = await list(w.residents.committee, { overdue: true }, new Date(due.getTime() - 1));
      expect(before.items).toEqual([]);
      expect(before.counts.overdue).toBe(0);
      const atDue = await list(w.residents.committee, { overdue: true }, due);
      expect(atDue.items.map((i) => [i.number, i.overdue, i.firstResponse])).toEqual([[late.number, true, 'late']]);
      expect(atDue.counts.overdue).toBe(1);
      expect((await list(w.residents.committee, {}, new Date(due.getTime() + 1))).items[0]).toMatchObject({ overdue: true, lateness: { firstResponse: true, resolution: false } });
      const waiting = (await list(w.residents.committee, {}, new Date(due.getTime() - 1))).items[0]!;
      expect(waiting).toMatchObject({ overdue: false, firstResponse: 'waiting', dueAt: due });
    });

    it('stops counting the first response once answered; the resolution deadline counts from its instant; finished tickets are never late', async () => {
      const t = await file(prisma(), w, w.residents.wang, { at: at(0) });
      await act(prisma(), w, w.residents.steward, t.ticketId, 'reply', at(1), { text: '明天上午来看' });
      const row = await prisma().ticket.findUniqueOrThrow({ where: { id: t.ticketId } });
      const resolutionDue = row.resolutionDueAt!;
      expect((await list(w.residents.committee, {}, at(30))).items[0]).toMatchObject({ overdue: false, firstResponse: 'answered', dueAt: resolutionDue });
      expect((await list(w.residents.committee, { overdue: true }, new Date(resolutionDue.getTime() - 1))).total).toBe(0);
      const atDue = await list(w.residents.committee, { overdue: true }, resolutionDue);
      expect(atDue.items[0]).toMatchObject({ number: t.number, lateness: { firstResponse: false, resolution: true } });
      await act(prisma(), w, w.residents.steward, t.ticketId, 'resolve', new Date(resolutionDue.getTime() + HOUR), { text: '已修好' });
      const later = await list(w.residents.committee, { state: 'all' }, new Date(resolutionDue.getTime() + 2 * HOUR));
      expect(later.counts.overdue).toBe(0);
      expect(later.items[0]).toMatchObject({ overdue: false, dueAt: null });
    });
  });

  describe('search', () => {
    it('finds a ticket by its number in every form people type', async () => {
      const first = await file(prisma(), w, w.residents.zhang, { at: at(0), description: '第一件' });
      await file(prisma(), w, w.residents.wang, { at: at(0.1), description: '第二件' });
      expect(first.number).toBe('MQ-2026-00001');
      for (const q of ['MQ-2026-00001', 'mq2026-1', '２０２６－００００１', '2026-00001', '2026 1', '1', '#1', ' ＃1 ']) {
        expect({ q, found: await numbers(w.residents.committee, { q }) }).toEqual({ q, found: [first.number] });
      }
      // Another year's number is not this one.
      expect(await numbers(w.residents.committee, { q: '2025-00001' })).toEqual([]);
    });

    it('finds words in the description, the place or the area, any case, Chinese as substrings; every word must match', async () => {
      const leak = await file(prisma(), w, w.residents.zhang, { at: at(0), description: '厨房天花板漏水，已经三天了' });
      const lamp = await file(prisma(), w, w.residents.wang, { at: at(0.1), description: 'LED路灯不亮', place: '团结巷东口' });
      const lift = await file(prisma(), w, w.residents.zhao, { at: at(0.2), description: '电梯又坏了' });
      expect(await numbers(w.residents.committee, { q: '漏水' })).toEqual([leak.number]);
      expect(await numbers(w.residents.committee, { q: 'led' })).toEqual([lamp.number]);
      expect(await numbers(w.residents.committee, { q: '东口' })).toEqual([lamp.number]);
      expect(await numbers(w.residents.committee, { q: '5号楼' })).toEqual([lift.number]);
      expect(await numbers(w.residents.committee, { q: '路灯 东口' })).toEqual([lamp.number]);
      expect(await numbers(w.residents.committee, { q: '路灯 电梯' })).toEqual([]);
      // A search never widens the scope: zone B's lift is not the lane steward's.
      expect(await numbers(w.residents.steward, { q: '电梯' })).toEqual([]);
      // Characters that mean "anything" to SQL are plain text here.
      expect(await numbers(w.residents.committee, { q: '%' })).toEqual([]);
      expect(await numbers(w.residents.committee, { q: '_' })).toEqual([]);
      expect(await numbers(w.residents.committee, { q: '\\' })).toEqual([]);
      const percent = await file(prisma(), w, w.residents.wang, { at: at(0.3), description: '物业费涨了50%' });
      expect(await numbers(w.residents.committee, { q: '50%' })).toEqual([percent.number]);
      const counted = await list(w.residents.committee, { q: '漏水' });
      expect(counted.counts).toMatchObject({ open: 1, new: 1 });
    });
  });

  describe('paging', () => {
    it('shows 50 a page, newest first, and says how many there are', async () => {
      const filed: string[] = [];
      for (let i = 0; i < TICKET_PAGE_SIZE + 2; i++) filed.push((await file(prisma(), w, w.residents.zhang, { at: new Date(w.now.getTime() + i * 60_000), description: `第${i}件` })).number);
      const now = at(2);
      const first = await list(w.residents.committee, {}, now, 1);
      expect(first).toMatchObject({ total: TICKET_PAGE_SIZE + 2, page: 1, pageCount: 2, pageSize: TICKET_PAGE_SIZE });
      expect(first.items).toHaveLength(TICKET_PAGE_SIZE);
      expect(first.items[0]!.number).toBe(filed.at(-1));
      const second = await list(w.residents.committee, {}, now, 2);
      expect(second.items.map((i) => i.number)).toEqual([filed[1], filed[0]]);
      // A page past the end shows the last page.
      expect((await list(w.residents.committee, {}, now, 9)).page).toBe(2);
      expect((await list(w.residents.committee, {}, now, Number.NaN)).page).toBe(1);
      expect((await list(w.residents.committee, {}, now, 0)).page).toBe(1);
      expect(first.counts.open).toBe(TICKET_PAGE_SIZE + 2);
    }, 120_000);
  });

  it('reads the filter from a GET query, unknown values falling back to the defaults', () => {
    expect(parseTicketListQuery({ state: 'resolved', overdue: '1', mine: '0', q: ' 漏水 ', page: '3', area: 'a1' })).toEqual({
      filter: { state: 'resolved', areaId: 'a1', category: null, overdue: true, mine: false, unassigned: false, q: '漏水' },
      page: 3,
    });
    expect(parseTicketListQuery({ state: 'bogus', page: '-2' })).toMatchObject({ filter: { state: 'open' }, page: 1 });
  });

  it('offers every area by path and the community’s categories', async () => {
    const options = await listFilterOptions(prisma(), w.communityId);
    expect(options.areas.map((a) => a.path)).toEqual(['平房区', '平房区/团结巷', '平房区/团结巷/3号院', '平房区/团结巷/5号院', '楼寓', '楼寓/5号楼']);
    expect(options.categories.map((c) => c.code)).toContain('other');
  });

  it('gives an excerpt of long descriptions', async () => {
    const long = '楼'.repeat(100);
    await file(prisma(), w, w.residents.zhang, { at: at(0), description: long });
    const [item] = (await list(w.residents.committee)).items;
    expect(item!.excerpt).toBe(`${'楼'.repeat(80)}…`);
  });

});
