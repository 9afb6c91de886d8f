/**
 * Setting the housekeeping service up: only admins (and the operator) may, a refusal leaves an
 * audit row; every change is audited; places are never set below what is booked; the bookings
 * list is for committee members and admins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBookings } from '../../../src/features/housekeeping/admin/list-bookings.js';
import { setPlaces, setService } from '../../../src/features/housekeeping/admin/configure-services.js';
import { bookVisit } from '../../../src/features/housekeeping/service/book-visit.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { housekeepingDeps, offerPlaces, OPERATOR, seedHousekeepingCommunity, slotAt, TestClock, TIMEZONE, type HousekeepingCommunity } from './support.js';

const NOW = new Date('2026-12-09T02:00:00Z');
const DAY = 86_400_000;

describe.each(databaseTargets())('setting housekeeping up on %s', (target) => {
  let db: TestDatabase;
  let c: HousekeepingCommunity;
  const clock = new TestClock(NOW);

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedHousekeepingCommunity(db.prisma, 6, NOW);
  }, 120_000);
  afterAll(() => db?.close());

  it('a resident may not set services or places, and the attempt is audited', async () => {
    const resident = await c.person(0);
    const service = await db.prisma.$transaction((tx) => setService(tx, { communityId: c.communityId, actor: resident, code: 'laundry', now: NOW }));
    expect(service).toEqual({ status: 'denied' });
    const places = await db.prisma.$transaction((tx) =>
      setPlaces(tx, { communityId: c.communityId, actor: resident, code: 'cleaning', dates: ['2026-12-11'], windows: [{ startTime: '09:00', endTime: '11:00' }], places: 9, timezone: TIMEZONE, now: NOW }),
    );
    expect(places).toEqual({ status: 'denied' });
    const refusals = await db.prisma.auditLog.findMany({ where: { communityId: c.communityId, action: 'booking.configure', actorId: c.residents[0]!.residentId } });
    expect(refusals).toHaveLength(2);
    expect(refusals.every((row) => (row.details as { denied?: boolean }).denied === true)).toBe(true);
    expect(await db.prisma.housekeepingService.count({ where: { communityId: c.communityId, code: 'laundry' } })).toBe(0);
  });

  it('an admin’s change is audited; a community’s own service keeps its names', async () => {
    // A resident made an admin for the test.
    const adminId = c.residents[5]!.residentId;
    await db.prisma.roleAssignment.create({ data: { communityId: c.communityId, residentId: adminId, role: 'admin', startsOn: new Date(NOW.getTime() - DAY) } });
    const actor = await loadActor(db.prisma, { residentId: adminId }, { now: NOW });
    const made = await db.prisma.$transaction((tx) =>
      setService(tx, { communityId: c.communityId, actor: actor!, code: 'window_washing', names: { 'zh-CN': '擦玻璃', en: 'Window washing' }, cutoffMinutes: 1440, now: NOW }),
    );
    expect(made.status).toBe('created');
    expect(await db.prisma.housekeepingService.findFirstOrThrow({ where: { communityId: c.communityId, code: 'window_washing' } })).toMatchObject({ cutoffMinutes: 1440, names: { 'zh-CN': '擦玻璃', en: 'Window washing' }, active: true });
    const audited = await db.prisma.auditLog.findFirstOrThrow({ where: { communityId: c.communityId, action: 'booking.configure', subjectType: 'housekeeping_service', actorId: adminId } });
    expect(audited.details).toMatchObject({ change: 'created', cutoffMinutes: 1440 });
    const bad = await db.prisma.$transaction((tx) => setService(tx, { communityId: c.communityId, actor: OPERATOR, code: 'Bad Code', now: NOW }));
    expect(bad).toEqual({ status: 'invalid', problem: 'code' });
  });

  it('places are never set below what is booked', async () => {
    await offerPlaces(db.prisma, c.communityId, '2026-12-11', ['09:00-11:00'], 2, NOW);
    const slot = await slotAt(db.prisma, c.communityId, '2026-12-11', '09:00');
    const deps = housekeepingDeps(clock);
    for (const index of [0, 1]) {
      const actor = await c.person(index);
      expect((await db.prisma.$transaction((tx) => bookVisit(tx, deps, { communityId: c.communityId, actor, slotId: slot.id }))).status).toBe('booked');
    }
    const fewer = await db.prisma.$transaction((tx) =>
      setPlaces(tx, { communityId: c.communityId, actor: OPERATOR, code: 'cleaning', dates: ['2026-12-11'], windows: [{ startTime: '09:00', endTime: '11:00' }], places: 1, timezone: TIMEZONE, now: NOW }),
    );
    expect(fewer).toEqual({ status: 'set', created: 0, updated: 1, keptAtBooked: 1 });
    expect(await slotAt(db.prisma, c.communityId, '2026-12-11', '09:00')).toMatchObject({ places: 2, booked: 2 });
  });

  it('the bookings list is for committee members and admins, by date', async () => {
    const resident = await c.person(0);
    expect(await db.prisma.$transaction((tx) => listBookings(tx, { communityId: c.communityId, actor: resident, from: '2026-12-11', to: '2026-12-11', now: NOW }))).toEqual({ status: 'denied' });
    const list = await db.prisma.$transaction((tx) => listBookings(tx, { communityId: c.communityId, actor: OPERATOR, from: '2026-12-11', to: '2026-12-11', now: NOW }));
    if (list.status !== 'ok') throw new Error('denied');
    expect(list.items.map((item) => [item.date, item.startTime, item.serviceCode])).toEqual([
      ['2026-12-11', '09:00', 'cleaning'],
      ['2026-12-11', '09:00', 'cleaning'],
    ]);
    const later = await db.prisma.$transaction((tx) => listBookings(tx, { communityId: c.communityId, actor: OPERATOR, from: '2026-12-12', to: '2026-12-20', now: new Date(NOW.getTime() + DAY) }));
    expect(later).toEqual({ status: 'ok', items: [] });
  });
});
