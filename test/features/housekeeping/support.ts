/**
 * A community for the housekeeping tests in a real database: households and residents made by
 * the demo seed (through the real roster importer), a cleaning service with a 12-hour cut-off
 * set up as an admin would (`setService`, `setPlaces`), and the service's hands with a clock the
 * test moves.
 */
import { join } from 'node:path';
import { EventBus } from '../../../src/events/index.js';
import { setPlaces, setService } from '../../../src/features/housekeeping/admin/configure-services.js';
import type { BookingWatcher, HousekeepingDeps } from '../../../src/features/housekeeping/service/housekeeping-deps.js';
import { seedDemoCommunity } from '../../../src/features/community/demo/seed-demo.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import { AccountNotifier } from '../../../src/notify/account-notifier.js';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { seedCommunity } from '../../support/community.js';

export const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales'));
export const OPERATOR: Actor = { kind: 'operator' };
export const TIMEZONE = 'Asia/Shanghai';

/** A clock the test sets. */
export class TestClock {
  constructor(public at: Date) {}
  readonly now = (): Date => this.at;
}

export interface HousekeepingCommunity {
  communityId: string;
  serviceId: string;
  /** Residents living in a household, one per household, in roster order. */
  residents: { residentId: string; householdId: string }[];
  person(index: number): Promise<Actor>;
}

export async function seedHousekeepingCommunity(prisma: PrismaClient, households: number, now: Date): Promise<HousekeepingCommunity> {
  const communityId = (await seedCommunity(prisma)).id;
  const seeded = await seedDemoCommunity({ prisma, communityId, timeZone: TIMEZONE, actor: OPERATOR, households, seed: 7, now });
  if (!seeded.ok) throw new Error('demo seed refused');
  const service = await prisma.$transaction((tx) => setService(tx, { communityId, actor: OPERATOR, code: 'cleaning', cutoffMinutes: 720, now }));
  if (service.status !== 'created') throw new Error('service not created');
  const members = await prisma.resident.findMany({ where: { communityId, householdId: { not: null } }, orderBy: [{ householdId: 'asc' }, { position: 'asc' }], select: { id: true, householdId: true } });
  const seen = new Set<string>();
  const residents = members.filter((m) => !seen.has(m.householdId!) && seen.add(m.householdId!)).map((m) => ({ residentId: m.id, householdId: m.householdId! }));
  return {
    communityId,
    serviceId: service.id,
    residents,
    async person(index) {
      const actor = await loadActor(prisma, { residentId: residents[index]!.residentId });
      if (!actor) throw new Error('no such resident');
      return actor;
    },
  };
}

/** Sets `places` at each of `times` on `date` for the cleaning service. */
export async function offerPlaces(prisma: PrismaClient, communityId: string, date: string, times: string[], places: number, now: Date): Promise<void> {
  const windows = times.map((time) => {
    const [startTime, endTime] = time.split('-') as [string, string];
    return { startTime, endTime };
  });
  const set = await prisma.$transaction((tx) => setPlaces(tx, { communityId, actor: OPERATOR, code: 'cleaning', dates: [date], windows, places, timezone: TIMEZONE, now }));
  if (set.status !== 'set') throw new Error(`places not set: ${set.status}`);
}

export function housekeepingDeps(clock: TestClock, watcher?: BookingWatcher): HousekeepingDeps {
  return {
    tickets: { translator, notifier: new AccountNotifier({ translator }), events: new EventBus(), now: clock.now },
    now: clock.now,
    ...(watcher ? { watcher } : {}),
  };
}

/** The slot of the cleaning service at `date` `startTime`. */
export async function slotAt(prisma: PrismaClient, communityId: string, date: string, startTime: string) {
  return prisma.housekeepingSlot.findFirstOrThrow({ where: { communityId, date, startTime } });
}
