/**
 * The synthetic demo community, without a database: the seed's scale, deterministic output,
 * neighbourly groups with one head each, realistic flags, staff that pass the staff rules, and
 * rows the roster accepts as they are.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEMO_HOUSEHOLDS,
  DEMO_RESIDENTS,
  demoResidentsFor,
  demoRosterRows,
  generateDemoCommunity,
} from '../../../../src/features/community/demo/demo-community.js';
import { DEMO_REFERENCE_YEAR } from '../../../../src/features/community/demo/demo-households.js';
import { evenRuns } from '../../../../src/features/community/demo/demo-layout.js';
import { seededRandom } from '../../../../src/features/community/demo/prng.js';
import { parsePhone } from '../../../../src/features/community/roster/roster-cells.js';
import { rosterVocabulary } from '../../../../src/features/community/roster/roster-vocabulary.js';
import { validateRoster } from '../../../../src/features/community/roster/roster-validate.js';
import { planStaff } from '../../../../src/features/community/staff-rules.js';
import { SKILLS } from '../../../../src/features/community/vocabulary.js';
import { loadTranslator } from '../../../../src/i18n/translator.js';

const translator = loadTranslator(new URL('../../../../locales', import.meta.url).pathname);
const full = generateDemoCommunity();
const members = full.households.flatMap((h) => h.members);
const fingerprint = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('seeded random numbers', () => {
  it('repeat for the same seed and stay within bounds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const drawsA = Array.from({ length: 1000 }, () => a.int(3, 5));
    expect(Array.from({ length: 1000 }, () => b.int(3, 5))).toEqual(drawsA);
    expect(new Set(drawsA)).toEqual(new Set([3, 4, 5]));
    expect(seededRandom(43).next()).not.toBe(seededRandom(42).next());
  });

  it('evenRuns splits neighbours into runs differing by at most one', () => {
    expect(evenRuns([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5], [6, 7]]);
  });
});

describe('at the seed community scale', () => {
  it('has 3,076 households and 8,689 residents', () => {
    expect(full.households).toHaveLength(DEMO_HOUSEHOLDS);
    expect(members).toHaveLength(DEMO_RESIDENTS);
    expect(demoResidentsFor(DEMO_HOUSEHOLDS)).toBe(8689);
  });

  it('is the same for the same seed, and another for another seed', () => {
    expect(fingerprint(generateDemoCommunity({ seed: 1 }))).toBe(fingerprint(full));
    expect(fingerprint(generateDemoCommunity({ seed: 2 }))).not.toBe(fingerprint(full));
  });

  it('has two zones: mostly bungalow lanes with courtyards, and apartment buildings with entrances', () => {
    const zones = new Map<string, number>();
    for (const h of full.households) zones.set(h.dwelling.zone, (zones.get(h.dwelling.zone) ?? 0) + 1);
    expect([...zones.keys()]).toEqual(['平房区', '楼寓']);
    expect(zones.get('平房区')! / DEMO_HOUSEHOLDS).toBeGreaterThan(0.6);
    for (const h of full.households) {
      expect(h.dwelling.areaPath).toMatch(/^(平房区\/\S+巷\/\d+号院|楼寓\/\d+号楼\/\d单元)$/);
    }
    expect(new Set(full.households.map((h) => h.dwelling.address)).size).toBe(DEMO_HOUSEHOLDS);
  });

  it('has about 308 groups of neighbours, each of 8–12 households in one lane or building, each with exactly one head', () => {
    const groups = new Map<string, typeof full.households>();
    for (const h of full.households) groups.set(h.groupCode, [...(groups.get(h.groupCode) ?? []), h]);
    expect(groups.size).toBe(308);
    for (const [, households] of groups) {
      expect(households.length).toBeGreaterThanOrEqual(8);
      expect(households.length).toBeLessThanOrEqual(12);
      expect(new Set(households.map((h) => `${h.dwelling.zone}/${h.dwelling.block}`)).size).toBe(1);
      const heads = households.filter((h) => h.groupHeadIndex !== null);
      expect(heads).toHaveLength(1);
      const head = heads[0]!.members[heads[0]!.groupHeadIndex!]!;
      expect(head.phone).not.toBe('');
    }
  });

  it('has many elderly households, and the other priority flags in smaller shares', () => {
    const share = (flag: string) => full.households.filter((h) => (h.flags as string[]).includes(flag)).length / DEMO_HOUSEHOLDS;
    expect(share('elderly')).toBeGreaterThan(0.25);
    expect(share('elderly')).toBeLessThan(0.5);
    expect(share('low_income')).toBeGreaterThan(0.05);
    expect(share('low_income')).toBeLessThan(0.15);
    for (const flag of ['disabled', 'ill']) {
      expect(share(flag)).toBeGreaterThan(0.01);
      expect(share(flag)).toBeLessThan(0.1);
    }
    expect(share('veteran_family')).toBeGreaterThan(0);
    expect(share('veteran_family')).toBeLessThan(0.05);
    // The elderly flag follows the members' ages.
    for (const h of full.households) {
      const oldest = Math.max(...h.members.map((m) => DEMO_REFERENCE_YEAR - m.birthYear));
      expect(h.flags.includes('elderly')).toBe(oldest >= 70);
    }
  });

  it('gives phones that are synthetic, valid and unique, and none to young children', () => {
    const phones = members.map((m) => m.phone).filter(Boolean);
    expect(phones.length / DEMO_RESIDENTS).toBeGreaterThan(0.6);
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones) {
      expect(phone).toMatch(/^13900\d{6}$/);
      expect(parsePhone(phone)).toEqual({ ok: true, value: phone });
    }
    expect(members.filter((m) => DEMO_REFERENCE_YEAR - m.birthYear < 14 && m.phone !== '')).toEqual([]);
  });

  it('names every member differently within a household', () => {
    for (const h of full.households) expect(new Set(h.members.map((m) => m.name)).size).toBe(h.members.length);
  });

  it('has 20 staff and a 12-person service team covering every skill, all acceptable to the staff rules', () => {
    const people = (roles: (r: string) => boolean) => new Set(full.staff.filter((s) => roles(s.role)).map((s) => `${s.name}|${s.phone}`));
    expect(people((r) => r !== 'service_team').size).toBe(20);
    expect(people((r) => r === 'service_team').size).toBe(12);
    expect(people((r) => r === 'committee').size).toBe(5);
    expect(people((r) => r === 'steward').size).toBe(8);
    const skills = new Set(full.staff.flatMap((s) => (s.skills ?? '').split(',').filter(Boolean)));
    expect([...skills].sort()).toEqual([...SKILLS].sort());
    // Every lane and building has exactly one steward.
    const blocks = new Set(full.households.map((h) => `${h.dwelling.zone}/${h.dwelling.block}`));
    const stewardAreas = full.staff.filter((s) => s.role === 'steward').map((s) => s.area);
    expect(stewardAreas.sort()).toEqual([...blocks].sort());
    // Nobody holds two kinds of role, and everyone is a resident with a phone.
    expect(people(() => true).size).toBe(32);
    const everyone = new Set(members.map((m) => `${m.name}|${m.phone}`));
    for (const request of full.staff) {
      expect(everyone.has(`${request.name}|${request.phone}`)).toBe(true);
      expect(planStaff(request, new Date('2026-01-01T00:00:00Z'), 'Asia/Shanghai').ok).toBe(true);
    }
  });

  it('as roster rows, is accepted by the roster rules without a single problem', () => {
    const rows = demoRosterRows(full.households, '是');
    expect(rows).toHaveLength(DEMO_RESIDENTS);
    const validation = validateRoster(rows, rosterVocabulary(translator), { currentYear: DEMO_REFERENCE_YEAR });
    expect(validation.ok ? [] : validation.problems.slice(0, 3)).toEqual([]);
    if (validation.ok) {
      expect(validation.roster.households).toHaveLength(DEMO_HOUSEHOLDS);
      expect(validation.roster.groups.size).toBe(308);
    }
  });
});

describe('at another scale', () => {
  it.each([1, 7, 50, 400])('%s households hold the scaled number of residents, every group with one head', (households) => {
    const demo = generateDemoCommunity({ households, seed: 9 });
    expect(demo.households).toHaveLength(households);
    expect(demo.households.flatMap((h) => h.members)).toHaveLength(demoResidentsFor(households));
    const groups = new Set(demo.households.map((h) => h.groupCode));
    expect(demo.households.filter((h) => h.groupHeadIndex !== null)).toHaveLength(groups.size);
    const validation = validateRoster(demoRosterRows(demo.households, '是'), rosterVocabulary(translator), { currentYear: DEMO_REFERENCE_YEAR });
    expect(validation.ok).toBe(true);
  });

  it('refuses residents that do not fit the households', () => {
    expect(() => generateDemoCommunity({ households: 10, residents: 9 })).toThrow(RangeError);
    expect(() => generateDemoCommunity({ households: 10, residents: 71 })).toThrow(RangeError);
    expect(generateDemoCommunity({ households: 10, residents: 70 }).households.every((h) => h.members.length === 7)).toBe(true);
  });
});
