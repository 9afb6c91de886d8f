/**
 * Booking, moving and cancelling visits through the housekeeping service on real databases:
 * places taken and given back, the JZ ticket beside each booking, the cut-off, someone else's
 * booking, and — the promise the 家政服务社 plans by — 50 households racing for the last places
 * of a slot never overbook it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookVisit } from '../../../src/features/housekeeping/service/book-visit.js';
import { cancelVisit, moveVisit } from '../../../src/features/housekeeping/service/change-visit.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { housekeepingDeps, offerPlaces, seedHousekeepingCommunity, slotAt, TestClock, type HousekeepingCommunity } from './support.js';

/** 2026-12-09 10:00 in Asia/Shanghai: the visits below are two and three days ahead. */
const NOW = new Date('2026-12-09T02:00:00Z');
const LAST_PLACES = 5;
const RACERS = 50;

describe.each(databaseTargets())('housekeeping bookings on %s', (target) => {
  let db: TestDatabase;
  let c: HousekeepingCommunity;
  const clock = new TestClock(NOW);
  const deps = housekeepingDeps(clock);
  const prisma = () => db.prisma;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedHousekeepingCommunity(db.prisma, 60, NOW);
    await offerPlaces(db.prisma, c.communityId, '2026-12-11', ['09:00-11:00', '14:00-16:00'], 2, NOW);
    await offerPlaces(db.prisma, c.communityId, '2026-12-12', ['09:00-11:00'], LAST_PLACES + 3, NOW);
    await offerPlaces(db.prisma, c.communityId, '2026-12-20', ['09:00-11:00'], 1, NOW);
    await offerPlaces(db.prisma, c.communityId, '2026-12-21', ['09:00-11:00'], 1, NOW);
  }, 120_000);
  afterAll(() => db?.close());

  it('books a visit: one place taken, a JZ ticket of kind housekeeping with the visit in its words', async () => {
    const slot = await slotAt(prisma(), c.communityId, '2026-12-11', '09:00');
    const bookedActor = await c.person(0);
    const booked = await prisma().$transaction((tx) => bookVisit(tx, deps, { communityId: c.communityId, actor: bookedActor, slotId: slot.id, notes: '请带梯子' }));
    expect(booked.status).toBe('booked');
    if (booked.status !== 'booked') return;
    expect(booked.number).toBe('JZ-2026-00001');
    expect((await slotAt(prisma(), c.communityId, '2026-12-11', '09:00')).booked).toBe(1);
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: booked.ticketId } });
    expect(ticket).toMatchObject({ kind: 'housekeeping', category: 'other', status: 'new', householdId: c.residents[0]!.householdId, reporterId: c.residents[0]!.residentId });
    expect(ticket.description).toBe('家政预约：日常保洁，12月11日周五 09:00–11:00\n备注：请带梯子');
  });

  it('moves it to another time: the place follows, the staff get a line on the ticket; the same time or a full one is refused', async () => {
    const booking = await prisma().housekeepingBooking.findFirstOrThrow({ where: { communityId: c.communityId, status: 'booked' } });
    const morning = await slotAt(prisma(), c.communityId, '2026-12-11', '09:00');
    const afternoon = await slotAt(prisma(), c.communityId, '2026-12-11', '14:00');
    const actor = await c.person(0);
    const same = await prisma().$transaction((tx) => moveVisit(tx, deps, { communityId: c.communityId, actor, bookingId: booking.id, slotId: morning.id }));
    expect(same.status).toBe('same');

    // Someone else fills the afternoon: moving there is refused and changes nothing.
    for (const index of [1, 2]) {
      const otherActor = await c.person(index);
    const other = await prisma().$transaction((tx) => bookVisit(tx, deps, { communityId: c.communityId, actor: otherActor, slotId: afternoon.id }));
      expect(other.status).toBe('booked');
    }
    const full = await prisma().$transaction((tx) => moveVisit(tx, deps, { communityId: c.communityId, actor, bookingId: booking.id, slotId: afternoon.id }));
    expect(full.status).toBe('full');
    expect((await slotAt(prisma(), c.communityId, '2026-12-11', '09:00')).booked).toBe(1);
    expect((await slotAt(prisma(), c.communityId, '2026-12-11', '14:00')).booked).toBe(2);

    const nextDay = await slotAt(prisma(), c.communityId, '2026-12-12', '09:00');
    const moved = await prisma().$transaction((tx) => moveVisit(tx, deps, { communityId: c.communityId, actor, bookingId: booking.id, slotId: nextDay.id }));
    expect(moved.status).toBe('moved');
    expect((await slotAt(prisma(), c.communityId, '2026-12-11', '09:00')).booked).toBe(0);
    expect((await slotAt(prisma(), c.communityId, '2026-12-12', '09:00')).booked).toBe(1);
    expect(await prisma().housekeepingBooking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({ slotId: nextDay.id, version: 1, status: 'booked' });
    const line = await prisma().ticketEvent.findFirstOrThrow({ where: { ticketId: booking.ticketId, kind: 'resident_message' } });
    expect(line.text).toBe('改约：从12月11日周五 09:00–11:00改到12月12日周六 09:00–11:00');
  });

  it('someone else’s booking is not found; after the cut-off nothing changes; cancelling gives the place back and withdraws the ticket', async () => {
    const booking = await prisma().housekeepingBooking.findFirstOrThrow({ where: { communityId: c.communityId, status: 'booked', slot: { date: '2026-12-12' } } });
    const strangerActor = await c.person(3);
    const stranger = await prisma().$transaction((tx) => cancelVisit(tx, deps, { communityId: c.communityId, actor: strangerActor, bookingId: booking.id }));
    expect(stranger.status).toBe('not_found');

    // 12 h before the 12th's 09:00 is 21:00 on the 11th (13:00 UTC): closed from that very instant.
    const late = new TestClock(new Date('2026-12-11T13:00:00Z'));
    const tooLateActor = await c.person(0);
    const tooLate = await prisma().$transaction((tx) => cancelVisit(tx, housekeepingDeps(late), { communityId: c.communityId, actor: tooLateActor, bookingId: booking.id }));
    expect(tooLate.status).toBe('too_late');
    const lastMoment = new TestClock(new Date('2026-12-11T12:59:59.999Z'));
    const cancelledActor = await c.person(0);
    const cancelled = await prisma().$transaction((tx) => cancelVisit(tx, housekeepingDeps(lastMoment), { communityId: c.communityId, actor: cancelledActor, bookingId: booking.id }));
    expect(cancelled.status).toBe('cancelled');
    expect((await slotAt(prisma(), c.communityId, '2026-12-12', '09:00')).booked).toBe(0);
    expect(await prisma().housekeepingBooking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({ status: 'cancelled', version: 2 });
    expect((await prisma().ticket.findUniqueOrThrow({ where: { id: booking.ticketId } })).status).toBe('withdrawn');
    const againActor = await c.person(0);
    const again = await prisma().$transaction((tx) => cancelVisit(tx, deps, { communityId: c.communityId, actor: againActor, bookingId: booking.id }));
    expect(again.status).toBe('not_open');
  });

  it('a visit further off than the ticket’s seven days is not overdue before it is done, moved or not', async () => {
    const slot = await slotAt(prisma(), c.communityId, '2026-12-20', '09:00');
    const actor = await c.person(58);
    const booked = await prisma().$transaction((tx) => bookVisit(tx, deps, { communityId: c.communityId, actor, slotId: slot.id }));
    if (booked.status !== 'booked') throw new Error(booked.status);
    // 'other' gives seven days (2026-12-16 10:00); the visit ends on the 20th at 11:00.
    expect((await prisma().ticket.findUniqueOrThrow({ where: { id: booked.ticketId } })).resolutionDueAt).toEqual(slot.endsAt);
    const later = await slotAt(prisma(), c.communityId, '2026-12-21', '09:00');
    const moved = await prisma().$transaction((tx) => moveVisit(tx, deps, { communityId: c.communityId, actor, bookingId: booked.bookingId, slotId: later.id }));
    expect(moved.status).toBe('moved');
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: booked.ticketId } });
    expect(ticket.resolutionDueAt).toEqual(later.endsAt);
    expect(ticket.publicResolutionDueAt).toEqual(later.endsAt);
  });

  it(`${RACERS} households booking the last ${LAST_PLACES} places at once: exactly ${LAST_PLACES} get one, never more`, async () => {
    const slot = await slotAt(prisma(), c.communityId, '2026-12-12', '09:00');
    // Fill the slot up to its last places first.
    const early = slot.places - LAST_PLACES;
    for (let i = 0; i < early; i += 1) {
      const bookedActor = await c.person(4 + i);
    const booked = await prisma().$transaction((tx) => bookVisit(tx, deps, { communityId: c.communityId, actor: bookedActor, slotId: slot.id }));
      expect(booked.status).toBe('booked');
    }
    const actors = await Promise.all(Array.from({ length: RACERS }, (_, i) => c.person(4 + early + i)));
    const outcomes = await Promise.all(
      actors.map((actor) =>
        prisma().$transaction((tx) => bookVisit(tx, deps, { communityId: c.communityId, actor, slotId: slot.id }), { maxWait: 60_000, timeout: 60_000 }),
      ),
    );
    const statuses = outcomes.map((o) => o.status);
    expect(statuses.filter((s) => s === 'booked')).toHaveLength(LAST_PLACES);
    expect(statuses.filter((s) => s === 'full')).toHaveLength(RACERS - LAST_PLACES);
    const after = await slotAt(prisma(), c.communityId, '2026-12-12', '09:00');
    expect(after.booked).toBe(after.places);
    expect(await prisma().housekeepingBooking.count({ where: { slotId: slot.id, status: 'booked' } })).toBe(after.places);
    // Every booking has its own ticket, numbered without a gap.
    const numbers = (await prisma().ticket.findMany({ where: { communityId: c.communityId, kind: 'housekeeping' }, select: { seq: true } })).map((t) => t.seq).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
  }, 120_000);
});
