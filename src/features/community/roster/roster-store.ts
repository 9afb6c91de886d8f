/**
 * Writes a roster plan inside the caller's transaction: a few set-based statements per kind
 * (`unnest` over one array per column), never one statement per row — 8,689 residents are five
 * statements, not 8,689 round trips. Row ids are the plan's; timestamps are this write's.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { AreaWrite, HouseholdWrite, ResidentWrite, RosterPlan } from './roster-plan.js';

/** Rows per statement: small enough to report progress, large enough to stay fast. */
const CHUNK_ROWS = 2_000;

/** How many rows the plan writes (the progress total). */
export function planWriteCount(plan: RosterPlan): number {
  return (
    plan.areas.create.length +
    plan.areas.update.length +
    plan.groups.create.length +
    plan.households.create.length +
    plan.households.update.length +
    plan.residents.create.length +
    plan.residents.update.length +
    plan.groups.heads.length
  );
}

/** Applies the plan; `onWritten(n)` after every statement with the rows it wrote. */
export async function writeRosterPlan(tx: Tx, communityId: string, plan: RosterPlan, onWritten: (rows: number) => void): Promise<void> {
  const now = new Date();
  const run = async <T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>) => {
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const chunk = rows.slice(start, start + CHUNK_ROWS);
      await write(chunk);
      onWritten(chunk.length);
      // Let timers run between statements (in-process PGlite otherwise resolves on microtasks only).
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  // Parents first: the plan lists areas by depth, and chunks keep that order.
  await run(plan.areas.create, (rows) => insertAreas(tx, communityId, rows, now));
  await run(plan.areas.update, (rows) => updateAreas(tx, rows));
  await run(plan.groups.create, (rows) => insertGroups(tx, communityId, rows, now));
  await run(plan.households.create, (rows) => insertHouseholds(tx, communityId, rows, now));
  await run(plan.households.update, (rows) => updateHouseholds(tx, rows, now));
  await run(plan.residents.create, (rows) => insertResidents(tx, communityId, rows, now));
  await run(plan.residents.update, (rows) => updateResidents(tx, rows, now));
  // A resident heads one group at most (unique headId): clear every changing group first, so a
  // head moving from one group to another never collides with itself.
  if (plan.groups.heads.length > 0) {
    const ids = plan.groups.heads.map((g) => g.id);
    await tx.$executeRaw`UPDATE "HouseholdGroup" SET "headId" = NULL WHERE id = ANY(${ids}::text[])`;
    await run(
      plan.groups.heads.filter((g) => g.headId !== null),
      (rows) => tx.$executeRaw`
        UPDATE "HouseholdGroup" AS g SET "headId" = v.head
        FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.headId)}::text[]) AS v(id, head)
        WHERE g.id = v.id`,
    );
    onWritten(plan.groups.heads.filter((g) => g.headId === null).length);
  }
}

function insertAreas(tx: Tx, communityId: string, rows: AreaWrite[], now: Date) {
  return tx.$executeRaw`
    INSERT INTO "Area" (id, "communityId", "parentId", name, path, depth, "createdAt")
    SELECT v.id, ${communityId}, v.parent, v.name, v.path, v.depth, ${now}::timestamp(3)
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.parentId)}::text[], ${rows.map((r) => r.name)}::text[],
                ${rows.map((r) => r.path)}::text[], ${rows.map((r) => r.depth)}::int[]) AS v(id, parent, name, path, depth)`;
}

function updateAreas(tx: Tx, rows: AreaWrite[]) {
  return tx.$executeRaw`
    UPDATE "Area" AS a SET "parentId" = v.parent, name = v.name, depth = v.depth
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.parentId)}::text[], ${rows.map((r) => r.name)}::text[],
                ${rows.map((r) => r.depth)}::int[]) AS v(id, parent, name, depth)
    WHERE a.id = v.id`;
}

function insertGroups(tx: Tx, communityId: string, rows: { id: string; code: string }[], now: Date) {
  return tx.$executeRaw`
    INSERT INTO "HouseholdGroup" (id, "communityId", code, "createdAt")
    SELECT v.id, ${communityId}, v.code, ${now}::timestamp(3)
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.code)}::text[]) AS v(id, code)`;
}

// Flags travel as one comma-joined text per household: `unnest` flattens an array of arrays.
// Flag words never contain a comma.
const joinFlags = (rows: HouseholdWrite[]) => rows.map((r) => r.flags.join(','));

function insertHouseholds(tx: Tx, communityId: string, rows: HouseholdWrite[], now: Date) {
  return tx.$executeRaw`
    INSERT INTO "Household" (id, "communityId", code, address, "areaId", flags, "groupId", "createdAt", "updatedAt")
    SELECT v.id, ${communityId}, v.code, v.address, v.area, string_to_array(v.flags, ','), v.grp, ${now}::timestamp(3), ${now}::timestamp(3)
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.address)}::text[],
                ${rows.map((r) => r.areaId)}::text[], ${joinFlags(rows)}::text[], ${rows.map((r) => r.groupId)}::text[])
         AS v(id, code, address, area, flags, grp)`;
}

function updateHouseholds(tx: Tx, rows: HouseholdWrite[], now: Date) {
  return tx.$executeRaw`
    UPDATE "Household" AS h
    SET address = v.address, "areaId" = v.area, flags = string_to_array(v.flags, ','), "groupId" = v.grp, "updatedAt" = ${now}::timestamp(3)
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.address)}::text[], ${rows.map((r) => r.areaId)}::text[],
                ${joinFlags(rows)}::text[], ${rows.map((r) => r.groupId)}::text[]) AS v(id, address, area, flags, grp)
    WHERE h.id = v.id`;
}

function insertResidents(tx: Tx, communityId: string, rows: ResidentWrite[], now: Date) {
  return tx.$executeRaw`
    INSERT INTO "Resident" (id, "communityId", "householdId", name, phone, "birthYear", locale, position, "createdAt", "updatedAt")
    SELECT v.id, ${communityId}, v.household, v.name, v.phone, v.birth, v.locale, v.position, ${now}::timestamp(3), ${now}::timestamp(3)
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.householdId)}::text[], ${rows.map((r) => r.name)}::text[],
                ${rows.map((r) => r.phone)}::text[], ${rows.map((r) => r.birthYear)}::int[], ${rows.map((r) => r.locale)}::text[],
                ${rows.map((r) => r.position)}::int[]) AS v(id, household, name, phone, birth, locale, position)`;
}

function updateResidents(tx: Tx, rows: ResidentWrite[], now: Date) {
  return tx.$executeRaw`
    UPDATE "Resident" AS r
    SET phone = v.phone, "birthYear" = v.birth, locale = v.locale, position = v.position, "updatedAt" = ${now}::timestamp(3)
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.phone)}::text[], ${rows.map((r) => r.birthYear)}::int[],
                ${rows.map((r) => r.locale)}::text[], ${rows.map((r) => r.position)}::int[]) AS v(id, phone, birth, locale, position)
    WHERE r.id = v.id`;
}
