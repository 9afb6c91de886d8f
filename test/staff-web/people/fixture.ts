/**
 * A community for the staff console's people and requests tests, loaded the way an office loads
 * one: households through the roster importer, staff through the staff service (as `linli staff
 * add` does). Each call makes a community of its own, so tests can share one database.
 *
 *   平房区/团结巷   H-101 团结巷1号院 张三丰 (138…1234, head of G01) 张小丰 (138…5678), elderly
 *                   H-102 团结巷2号院 欧阳娜娜 (139…2468), G01
 *   平房区/胜利巷   H-201 胜利巷8号 李四 (137…1234)
 *   楼寓/2号楼      H-301 2号楼101 王五 (136…9999)
 *
 * Staff: an admin, a committee member, the steward of 平房区/团结巷, the steward of 楼寓, a council
 * member tied to no area (covers nothing); 张三丰 is a resident with no role.
 */
import { join } from 'node:path';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { addStaffIn } from '../../../src/features/community/staff.js';
import { planStaff } from '../../../src/features/community/staff-rules.js';
import { applyRoster } from '../../../src/features/community/roster/index.js';
import type { RosterRow } from '../../../src/features/community/roster/index.js';
import type { PersonActor, StaffViewer, Translate } from '../../../src/staff-web/shell/viewer.js';
import type { ViewContext } from '../../../src/staff-web/people/view-parts.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import { seedCommunity } from '../../support/community.js';

export const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales'));
export const TIMEZONE = 'Asia/Shanghai';
/** When the staff were appointed. */
export const APPOINTED = new Date('2026-03-01T02:00:00Z');
/** The tests' clock. */
export const NOW = new Date('2026-03-15T04:00:00Z');
const OPERATOR = { kind: 'operator' } as const;

type Row = Omit<RosterRow, 'line'>;
const row = (householdCode: string, areaPath: string, address: string, memberName: string, phone: string, extra: Partial<Row> = {}): Row => ({
  householdCode,
  areaPath,
  address,
  memberName,
  phone,
  birthYear: '',
  flags: '',
  groupCode: '',
  groupHead: '',
  language: '',
  ...extra,
});

const ROWS: Row[] = [
  row('H-101', '平房区/团结巷', '团结巷1号院', '张三丰', '13800001234', { flags: '老年', groupCode: 'G01', groupHead: '是' }),
  row('H-101', '平房区/团结巷', '团结巷1号院', '张小丰', '13800005678'),
  row('H-102', '平房区/团结巷', '团结巷2号院', '欧阳娜娜', '13900002468', { groupCode: 'G01' }),
  row('H-201', '平房区/胜利巷', '胜利巷8号', '李四', '13700001234'),
  row('H-301', '楼寓/2号楼', '2号楼101', '王五', '13600009999'),
];

export interface PeopleCommunity {
  communityId: string;
  /** Resident ids by name. */
  people: Record<string, string>;
  /** Household ids by code. */
  households: Record<string, string>;
  /** Assignment ids by staff name. */
  terms: Record<string, string>;
  /** The person as the staff console acts for them (`via: 'console'`). */
  actorOf(name: string, now?: Date): Promise<PersonActor>;
}

export async function seedPeopleCommunity(prisma: PrismaClient): Promise<PeopleCommunity> {
  const { id: communityId } = await seedCommunity(prisma, { officePhone: '0991-1234567' });
  return loadPeopleInto(prisma, communityId);
}

/** The same households and staff loaded into a community that exists already (the app's own, in tests of the whole app). */
export async function loadPeopleInto(prisma: PrismaClient, communityId: string): Promise<PeopleCommunity> {
  const imported = await applyRoster({
    prisma,
    communityId,
    rows: ROWS.map((cells, index) => ({ ...cells, line: index + 2 })),
    translator,
    currentYear: 2026,
    audit: { actor: OPERATOR },
  });
  if (!imported.ok) throw new Error(`roster refused: ${JSON.stringify(imported.problems)}`);
  const staff: { name: string; role: string; area?: string; phone?: string }[] = [
    { name: '赵管理', role: 'admin', phone: '13500000001' },
    { name: '钱委员', role: 'committee' },
    { name: '孙片长', role: 'steward', area: '平房区/团结巷' },
    { name: '周片长', role: 'steward', area: '楼寓' },
    { name: '吴理事', role: 'council' },
  ];
  const terms: Record<string, string> = {};
  await prisma.$transaction(async (tx) => {
    for (const member of staff) {
      const plan = planStaff(member, APPOINTED, TIMEZONE);
      if (!plan.ok) throw new Error(plan.problem.code);
      // Open-ended, so the term still counts whenever a check reads the real clock.
      terms[member.name] = (await addStaffIn(tx, { communityId, plan: { ...plan.plan, endsOn: null }, actor: OPERATOR })).assignmentId;
    }
  });
  const residents = await prisma.resident.findMany({ where: { communityId }, select: { id: true, name: true } });
  const households = await prisma.household.findMany({ where: { communityId }, select: { id: true, code: true } });
  const people = Object.fromEntries(residents.map((resident) => [resident.name, resident.id]));
  return {
    communityId,
    people,
    households: Object.fromEntries(households.map((household) => [household.code, household.id])),
    terms,
    async actorOf(name, now = NOW) {
      const actor = await loadActor(prisma, { residentId: people[name]! }, { now });
      if (actor?.kind !== 'person') throw new Error(`no person ${name}`);
      // As the console's sign-in makes it: the audit says the action came from the console.
      return { ...actor, via: 'console' };
    },
  };
}

/** What a view is given, in a language, for a viewer. */
export function viewContext(actor: PersonActor, locale: 'zh-CN' | 'en' = 'zh-CN', csrfToken = 'csrf-token-1'): ViewContext {
  const t: Translate = (key, vars) => translator.t(locale, key, vars);
  const viewer: StaffViewer = { actor, residentId: actor.residentId, name: 'viewer', locale, timezone: TIMEZONE };
  return { t, viewer, csrfToken, now: NOW };
}
