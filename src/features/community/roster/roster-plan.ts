/**
 * A valid roster compared with what the database holds → the rows to create and update, and the
 * counts an operator is shown. Pure: ids for new rows come from `newId`, so the whole plan —
 * group heads that are new residents included — is settled before anything is written.
 *
 * Members the database has for a household in the file, but the file no longer lists, are KEPT
 * and reported as "not in file". A real office's roster is often a partial or older copy, and a
 * resident may have linked chat accounts, roles and tickets: removing people is a decision for
 * staff, one person at a time, never a side effect of an import. They are moved after the
 * file's members (position), so the household's order still follows the file.
 */
import type { StoredArea, StoredGroup, StoredHousehold, StoredResident, StoredRoster } from './roster-state.js';
import type { ValidRoster } from './roster-validate.js';

// Type aliases, not interfaces: the counts also go into the audit log's JSON.
export type RosterCounts = {
  created: number;
  updated: number;
  unchanged: number;
};

export type RosterKindCounts = {
  households: RosterCounts;
  residents: RosterCounts;
  areas: RosterCounts;
  groups: RosterCounts;
};

/** A member of a household in the file that the database has and the file does not. */
export interface MemberNotInFile {
  householdCode: string;
  name: string;
  residentId: string;
}

export type AreaWrite = StoredArea;
export type HouseholdWrite = StoredHousehold;
export type ResidentWrite = StoredResident;

export interface RosterPlan {
  areas: { create: AreaWrite[]; update: AreaWrite[] };
  groups: {
    create: { id: string; code: string }[];
    /** Groups whose head changes (to null or to another resident): cleared first, then set. */
    heads: { id: string; headId: string | null }[];
  };
  households: { create: HouseholdWrite[]; update: HouseholdWrite[] };
  /** `update` also holds members not in the file whose position moves (not counted as updated). */
  residents: { create: ResidentWrite[]; update: ResidentWrite[] };
  counts: RosterKindCounts;
  notInFile: MemberNotInFile[];
}

const zero = (): RosterCounts => ({ created: 0, updated: 0, unchanged: 0 });

/** Compares the roster with the stored one; nothing in either is changed. */
export function planRoster(roster: ValidRoster, stored: StoredRoster, newId: () => string): RosterPlan {
  const plan: RosterPlan = {
    areas: { create: [], update: [] },
    groups: { create: [], heads: [] },
    households: { create: [], update: [] },
    residents: { create: [], update: [] },
    counts: { households: zero(), residents: zero(), areas: zero(), groups: zero() },
    notInFile: [],
  };
  const areaIds = planAreas(roster, stored.areas, newId, plan);

  const storedGroups = new Map(stored.groups.map((g) => [g.code, g]));
  const groupIds = new Map<string, string>();
  for (const code of new Set(roster.households.map((h) => h.groupCode).filter((c): c is string => c !== null))) {
    const existing = storedGroups.get(code);
    if (existing) {
      groupIds.set(code, existing.id);
    } else {
      const id = newId();
      groupIds.set(code, id);
      plan.groups.create.push({ id, code });
    }
  }

  const storedHouseholds = new Map(stored.households.map((h) => [h.code, h]));
  const storedMembers = new Map<string, StoredResident[]>();
  for (const resident of stored.residents) {
    const list = storedMembers.get(resident.householdId);
    if (list) list.push(resident);
    else storedMembers.set(resident.householdId, [resident]);
  }
  /** householdCode → member name → resident id, to find each group's head. */
  const residentIds = new Map<string, Map<string, string>>();
  /** For stored members of households in the file: the group their household is now in. */
  const newGroupOfResident = new Map<string, string | null>();

  for (const household of roster.households) {
    const existing = storedHouseholds.get(household.code);
    const write: HouseholdWrite = {
      id: existing?.id ?? newId(),
      code: household.code,
      address: household.address,
      areaId: areaIds.get(household.areaPath)!,
      flags: household.flags,
      groupId: household.groupCode === null ? null : groupIds.get(household.groupCode)!,
    };
    if (!existing) {
      plan.households.create.push(write);
      plan.counts.households.created++;
    } else if (
      existing.address !== write.address ||
      existing.areaId !== write.areaId ||
      existing.groupId !== write.groupId ||
      !sameSet(existing.flags, household.flags)
    ) {
      plan.households.update.push(write);
      plan.counts.households.updated++;
    } else {
      plan.counts.households.unchanged++;
    }

    const ids = new Map<string, string>();
    residentIds.set(household.code, ids);
    const members = existing ? (storedMembers.get(existing.id) ?? []) : [];
    const byName = new Map(members.map((m) => [m.name, m]));
    household.members.forEach((member, position) => {
      const current = byName.get(member.name);
      const next: ResidentWrite = {
        id: current?.id ?? newId(),
        householdId: write.id,
        name: member.name,
        phone: member.phone,
        birthYear: member.birthYear,
        locale: member.locale,
        position,
      };
      ids.set(member.name, next.id);
      if (!current) {
        plan.residents.create.push(next);
        plan.counts.residents.created++;
      } else if (
        current.phone !== next.phone ||
        current.birthYear !== next.birthYear ||
        current.locale !== next.locale ||
        current.position !== next.position
      ) {
        plan.residents.update.push(next);
        plan.counts.residents.updated++;
      } else {
        plan.counts.residents.unchanged++;
      }
    });

    const listed = new Set(household.members.map((m) => m.name));
    const kept = members.filter((m) => !listed.has(m.name)).sort((a, b) => a.position - b.position || compareText(a.name, b.name));
    kept.forEach((member, index) => {
      plan.notInFile.push({ householdCode: household.code, name: member.name, residentId: member.id });
      const position = household.members.length + index;
      if (member.position !== position) plan.residents.update.push({ ...member, position });
    });
    for (const member of members) newGroupOfResident.set(member.id, write.groupId);
  }

  planGroupHeads(roster, stored.groups, groupIds, residentIds, newGroupOfResident, plan);
  return plan;
}

/** Every area a household is in, with its ancestors, parents before children. */
function planAreas(roster: ValidRoster, stored: readonly StoredArea[], newId: () => string, plan: RosterPlan): Map<string, string> {
  const storedByPath = new Map(stored.map((a) => [a.path, a]));
  const needed = new Set<string>();
  for (const household of roster.households) {
    const segments = household.areaPath.split('/');
    for (let depth = 1; depth <= segments.length; depth++) needed.add(segments.slice(0, depth).join('/'));
  }
  const ids = new Map<string, string>();
  const byDepth = [...needed].sort((a, b) => a.split('/').length - b.split('/').length);
  for (const path of byDepth) {
    const segments = path.split('/');
    const parentId = segments.length > 1 ? ids.get(segments.slice(0, -1).join('/'))! : null;
    const target = { path, parentId, name: segments.at(-1)!, depth: segments.length };
    const existing = storedByPath.get(path);
    if (!existing) {
      const id = newId();
      ids.set(path, id);
      plan.areas.create.push({ id, ...target });
      plan.counts.areas.created++;
      continue;
    }
    ids.set(path, existing.id);
    if (existing.parentId !== target.parentId || existing.name !== target.name || existing.depth !== target.depth) {
      plan.areas.update.push({ id: existing.id, ...target });
      plan.counts.areas.updated++;
    } else {
      plan.counts.areas.unchanged++;
    }
  }
  return ids;
}

/**
 * Each group in the file gets the head the file names. A group the file does not mention loses
 * its head only when that person now heads a group in the file (a resident heads one group at
 * most) or their household, listed in the file, now belongs to another group.
 */
function planGroupHeads(
  roster: ValidRoster,
  storedGroups: readonly StoredGroup[],
  groupIds: ReadonlyMap<string, string>,
  residentIds: ReadonlyMap<string, ReadonlyMap<string, string>>,
  newGroupOfResident: ReadonlyMap<string, string | null>,
  plan: RosterPlan,
): void {
  const created = new Set(plan.groups.create.map((g) => g.id));
  const storedById = new Map(storedGroups.map((g) => [g.id, g]));
  const newHeads = new Set<string>();
  for (const [code, head] of roster.groups) {
    const id = groupIds.get(code)!;
    const headId = residentIds.get(head.householdCode)!.get(head.memberName)!;
    newHeads.add(headId);
    if (created.has(id)) {
      plan.groups.heads.push({ id, headId });
      plan.counts.groups.created++;
    } else if (storedById.get(id)!.headId !== headId) {
      plan.groups.heads.push({ id, headId });
      plan.counts.groups.updated++;
    } else {
      plan.counts.groups.unchanged++;
    }
  }
  for (const group of storedGroups) {
    if (roster.groups.has(group.code) || group.headId === null) continue;
    const movedGroup = newGroupOfResident.has(group.headId) && newGroupOfResident.get(group.headId) !== group.id;
    if (newHeads.has(group.headId) || movedGroup) {
      plan.groups.heads.push({ id: group.id, headId: null });
      plan.counts.groups.updated++;
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
