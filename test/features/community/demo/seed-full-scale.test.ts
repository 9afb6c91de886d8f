/**
 * The demo community at the seed community's real scale, once (it takes a while on PGlite):
 * 3,076 households, 8,689 residents, about 308 groups each with exactly one head, 20 staff and a
 * 12-person service team; then the round trip the issue asks for — export, import into a fresh
 * database, export again: the same bytes; re-import into the seeded database: all unchanged.
 * Prints how long each step took.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOUSEHOLDS, DEMO_RESIDENTS } from '../../../../src/features/community/demo/demo-community.js';
import { seedDemoCommunity, type SeedDemoResult } from '../../../../src/features/community/demo/seed-demo.js';
import { exportRoster, importRoster } from '../../../../src/features/community/roster/index.js';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import { seedCommunity } from '../../../support/community.js';

const SLOW = 600_000;
const operator = { kind: 'operator' } as const;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

describe('the demo community at full scale', () => {
  let db: TestDatabase;
  let fresh: TestDatabase;
  let dir: string;
  let communityId: string;
  let seeded: SeedDemoResult;

  beforeAll(async () => {
    [db, fresh] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    dir = await mkdtemp(join(tmpdir(), 'linli-demo-full-'));
    communityId = (await seedCommunity(db.prisma, { name: '团结路社区' })).id;
    seeded = await timed(`seed ${DEMO_HOUSEHOLDS} households on ${db.target}`, () =>
      seedDemoCommunity({ prisma: db.prisma, communityId, timeZone: 'Asia/Shanghai', actor: operator }),
    );
  }, SLOW);
  afterAll(async () => {
    await Promise.all([db?.close(), fresh?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('has the seed community’s households, residents, groups with one head each, staff and service team', async () => {
    expect(seeded.ok).toBe(true);
    if (!seeded.ok) return;
    expect(seeded.totals).toEqual({
      households: 3076,
      residents: 8689,
      groups: 308,
      groupsWithHead: 308,
      staff: 20,
      serviceTeam: 12,
    });
    expect(DEMO_HOUSEHOLDS).toBe(3076);
    expect(DEMO_RESIDENTS).toBe(8689);

    // Exactly one head per group, living in one of the group's households.
    const groups = await db.prisma.householdGroup.findMany({
      where: { communityId },
      select: { id: true, headId: true, head: { select: { household: { select: { groupId: true } } } }, _count: { select: { households: true } } },
    });
    expect(new Set(groups.map((g) => g.headId)).size).toBe(308);
    for (const group of groups) {
      expect(group.head?.household?.groupId).toBe(group.id);
      expect(group._count.households).toBeGreaterThanOrEqual(8);
      expect(group._count.households).toBeLessThanOrEqual(12);
    }
    expect(await db.prisma.household.count({ where: { communityId, groupId: null } })).toBe(0);

    // Many elderly households (docs/domain.md), and every kind of priority flag present.
    const elderly = await db.prisma.household.count({ where: { communityId, flags: { has: 'elderly' } } });
    expect(elderly / 3076).toBeGreaterThan(0.25);
    for (const flag of ['disabled', 'ill', 'low_income', 'veteran_family']) {
      expect(await db.prisma.household.count({ where: { communityId, flags: { has: flag } } })).toBeGreaterThan(0);
    }
    // One steward per group of lanes or buildings, covering every lane and building.
    const stewards = await db.prisma.roleAssignment.findMany({ where: { communityId, role: 'steward' }, select: { residentId: true, area: { select: { depth: true } } } });
    expect(new Set(stewards.map((s) => s.residentId)).size).toBe(8);
    expect(stewards.length).toBe(await db.prisma.area.count({ where: { communityId, depth: 2 } }));
  });

  it('round-trips: export, import into a fresh database, export again gives the same bytes; re-import here is all unchanged', async () => {
    const exported = join(dir, 'seeded.csv');
    const again = join(dir, 'fresh.csv');
    const written = await timed('export', () => exportRoster({ prisma: db.prisma, communityId, file: exported, locale: 'zh-CN' }));
    expect(written).toEqual({ households: 3076, residents: 8689 });

    const freshCommunity = (await seedCommunity(fresh.prisma)).id;
    const imported = await timed('import into a fresh database', () => importRoster({ prisma: fresh.prisma, communityId: freshCommunity, file: exported }));
    expect(imported.ok && imported.counts.residents.created).toBe(8689);
    await exportRoster({ prisma: fresh.prisma, communityId: freshCommunity, file: again, locale: 'zh-CN' });
    const [a, b] = await Promise.all([readFile(exported), readFile(again)]);
    expect(b.length).toBe(a.length);
    expect(b.equals(a)).toBe(true);

    const reimported = await timed('re-import into the seeded database', () => importRoster({ prisma: db.prisma, communityId, file: exported }));
    expect(reimported.ok).toBe(true);
    if (reimported.ok) {
      expect(reimported.counts).toEqual({
        households: { created: 0, updated: 0, unchanged: 3076 },
        residents: { created: 0, updated: 0, unchanged: 8689 },
        areas: { created: 0, updated: 0, unchanged: reimported.counts.areas.unchanged },
        groups: { created: 0, updated: 0, unchanged: 308 },
      });
      expect(reimported.notInFile).toEqual([]);
    }
  }, SLOW);

  it('changes nothing when seeded again', async () => {
    const again = await timed('seed again', () => seedDemoCommunity({ prisma: db.prisma, communityId, timeZone: 'Asia/Shanghai', actor: operator }));
    expect(again.ok).toBe(true);
    if (!again.ok || !seeded.ok) return;
    expect(again.roster.counts.households).toEqual({ created: 0, updated: 0, unchanged: 3076 });
    expect(again.roster.counts.residents).toEqual({ created: 0, updated: 0, unchanged: 8689 });
    expect(again.staff).toEqual({ created: 0, updated: 0, unchanged: seeded.staff.created });
    expect(again.totals).toEqual(seeded.totals);
  }, SLOW);
});
