/**
 * Roster problems and results as text in the operator's language. Pure: the command line (or a
 * chat reply) prints what these return.
 */
import type { Translator } from '../../../i18n/translator.js';
import type { RosterCounts } from './roster-plan.js';
import type { RosterImportResult } from './roster-import.js';
import type { RosterProblem, RosterProblemCode } from './roster-problem.js';
import { ROSTER_COLUMNS } from './roster-row.js';
import { rosterWording } from './roster-vocabulary.js';

const PROBLEM_KEYS: Record<RosterProblemCode, string> = {
  file_type: 'roster.problem.file_type',
  file_unreadable: 'roster.problem.file_unreadable',
  csv_malformed: 'roster.problem.csv_malformed',
  no_header: 'roster.problem.no_header',
  missing_column: 'roster.problem.missing_column',
  duplicate_column: 'roster.problem.duplicate_column',
  no_rows: 'roster.problem.no_rows',
  missing_field: 'roster.problem.missing_field',
  unknown_flag: 'roster.problem.unknown_flag',
  bad_phone: 'roster.problem.bad_phone',
  bad_birth_year: 'roster.problem.bad_birth_year',
  unknown_language: 'roster.problem.unknown_language',
  bad_area_path: 'roster.problem.bad_area_path',
  bad_group_head: 'roster.problem.bad_group_head',
  duplicate_member: 'roster.problem.duplicate_member',
  head_without_group: 'roster.problem.head_without_group',
  household_mismatch: 'roster.problem.household_mismatch',
  household_two_groups: 'roster.problem.household_two_groups',
  group_no_head: 'roster.problem.group_no_head',
  group_two_heads: 'roster.problem.group_two_heads',
};

/** One problem as one line: "第 5 行「电话」：…" / "Row 5, Phone: …". */
export function formatRosterProblem(translator: Translator, locale: string, problem: RosterProblem): string {
  const wording = rosterWording(translator, locale);
  const list = (items: readonly string[]) => items.join(wording.listSeparator);
  // An empty cell quoted in a message would read as "" — say "(empty)" instead.
  const empty = translator.t(locale, 'roster.report.empty');
  const vars = Object.fromEntries(Object.entries(problem.vars).map(([name, value]) => [name, value === '' ? empty : value]));
  const message = translator.t(locale, PROBLEM_KEYS[problem.code], {
    ...vars,
    // What the operator may write instead, in their language.
    flags: list(Object.values(wording.flags)),
    languages: list(Object.values(wording.languages)),
    yes: wording.yes,
    no: wording.no,
    columns: list(ROSTER_COLUMNS.map((c) => wording.headers[c])),
  });
  if (problem.line === null) return message;
  if (problem.column === null) return translator.t(locale, 'roster.report.at_line', { line: problem.line, message });
  return translator.t(locale, 'roster.report.at_cell', { line: problem.line, column: wording.headers[problem.column], message });
}

/** The outcome of an import as lines: problems, or counts per kind and the members kept. */
export function formatRosterResult(translator: Translator, locale: string, result: RosterImportResult): string[] {
  const t = (key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);
  const lines: string[] = [];
  if (result.ignoredColumns.length > 0) {
    lines.push(t('roster.report.ignored_columns', { columns: result.ignoredColumns.join(rosterWording(translator, locale).listSeparator) }));
  }
  if (!result.ok) {
    lines.push(t('roster.report.problems', { count: result.problems.length }));
    for (const problem of result.problems) lines.push(formatRosterProblem(translator, locale, problem));
    return lines;
  }
  if (result.dryRun) lines.push(t('roster.report.dry_run'));
  lines.push(t('roster.report.rows', { rows: result.rows }));
  const counts = (key: string, c: RosterCounts) => t(key, { created: c.created, updated: c.updated, unchanged: c.unchanged });
  lines.push(counts('roster.report.households', result.counts.households));
  lines.push(counts('roster.report.residents', result.counts.residents));
  lines.push(counts('roster.report.areas', result.counts.areas));
  lines.push(counts('roster.report.groups', result.counts.groups));
  if (result.notInFile.length > 0) {
    lines.push(t('roster.report.not_in_file', { count: result.notInFile.length }));
    for (const member of result.notInFile) lines.push(t('roster.report.not_in_file_member', { code: member.householdCode, name: member.name }));
  }
  return lines;
}

/** The outcome of an export as one line. */
export function formatRosterExport(translator: Translator, locale: string, result: { households: number; residents: number }): string {
  return translator.t(locale, 'roster.report.exported', { households: result.households, residents: result.residents });
}
