/**
 * The offer engine on a real database and queue, with a fake clock: a filed repair is offered to
 * the best member alone with a ten-minute timeout job; a decline and a timeout each pass it to the
 * next; nobody left tells the area's steward, the staff chat and the team's chat; an emergency
 * goes to every eligible member for two minutes and, with all of them accepting at once, exactly
 * one holds it; a member answering one offer is not offered another, and the job waiting for them
 * goes out priority household first; jobs waiting for a busy trade do not keep a freed member of
 * another trade from the jobs waiting for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIds } from '../../../../src/queue/jobs.js';
import { answerOffer, expireOffer } from '../../../../src/features/repairs/dispatch/service/offer-engine.js';
import { OfferNotDueError, runOfferTimeout, sweepOffers } from '../../../../src/features/repairs/dispatch/service/offer-timeouts.js';
import { databaseTargets } from '../../../support/database.js';
import { STAFF_CHAT_ID } from '../../tickets/scheduling/seed.js';
import { addMember, fileRepair, inTransaction, memberActor, MINUTE, MONDAY_10, openDispatchHarness, textsTo, type DispatchHarness } from './support.js';

describe.each(databaseTargets())('the offer engine on %s', (target) => {
  let h: DispatchHarness;

  beforeAll(async () => {
    h = await openDispatchHarness(target);
  });
  afterAll(() => h?.close());

  const offersOf = (workOrderId: string) => h.prisma.dispatchOffer.findMany({ where: { workOrderId }, orderBy: [{ offeredAt: 'asc' }, { id: 'asc' }] });
  const order = (workOrderId: string) => h.prisma.workOrder.findUniqueOrThrow({ where: { id: workOrderId } });
  const answer = async (residentId: string, workOrderId: string, reply: 'accept' | 'decline') => {
    const actor = await memberActor(h, residentId);
    return inTransaction(h, (tx) => answerOffer(tx, h.deps, { actor, workOrderId, answer: reply }));
  };

  it('offers one member at a time: decline and timeout pass it on, nobody left goes to the steward, the staff and the team', async () => {
    h.clock.now = MONDAY_10;
    await h.prisma.boundChat.create({ data: { communityId: h.community.communityId, purpose: 'service_team', channel: 'web', chatId: 'team-plumbing', targetId: 'plumbing' } });
    await h.prisma.boundChat.create({ data: { communityId: h.community.communityId, purpose: 'service_team', channel: 'web', chatId: 'team-power', targetId: 'electrical' } });
    const busy = await addMember(h, '钱师傅', ['plumbing']);
    const free = await addMember(h, '孙师傅', ['plumbing']);
    const third = await addMember(h, '周师傅', ['plumbing', 'heating']);
    const electrician = await addMember(h, '吴电工', ['electrical']);
    const away = await addMember(h, '郑师傅', ['plumbing'], { away: true });
    // 钱师傅 has a job in hand: the others come first.
    const held = await fileRepair(h, { job: 'heating' });
    await h.prisma.dispatchOffer.deleteMany({ where: { workOrderId: held.workOrderId } });
    await h.prisma.workOrder.update({ where: { id: held.workOrderId }, data: { status: 'accepted', memberId: busy.residentId } });

    const leak = await fileRepair(h);
    let offers = await offersOf(leak.workOrderId);
    expect(offers.map((o) => o.memberId)).toHaveLength(1);
    const first = offers[0]!;
    expect([free.residentId, third.residentId]).toContain(first.memberId);
    expect(first.expiresAt.getTime() - MONDAY_10.getTime()).toBe(10 * MINUTE);
    expect((await order(leak.workOrderId)).status).toBe('offered');
    const timeout = await h.queue.getJob(jobIds['dispatch-offers']({ offerId: first.id }));
    expect(timeout?.opts.delay).toBe(10 * MINUTE);
    const firstChat = first.memberId === free.residentId ? free.chatId : third.chatId;
    expect((await textsTo(h, firstChat)).at(-1)).toContain(leak.number);
    expect(h.changes.filter((c) => c.workOrderId === leak.workOrderId).map((c) => c.kind)).toEqual(['filed', 'offer']);

    // The first declines: the other free plumber is asked, and the declined offer's timeout is gone.
    expect(await answer(first.memberId, leak.workOrderId, 'decline')).toEqual({ status: 'declined', number: leak.number });
    offers = await offersOf(leak.workOrderId);
    expect(offers.map((o) => o.status)).toEqual(['declined', 'open']);
    const second = offers[1]!;
    expect(second.memberId).not.toBe(first.memberId);
    expect(second.memberId).not.toBe(busy.residentId);
    expect(await h.queue.getJob(jobIds['dispatch-offers']({ offerId: first.id }))).toBeFalsy();

    // A timeout a moment early does nothing; at its instant the offer ends and 钱师傅 is asked.
    h.clock.now = new Date(second.expiresAt.getTime() - 1);
    await expect(runOfferTimeout(h.prisma, h.deps, h.outbox, { offerId: second.id })).rejects.toBeInstanceOf(OfferNotDueError);
    h.clock.now = second.expiresAt;
    expect(await runOfferTimeout(h.prisma, h.deps, h.outbox, { offerId: second.id })).toBe('expired');
    offers = await offersOf(leak.workOrderId);
    expect(offers.map((o) => [o.status, o.memberId])).toEqual([
      ['declined', first.memberId],
      ['expired', second.memberId],
      ['open', busy.residentId],
    ]);
    // A repeated timeout of the ended offer changes nothing.
    expect(await inTransaction(h, (tx) => expireOffer(tx, h.deps, second.id))).toEqual({ outcome: 'answered' });

    // The last plumber declines: nobody is left (the electrician lacks the skill, 郑师傅 is away).
    expect((await answer(busy.residentId, leak.workOrderId, 'decline')).status).toBe('declined');
    const stored = await order(leak.workOrderId);
    expect(stored.status).toBe('unassigned');
    expect(stored.memberId).toBeNull();
    expect(h.changes.filter((c) => c.workOrderId === leak.workOrderId).map((c) => c.kind)).toEqual(['filed', 'offer', 'declined', 'offer', 'expired', 'offer', 'declined', 'nobody']);
    expect((await textsTo(h, h.community.stewardChatId)).at(-1)).toContain(leak.number);
    // Staff read why: three plumbers asked already, one away, one without the skill.
    expect((await textsTo(h, STAFF_CHAT_ID)).find((text) => text.includes(leak.number) && text.includes('没有队员接单'))).toContain('（已问过3人，1人暂停接单，1人不会这项）');
    expect((await textsTo(h, 'team-plumbing')).at(-1)).toContain(leak.number);
    expect(await textsTo(h, 'team-power')).toEqual([]);
    expect(await textsTo(h, electrician.chatId)).toEqual([]);
    expect(await textsTo(h, away.chatId)).toEqual([]);
    // A late answer to an ended offer is told so.
    expect((await answer(second.memberId, leak.workOrderId, 'accept')).status).toBe('expired');
  });

  it('offers an emergency to every eligible member for two minutes; all accepting at once, exactly one holds it', async () => {
    h.clock.now = new Date(MONDAY_10.getTime() + 60 * MINUTE);
    const team = [];
    for (const name of ['冯电工', '陈电工', '褚电工', '卫电工']) team.push(await addMember(h, name, ['electrical']));
    const sparks = await fileRepair(h, { job: 'power', emergency: true });
    const offers = await offersOf(sparks.workOrderId);
    // The electrician of the first test is free too.
    expect(offers.length).toBe(5);
    expect(offers.every((o) => o.expiresAt.getTime() - h.clock.now.getTime() === 2 * MINUTE)).toBe(true);

    const answers = await Promise.all(offers.map((o) => answer(o.memberId, sparks.workOrderId, 'accept')));
    expect(answers.filter((a) => a.status === 'accepted')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'taken')).toHaveLength(4);
    const stored = await order(sparks.workOrderId);
    const winner = offers[answers.findIndex((a) => a.status === 'accepted')]!.memberId;
    expect(stored.status).toBe('accepted');
    expect(stored.memberId).toBe(winner);
    const after = await offersOf(sparks.workOrderId);
    expect(after.filter((o) => o.status === 'accepted').map((o) => o.memberId)).toEqual([winner]);
    expect(after.filter((o) => o.status === 'withdrawn')).toHaveLength(4);
    expect(h.changes.filter((c) => c.workOrderId === sparks.workOrderId && c.kind === 'accept').map((c) => c.memberId)).toEqual([winner]);
    for (const member of team.filter((m) => m.residentId !== winner)) expect((await textsTo(h, member.chatId)).at(-1)).toContain('其他队员');
    // The electricians' chat heard of the emergency and of who took it; the plumbers' of neither.
    const power = await textsTo(h, 'team-power');
    expect(power.at(-2)).toContain('🚨紧急维修，已派给5位队员');
    expect(power.at(-1)).toContain(`${sparks.number}已由`);
    expect((await textsTo(h, 'team-plumbing')).some((text) => text.includes(sparks.number))).toBe(false);
  });

  it('lets a job wait while its only member answers another offer, then offers the priority household first', async () => {
    h.clock.now = new Date(MONDAY_10.getTime() + 120 * MINUTE);
    const carpenter = await addMember(h, '蒋木工', ['carpentry']);
    const door = await fileRepair(h, { job: 'doors_windows' });
    h.clock.now = new Date(h.clock.now.getTime() + MINUTE);
    const window = await fileRepair(h, { job: 'doors_windows' });
    h.clock.now = new Date(h.clock.now.getTime() + MINUTE);
    const elder = await h.prisma.resident.create({ data: { communityId: h.community.communityId, name: '冯奶奶', phone: '13900000002', householdId: h.community.priorityHouseholdId } });
    const elderly = await fileRepair(h, { job: 'doors_windows', priority: true, reporterId: elder.id });
    expect((await offersOf(door.workOrderId)).map((o) => o.memberId)).toEqual([carpenter.residentId]);
    expect(await offersOf(window.workOrderId)).toEqual([]);
    expect(await offersOf(elderly.workOrderId)).toEqual([]);
    expect((await order(window.workOrderId)).status).toBe('received');

    expect((await answer(carpenter.residentId, door.workOrderId, 'decline')).status).toBe('declined');
    expect((await offersOf(elderly.workOrderId)).map((o) => o.memberId)).toEqual([carpenter.residentId]);
    expect(await offersOf(window.workOrderId)).toEqual([]);
    // The declined door has nobody else: the steward hears of it.
    expect((await order(door.workOrderId)).status).toBe('unassigned');
    // Accepting ends the carpenter's offer: the window waiting for them is offered next.
    expect((await answer(carpenter.residentId, elderly.workOrderId, 'accept')).status).toBe('accepted');
    expect((await offersOf(window.workOrderId)).map((o) => o.memberId)).toEqual([carpenter.residentId]);
  });
});

describe.each(databaseTargets())('many jobs waiting on %s', (target) => {
  let h: DispatchHarness;
  beforeAll(async () => {
    h = await openDispatchHarness(target);
  });
  afterAll(() => h?.close());

  it('a member freed is offered a job of their trade even when more than twenty older jobs wait for a busy trade', async () => {
    h.clock.now = MONDAY_10;
    const plumber = await addMember(h, '褚师傅', ['plumbing']);
    const carpenter = await addMember(h, '卫木工', ['carpentry']);
    const door = await fileRepair(h, { job: 'doors_windows' });
    const leaks: string[] = [];
    // A few seconds apart, well within the carpenter's ten minutes.
    for (let i = 0; i < 21; i++) {
      h.clock.now = new Date(h.clock.now.getTime() + 5_000);
      leaks.push((await fileRepair(h)).workOrderId);
    }
    h.clock.now = new Date(h.clock.now.getTime() + 5_000);
    const window = await fileRepair(h, { job: 'doors_windows' });
    // The plumber answers the first leak; twenty leaks older than the window wait for them.
    expect((await h.prisma.dispatchOffer.findMany({ where: { workOrderId: leaks[0]! } })).map((o) => o.memberId)).toEqual([plumber.residentId]);
    expect(await h.prisma.workOrder.count({ where: { id: { in: leaks }, status: 'received' } })).toBe(20);
    expect(await h.prisma.dispatchOffer.count({ where: { workOrderId: window.workOrderId } })).toBe(0);

    const actor = await memberActor(h, carpenter.residentId);
    expect((await inTransaction(h, (tx) => answerOffer(tx, h.deps, { actor, workOrderId: door.workOrderId, answer: 'accept' }))).status).toBe('accepted');
    const offers = await h.prisma.dispatchOffer.findMany({ where: { workOrderId: window.workOrderId } });
    expect(offers.map((o) => [o.memberId, o.status])).toEqual([[carpenter.residentId, 'open']]);
    expect(await h.prisma.workOrder.count({ where: { id: { in: leaks }, status: 'received' } })).toBe(20);
  });
});

describe.each(databaseTargets())('after a restart on %s', (target) => {
  let h: DispatchHarness;
  beforeAll(async () => {
    h = await openDispatchHarness(target);
  });
  afterAll(() => h?.close());

  it('sets the timeout of every open offer again, once, and offers the jobs left waiting', async () => {
    h.clock.now = MONDAY_10;
    const member = await addMember(h, '韩师傅', ['plumbing']);
    const leak = await fileRepair(h);
    const offer = await h.prisma.dispatchOffer.findFirstOrThrow({ where: { workOrderId: leak.workOrderId } });
    // A crash lost the timeout job, and a second job was filed while no member could be offered it.
    await h.queue.remove(jobIds['dispatch-offers']({ offerId: offer.id }));
    await h.prisma.roleAssignment.updateMany({ where: { residentId: member.residentId }, data: { endsOn: new Date('2026-01-02T00:00:00Z') } });
    const waiting = await fileRepair(h);
    expect((await h.prisma.workOrder.findUniqueOrThrow({ where: { id: waiting.workOrderId } })).status).toBe('unassigned');
    await h.prisma.roleAssignment.updateMany({ where: { residentId: member.residentId }, data: { endsOn: null } });
    const second = await addMember(h, '杨师傅', ['plumbing']);
    const third = await fileRepair(h);
    await h.prisma.dispatchOffer.deleteMany({ where: { workOrderId: third.workOrderId } });
    await h.prisma.workOrder.update({ where: { id: third.workOrderId }, data: { status: 'received' } });

    await sweepOffers(h.prisma, h.deps, h.outbox, h.community.communityId);
    await sweepOffers(h.prisma, h.deps, h.outbox, h.community.communityId);
    const job = await h.queue.getJob(jobIds['dispatch-offers']({ offerId: offer.id }));
    expect(job?.opts.delay).toBe(10 * MINUTE);
    const offers = await h.prisma.dispatchOffer.findMany({ where: { workOrderId: third.workOrderId } });
    expect(offers.map((o) => o.memberId)).toEqual([second.residentId]);
    // A job staff must arrange stays theirs: the sweep does not take it back.
    expect(await h.prisma.dispatchOffer.count({ where: { workOrderId: waiting.workOrderId } })).toBe(0);
  });
});
