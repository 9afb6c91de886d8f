/**
 * A few households, residents and staff in a real database for the identity tests, each call
 * with names of its own so tests can share one database.
 */
import type { PrismaClient } from '../../../../src/db/prisma-types.js';
import type { Role } from '../../../../src/features/community/vocabulary.js';

export interface SeededHousehold {
  householdId: string;
  code: string;
  address: string;
  areaId: string;
  /** Resident ids in the order given. */
  residentIds: string[];
}

let counter = 0;

/** A fresh suffix so codes, areas and names never clash between tests. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

/** An area (a zone) of its own. */
export async function seedArea(prisma: PrismaClient, communityId: string, name = unique('片区')): Promise<string> {
  return (await prisma.area.create({ data: { communityId, name, path: name, depth: 1 } })).id;
}

/** A household with its members (name and phone each). */
export async function seedHousehold(
  prisma: PrismaClient,
  communityId: string,
  members: { name: string; phone?: string }[],
  options: { areaId?: string; code?: string; address?: string } = {},
): Promise<SeededHousehold> {
  const areaId = options.areaId ?? (await seedArea(prisma, communityId));
  const code = options.code ?? unique('H');
  const address = options.address ?? `团结巷${unique('')}号`;
  const household = await prisma.household.create({ data: { communityId, code, address, areaId } });
  const residentIds: string[] = [];
  for (const [position, member] of members.entries()) {
    const resident = await prisma.resident.create({
      data: { communityId, householdId: household.id, name: member.name, phone: member.phone ?? null, position },
    });
    residentIds.push(resident.id);
  }
  return { householdId: household.id, code, address, areaId, residentIds };
}

/** A staff member who lives elsewhere, with one role (tied to an area when given). */
export async function seedStaff(prisma: PrismaClient, communityId: string, role: Role, areaId: string | null = null): Promise<string> {
  const resident = await prisma.resident.create({ data: { communityId, name: unique('工作人员') } });
  await prisma.roleAssignment.create({ data: { communityId, residentId: resident.id, role, areaId } });
  return resident.id;
}

/** A chat account (a visitor until bound). */
export async function seedAccount(
  prisma: PrismaClient,
  communityId: string,
  channel: 'web' | 'telegram' | 'wechat' = 'web',
  locale: string | null = null,
): Promise<string> {
  return (await prisma.chatAccount.create({ data: { communityId, channel, externalId: unique('ext-'), locale } })).id;
}
