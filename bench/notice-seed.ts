/**
 * The community of `npm run bench:notice`: the demo community (3,076 households, 8,689 residents,
 * their ten-household groups with heads, the staff), seeded the way `linli demo seed` does —
 * through the roster's own import — then every resident's Telegram account bound to them and one
 * Telegram group bound to each household group, as binding in chat would leave them. Telegram ids
 * are handed out in order (households by code, members by their roster position), so the bench
 * knows who to press as without asking the database.
 */
import type { PrismaClient } from '../src/db/prisma-types.js';
import { seedDemoCommunity } from '../src/features/community/demo/seed-demo.js';

export interface NoticeSeedPlan {
  /** The first resident's Telegram user id; the next resident gets the next id. */
  firstUserId: number;
  /** The first group's chat id (negative, as Telegram's groups are); the next group gets one less. */
  firstGroupChatId: number;
  timeZone: string;
}

export interface SeededHousehold {
  code: string;
  /** Telegram user ids of its members, in roster order. */
  userIds: number[];
}

export interface NoticeCommunity {
  households: SeededHousehold[];
  residents: number;
  groupChats: number;
  /** The Telegram user id of a committee member (who sends the notice). */
  senderUserId: number;
}

/** Rows per INSERT: well below PostgreSQL's limit of bind parameters per statement. */
const ROWS_PER_STATEMENT = 1_000;

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await write(rows.slice(i, i + ROWS_PER_STATEMENT));
}

export async function seedNoticeCommunity(prisma: PrismaClient, communityId: string, plan: NoticeSeedPlan): Promise<NoticeCommunity> {
  await seedDemoHouseholds(prisma, communityId, plan.timeZone);
  return bindTelegramChats(prisma, communityId, plan);
}

/** The demo community's households, residents, groups and staff, through the roster's own import. */
export async function seedDemoHouseholds(prisma: PrismaClient, communityId: string, timeZone: string): Promise<void> {
  const seeded = await seedDemoCommunity({ prisma, communityId, timeZone, actor: { kind: 'system' } });
  if (!seeded.ok) throw new Error('the bench needs an empty community');
}

/** Binds a Telegram account to every resident of a household (and the committee member who sends) and a group chat to every household group. */
export async function bindTelegramChats(prisma: PrismaClient, communityId: string, plan: NoticeSeedPlan): Promise<NoticeCommunity> {
  const now = new Date();
  const households = await prisma.household.findMany({
    where: { communityId },
    orderBy: { code: 'asc' },
    select: { code: true, residents: { orderBy: [{ position: 'asc' }, { id: 'asc' }], select: { id: true } } },
  });
  let nextUserId = plan.firstUserId;
  const accounts: { communityId: string; channel: string; externalId: string; residentId: string; boundAt: Date; locale: string }[] = [];
  const seededHouseholds = households.map((household) => ({
    code: household.code,
    userIds: household.residents.map((resident) => {
      const userId = nextUserId++;
      accounts.push({ communityId, channel: 'telegram', externalId: String(userId), residentId: resident.id, boundAt: now, locale: 'zh-CN' });
      return userId;
    }),
  }));
  // The sender: a committee member without a household of their own in the demo gets an account too.
  const committee = await prisma.roleAssignment.findFirstOrThrow({ where: { communityId, role: 'committee' }, select: { residentId: true } });
  let senderUserId = accounts.find((a) => a.residentId === committee.residentId)?.externalId;
  if (senderUserId === undefined) {
    senderUserId = String(nextUserId++);
    accounts.push({ communityId, channel: 'telegram', externalId: senderUserId, residentId: committee.residentId, boundAt: now, locale: 'zh-CN' });
  }
  await inChunks(accounts, (data) => prisma.chatAccount.createMany({ data }));

  const groups = await prisma.householdGroup.findMany({ where: { communityId }, orderBy: { code: 'asc' }, select: { id: true, code: true } });
  await inChunks(
    groups.map((group, i) => ({
      communityId,
      channel: 'telegram',
      chatId: String(plan.firstGroupChatId - i),
      isForum: false,
      purpose: 'household_group',
      targetId: group.id,
      boundAt: now,
      title: group.code,
    })),
    (data) => prisma.boundChat.createMany({ data }),
  );
  return { households: seededHouseholds, residents: accounts.length, groupChats: groups.length, senderUserId: Number(senderUserId) };
}
