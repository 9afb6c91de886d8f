/**
 * The area tree as subjects need it: an area and its ancestors (a steward of a lane covers every
 * courtyard below it), the subtree below areas (to turn a steward's areas into a query filter),
 * and the common ancestry of several areas (the area that holds a whole household group).
 */
import type { Tx } from '../../db/prisma-types.js';

/** Deeper than any real tree (zone → lane → courtyard): stops a corrupted, cyclic tree. */
const MAX_DEPTH = 32;

/** `[areaId, parent, grandparent, …, zone]`, nearest first; `[]` when the area does not exist. One query. */
export async function areaAncestry(db: Tx, areaId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE up (id, parent_id, level) AS (
      SELECT id, "parentId", 0 FROM "Area" WHERE id = ${areaId}
      UNION ALL
      SELECT a.id, a."parentId", up.level + 1 FROM "Area" a JOIN up ON a.id = up.parent_id
      WHERE up.level < ${MAX_DEPTH}
    )
    SELECT id FROM up ORDER BY level`;
  return rows.map((row) => row.id);
}

/** The given areas and every area below them (deduplicated, in no particular order). One query. */
export async function areaSubtree(db: Tx, areaIds: readonly string[]): Promise<string[]> {
  if (areaIds.length === 0) return [];
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE down (id, level) AS (
      SELECT id, 0 FROM "Area" WHERE id = ANY(${[...areaIds]}::text[])
      UNION ALL
      SELECT a.id, down.level + 1 FROM "Area" a JOIN down ON a."parentId" = down.id
      WHERE down.level < ${MAX_DEPTH}
    )
    SELECT DISTINCT id FROM down`;
  return rows.map((row) => row.id);
}

/**
 * The ancestry shared by every one of several ancestries (each nearest first), nearest first:
 * the area holding all of them and its ancestors. `[]` when they share none or there are none.
 */
export function commonAncestry(ancestries: readonly (readonly string[])[]): string[] {
  const [first, ...rest] = ancestries;
  if (!first) return [];
  return first.filter((areaId) => rest.every((other) => other.includes(areaId)));
}

export interface AreaAncestryCache {
  /** Like `areaAncestry`, answered from memory for `ttlMs` after the first look-up. */
  get(db: Tx, areaId: string): Promise<string[]>;
  /** Forgets everything (after areas were moved or imported). */
  clear(): void;
}

/**
 * A small cache for `areaAncestry`: the tree changes only when an admin sets areas up, so a
 * minute's staleness is harmless and an inbox listing many tickets asks the database once per area.
 */
export function createAreaAncestryCache(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): AreaAncestryCache {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 5_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { ancestry: string[]; until: number }>();
  return {
    async get(db, areaId) {
      const cached = entries.get(areaId);
      if (cached && cached.until > now()) return cached.ancestry;
      const ancestry = await areaAncestry(db, areaId);
      if (entries.size >= maxEntries) entries.clear();
      entries.set(areaId, { ancestry, until: now() + ttlMs });
      return ancestry;
    },
    clear() {
      entries.clear();
    },
  };
}
