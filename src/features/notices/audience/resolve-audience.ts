/**
 * An audience (rules/audience.ts) read against the roster: the members it names with their
 * reachable accounts, and the group chats bound to its places. A few queries whatever its size
 * (a community of 3,076 households is one read of people and one of chats); the choice of
 * recipients is the pure `pickRecipients`.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { areaSubtree } from '../../policy/area-ancestry.js';
import { PRIORITY_FLAGS_ANY, type Prisma } from './audience-filters.js';
import { reachesGroupChats, type Audience, type AudienceChat, type AudienceMember } from '../rules/audience.js';

export interface ResolvedAudience {
  members: AudienceMember[];
  /** Bound group chats of the audience's places, oldest binding first. */
  chats: AudienceChat[];
}

export interface ResolveOptions {
  communityId: string;
  defaultLocale: string;
  /** Roles count at this instant (their terms). */
  now: Date;
  /** Where a channel comes when a person's accounts are tried (lower first): its `chatOrder`. */
  channelOrder: (channel: string) => number;
}

/** The saved audience's own selection merged into `audience` (a saved list inside a saved list is not followed). */
export async function withSavedAudience(tx: Tx, communityId: string, audience: Audience): Promise<Audience | null> {
  if (!audience.savedAudienceId) return audience;
  const saved = await tx.savedAudience.findFirst({ where: { id: audience.savedAudienceId, communityId }, select: { audience: true } });
  if (!saved) return null;
  const stored = (saved.audience ?? {}) as Audience;
  const merge = (a?: readonly string[], b?: readonly string[]) => (a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : undefined);
  const { savedAudienceId: _ignored, ...own } = audience;
  const roles = merge(own.roles, stored.roles) as Audience['roles'];
  return {
    ...(own.everyone || stored.everyone ? { everyone: true as const } : {}),
    ...(own.priority || stored.priority ? { priority: true as const } : {}),
    ...(merge(own.areaIds, stored.areaIds) ? { areaIds: merge(own.areaIds, stored.areaIds)! } : {}),
    ...(merge(own.groupIds, stored.groupIds) ? { groupIds: merge(own.groupIds, stored.groupIds)! } : {}),
    ...(roles ? { roles } : {}),
    ...(merge(own.residentIds, stored.residentIds) ? { residentIds: merge(own.residentIds, stored.residentIds)! } : {}),
  };
}

/** Reads the members and chats `audience` (already merged with its saved list) reaches. */
export async function resolveAudience(tx: Tx, audience: Audience, options: ResolveOptions): Promise<ResolvedAudience> {
  const { communityId, now } = options;
  const areaIds = audience.areaIds?.length ? await areaSubtree(tx, audience.areaIds) : [];
  const selectors: Prisma.ResidentWhereInput[] = [];
  const selectsAll = audience.everyone || (audience.priority && !hasSelector(audience));
  if (!selectsAll) {
    if (areaIds.length) selectors.push({ household: { areaId: { in: areaIds } } });
    if (audience.groupIds?.length) selectors.push({ household: { groupId: { in: [...audience.groupIds] } } });
    if (audience.residentIds?.length) selectors.push({ id: { in: [...audience.residentIds] } });
    if (audience.roles?.length) {
      selectors.push({
        roles: { some: { role: { in: [...audience.roles] }, startsOn: { lte: now }, OR: [{ endsOn: null }, { endsOn: { gte: now } }] } },
      });
    }
  }
  const where: Prisma.ResidentWhereInput = {
    communityId,
    ...(selectsAll ? {} : { OR: selectors }),
    ...(audience.priority ? { household: PRIORITY_FLAGS_ANY } : {}),
  };
  const residents = await tx.resident.findMany({
    where,
    orderBy: [{ householdId: 'asc' }, { position: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      householdId: true,
      locale: true,
      chatAccounts: {
        where: { communityId, unreachableAt: null },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { id: true, channel: true, externalId: true, locale: true },
      },
    },
  });
  const members: AudienceMember[] = residents.map((resident) => ({
    residentId: resident.id,
    householdId: resident.householdId,
    accounts: [...resident.chatAccounts]
      .sort((a, b) => options.channelOrder(a.channel) - options.channelOrder(b.channel))
      .map((account) => ({
        chatAccountId: account.id,
        channel: account.channel,
        chatId: account.externalId,
        locale: account.locale ?? resident.locale ?? options.defaultLocale,
      })),
  }));
  const chats = reachesGroupChats(audience) ? await boundChatsOf(tx, audience, areaIds, options) : [];
  return { members, chats };
}

function hasSelector(audience: Audience): boolean {
  return Boolean(audience.areaIds?.length || audience.groupIds?.length || audience.roles?.length || audience.residentIds?.length);
}

/**
 * The group chats bound to the audience's places: for everyone, every chat bound to the community,
 * an area or a household group; for areas, the chats of those areas' subtrees and of the
 * household groups with a household there; for groups, those groups' chats.
 */
async function boundChatsOf(tx: Tx, audience: Audience, areaIds: readonly string[], options: ResolveOptions): Promise<AudienceChat[]> {
  const { communityId } = options;
  const where: Prisma.BoundChatWhereInput[] = [];
  if (audience.everyone) {
    where.push({ purpose: { in: ['community', 'area', 'household_group'] } });
  } else {
    const groupIds = new Set(audience.groupIds ?? []);
    if (areaIds.length) {
      where.push({ purpose: 'area', targetId: { in: [...areaIds] } });
      const groups = await tx.household.findMany({ where: { communityId, areaId: { in: [...areaIds] }, groupId: { not: null } }, distinct: ['groupId'], select: { groupId: true } });
      for (const { groupId } of groups) groupIds.add(groupId!);
    }
    if (groupIds.size) where.push({ purpose: 'household_group', targetId: { in: [...groupIds] } });
  }
  if (where.length === 0) return [];
  const rows = await tx.boundChat.findMany({
    where: { communityId, OR: where },
    orderBy: [{ boundAt: 'asc' }, { id: 'asc' }],
    select: { channel: true, chatId: true, locale: true },
  });
  return rows.map((row) => ({ channel: row.channel, chatId: row.chatId, locale: row.locale ?? options.defaultLocale }));
}
