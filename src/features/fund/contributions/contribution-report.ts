/** Import problems and results as lines in the operator's language. Pure. */
import type { Translator } from '../../../i18n/translator.js';
import { formatYuan } from '../rules/money.js';
import type { ContributionImportResult } from './contribution-import.js';
import { denialMessageKey } from '../../policy/denials.js';
import { COLUMN_TITLE_KEYS, type ContributionProblem, type ContributionProblemCode } from './contribution-sheet.js';

const PROBLEM_KEYS: Record<ContributionProblemCode, string> = {
  file_type: 'fund.import.problem.file_type',
  file_unreadable: 'fund.import.problem.file_unreadable',
  csv_malformed: 'fund.import.problem.csv_malformed',
  no_header: 'fund.import.problem.no_header',
  missing_column: 'fund.import.problem.missing_column',
  duplicate_column: 'fund.import.problem.duplicate_column',
  no_rows: 'fund.import.problem.no_rows',
  missing_field: 'fund.import.problem.missing_field',
  bad_amount: 'fund.import.problem.bad_amount',
  bad_date: 'fund.import.problem.bad_date',
  unknown_household: 'fund.import.problem.unknown_household',
  outside_fund_area: 'fund.import.problem.outside_fund_area',
  duplicate_receipt: 'fund.import.problem.duplicate_receipt',
  receipt_recorded_otherwise: 'fund.import.problem.receipt_recorded_otherwise',
};

/** "第5行「金额」：…" / "Row 5, Amount: …". */
export function formatContributionProblem(translator: Translator, locale: string, problem: ContributionProblem): string {
  const t = (key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);
  const message = t(PROBLEM_KEYS[problem.code], problem.vars);
  if (problem.line === null) return message;
  if (problem.column === null) return t('fund.import.at_line', { line: problem.line, message });
  return t('fund.import.at_cell', { line: problem.line, column: t(COLUMN_TITLE_KEYS[problem.column]), message });
}

export function formatContributionImport(translator: Translator, locale: string, result: ContributionImportResult): string[] {
  const t = (key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);
  if (!result.ok && 'refused' in result) return [t(denialMessageKey(result.refused))];
  if (!result.ok) return [t('fund.import.problems', { count: result.problems.length }), ...result.problems.map((p) => formatContributionProblem(translator, locale, p))];
  return [
    ...(result.dryRun ? [t('fund.import.dry_run')] : []),
    t('fund.import.done', { rows: result.rows, added: result.added, unchanged: result.unchanged, amount: formatYuan(result.addedFen) }),
  ];
}
