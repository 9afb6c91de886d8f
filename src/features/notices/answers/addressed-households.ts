/**
 * Which households a notice addresses, read from its `audience` as sending stored it
 * (`Notice.audience`): everyone, or the union of areas (each with its subtree), household groups,
 * role holders' and hand-picked residents' homes, narrowed to priority households when asked. A
 * saved audience is read through its own row. The roll-call counts and escalates over exactly
 * these, and a press from a household outside them is refused politely.
 */
import type { Prisma, Tx } from '../../../db/prisma-types.js';
import { areaSubtree } from '../../policy/area-ancestry.js';

interface StoredAudience {
  everyone?: boolean;
  areaIds?: string[];
  groupIds?: string[];
  roles?: string[];
  residentIds?: string[];
  priority?: boolean;
  savedAudienceId?: string;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function readAudience(value: unknown): StoredAudience {
  const raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return {
    everyone: raw['everyone'] === true,
    areaIds: strings(raw['areaIds']),
    groupIds: strings(raw['groupIds']),
    roles: strings(raw['roles']),
    residentIds: strings(raw['residentIds']),
    priority: raw['priority'] === true,
    ...(typeof raw['savedAudienceId'] === 'string' ? { savedAudienceId: raw['savedAudienceId'] } : {}),
  };
}

/** The households `audience` addresses in the community, as a filter (one statement or two to build). */
export async function addressedHouseholdsWhere(tx: Tx, communityId: string, stored: unknown, now: Date): Promise<Prisma.HouseholdWhereInput> {
  let audience = readAudience(stored);
  if (audience.savedAudienceId) {
    const saved = await tx.savedAudience.findFirst({ where: { id: audience.savedAudienceId, communityId }, select: { audience: true } });
    const more = readAudience(saved?.audience);
    audience = { ...more, everyone: audience.everyone || more.everyone, priority: audience.priority || more.priority };
  }
  const priority: Prisma.HouseholdWhereInput = audience.priority ? { NOT: { flags: { isEmpty: true } } } : {};
  if (audience.everyone) return { communityId, ...priority };
  const any: Prisma.HouseholdWhereInput[] = [];
  if (audience.areaIds?.length) any.push({ areaId: { in: await areaSubtree(tx, audience.areaIds) } });
  if (audience.groupIds?.length) any.push({ groupId: { in: audience.groupIds } });
  if (audience.residentIds?.length) any.push({ residents: { some: { id: { in: audience.residentIds } } } });
  if (audience.roles?.length) {
    any.push({ residents: { some: { roles: { some: { role: { in: audience.roles }, startsOn: { lte: now }, OR: [{ endsOn: null }, { endsOn: { gte: now } }] } } } } });
  }
  // An audience naming nothing addresses nobody (never "everyone" by accident).
  if (any.length === 0) return { id: { in: [] } };
  return { communityId, OR: any, ...priority };
}
