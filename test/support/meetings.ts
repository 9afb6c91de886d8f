/**
 * Meetings written straight into the database for the floor's tests (the floor starts where the
 * meetings module's calling and inviting end): a sitting with its invitees, and representatives
 * holding their role from yesterday.
 */
import type { PrismaClient } from '../../src/db/prisma-types.js';

export interface TestMeeting {
  id: string;
  number: string;
}

/** A sitting from `startsAt` for `minutes`, everyone in `invitees` invited (answers pending). */
export async function createMeeting(
  prisma: PrismaClient,
  communityId: string,
  options: { startsAt: Date; minutes?: number; title?: string; type?: string; invitees: readonly string[]; agenda?: readonly { text: string }[] },
): Promise<TestMeeting> {
  // The next number of the year, as the meetings module numbers them (the app may have called the assembly already).
  const year = options.startsAt.getUTCFullYear();
  const last = await prisma.meeting.findFirst({ where: { communityId, number: { startsWith: `HY-${year}-` } }, orderBy: { number: 'desc' }, select: { number: true } });
  const number = `HY-${year}-${String(Number(last?.number.slice(-5) ?? 0) + 1).padStart(5, '0')}`;
  const meeting = await prisma.meeting.create({
    data: {
      communityId,
      number,
      type: options.type ?? 'assembly',
      title: options.title ?? '居民代表大会',
      startsAt: options.startsAt,
      endsAt: new Date(options.startsAt.getTime() + (options.minutes ?? 120) * 60_000),
      audience: { roles: ['representative'] },
      agenda: options.agenda ?? [],
      invitations: { create: options.invitees.map((residentId) => ({ residentId })) },
    },
  });
  return { id: meeting.id, number };
}

/** `count` representatives (no household: they are counted on the roll only), their role begun yesterday. */
export async function createRepresentatives(prisma: PrismaClient, communityId: string, names: readonly string[], householdIds: readonly (string | null)[] = []): Promise<string[]> {
  const since = new Date(Date.now() - 24 * 3_600_000);
  const ids: string[] = [];
  for (const [index, name] of names.entries()) {
    const resident = await prisma.resident.create({ data: { communityId, name, householdId: householdIds[index] ?? null } });
    await prisma.roleAssignment.create({ data: { communityId, residentId: resident.id, role: 'representative', startsOn: since } });
    ids.push(resident.id);
  }
  return ids;
}
