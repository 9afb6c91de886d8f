/**
 * `linli demo seed`'s service in a real database, at a small scale (the seed community's scale
 * is in seed-full-scale.test.ts): it goes in through the roster's apply and the staff service,
 * seeding again changes nothing, a real roster is never mixed with the demo, and export →
 * import into a fresh database → export gives the same file byte for byte.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoResidentsFor } from '../../../../src/features/community/demo/demo-community.js';
import { seedDemoCommunity, type SeedDemoResult } from '../../../../src/features/community/demo/seed-demo.js';
import { exportRoster, importRoster } from '../../../../src/features/community/roster/index.js';
import type { Actor } from '../../../../src/features/policy/actor.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { seedCommunity } from '../../../support/community.js';

const OPERATOR: Actor = { kind: 'operator' };
const HOUSEHOLDS = 120;
const RESIDENTS = demoResidentsFor(HOUSEHOLDS);

function seeded(result: SeedDemoResult) {
  if (!result.ok) throw new Error(`seed refused: ${result.reason}`);
  return result;
}

describe.each(databaseTargets())('demo seed on %s', (target) => {
  let db: TestDatabase;
  let fresh: TestDatabase;
  let dir: string;
  let communityId: string;
  let first: ReturnType<typeof seeded>;

  beforeAll(async () => {
    [db, fresh] = await Promise.all([createTestDatabase(target), createTestDatabase(target)]);
    dir = await mkdtemp(join(tmpdir(), 'linli-demo-'));
    communityId = (await seedCommunity(db.prisma)).id;
    first = seeded(await seedDemoCommunity({ prisma: db.prisma, communityId, timeZone: 'Asia/Shanghai', actor: OPERATOR, households: HOUSEHOLDS, seed: 3 }));
  });
  afterAll(async () => {
    await Promise.all([db?.close(), fresh?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the households, residents, groups and staff through the roster and the staff service', async () => {
    expect(first.roster.counts.households).toEqual({ created: HOUSEHOLDS, updated: 0, unchanged: 0 });
    expect(first.roster.counts.residents.created).toBe(first.totals.residents);
    expect(first.totals).toMatchObject({ households: HOUSEHOLDS, residents: RESIDENTS, groupsWithHead: first.totals.groups, serviceTeam: 12 });
    expect(first.staff.created).toBeGreaterThan(20);
    // The import path was taken: the roster's audit row, and one per role from the staff service.
    expect(await db.prisma.auditLog.count({ where: { communityId, action: 'household.import', via: 'cli' } })).toBe(1);
    expect(await db.prisma.auditLog.count({ where: { communityId, action: 'staff.manage' } })).toBe(first.staff.created);
    // Every head lives in a household of the group they head.
    const groups = await db.prisma.householdGroup.findMany({
      where: { communityId },
      select: { id: true, head: { select: { household: { select: { groupId: true } } } } },
    });
    for (const group of groups) expect(group.head?.household?.groupId).toBe(group.id);
  });

  it('changes nothing when seeded again with the same seed', async () => {
    const again = seeded(
      await seedDemoCommunity({ prisma: db.prisma, communityId, timeZone: 'Asia/Shanghai', actor: OPERATOR, households: HOUSEHOLDS, seed: 3 }),
    );
    for (const counts of Object.values(again.roster.counts)) expect(counts.created + counts.updated).toBe(0);
    expect(again.roster.notInFile).toEqual([]);
    expect(again.staff).toEqual({ created: 0, updated: 0, unchanged: first.staff.created });
    expect(again.totals).toEqual(first.totals);
  });

  it('refuses a community whose roster has households of its own, writing nothing', async () => {
    const other = (await seedCommunity(db.prisma)).id;
    const area = await db.prisma.area.create({ data: { communityId: other, name: '东区', path: '东区', depth: 1 } });
    await db.prisma.household.create({ data: { communityId: other, code: '东-001', address: '东区1号', areaId: area.id } });
    const result = await seedDemoCommunity({ prisma: db.prisma, communityId: other, timeZone: 'Asia/Shanghai', actor: OPERATOR, households: 10 });
    expect(result).toEqual({ ok: false, reason: 'foreign_roster', foreignHouseholds: 1 });
    expect(await db.prisma.household.count({ where: { communityId: other } })).toBe(1);
    expect(await db.prisma.roleAssignment.count({ where: { communityId: other } })).toBe(0);
  });

  it.each(['zh-CN', 'en'])('round-trips through an export in %s: the same file from a fresh database, and all unchanged here', async (locale) => {
    const exported = join(dir, `seeded-${locale}.csv`);
    const exportedAgain = join(dir, `fresh-${locale}.csv`);
    expect(await exportRoster({ prisma: db.prisma, communityId, file: exported, locale })).toEqual({ households: HOUSEHOLDS, residents: RESIDENTS });

    const freshCommunity = (await seedCommunity(fresh.prisma)).id;
    const imported = await importRoster({ prisma: fresh.prisma, communityId: freshCommunity, file: exported });
    expect(imported.ok && imported.counts.households).toEqual({ created: HOUSEHOLDS, updated: 0, unchanged: 0 });
    await exportRoster({ prisma: fresh.prisma, communityId: freshCommunity, file: exportedAgain, locale });
    const [a, b] = await Promise.all([readFile(exported), readFile(exportedAgain)]);
    expect(b.equals(a)).toBe(true);

    const reimported = await importRoster({ prisma: db.prisma, communityId, file: exported });
    expect(reimported.ok).toBe(true);
    if (reimported.ok) {
      for (const counts of Object.values(reimported.counts)) expect(counts.created + counts.updated).toBe(0);
      expect(reimported.counts.residents.unchanged).toBe(RESIDENTS);
      expect(reimported.notInFile).toEqual([]);
    }
  });
});
