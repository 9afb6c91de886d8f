/** Shared by the roster tests: fixture paths, a fresh community, the roster as the database holds it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTranslator } from '../../../../src/i18n/translator.js';
import type { PrismaClient } from '../../../../src/db/prisma-types.js';

export const fixturesDir = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'roster');
export const fixture = (name: string) => join(fixturesDir, name);

export const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', '..', 'locales'));

/** A year fixed for the tests, so "2099 is too late" and "2026 is fine" do not move. */
export const CURRENT_YEAR = 2026;

/** A temporary folder, removed by the returned function. */
export function tempFolder(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'linli-roster-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface StoredMember {
  name: string;
  phone: string | null;
  birthYear: number | null;
  locale: string | null;
  position: number;
}

export interface StoredHouseholdView {
  code: string;
  area: string;
  address: string;
  flags: string[];
  group: string | null;
  members: StoredMember[];
}

/** The community's households (by code) with members (by position), and each group's head. */
export async function storedRoster(prisma: PrismaClient, communityId: string) {
  const households = await prisma.household.findMany({
    where: { communityId },
    orderBy: { code: 'asc' },
    include: { area: true, group: true, residents: { orderBy: { position: 'asc' } } },
  });
  const groups = await prisma.householdGroup.findMany({
    where: { communityId },
    orderBy: { code: 'asc' },
    include: { head: { include: { household: true } } },
  });
  const areas = await prisma.area.findMany({ where: { communityId } });
  return {
    households: households.map(
      (h): StoredHouseholdView => ({
        code: h.code,
        area: h.area.path,
        address: h.address,
        flags: [...h.flags].sort(),
        group: h.group?.code ?? null,
        members: h.residents.map((r) => ({ name: r.name, phone: r.phone, birthYear: r.birthYear, locale: r.locale, position: r.position })),
      }),
    ),
    heads: Object.fromEntries(groups.map((g) => [g.code, g.head ? `${g.head.household?.code}/${g.head.name}` : null])),
    // Sorted here, not by the database: collations differ between servers.
    areas: areas.map((a) => `${a.depth}:${a.path}`).sort(),
  };
}

/** What good-zh.csv and good-en.csv both describe. */
export const GOOD_ROSTER = {
  households: [
    {
      code: '0001',
      area: '平房区/团结巷/3号院',
      address: '团结巷3号院1号',
      flags: ['elderly', 'low_income'],
      group: 'G01',
      members: [
        { name: '张秀兰', phone: '13800138000', birthYear: 1948, locale: 'zh-CN', position: 0 },
        { name: '李建国', phone: null, birthYear: 1946, locale: null, position: 1 },
      ],
    },
    {
      code: '0002',
      area: '平房区/团结巷/3号院',
      address: '团结巷3号院2号',
      flags: [],
      group: 'G01',
      members: [{ name: '王芳', phone: '01065123456', birthYear: 1980, locale: null, position: 0 }],
    },
    {
      code: '0003',
      area: '平房区/团结巷',
      address: '团结巷5号',
      flags: ['disabled', 'ill'],
      group: 'G02',
      members: [
        { name: '赵磊', phone: '13912345678', birthYear: 1975, locale: 'en', position: 0 },
        { name: '赵小雨', phone: null, birthYear: 2010, locale: null, position: 1 },
      ],
    },
    {
      code: '0004',
      area: '楼寓/1号楼',
      address: '1号楼2单元301',
      flags: [],
      group: null,
      members: [{ name: 'Emily Chen', phone: '13700001111', birthYear: 1990, locale: 'en', position: 0 }],
    },
  ],
  heads: { G01: '0001/张秀兰', G02: '0003/赵磊' },
  areas: ['1:平房区', '2:平房区/团结巷', '3:平房区/团结巷/3号院', '1:楼寓', '2:楼寓/1号楼'].sort(),
};

/** The counts a first import of the good roster gives. */
export const GOOD_FIRST_COUNTS = {
  households: { created: 4, updated: 0, unchanged: 0 },
  residents: { created: 6, updated: 0, unchanged: 0 },
  areas: { created: 5, updated: 0, unchanged: 0 },
  groups: { created: 2, updated: 0, unchanged: 0 },
};

/** The counts any later import of the same roster gives. */
export const GOOD_UNCHANGED_COUNTS = {
  households: { created: 0, updated: 0, unchanged: 4 },
  residents: { created: 0, updated: 0, unchanged: 6 },
  areas: { created: 0, updated: 0, unchanged: 5 },
  groups: { created: 0, updated: 0, unchanged: 2 },
};
