/**
 * A small bungalow area for the roll-call's tests: two lanes of the zone, three household groups
 * (G-01 and G-02 in 团结巷, G-03 in 胜利巷), a household in no group, each lane's steward and a
 * committee member; every person with a web chat account of their own (`WebPerson`). Members
 * have phones, so lists show them masked.
 */
import type { App } from '../../../../src/app.js';
import { WebPerson } from '../../../support/app.js';

export interface Person {
  name: string;
  residentId: string;
  web: WebPerson;
}

export interface RollCallCommunity {
  zoneId: string;
  laneA: string;
  laneB: string;
  households: Record<'A1' | 'A2' | 'A3' | 'A4' | 'A5' | 'B1' | 'B2', { id: string; address: string }>;
  groups: Record<'G01' | 'G02' | 'G03', string>;
  people: Record<'zhao' | 'zhaoWife' | 'zhou' | 'qian' | 'wu' | 'wang' | 'sun' | 'zheng' | 'stewardA' | 'stewardB' | 'chair', Person>;
}

export async function seedRollCallCommunity(app: App, since = new Date(Date.now() - 24 * 3_600_000)): Promise<RollCallCommunity> {
  const prisma = app.database.prisma;
  const communityId = app.communityId;
  const zone = await prisma.area.create({ data: { communityId, name: '平房区', path: '平房区', depth: 1 } });
  const laneA = await prisma.area.create({ data: { communityId, name: '团结巷', path: '平房区/团结巷', depth: 2, parentId: zone.id } });
  const laneB = await prisma.area.create({ data: { communityId, name: '胜利巷', path: '平房区/胜利巷', depth: 2, parentId: zone.id } });
  const group = (code: string) => prisma.householdGroup.create({ data: { communityId, code } });
  const groups = { G01: (await group('G-01')).id, G02: (await group('G-02')).id, G03: (await group('G-03')).id };
  const home = async (code: string, address: string, areaId: string, groupId: string | null) => {
    const row = await prisma.household.create({ data: { communityId, code, address, areaId, groupId } });
    return { id: row.id, address };
  };
  const households = {
    A1: await home('A-01', '团结巷1号', laneA.id, groups.G01),
    A2: await home('A-02', '团结巷2号', laneA.id, groups.G01),
    A3: await home('A-03', '团结巷3号', laneA.id, groups.G02),
    A4: await home('A-04', '团结巷4号', laneA.id, groups.G02),
    A5: await home('A-05', '团结巷5号', laneA.id, null),
    B1: await home('B-01', '胜利巷1号', laneB.id, groups.G03),
    B2: await home('B-02', '胜利巷2号', laneB.id, groups.G03),
  };
  let phone = 13800000000;
  const person = async (name: string, householdId: string | null): Promise<Person> => {
    phone += 1111;
    const resident = await prisma.resident.create({ data: { communityId, name, householdId, phone: String(phone) } });
    const web = new WebPerson(app);
    await prisma.chatAccount.create({ data: { communityId, channel: 'web', externalId: web.sessionId, residentId: resident.id, boundAt: since } });
    return { name, residentId: resident.id, web };
  };
  const people = {
    zhao: await person('赵建国', households.A1.id),
    zhaoWife: await person('刘秀英', households.A1.id),
    zhou: await person('周大爷', households.A2.id),
    qian: await person('钱卫东', households.A3.id),
    wu: await person('吴奶奶', households.A4.id),
    wang: await person('王师傅', households.A5.id),
    sun: await person('孙立新', households.B1.id),
    zheng: await person('郑阿姨', households.B2.id),
    stewardA: await person('李干部', null),
    stewardB: await person('陈干部', null),
    chair: await person('马主任', null),
  };
  await prisma.householdGroup.update({ where: { id: groups.G01 }, data: { headId: people.zhao.residentId } });
  await prisma.householdGroup.update({ where: { id: groups.G02 }, data: { headId: people.qian.residentId } });
  await prisma.householdGroup.update({ where: { id: groups.G03 }, data: { headId: people.sun.residentId } });
  await prisma.roleAssignment.create({ data: { communityId, residentId: people.stewardA.residentId, role: 'steward', areaId: laneA.id, startsOn: since } });
  await prisma.roleAssignment.create({ data: { communityId, residentId: people.stewardB.residentId, role: 'steward', areaId: laneB.id, startsOn: since } });
  await prisma.roleAssignment.create({ data: { communityId, residentId: people.chair.residentId, role: 'committee', startsOn: since } });
  return { zoneId: zone.id, laneA: laneA.id, laneB: laneB.id, households, groups, people };
}
