/**
 * A community for the meetings tests in a real database: households and residents made by the
 * demo seed (through the real roster importer) in a time zone of the test's choosing, some of
 * them with a bound chat account, and the meetings' services with a clock the test moves.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { seedDemoCommunity } from '../../../src/features/community/demo/seed-demo.js';
import type { MeetingWatcher } from '../../../src/features/meetings/reminders/meeting-reminders.js';
import type { MeetingsDeps } from '../../../src/features/meetings/schedule/meetings-deps.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import { AccountNotifier } from '../../../src/notify/account-notifier.js';
import { seedCommunity } from '../../support/community.js';

export const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales'));
export const OPERATOR: Actor = { kind: 'operator' };

export class TestClock {
  constructor(public at: Date) {}
  readonly now = (): Date => this.at;
}

export interface MeetingsCommunity {
  communityId: string;
  /** One resident per household, in roster order, with their bound chat account (web). */
  people: { residentId: string; accountId: string }[];
}

export async function seedMeetingsCommunity(prisma: PrismaClient, timeZone: string, households: number, now: Date): Promise<MeetingsCommunity> {
  const communityId = (await seedCommunity(prisma, { timezone: timeZone })).id;
  const seeded = await seedDemoCommunity({ prisma, communityId, timeZone, actor: OPERATOR, households, seed: 11, now });
  if (!seeded.ok) throw new Error('demo seed refused');
  const members = await prisma.resident.findMany({ where: { communityId, householdId: { not: null } }, orderBy: [{ householdId: 'asc' }, { position: 'asc' }], select: { id: true, householdId: true } });
  const seen = new Set<string>();
  const firsts = members.filter((m) => !seen.has(m.householdId!) && seen.add(m.householdId!));
  const people = [];
  for (const { id } of firsts) {
    const account = await prisma.chatAccount.create({ data: { communityId, channel: 'web', externalId: randomBytes(16).toString('hex'), residentId: id, boundAt: now, locale: 'zh-CN' } });
    people.push({ residentId: id, accountId: account.id });
  }
  return { communityId, people };
}

export function meetingsDeps(prisma: PrismaClient, clock: TestClock, watcher: MeetingWatcher): MeetingsDeps {
  return {
    prisma,
    notices: { notifier: new AccountNotifier({ translator }), translator, icsLink: (id) => `https://linli.example.org/calendar/meeting/${id}/x.ics` },
    watcher,
    now: clock.now,
  };
}
