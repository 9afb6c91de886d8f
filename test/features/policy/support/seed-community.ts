/**
 * A small community in a real database for the policy, audit and privacy tests:
 *
 *   平房区 (zoneA) ─ 团结巷 (laneA) ─ 3号院 (courtA): households A1, A2 (group GA, head: Zhang)
 *                                  └ 5号院 (courtA2): household A3 (group GA too)
 *   楼寓 (zoneB) ─ 5号楼 (buildingB): household B1 (group GB)
 *
 * People: Zhang Sanfeng (A1, head of GA, two chat accounts), Li Si (A1), Wang Wu (A2),
 * Zhao Liu (B1); staff living elsewhere: a steward of laneA (+ an ended committee term and an
 * admin term not begun yet), a council member of zoneA, a committee member, an admin, a
 * plumbing service-team member. Names and phones are distinct so a test can search for them.
 */
import type { PrismaClient } from '../../../../src/db/prisma-types.js';
import { seedCommunity } from '../../../support/community.js';

export const PEOPLE = {
  zhang: { name: '张三丰', phone: '13812345678', birthYear: 1950 },
  li: { name: '李四', phone: '13900001111', birthYear: 1990 },
  wang: { name: '王五', phone: '13700002222', birthYear: 1985 },
  zhao: { name: '赵六', phone: '13600003333', birthYear: 1970 },
  steward: { name: '钱包片', phone: '13500004444', birthYear: 1980 },
  council: { name: '孙理事', phone: '13400005555', birthYear: 1962 },
  committee: { name: '周主任', phone: '13300006666', birthYear: 1975 },
  admin: { name: '吴管理', phone: '13200007777', birthYear: 1988 },
  plumber: { name: '郑水暖', phone: '13100008888', birthYear: 1979 },
} as const;

export const A1_ADDRESS = '团结巷3号院2号';

export interface SeededCommunity {
  communityId: string;
  areas: { zoneA: string; laneA: string; courtA: string; courtA2: string; zoneB: string; buildingB: string };
  households: { a1: string; a2: string; a3: string; b1: string };
  groups: { ga: string; gb: string };
  residents: Record<keyof typeof PEOPLE, string>;
  accounts: { zhangWeb: string; zhangTelegram: string; visitor: string; stewardChat: string };
  /** A day in the middle of every current term. */
  now: Date;
}

const DAY = 24 * 60 * 60 * 1000;

/** Creates the community above (with its own slug unless given); returns the ids. */
export async function seedPolicyCommunity(prisma: PrismaClient, slug?: string): Promise<SeededCommunity> {
  const now = new Date('2026-06-01T04:00:00Z');
  const community = await seedCommunity(prisma, slug ? { slug } : {});
  const communityId = community.id;

  const area = async (name: string, path: string, depth: number, parentId: string | null) =>
    (await prisma.area.create({ data: { communityId, name, path, depth, parentId } })).id;
  const zoneA = await area('平房区', '平房区', 1, null);
  const laneA = await area('团结巷', '平房区/团结巷', 2, zoneA);
  const courtA = await area('3号院', '平房区/团结巷/3号院', 3, laneA);
  const courtA2 = await area('5号院', '平房区/团结巷/5号院', 3, laneA);
  const zoneB = await area('楼寓', '楼寓', 1, null);
  const buildingB = await area('5号楼', '楼寓/5号楼', 2, zoneB);

  const ga = (await prisma.householdGroup.create({ data: { communityId, code: 'GA' } })).id;
  const gb = (await prisma.householdGroup.create({ data: { communityId, code: 'GB' } })).id;

  const household = async (code: string, address: string, areaId: string, groupId: string, flags: string[] = []) =>
    (await prisma.household.create({ data: { communityId, code, address, areaId, groupId, flags } })).id;
  const a1 = await household('A1', A1_ADDRESS, courtA, ga, ['elderly']);
  const a2 = await household('A2', '团结巷3号院5号', courtA, ga);
  const a3 = await household('A3', '团结巷5号院1号', courtA2, ga);
  const b1 = await household('B1', '楼寓5号楼301', buildingB, gb);

  const person = async (key: keyof typeof PEOPLE, householdId: string | null) =>
    (await prisma.resident.create({ data: { communityId, householdId, ...PEOPLE[key], locale: 'zh-CN' } })).id;
  const residents = {
    zhang: await person('zhang', a1),
    li: await person('li', a1),
    wang: await person('wang', a2),
    zhao: await person('zhao', b1),
    steward: await person('steward', null),
    council: await person('council', null),
    committee: await person('committee', null),
    admin: await person('admin', null),
    plumber: await person('plumber', null),
  };
  await prisma.householdGroup.update({ where: { id: ga }, data: { headId: residents.zhang } });

  const role = (residentId: string, role: string, extra: { areaId?: string; skills?: string[]; startsOn?: Date; endsOn?: Date | null } = {}) =>
    prisma.roleAssignment.create({
      data: { communityId, residentId, role, startsOn: extra.startsOn ?? new Date(now.getTime() - 365 * DAY), endsOn: extra.endsOn ?? null, areaId: extra.areaId ?? null, skills: extra.skills ?? [] },
    });
  await role(residents.steward, 'steward', { areaId: laneA, endsOn: new Date(now.getTime() + 700 * DAY) });
  await role(residents.steward, 'committee', { startsOn: new Date(now.getTime() - 4 * 365 * DAY), endsOn: new Date(now.getTime() - 365 * DAY) });
  await role(residents.steward, 'admin', { startsOn: new Date(now.getTime() + 30 * DAY) });
  await role(residents.council, 'council', { areaId: zoneA });
  await role(residents.committee, 'committee');
  await role(residents.admin, 'admin');
  await role(residents.plumber, 'service_team', { skills: ['plumbing'] });

  const account = (channel: string, externalId: string, residentId: string | null) =>
    prisma.chatAccount.create({
      data: { communityId, channel, externalId, residentId, boundAt: residentId ? new Date(now.getTime() - 10 * DAY) : null },
    });
  const zhangWeb = (await account('web', `web-${community.slug}-zhang`, residents.zhang)).id;
  const zhangTelegram = (await account('telegram', `tg-${community.slug}-zhang`, residents.zhang)).id;
  const visitor = (await account('web', `web-${community.slug}-visitor`, null)).id;
  const stewardChat = (await account('wechat', `wx-${community.slug}-steward`, residents.steward)).id;

  return {
    communityId,
    areas: { zoneA, laneA, courtA, courtA2, zoneB, buildingB },
    households: { a1, a2, a3, b1 },
    groups: { ga, gb },
    residents,
    accounts: { zhangWeb, zhangTelegram, visitor, stewardChat },
    now,
  };
}
