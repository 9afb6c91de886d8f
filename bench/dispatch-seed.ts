/**
 * The community of `npm run bench:dispatch`: the demo community (3,076 households, 8,689
 * residents, its twelve-member service team whose skills cover every trade), seeded the way
 * `linli demo seed` does — through the roster's own import and the staff service — then, as
 * binding in chat would leave them: a Telegram account for one resident of `residents`
 * households spread evenly over the roster (no household of a team member), a Telegram account
 * for every team member, and one Telegram group bound to the whole team (`service_team`, no
 * skill: it hears every job's news). The members keep the terms the demo gives them (none: the
 * whole community, any hour), so what limits them is what dispatch itself decides: one offer
 * at a time, the skill, and their load.
 */
import type { PrismaClient } from '../src/db/prisma-types.js';
import { seedDemoCommunity } from '../src/features/community/demo/seed-demo.js';
import { currentTermWhere } from '../src/features/policy/terms.js';

export interface DispatchSeedPlan {
  /** Households whose resident files a repair. */
  residents: number;
  /** The first Telegram user id handed out; the next account gets the next id. */
  firstUserId: number;
  /** The team's bound group chat (made in the fake by the bench). */
  teamChatId: number;
  timeZone: string;
}

export interface DispatchMember {
  residentId: string;
  userId: number;
  skills: string[];
}

export interface DispatchCommunity {
  households: number;
  /** Telegram user ids of the residents who file, in the order handed out. */
  residentUserIds: number[];
  members: DispatchMember[];
}

export async function seedDispatchCommunity(prisma: PrismaClient, communityId: string, plan: DispatchSeedPlan): Promise<DispatchCommunity> {
  const seeded = await seedDemoCommunity({ prisma, communityId, timeZone: plan.timeZone, actor: { kind: 'system' } });
  if (!seeded.ok) throw new Error('the bench needs an empty community');
  const now = new Date();
  const roles = await prisma.roleAssignment.findMany({
    where: { communityId, role: 'service_team', ...currentTermWhere(now) },
    orderBy: { residentId: 'asc' },
    select: { residentId: true, skills: true, resident: { select: { householdId: true } } },
  });
  const skillsOf = new Map<string, Set<string>>();
  for (const role of roles) skillsOf.set(role.residentId, new Set([...(skillsOf.get(role.residentId) ?? []), ...role.skills]));
  const teamHouseholds = new Set(roles.map((r) => r.resident.householdId).filter((id): id is string => id !== null));

  const households = await prisma.household.findMany({
    where: { communityId },
    orderBy: { code: 'asc' },
    select: { id: true, residents: { orderBy: [{ position: 'asc' }, { id: 'asc' }], take: 1, select: { id: true } } },
  });
  const open = households.filter((h) => !teamHouseholds.has(h.id) && h.residents.length > 0);
  if (open.length < plan.residents) throw new Error(`the demo community has ${open.length} households to file from, ${plan.residents} asked`);
  // Evenly over the roster: every lane and building, priority households as often as they occur.
  const chosen = Array.from({ length: plan.residents }, (_, i) => open[Math.floor((i * open.length) / plan.residents)]!);

  let nextUserId = plan.firstUserId;
  const account = (residentId: string) => ({ communityId, channel: 'telegram', externalId: String(nextUserId++), residentId, boundAt: now, locale: 'zh-CN' });
  const residentAccounts = chosen.map((h) => account(h.residents[0]!.id));
  const memberAccounts = [...skillsOf.keys()].map(account);
  await prisma.chatAccount.createMany({ data: [...residentAccounts, ...memberAccounts] });
  await prisma.boundChat.create({
    data: { communityId, channel: 'telegram', chatId: String(plan.teamChatId), isForum: false, purpose: 'service_team', targetId: null, boundAt: now, title: '便民服务队' },
  });
  return {
    households: households.length,
    residentUserIds: residentAccounts.map((a) => Number(a.externalId)),
    members: memberAccounts.map((a) => ({ residentId: a.residentId, userId: Number(a.externalId), skills: [...skillsOf.get(a.residentId)!].sort() })),
  };
}
