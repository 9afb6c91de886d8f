/**
 * What the inbox console tests share: the policy tests' community (two zones, stewards, a council
 * member, committee, admin, a plumber) with a steward of zone B added, tickets filed through the
 * ticket service, staff actions through the inbox's one action path, and the words of the
 * project's locales.
 */
import { join } from 'node:path';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { fileTicket } from '../../../src/features/tickets/service/index.js';
import type { TicketKind } from '../../../src/features/tickets/rules/kinds.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import { runStaffAction, type StaffActionInput } from '../../../src/inbox/staff-actions.js';
import type { PersonActor, StaffViewer, Translate } from '../../../src/staff-web/shell/viewer.js';
import { seedPolicyCommunity, type SeededCommunity } from '../../features/policy/support/seed-community.js';
import { testDeps, type TestDeps } from '../../features/tickets/service/support.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales'));

/** The words of `locale`, as the shell binds them for a viewer. */
export function wordsOf(locale = 'zh-CN'): Translate {
  return (key, vars) => translator.t(locale, key, vars);
}

export interface InboxWorld extends SeededCommunity {
  /** A steward of zone B (楼寓): tickets of zone A are not theirs. */
  stewardB: string;
  deps: TestDeps;
}

export async function seedInboxWorld(prisma: PrismaClient): Promise<InboxWorld> {
  const c = await seedPolicyCommunity(prisma);
  const stewardB = (await prisma.resident.create({ data: { communityId: c.communityId, name: '冯楼长', phone: '13000009999', locale: 'zh-CN' } })).id;
  await prisma.roleAssignment.create({
    data: { communityId: c.communityId, residentId: stewardB, role: 'steward', areaId: c.areas.zoneB, startsOn: new Date(c.now.getTime() - 30 * DAY) },
  });
  return { ...c, stewardB, deps: testDeps(c.now) };
}

/** The person as the console's sign-in would make them. */
export async function personActor(prisma: PrismaClient, residentId: string, now: Date): Promise<PersonActor> {
  const actor = await loadActor(prisma, { residentId }, { now });
  if (!actor || actor.kind !== 'person') throw new Error('no such person');
  return actor;
}

export async function viewerOf(prisma: PrismaClient, residentId: string, now: Date, locale = 'zh-CN'): Promise<StaffViewer> {
  const actor = await personActor(prisma, residentId, now);
  const person = await prisma.resident.findUniqueOrThrow({ where: { id: residentId }, select: { name: true } });
  return { actor, residentId, name: person.name, locale, timezone: 'Asia/Shanghai' };
}

export interface FileOptions {
  description?: string;
  at: Date;
  category?: string;
  kind?: TicketKind;
  /** Another household than the filer's own (on its behalf). */
  householdId?: string;
  place?: string;
  photos?: string[];
}

/** Files a ticket as `residentId` through the ticket service. */
export async function file(prisma: PrismaClient, w: InboxWorld, residentId: string, options: FileOptions): Promise<{ ticketId: string; number: string }> {
  const actor = await personActor(prisma, residentId, options.at);
  const filed = await prisma.$transaction((tx) =>
    fileTicket(tx, w.deps, {
      communityId: w.communityId,
      actor,
      kind: options.kind ?? 'complaint',
      category: options.category ?? 'other',
      description: options.description ?? '楼道灯坏了三天了',
      ...(options.householdId ? { householdId: options.householdId } : {}),
      ...(options.place ? { place: { text: options.place } } : {}),
      ...(options.photos ? { photos: options.photos } : {}),
      filerAnsweredInChat: true,
      at: options.at,
    }),
  );
  return { ticketId: filed.ticketId, number: filed.number };
}

/** One staff action through the inbox's path (policy, status machine, audit); throws unless done. */
export async function act(
  prisma: PrismaClient,
  w: InboxWorld,
  staffId: string,
  ticketId: string,
  action: StaffActionInput['action'],
  at: Date,
  extra: Partial<StaffActionInput> = {},
): Promise<void> {
  const actor = await personActor(prisma, staffId, at);
  const outcome = await prisma.$transaction((tx) => runStaffAction(tx, w.deps, { communityId: w.communityId, actor, ticketId, action, at, ...extra }));
  if (outcome.status !== 'done') throw new Error(`${action} was not done: ${JSON.stringify(outcome)}`);
}
