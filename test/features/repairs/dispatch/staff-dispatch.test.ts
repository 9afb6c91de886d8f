/**
 * Staff's hand on a job, on a real database with a fake clock: reassigning to a named member
 * withdraws the open offer and offers it to them alone; reassigning without a name takes the
 * holder off and asks the next member; take over holds it at once; cancel ends it and tells the
 * holder; the history lists every offer; a service-team member may do none of it (refused and
 * audited); a move that does not apply changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchHistoryOfTicket } from '../../../../src/features/repairs/dispatch/service/dispatch-history.js';
import { staffDispatch, type StaffDispatchInput } from '../../../../src/features/repairs/dispatch/service/staff-dispatch.js';
import { answerOffer } from '../../../../src/features/repairs/dispatch/service/offer-engine.js';
import { loadActor } from '../../../../src/features/policy/load-actor.js';
import { databaseTargets } from '../../../support/database.js';
import { jobIds } from '../../../../src/queue/jobs.js';
import { STAFF_CHAT_ID } from '../../tickets/scheduling/seed.js';
import { addMember, fileRepair, inTransaction, memberActor, MONDAY_10, openDispatchHarness, textsTo, type DispatchHarness } from './support.js';

describe.each(databaseTargets())('staff dispatch on %s', (target) => {
  let h: DispatchHarness;
  let a: Awaited<ReturnType<typeof addMember>>;
  let b: Awaited<ReturnType<typeof addMember>>;
  let c: Awaited<ReturnType<typeof addMember>>;

  beforeAll(async () => {
    h = await openDispatchHarness(target);
    h.clock.now = MONDAY_10;
    a = await addMember(h, '钱师傅', ['plumbing']);
    b = await addMember(h, '孙师傅', ['plumbing']);
    c = await addMember(h, '李师傅', ['plumbing']);
  });
  afterAll(() => h?.close());

  const steward = async () => {
    const actor = await h.prisma.$transaction((tx) => loadActor(tx, { residentId: h.community.stewardId }, { now: h.clock.now }));
    return actor!;
  };
  const act = async (input: Omit<StaffDispatchInput, 'actor'>, actor?: StaffDispatchInput['actor']) => {
    const who = actor ?? (await steward());
    return inTransaction(h, (tx) => staffDispatch(tx, h.deps, { actor: who, ...input }));
  };
  const order = (id: string) => h.prisma.workOrder.findUniqueOrThrow({ where: { id }, include: { offers: { orderBy: [{ offeredAt: 'asc' }, { id: 'asc' }] } } });

  it('reassigns to a named member, then to the next, takes over and cancels', async () => {
    const leak = await fileRepair(h);
    const firstOffer = (await order(leak.workOrderId)).offers[0]!;
    const named = [a, b, c].find((m) => m.residentId !== firstOffer.memberId)!;

    expect(await act({ workOrderId: leak.workOrderId, move: 'reassign', memberName: (await h.prisma.resident.findUniqueOrThrow({ where: { id: named.residentId } })).name })).toMatchObject({ status: 'done' });
    let stored = await order(leak.workOrderId);
    expect(stored.offers.map((o) => [o.memberId, o.status])).toEqual([
      [firstOffer.memberId, 'withdrawn'],
      [named.residentId, 'open'],
    ]);
    expect(stored.status).toBe('offered');
    // The member whose offer staff took back hears so if they answer it late.
    const firstActor = await memberActor(h, firstOffer.memberId);
    expect((await inTransaction(h, (tx) => answerOffer(tx, h.deps, { actor: firstActor, workOrderId: leak.workOrderId, answer: 'accept' }))).status).toBe('withdrawn');

    // The named member accepts; staff reassign it again with no name: the next member, not them.
    const namedActor = await memberActor(h, named.residentId);
    expect((await inTransaction(h, (tx) => answerOffer(tx, h.deps, { actor: namedActor, workOrderId: leak.workOrderId, answer: 'accept' }))).status).toBe('accepted');
    expect(await act({ workOrderId: leak.workOrderId, move: 'reassign' })).toMatchObject({ status: 'done', memberName: null });
    stored = await order(leak.workOrderId);
    expect(stored.memberId).toBeNull();
    const next = stored.offers.at(-1)!;
    expect(next.status).toBe('open');
    expect(next.memberId).not.toBe(named.residentId);
    expect((await textsTo(h, named.chatId)).at(-1)).toContain('改派给其他人');

    // Take over by a named member: held at once, the open offer withdrawn.
    const taker = [a, b, c].find((m) => m.residentId !== next.memberId)!;
    const takerName = (await h.prisma.resident.findUniqueOrThrow({ where: { id: taker.residentId } })).name;
    expect(await act({ workOrderId: leak.workOrderId, move: 'take_over', memberName: takerName })).toMatchObject({ status: 'done', memberName: takerName });
    stored = await order(leak.workOrderId);
    expect(stored).toMatchObject({ status: 'accepted', memberId: taker.residentId });
    expect(stored.offers.filter((o) => o.status === 'open')).toEqual([]);
    expect((await textsTo(h, taker.chatId)).at(-1)).toContain('直接派给了您');

    // Cancel: ended, the holder told; cancelling again does not apply.
    expect(await act({ workOrderId: leak.workOrderId, move: 'cancel' })).toMatchObject({ status: 'done' });
    expect((await order(leak.workOrderId)).status).toBe('cancelled');
    expect((await textsTo(h, taker.chatId)).at(-1)).toContain(`${leak.number}已取消`);
    expect(await act({ workOrderId: leak.workOrderId, move: 'cancel' })).toMatchObject({ status: 'not_now', jobStatus: 'cancelled' });
    expect(h.changes.filter((ch) => ch.workOrderId === leak.workOrderId).map((ch) => ch.kind)).toEqual(['filed', 'offer', 'reassign', 'offer', 'accept', 'reassign', 'offer', 'take_over', 'cancel']);
    expect((await textsTo(h, STAFF_CHAT_ID)).filter((t) => t.includes(leak.number)).some((t) => t.includes('已取消'))).toBe(true);

    const history = (await inTransaction(h, (tx) => dispatchHistoryOfTicket(tx, leak.ticketId)))!;
    expect(history.status).toBe('cancelled');
    expect(history.offers.map((o) => o.status)).toEqual(['withdrawn', 'accepted', 'withdrawn']);
  });

  it('withdraws the offers of a job cancelled with its ticket, and frees their members for waiting jobs', async () => {
    h.clock.now = new Date(MONDAY_10.getTime() + 30 * 60_000);
    const fitter = await addMember(h, '韦师傅', ['heating']);
    const radiator = await fileRepair(h, { job: 'heating' });
    const waiting = await fileRepair(h, { job: 'heating' });
    expect((await order(waiting.workOrderId)).status).toBe('received');
    // The resident side cancels the job when its ticket is withdrawn, and says so on the bus.
    await inTransaction(h, async (tx) => {
      const row = await tx.workOrder.findUniqueOrThrow({ where: { id: radiator.workOrderId } });
      await tx.workOrder.update({ where: { id: row.id }, data: { status: 'cancelled', cancelledAt: h.clock.now, version: { increment: 1 } } });
      await h.events.publish(tx, 'work_order.changed', { communityId: h.community.communityId, workOrderId: row.id, ticketId: row.ticketId, kind: 'cancel', actorId: h.reporter.residentId });
    });
    const offers = (await order(radiator.workOrderId)).offers;
    expect(offers.map((o) => [o.memberId, o.status])).toEqual([[fitter.residentId, 'withdrawn']]);
    expect(await h.queue.getJob(jobIds['dispatch-offers']({ offerId: offers[0]!.id }))).toBeFalsy();
    const texts = await textsTo(h, fitter.chatId);
    expect(texts.at(-2)).toContain(`${radiator.number}的派单已收回`);
    expect(texts.at(-1)).toContain(waiting.number);
    expect((await order(waiting.workOrderId)).offers.map((o) => o.memberId)).toEqual([fitter.residentId]);
  });

  it('refuses a service-team member and a name nobody on the team has, changing nothing', async () => {
    const drain = await fileRepair(h, { job: 'no_water' });
    const before = await order(drain.workOrderId);
    expect(await act({ workOrderId: drain.workOrderId, move: 'cancel' }, await memberActor(h, a.residentId))).toMatchObject({ status: 'denied' });
    expect(await act({ workOrderId: drain.workOrderId, move: 'take_over', memberName: '不存在' })).toMatchObject({ status: 'member_not_found' });
    const after = await order(drain.workOrderId);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('offered');
    const refusal = await h.prisma.auditLog.findFirst({ where: { action: 'job.dispatch', subjectId: drain.workOrderId, actorId: a.residentId } });
    expect(refusal?.details).toMatchObject({ denied: true });
  });
});
