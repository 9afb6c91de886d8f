/**
 * A member's day on a real database with a fake clock: jobs in hand in order (on the way first,
 * then priority households), on the way and done only by the holder, done counted for the
 * community's day, giving a job back (退单) sends it to the next member and not to them again;
 * away keeps a member from offers and back offers them the job waiting for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberDay, memberMove, setAway } from '../../../../src/features/repairs/dispatch/service/member-day.js';
import { answerOffer } from '../../../../src/features/repairs/dispatch/service/offer-engine.js';
import { databaseTargets } from '../../../support/database.js';
import { addMember, fileRepair, inTransaction, memberActor, MINUTE, MONDAY_10, openDispatchHarness, textsTo, type DispatchHarness } from './support.js';

describe.each(databaseTargets())("a member's day on %s", (target) => {
  let h: DispatchHarness;
  beforeAll(async () => {
    h = await openDispatchHarness(target);
  });
  afterAll(() => h?.close());

  const accept = async (residentId: string, workOrderId: string) => {
    const actor = await memberActor(h, residentId);
    return inTransaction(h, (tx) => answerOffer(tx, h.deps, { actor, workOrderId, answer: 'accept' }));
  };
  const move = async (residentId: string, workOrderId: string, kind: 'on_the_way' | 'done' | 'release') => {
    const actor = await memberActor(h, residentId);
    const record = { workDone: '换了水龙头', materials: '水龙头', materialsCostCents: 3500, feeCents: 0, afterPhoto: null };
    return inTransaction(h, (tx) => memberMove(tx, h.deps, { actor, workOrderId, move: kind, ...(kind === 'done' ? { record } : {}) }));
  };

  it('orders the day, lets only the holder move a job, and counts what is done today', async () => {
    h.clock.now = MONDAY_10;
    const solo = await addMember(h, '褚师傅', ['heating']);
    const elder = await h.prisma.resident.create({ data: { communityId: h.community.communityId, name: '魏奶奶', phone: '13900000009', householdId: h.community.priorityHouseholdId } });
    const plain = await fileRepair(h, { job: 'heating' });
    expect((await accept(solo.residentId, plain.workOrderId)).status).toBe('accepted');
    h.clock.now = new Date(MONDAY_10.getTime() + MINUTE);
    const urgent = await fileRepair(h, { job: 'heating', priority: true, reporterId: elder.id });
    expect((await accept(solo.residentId, urgent.workOrderId)).status).toBe('accepted');
    const day = await inTransaction(h, (tx) => memberDay(tx, solo.residentId, h.community.communityId, h.clock.now));
    expect(day.jobs.map((j) => j.number)).toEqual([urgent.number, plain.number]);

    expect((await move(solo.residentId, plain.workOrderId, 'on_the_way')).status).toBe('ok');
    const going = await inTransaction(h, (tx) => memberDay(tx, solo.residentId, h.community.communityId, h.clock.now));
    expect(going.jobs.map((j) => j.number)).toEqual([plain.number, urgent.number]);

    const stranger = await addMember(h, '卫师傅', ['heating']);
    expect(await move(stranger.residentId, plain.workOrderId, 'done')).toMatchObject({ status: 'denied' });
    expect((await move(solo.residentId, plain.workOrderId, 'done')).status).toBe('ok');
    expect(await move(solo.residentId, plain.workOrderId, 'done')).toMatchObject({ status: 'not_now' });
    const stored = await h.prisma.workOrder.findUniqueOrThrow({ where: { id: plain.workOrderId } });
    expect(stored).toMatchObject({ status: 'done', workDone: '换了水龙头', feeCents: 0 });
    const after = await inTransaction(h, (tx) => memberDay(tx, solo.residentId, h.community.communityId, h.clock.now));
    expect(after).toMatchObject({ doneToday: 1, away: false });
    expect(after.jobs.map((j) => j.number)).toEqual([urgent.number]);
    expect(h.changes.filter((c) => c.workOrderId === plain.workOrderId).map((c) => c.kind)).toEqual(['filed', 'offer', 'accept', 'on_the_way', 'done']);

    // The resident says it is not fixed (the resident side moves it back to the same member): the member is told.
    await inTransaction(h, async (tx) => {
      await tx.ticketEvent.create({ data: { ticketId: plain.ticketId, kind: 'resident_message', actorId: h.reporter.residentId, text: '暖气片还是不热' } });
      await tx.workOrder.update({ where: { id: plain.workOrderId }, data: { status: 'accepted', returns: { increment: 1 }, version: { increment: 1 } } });
      await h.events.publish(tx, 'work_order.changed', { communityId: h.community.communityId, workOrderId: plain.workOrderId, ticketId: plain.ticketId, kind: 'not_fixed', memberId: solo.residentId });
    });
    const told = (await textsTo(h, solo.chatId)).at(-1);
    expect(told).toContain(`居民说${plain.number}还没有修好`);
    expect(told).toContain('“暖气片还是不热”');
    const back = await inTransaction(h, (tx) => memberDay(tx, solo.residentId, h.community.communityId, h.clock.now));
    expect(back.jobs.map((j) => j.number)).toContain(plain.number);
  });

  it('gives a job back to the next member, and keeps an away member out until back', async () => {
    h.clock.now = new Date(MONDAY_10.getTime() + 60 * MINUTE);
    const a = await addMember(h, '蒋电工', ['electrical']);
    const power = await fileRepair(h, { job: 'power' });
    expect((await accept(a.residentId, power.workOrderId)).status).toBe('accepted');
    const b = await addMember(h, '沈电工', ['electrical']);
    expect((await move(a.residentId, power.workOrderId, 'release')).status).toBe('ok');
    let offers = await h.prisma.dispatchOffer.findMany({ where: { workOrderId: power.workOrderId }, orderBy: { offeredAt: 'asc' } });
    expect(offers.map((o) => [o.memberId, o.status])).toEqual([
      [a.residentId, 'accepted'],
      [b.residentId, 'open'],
    ]);
    expect((await h.prisma.workOrder.findUniqueOrThrow({ where: { id: power.workOrderId } })).memberId).toBeNull();

    // b goes away: the offer they hold is still theirs to answer, but nothing new comes to them.
    const bActor = await memberActor(h, b.residentId);
    expect(await inTransaction(h, (tx) => setAway(tx, h.deps, bActor, true))).toBe('away');
    expect((await answerOfferAs(b.residentId, power.workOrderId, 'decline')).status).toBe('declined');
    expect((await h.prisma.workOrder.findUniqueOrThrow({ where: { id: power.workOrderId } })).status).toBe('unassigned');
    // A new job goes to a (who gave the first back, and is free for others), not to b.
    const another = await fileRepair(h, { job: 'power' });
    expect((await h.prisma.dispatchOffer.findMany({ where: { workOrderId: another.workOrderId } })).map((o) => o.memberId)).toEqual([a.residentId]);
    // The next waits: a is answering an offer, b is away.
    const waiting = await fileRepair(h, { job: 'power' });
    expect((await h.prisma.workOrder.findUniqueOrThrow({ where: { id: waiting.workOrderId } })).status).toBe('received');

    // Back: the job waiting for a member is offered to them.
    expect(await inTransaction(h, (tx) => setAway(tx, h.deps, bActor, false))).toBe('back');
    offers = await h.prisma.dispatchOffer.findMany({ where: { workOrderId: waiting.workOrderId } });
    expect(offers.map((o) => o.memberId)).toEqual([b.residentId]);
    const audits = await h.prisma.auditLog.findMany({ where: { subjectId: b.residentId }, orderBy: { createdAt: 'asc' } });
    expect(audits.map((row) => row.action)).toEqual(['service_member.away', 'service_member.back']);
  });

  async function answerOfferAs(residentId: string, workOrderId: string, reply: 'accept' | 'decline') {
    const actor = await memberActor(h, residentId);
    return inTransaction(h, (tx) => answerOffer(tx, h.deps, { actor, workOrderId, answer: reply }));
  }
});
