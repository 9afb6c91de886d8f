/**
 * The community of `npm run bench:tickets`, written straight into the app's database before it
 * starts taking messages: areas of `householdsPerArea` households, each area with a steward (a
 * Telegram account of their own: they are told of every ticket in their area), one resident per
 * household, every resident's Telegram account bound to them — as binding in chat would leave it.
 */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../src/db/prisma-types.js';

export interface TicketsPeople {
  /** Telegram user ids of the residents, one household each. */
  residents: number[];
  /** Telegram user ids of the stewards, one per area: ceil(residents / householdsPerArea). */
  stewards: number[];
  householdsPerArea: number;
}

/** Rows per INSERT: well below PostgreSQL's limit of bind parameters per statement. */
const ROWS_PER_STATEMENT = 1_000;
const DAY_MS = 24 * 3_600_000;

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await write(rows.slice(i, i + ROWS_PER_STATEMENT));
}

export function areasFor(residents: number, householdsPerArea: number): number {
  return Math.ceil(residents / householdsPerArea);
}

export async function seedTicketsPeople(prisma: PrismaClient, communityId: string, people: TicketsPeople): Promise<void> {
  const now = new Date();
  // A term that began yesterday: the routing takes only current roles.
  const startsOn = new Date(now.getTime() - DAY_MS);
  const areas = people.stewards.map((_, a) => ({ id: randomUUID(), communityId, name: `压测片区${a + 1}`, path: `压测片区${a + 1}`, depth: 1 }));
  const stewards = people.stewards.map((_, a) => ({ id: randomUUID(), communityId, name: `片区干部${a + 1}`, phone: `136${String(a + 1).padStart(8, '0')}` }));
  const households = people.residents.map((_, i) => ({
    id: randomUUID(),
    communityId,
    code: `B-${String(i + 1).padStart(5, '0')}`,
    address: `压测小区${i + 1}号`,
    areaId: areas[Math.floor(i / people.householdsPerArea)]!.id,
  }));
  const residents = people.residents.map((_, i) => ({
    id: randomUUID(),
    communityId,
    householdId: households[i]!.id,
    name: `居民${i + 1}`,
    phone: `139${String(i + 1).padStart(8, '0')}`,
  }));
  const account = (telegramId: number, residentId: string) => ({
    communityId,
    channel: 'telegram',
    externalId: String(telegramId),
    residentId,
    boundAt: now,
    locale: 'zh-CN',
  });

  await inChunks(areas, (data) => prisma.area.createMany({ data }));
  await inChunks(stewards, (data) => prisma.resident.createMany({ data }));
  await inChunks(
    stewards.map((s, a) => ({ communityId, residentId: s.id, role: 'steward', areaId: areas[a]!.id, startsOn })),
    (data) => prisma.roleAssignment.createMany({ data }),
  );
  await inChunks(households, (data) => prisma.household.createMany({ data }));
  await inChunks(residents, (data) => prisma.resident.createMany({ data }));
  await inChunks(
    [...people.stewards.map((id, a) => account(id, stewards[a]!.id)), ...people.residents.map((id, i) => account(id, residents[i]!.id))],
    (data) => prisma.chatAccount.createMany({ data }),
  );
}
