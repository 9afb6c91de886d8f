/**
 * Rows → the roster they describe (households with their members in file order, groups with
 * their heads), or every problem in them. Pure: nothing here reads the database, so the same
 * checks run for a file, for rows the demo seed generates, and in a dry run.
 */
import type { HouseholdFlag } from '../vocabulary.js';
import { parseAreaPath, parseBirthYear, parseFlags, parseLanguage, parsePhone, parseYesNo, MIN_BIRTH_YEAR } from './roster-cells.js';
import { rosterProblem, sortProblems, type RosterProblem } from './roster-problem.js';
import type { RosterColumn, RosterRow } from './roster-row.js';
import type { RosterVocabulary } from './roster-vocabulary.js';

export interface RosterMember {
  name: string;
  /** Digits only. */
  phone: string | null;
  birthYear: number | null;
  /** null = the community's default language. */
  locale: string | null;
  isGroupHead: boolean;
  line: number;
}

export interface RosterHousehold {
  code: string;
  /** Canonical area path: segments joined by "/". */
  areaPath: string;
  address: string;
  flags: HouseholdFlag[];
  groupCode: string | null;
  /** In file order: their position in the household. */
  members: RosterMember[];
  /** The household's first row. */
  line: number;
}

export interface ValidRoster {
  /** In order of first appearance. */
  households: RosterHousehold[];
  /** Each group in the file and its head (a member of one of its households). */
  groups: Map<string, { householdCode: string; memberName: string }>;
}

export type RosterValidation = { ok: true; roster: ValidRoster } | { ok: false; problems: RosterProblem[] };

export interface ValidateOptions {
  /** The latest birth year accepted (the current year). */
  currentYear: number;
}

/** Needed on every row. */
const REQUIRED: readonly RosterColumn[] = ['householdCode', 'memberName'];
/**
 * Needed once per household: offices fill a household's fields on its first row and leave them
 * blank on the other members' rows, so a blank means "as on this household's other rows".
 */
const REQUIRED_PER_HOUSEHOLD = ['areaPath', 'address'] as const satisfies readonly RosterColumn[];

/** A household field as first seen, to compare the household's later rows with. */
interface Seen<T> {
  value: T;
  text: string;
  line: number;
}

interface HouseholdDraft {
  code: string;
  line: number;
  areaPath?: Seen<string>;
  address?: Seen<string>;
  flags?: Seen<string>;
  group?: Seen<string>;
  /** A cell of the field was filled but unreadable (already reported): not "missing" as well. */
  reported: Set<RosterColumn>;
  flagList: HouseholdFlag[];
  members: RosterMember[];
  memberLines: Map<string, number>;
}

/** A row that says its member heads a group; which group is known once all rows are read. */
interface HeadClaim {
  line: number;
  householdCode: string;
  memberName: string;
  /** The row's own group cell, for a row outside any household. */
  rowGroup: string;
}

/** Checks every row and how the rows fit together; returns the roster only if nothing is wrong. */
export function validateRoster(rows: readonly RosterRow[], vocabulary: RosterVocabulary, options: ValidateOptions): RosterValidation {
  const problems: RosterProblem[] = [];
  const households = new Map<string, HouseholdDraft>();
  const headClaims: HeadClaim[] = [];

  if (rows.length === 0) return { ok: false, problems: [rosterProblem(null, null, 'no_rows')] };

  for (const row of rows) {
    const { line } = row;
    for (const column of REQUIRED) if (row[column] === '') problems.push(rosterProblem(line, column, 'missing_field'));
    // A row outside any household has no other rows to take these from.
    if (row.householdCode === '') {
      for (const column of REQUIRED_PER_HOUSEHOLD) if (row[column] === '') problems.push(rosterProblem(line, column, 'missing_field'));
    }

    const area = parseAreaPath(row.areaPath);
    if (!area.ok && row.areaPath !== '') problems.push(rosterProblem(line, 'areaPath', 'bad_area_path', { value: row.areaPath }));
    const phone = parsePhone(row.phone);
    if (!phone.ok) problems.push(rosterProblem(line, 'phone', 'bad_phone', { value: row.phone }));
    const birthYear = parseBirthYear(row.birthYear, options.currentYear);
    if (!birthYear.ok) {
      problems.push(rosterProblem(line, 'birthYear', 'bad_birth_year', { value: row.birthYear, min: MIN_BIRTH_YEAR, max: options.currentYear }));
    }
    const flags = parseFlags(row.flags, vocabulary);
    for (const value of flags.unknown) problems.push(rosterProblem(line, 'flags', 'unknown_flag', { value }));
    const head = parseYesNo(row.groupHead, vocabulary);
    if (!head.ok) problems.push(rosterProblem(line, 'groupHead', 'bad_group_head', { value: row.groupHead }));
    const locale = parseLanguage(row.language, vocabulary);
    if (!locale.ok) problems.push(rosterProblem(line, 'language', 'unknown_language', { value: row.language }));
    if (head.ok && head.value) headClaims.push({ line, householdCode: row.householdCode, memberName: row.memberName, rowGroup: row.groupCode });

    if (row.householdCode === '') continue;
    let household = households.get(row.householdCode);
    if (!household) {
      household = { code: row.householdCode, line, reported: new Set(), flagList: [], members: [], memberLines: new Map() };
      households.set(row.householdCode, household);
    }

    // A household field may be filled on any of its rows; blank cells take it from the others.
    // Only two different filled values conflict (a cell already reported as malformed is not
    // compared again).
    if (!area.ok && row.areaPath !== '') household.reported.add('areaPath');
    if (area.ok) {
      const canonical = area.value.join('/');
      household.areaPath ??= { value: canonical, text: row.areaPath, line };
      if (household.areaPath.value !== canonical) problems.push(mismatch(line, 'areaPath', row.areaPath, household.areaPath));
    }
    if (row.address !== '') {
      household.address ??= { value: row.address, text: row.address, line };
      if (household.address.value !== row.address) problems.push(mismatch(line, 'address', row.address, household.address));
    }
    if (row.flags !== '' && flags.unknown.length === 0) {
      const key = flags.flags.join(',');
      if (!household.flags) {
        household.flags = { value: key, text: row.flags, line };
        household.flagList = flags.flags;
      } else if (household.flags.value !== key) {
        problems.push(mismatch(line, 'flags', row.flags, household.flags));
      }
    }
    const groupCode = row.groupCode;
    if (groupCode !== '') {
      household.group ??= { value: groupCode, text: groupCode, line };
      if (household.group.value !== groupCode) {
        problems.push(
          rosterProblem(line, 'groupCode', 'household_two_groups', {
            code: household.code,
            group: groupCode,
            firstGroup: household.group.value,
            firstLine: household.group.line,
          }),
        );
      }
    }

    if (row.memberName === '') continue;
    const firstLine = household.memberLines.get(row.memberName);
    if (firstLine !== undefined) {
      problems.push(rosterProblem(line, 'memberName', 'duplicate_member', { name: row.memberName, firstLine }));
      continue;
    }
    household.memberLines.set(row.memberName, line);
    household.members.push({
      name: row.memberName,
      phone: phone.ok ? phone.value : null,
      birthYear: birthYear.ok ? birthYear.value : null,
      locale: locale.ok ? locale.value : null,
      isGroupHead: head.ok && head.value,
      line,
    });
  }

  for (const household of households.values()) {
    for (const column of REQUIRED_PER_HOUSEHOLD) {
      if (!household[column] && !household.reported.has(column)) problems.push(rosterProblem(household.line, column, 'missing_field'));
    }
  }
  const groups = groupsAndHeads(households, headClaims, problems);

  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return {
    ok: true,
    roster: {
      households: [...households.values()].map((h) => ({
        code: h.code,
        // Present: a household's rows without them would have been reported above.
        areaPath: h.areaPath!.value,
        address: h.address!.value,
        flags: h.flagList,
        groupCode: h.group?.value ?? null,
        members: h.members,
        line: h.line,
      })),
      groups,
    },
  };
}

/**
 * Each group with its head: a head's group is their household's (filled on any of its rows).
 * Reports a head with no group, a group with two heads and a group with none.
 */
function groupsAndHeads(
  households: ReadonlyMap<string, HouseholdDraft>,
  claims: readonly HeadClaim[],
  problems: RosterProblem[],
): Map<string, { householdCode: string; memberName: string }> {
  const firstLine = new Map<string, number>();
  for (const household of households.values()) {
    const group = household.group;
    if (group && !(firstLine.get(group.value)! <= group.line)) firstLine.set(group.value, group.line);
  }
  const heads = new Map<string, { householdCode: string; memberName: string; line: number }>();
  for (const claim of claims) {
    const household = claim.householdCode === '' ? undefined : households.get(claim.householdCode);
    const group = household ? (household.group?.value ?? '') : claim.rowGroup;
    if (group === '') {
      problems.push(rosterProblem(claim.line, 'groupHead', 'head_without_group'));
      continue;
    }
    if (!(firstLine.get(group)! <= claim.line)) firstLine.set(group, claim.line);
    const first = heads.get(group);
    if (first) problems.push(rosterProblem(claim.line, 'groupHead', 'group_two_heads', { group, firstLine: first.line }));
    else heads.set(group, { householdCode: claim.householdCode, memberName: claim.memberName, line: claim.line });
  }
  for (const [group, line] of firstLine) {
    if (!heads.has(group)) problems.push(rosterProblem(line, 'groupHead', 'group_no_head', { group }));
  }
  return new Map([...heads].map(([code, head]) => [code, { householdCode: head.householdCode, memberName: head.memberName }]));
}

function mismatch(line: number, column: RosterColumn, text: string, first: Seen<unknown>): RosterProblem {
  return rosterProblem(line, column, 'household_mismatch', { value: text, firstValue: first.text, firstLine: first.line });
}
