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

const REQUIRED: readonly RosterColumn[] = ['householdCode', 'areaPath', 'address', 'memberName'];

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
  flagList: HouseholdFlag[];
  members: RosterMember[];
  memberLines: Map<string, number>;
}

/** Checks every row and how the rows fit together; returns the roster only if nothing is wrong. */
export function validateRoster(rows: readonly RosterRow[], vocabulary: RosterVocabulary, options: ValidateOptions): RosterValidation {
  const problems: RosterProblem[] = [];
  const households = new Map<string, HouseholdDraft>();
  const groupFirstLine = new Map<string, number>();
  const groupHeads = new Map<string, { householdCode: string; memberName: string; line: number }>();

  if (rows.length === 0) return { ok: false, problems: [rosterProblem(null, null, 'no_rows')] };

  for (const row of rows) {
    const { line } = row;
    for (const column of REQUIRED) if (row[column] === '') problems.push(rosterProblem(line, column, 'missing_field'));

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

    const groupCode = row.groupCode;
    if (groupCode !== '' && !groupFirstLine.has(groupCode)) groupFirstLine.set(groupCode, line);
    if (head.ok && head.value) {
      if (groupCode === '') {
        problems.push(rosterProblem(line, 'groupHead', 'head_without_group'));
      } else {
        const first = groupHeads.get(groupCode);
        if (first) problems.push(rosterProblem(line, 'groupHead', 'group_two_heads', { group: groupCode, firstLine: first.line }));
        else groupHeads.set(groupCode, { householdCode: row.householdCode, memberName: row.memberName, line });
      }
    }

    if (row.householdCode === '') continue;
    let household = households.get(row.householdCode);
    if (!household) {
      household = { code: row.householdCode, line, flagList: [], members: [], memberLines: new Map() };
      households.set(row.householdCode, household);
    }

    // Household fields repeat on each member's row and must agree with the household's first
    // row that has them (a cell already reported as missing or malformed is not compared again).
    if (area.ok) {
      const canonical = area.value.join('/');
      household.areaPath ??= { value: canonical, text: row.areaPath, line };
      if (household.areaPath.value !== canonical) problems.push(mismatch(line, 'areaPath', row.areaPath, household.areaPath));
    }
    if (row.address !== '') {
      household.address ??= { value: row.address, text: row.address, line };
      if (household.address.value !== row.address) problems.push(mismatch(line, 'address', row.address, household.address));
    }
    if (flags.unknown.length === 0) {
      const key = flags.flags.join(',');
      if (!household.flags) {
        household.flags = { value: key, text: row.flags, line };
        household.flagList = flags.flags;
      } else if (household.flags.value !== key) {
        problems.push(mismatch(line, 'flags', row.flags, household.flags));
      }
    }
    household.group ??= { value: groupCode, text: groupCode, line };
    if (household.group.value !== groupCode) {
      problems.push(
        groupCode !== '' && household.group.value !== ''
          ? rosterProblem(line, 'groupCode', 'household_two_groups', {
              code: household.code,
              group: groupCode,
              firstGroup: household.group.value,
              firstLine: household.group.line,
            })
          : mismatch(line, 'groupCode', groupCode, household.group),
      );
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
      isGroupHead: head.ok && head.value && groupCode !== '',
      line,
    });
  }

  for (const [group, line] of groupFirstLine) {
    if (!groupHeads.has(group)) problems.push(rosterProblem(line, 'groupHead', 'group_no_head', { group }));
  }

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
        groupCode: h.group!.value === '' ? null : h.group!.value,
        members: h.members,
        line: h.line,
      })),
      groups: new Map([...groupHeads].map(([code, head]) => [code, { householdCode: head.householdCode, memberName: head.memberName }])),
    },
  };
}

function mismatch(line: number, column: RosterColumn, text: string, first: Seen<unknown>): RosterProblem {
  return rosterProblem(line, column, 'household_mismatch', { value: text, firstValue: first.text, firstLine: first.line });
}
