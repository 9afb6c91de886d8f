/**
 * A resident's own tickets on a real database: the list (own household's, newest first, nobody
 * else's), one ticket's history as a resident may see it (no internal notes, staff by role), adding
 * to it, withdrawing it, reopening within 7 days and not after, the rating asked once and given
 * once per resolution (a stale one refused), and the version guard every change goes through.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/features/policy/actor.js';
import { loadActor } from '../../../../src/features/policy/load-actor.js';
import {
  addToMyTicket,
  applyTicketAction,
  askForRating,
  fileTicket,
  listMyTickets,
  rateMyTicket,
  ratingTarget,
  viewMyTicket,
  withdrawMyTicket,
  type ApplyTicketActionInput,
} from '../../../../src/features/tickets/service/index.js';
import type { TicketAction } from '../../../../src/features/tickets/rules/transition.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { seedPolicyCommunity, type SeededCommunity } from '../../policy/support/seed-community.js';
import { DAY, HOUR, testDeps, type TestDeps } from './support.js';

describe.each(databaseTargets())('a resident’s tickets on %s', (target) => {
  let db: TestDatabase;
  let c: SeededCommunity;
  let deps: TestDeps;
  const prisma = () => db.prisma;
  const actorOf = async (residentId: string): Promise<Actor> => (await loadActor(prisma(), { residentId }, { now: c.now }))!;
  const at = (hours: number) => new Date(c.now.getTime() + hours * HOUR);

  const file = async (residentId: string, description = '楼道灯坏了三天了', at = c.now) => {
    const actor = await actorOf(residentId);
    return prisma().$transaction((t) => fileTicket(t, deps, { communityId: c.communityId, actor, kind: 'complaint', category: 'environment_sanitation', description, filerAnsweredInChat: true, at }));
  };
  const staff = (type: 'claim' | 'reply' | 'note' | 'resolve' | 'reopen' | 'mark_major', ticketId: string, when: Date, text?: string, extra: Partial<ApplyTicketActionInput> = {}) =>
    prisma().$transaction((t) =>
      applyTicketAction(t, deps, {
        ticketId,
        communityId: c.communityId,
        action: { type, actor: { kind: 'staff', staffId: c.residents.steward }, at: when } as TicketAction,
        text: text ?? null,
        ...extra,
      }),
    );
  const texts = async (rowIds: { id: string }[]) =>
    (await prisma().outboxMessage.findMany({ where: { id: { in: rowIds.map((r) => r.id) } }, orderBy: { seq: 'asc' } })).map((row) => ({
      account: row.chatAccountId,
      text: (row.payload as { text: string }).text,
    }));

  beforeAll(async () => {
    db = await createTestDatabase(target);
  }, 60_000);
  afterAll(() => db?.close());
  beforeEach(async () => {
    c = await seedPolicyCommunity(prisma());
    deps = testDeps(c.now);
  });

  describe('the list', () => {
    it('shows the household’s tickets and one’s own filings, newest first; nobody else’s', async () => {
      const first = await file(c.residents.zhang, '第一件事情', at(0));
      const second = await file(c.residents.li, '第二件事情', at(1)); // Li lives in A1 too
      const wangs = await file(c.residents.wang, '王家的事情', at(2));
      const zhang = await actorOf(c.residents.zhang);
      const mine = await listMyTickets(prisma(), zhang, { now: at(3) });
      expect(mine.items.map((t) => t.number)).toEqual([second.number, first.number]);
      expect(mine.total).toBe(2);
      expect(mine.items[0]).toMatchObject({ category: 'environment_sanitation', status: 'new' });
      const wang = await listMyTickets(prisma(), await actorOf(c.residents.wang), { now: at(3) });
      expect(wang.items.map((t) => t.id)).toEqual([wangs.ticketId]);
      expect((await listMyTickets(prisma(), await actorOf(c.residents.zhao), { now: at(3) })).items).toEqual([]);
      // A ticket Zhang filed for a neighbour is his to follow too.
      const forA2 = await prisma().$transaction((t) =>
        fileTicket(t, deps, { communityId: c.communityId, actor: zhang, householdId: c.households.a2, kind: 'suggestion', category: 'other', description: '帮王家反映一下', at: at(4) }),
      );
      expect((await listMyTickets(prisma(), zhang, { now: at(5) })).items[0]!.id).toBe(forA2.ticketId);
    });

    it('limits the list and still counts all', async () => {
      for (let i = 0; i < 4; i++) await file(c.residents.zhang, `第 ${i} 件事情`, at(i));
      const mine = await listMyTickets(prisma(), await actorOf(c.residents.zhang), { limit: 3, now: at(5) });
      expect(mine.items).toHaveLength(3);
      expect(mine.total).toBe(4);
    });
  });

  describe('one ticket', () => {
    it('shows what a resident may see: staff by role, never an internal note', async () => {
      const filed = await file(c.residents.zhang);
      await staff('note', filed.ticketId, at(1), '这户人家比较难沟通');
      await staff('reply', filed.ticketId, at(2), '已安排电工明天上午维修');
      const view = await viewMyTicket(prisma(), await actorOf(c.residents.zhang), filed.ticketId, { now: at(3) });
      expect(view).toMatchObject({ number: filed.number, status: 'in_progress', standing: 'open', mine: true, rateable: false });
      expect(view!.events.map((e) => [e.kind, e.by, e.text])).toEqual([
        ['filed', 'you', '楼道灯坏了三天了'],
        ['staff_reply', 'steward', '已安排电工明天上午维修'],
      ]);
      expect(JSON.stringify(view)).not.toContain('难沟通');
    });

    it('a housemate sees it but may not act on it; another household does not see it at all', async () => {
      const filed = await file(c.residents.zhang);
      const li = await actorOf(c.residents.li);
      const view = await viewMyTicket(prisma(), li, filed.ticketId, { now: at(1) });
      expect(view).toMatchObject({ mine: false });
      expect(view!.events[0]!.by).toBe('resident');
      expect(await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: li, ticketId: filed.ticketId, text: '补充', at: at(1) }))).toEqual({ status: 'not_yours' });

      const wang = await actorOf(c.residents.wang);
      expect(await viewMyTicket(prisma(), wang, filed.ticketId, { now: at(1) })).toBeNull();
      expect(await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: wang, ticketId: filed.ticketId, text: '我来捣乱', at: at(1) }))).toEqual({ status: 'not_found' });
      expect(await prisma().$transaction((t) => withdrawMyTicket(t, deps, { actor: wang, ticketId: filed.ticketId, at: at(1) }))).toEqual({ status: 'not_found' });
      expect(await ratingTarget(prisma(), wang, { ticketId: filed.ticketId, now: at(1) })).toEqual({ status: 'not_found' });
      const events = await prisma().ticketEvent.findMany({ where: { ticketId: filed.ticketId } });
      expect(events.map((e) => e.kind)).toEqual(['filed']);
    });

    it('an added message goes to the staff side; a photo is kept on the ticket too', async () => {
      const filed = await file(c.residents.zhang);
      const zhang = await actorOf(c.residents.zhang);
      deps.observer.changes.length = 0;
      const added = await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, text: '三楼也不亮', at: at(1) }));
      expect(added).toEqual({ status: 'added', number: filed.number });
      expect(deps.observer.changes).toMatchObject([{ kind: 'resident_message', effects: ['notify_staff'] }]);
      const photo = await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, photos: ['ph-9'], at: at(2) }));
      expect(photo.status).toBe('added');
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
      expect(ticket).toMatchObject({ photos: ['ph-9'], status: 'new', version: 2 });
      const audit = await prisma().auditLog.findMany({ where: { subjectId: filed.ticketId }, orderBy: { createdAt: 'asc' } });
      expect(audit.map((a) => a.action)).toEqual(['ticket.add', 'ticket.add']);
    });

    it('withdrawing an open ticket ends it; a message to it then gets a clear answer', async () => {
      const filed = await file(c.residents.zhang);
      const zhang = await actorOf(c.residents.zhang);
      expect(await prisma().$transaction((t) => withdrawMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, at: at(1) }))).toEqual({ status: 'withdrawn', number: filed.number });
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
      expect(ticket).toMatchObject({ status: 'withdrawn', finishedAt: at(1) });
      expect(deps.observer.changes.at(-1)).toMatchObject({ kind: 'withdrawn', effects: ['notify_staff', 'cancel_deadlines', 'close_staff_thread'] });
      expect(await prisma().$transaction((t) => withdrawMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, at: at(2) }))).toMatchObject({ status: 'withdrawn' });
      expect(await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, text: '还在吗', at: at(2) }))).toEqual({ status: 'withdrawn', number: filed.number });
      const view = await viewMyTicket(prisma(), zhang, filed.ticketId, { now: at(3) });
      expect(view!.standing).toBe('withdrawn');
    });

    it('a merged ticket points to the one it was merged into', async () => {
      const one = await file(c.residents.zhang, '路灯坏了');
      const two = await file(c.residents.zhang, '路灯又坏了');
      const merged = await prisma().$transaction((t) =>
        applyTicketAction(t, deps, {
          ticketId: two.ticketId,
          communityId: c.communityId,
          action: { type: 'merge', into: { id: one.ticketId, status: 'new' }, actor: { kind: 'staff', staffId: c.residents.steward }, at: at(1) },
        }),
      );
      expect(merged.ok).toBe(true);
      const toResident = await texts(merged.ok ? merged.rows : []);
      expect(toResident[0]!.text).toContain(`和工单${one.number}是同一件事`);
      const zhang = await actorOf(c.residents.zhang);
      expect(await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: zhang, ticketId: two.ticketId, text: '怎么样了', at: at(2) }))).toEqual({
        status: 'merged',
        number: two.number,
        mergedIntoNumber: one.number,
      });
      expect((await viewMyTicket(prisma(), zhang, two.ticketId, { now: at(2) }))!.mergedIntoNumber).toBe(one.number);
    });
  });

  describe('resolved, reopened, closed', () => {
    it('a resolution reaches the resident with the rating question, once', async () => {
      const filed = await file(c.residents.zhang);
      const resolved = await staff('resolve', filed.ticketId, at(5), '灯已修好');
      expect(resolved.ok).toBe(true);
      if (!resolved.ok) return;
      expect(resolved.effects).toContain('ask_rating');
      const sent = await texts(resolved.rows);
      // Zhang's most recently seen account (both bound) gets both messages.
      expect(sent.map((s) => s.text.split('\n')[0])).toEqual([`【${filed.number}】已办结：`, expect.stringContaining(`回复“评价 ${filed.number}”`)]);
      expect(new Set(sent.map((s) => s.account)).size).toBe(1);
      // Asking again for the same resolution writes nothing.
      expect(await prisma().$transaction((t) => askForRating(t, deps, filed.ticketId))).toEqual([]);
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
      expect(ticket).toMatchObject({ status: 'resolved', resolvedAt: at(5), finishedAt: at(5), resolutionCount: 1, firstRespondedAt: at(5) });
    });

    it('a message within 7 days reopens it (deadlines start again); after 7 days it offers a new one', async () => {
      const filed = await file(c.residents.zhang);
      await staff('resolve', filed.ticketId, at(5), '灯已修好');
      const zhang = await actorOf(c.residents.zhang);
      // Exactly 7 × 24 h after the resolution still reopens.
      const edge = new Date(at(5).getTime() + 7 * DAY);
      expect(await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, text: '又不亮了', at: edge }))).toEqual({ status: 'reopened', number: filed.number });
      const reopened = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
      expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, resolvedAt: null, finishedAt: null, firstRespondedAt: null });
      // Priority household: 4 h from the reopening.
      expect(reopened.firstResponseDueAt).toEqual(new Date(edge.getTime() + 4 * HOUR));
      expect(deps.observer.changes.at(-1)!.effects).toEqual(['notify_staff', 'schedule_deadlines', 'cancel_auto_close', 'reopen_staff_thread']);

      await staff('resolve', filed.ticketId, new Date(edge.getTime() + DAY), '换了新灯泡');
      const late = new Date(edge.getTime() + DAY + 7 * DAY + 1);
      expect(await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, text: '还是不亮', at: late }))).toEqual({ status: 'window_passed', number: filed.number });
      expect((await viewMyTicket(prisma(), zhang, filed.ticketId, { now: late }))!.standing).toBe('closed');
      expect((await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } })).status).toBe('resolved');

      await prisma().$transaction((t) =>
        applyTicketAction(t, deps, { ticketId: filed.ticketId, communityId: c.communityId, action: { type: 'auto_close', actor: { kind: 'system' }, at: late } }),
      );
      expect(await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, text: '还是不亮', at: late }))).toEqual({ status: 'closed', number: filed.number });
    });
  });

  describe('rating', () => {
    it('rates a resolution once, with “was it solved?” and a comment', async () => {
      const filed = await file(c.residents.zhang);
      await staff('resolve', filed.ticketId, at(5), '灯已修好');
      const zhang = await actorOf(c.residents.zhang);
      const targetOk = await ratingTarget(prisma(), zhang, { now: at(6) });
      expect(targetOk).toEqual({ status: 'ok', ticketId: filed.ticketId, number: filed.number, resolution: 1 });
      const rate = (stars: number, resolution = 1) =>
        prisma().$transaction((t) => rateMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, resolution, stars, solved: true, comment: '很及时', at: at(6) }));
      expect(await rate(0)).toEqual({ status: 'invalid' });
      expect(await rate(6)).toEqual({ status: 'invalid' });
      expect(await rate(5)).toEqual({ status: 'rated', number: filed.number });
      expect(await rate(1)).toEqual({ status: 'already_rated', number: filed.number });
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
      expect(ticket).toMatchObject({ rating: 5, solved: true, ratedResolution: 1, ratedAt: at(6) });
      const event = await prisma().ticketEvent.findFirstOrThrow({ where: { ticketId: filed.ticketId, kind: 'rated' } });
      expect(event).toMatchObject({ text: '很及时', details: { stars: 5, solved: true, resolution: 1 } });
      expect(await ratingTarget(prisma(), zhang, { ticketId: filed.ticketId, now: at(7) })).toEqual({ status: 'already_rated' });
      expect(await ratingTarget(prisma(), zhang, { now: at(7) })).toEqual({ status: 'none' });
    });

    it('a rating for a resolution that no longer stands is refused; the new resolution is asked and rated', async () => {
      const filed = await file(c.residents.zhang);
      await staff('resolve', filed.ticketId, at(5), '灯已修好');
      const zhang = await actorOf(c.residents.zhang);
      const old = await ratingTarget(prisma(), zhang, { now: at(6) });
      await prisma().$transaction((t) => addToMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, text: '又坏了', at: at(7) }));
      const rate = (resolution: number, when: Date) =>
        prisma().$transaction((t) => rateMyTicket(t, deps, { actor: zhang, ticketId: filed.ticketId, resolution, stars: 2, solved: false, at: when }));
      expect(old).toMatchObject({ resolution: 1 });
      // Reopened: the question about resolution 1 is stale.
      expect(await rate(1, at(8))).toEqual({ status: 'stale', number: filed.number });
      const second = await staff('resolve', filed.ticketId, at(9), '换了线路');
      expect(second.ok && (await texts(second.rows)).some((s) => s.text.includes('评价'))).toBe(true);
      // Resolved again: still stale for resolution 1, fine for resolution 2.
      expect(await rate(1, at(10))).toEqual({ status: 'stale', number: filed.number });
      expect(await rate(2, at(10))).toEqual({ status: 'rated', number: filed.number });
    });

    it('only the reporter rates; praise is not rated; a ticket still open is not rateable', async () => {
      const filed = await file(c.residents.zhang);
      const zhang = await actorOf(c.residents.zhang);
      expect(await ratingTarget(prisma(), zhang, { ticketId: filed.ticketId, now: at(1) })).toEqual({ status: 'not_rateable' });
      await staff('resolve', filed.ticketId, at(5), '灯已修好');
      const li = await actorOf(c.residents.li);
      expect(await ratingTarget(prisma(), li, { ticketId: filed.ticketId, now: at(6) })).toEqual({ status: 'not_rateable' });
      expect(await prisma().$transaction((t) => rateMyTicket(t, deps, { actor: li, ticketId: filed.ticketId, resolution: 1, stars: 5, solved: true, at: at(6) }))).toEqual({ status: 'not_found' });

      const praise = await prisma().$transaction((t) => fileTicket(t, deps, { communityId: c.communityId, actor: zhang, kind: 'praise', category: 'other', description: '感谢包片干部', at: at(7) }));
      const resolvedPraise = await staff('resolve', praise.ticketId, at(8), '已转达');
      expect(resolvedPraise.ok && resolvedPraise.effects).not.toContain('ask_rating');
      expect(await ratingTarget(prisma(), zhang, { ticketId: praise.ticketId, now: at(9) })).toEqual({ status: 'not_rateable' });
    });
  });

  describe('the shared transition', () => {
    it('guards the version: a stale card button is a conflict; a second claim by the holder changes nothing', async () => {
      const filed = await file(c.residents.zhang);
      const claimed = await staff('claim', filed.ticketId, at(1), undefined, { expectedVersion: 0 });
      expect(claimed).toMatchObject({ ok: true, noop: false, ticket: { status: 'in_progress', assigneeId: c.residents.steward, version: 1 } });
      expect(await staff('claim', filed.ticketId, at(2), undefined, { expectedVersion: 0 })).toEqual({ ok: false, error: 'version_conflict' });
      const again = await staff('claim', filed.ticketId, at(2));
      expect(again).toMatchObject({ ok: true, noop: true, eventId: null });
      expect(await prisma().auditLog.count({ where: { subjectId: filed.ticketId, action: 'ticket.claim' } })).toBe(1);
    });

    it('a resident cannot act as staff, nor on another community’s ticket', async () => {
      const filed = await file(c.residents.zhang);
      const asResident = await prisma().$transaction((t) =>
        applyTicketAction(t, deps, { ticketId: filed.ticketId, communityId: c.communityId, action: { type: 'resolve', actor: { kind: 'resident', residentId: c.residents.zhang }, at: at(1) } }),
      );
      expect(asResident).toEqual({ ok: false, error: 'staff_only' });
      const other = await seedPolicyCommunity(prisma());
      const elsewhere = await prisma().$transaction((t) =>
        applyTicketAction(t, deps, { ticketId: filed.ticketId, communityId: other.communityId, action: { type: 'claim', actor: { kind: 'staff', staffId: other.residents.steward }, at: at(1) } }),
      );
      expect(elsewhere).toEqual({ ok: false, error: 'not_found' });
    });

    it('marking major puts it on the next forum’s agenda once', async () => {
      await prisma().community.update({ where: { id: c.communityId }, data: { ticketSettings: { forumAnchor: '2026-06-04T15:00:00+08:00' } } });
      const filed = await file(c.residents.zhang);
      await staff('mark_major', filed.ticketId, at(1));
      await staff('mark_major', filed.ticketId, at(2));
      const items = await prisma().agendaItem.findMany({ where: { ticketId: filed.ticketId } });
      expect(items).toMatchObject([{ reason: 'major', meetingAt: new Date('2026-06-04T07:00:00Z') }]);
    });

    it('a staff reply reaches the resident, with a ref to the ticket', async () => {
      const filed = await file(c.residents.zhang);
      const reply = await staff('reply', filed.ticketId, at(1), '明天上午来修');
      expect(reply.ok).toBe(true);
      if (!reply.ok) return;
      const rows = await prisma().outboxMessage.findMany({ where: { id: { in: reply.rows.map((r) => r.id) } }, include: { refs: true } });
      expect(rows).toHaveLength(1);
      expect(rows[0]!.refs).toMatchObject([{ subjectKind: 'ticket', subjectId: filed.ticketId, role: 'notice' }]);
      expect([c.accounts.zhangWeb, c.accounts.zhangTelegram]).toContain(rows[0]!.chatAccountId);
      expect((rows[0]!.payload as { text: string }).text).toContain('明天上午来修');
    });
  });
});
