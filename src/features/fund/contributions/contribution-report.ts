/** Import problems and results as lines in the operator's language. Pure. */
import type { Translator } from '../../../i18n/translator.js';
import { formatYuan } from '../rules/money.js';
import type { ContributionImportResult } from './contribution-import.js';
import { denialMessageKey } from '../../policy/denials.js';
import { COLUMN_TITLE_KEYS, type ContributionProblem, type ContributionProblemCode } from './contribution-sheet.js';

const PROBLEM_KEYS: Record<ContributionProblemCode, string> = {
  file_type: 'property_fund.import.problem.file_type',
  file_unreadable: 'property_fund.import.problem.file_unreadable',
  csv_malformed: 'property_fund.import.problem.csv_malformed',
  no_header: 'property_fund.import.problem.no_header',
  missing_column: 'property_fund.import.problem.missing_column',
  duplicate_column: 'property_fund.import.problem.duplicate_column',
  no_rows: 'property_fund.import.problem.no_rows',
  missing_field: 'property_fund.import.problem.missing_field',
  bad_amount: 'property_fund.import.problem.bad_amount',
  bad_date: 'property_fund.import.problem.bad_date',
  unknown_household: 'property_fund.import.problem.unknown_household',
  outside_fund_area: 'property_fund.import.problem.outside_fund_area',
  duplicate_receipt: 'property_fund.import.problem.duplicate_receipt',
  receipt_recorded_otherwise: 'property_fund.import.problem.receipt_recorded_otherwise',
};

/** "第5行「金额」：…" / "Row 5, Amount: …". */
export function formatContributionProblem(translator: Translator, locale: string, problem: ContributionProblem): string {
  const t = (key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);
  const message = t(PROBLEM_KEYS[problem.code], problem.vars);
  if (problem.line === null) return message;
  if (problem.column === null) return t('property_fund.import.at_line', { line: problem.line, message });
  return t('property_fund.import.at_cell', { line: problem.line, column: t(COLUMN_TITLE_KEYS[problem.column]), message });
}

export function formatContributionImport(translator: Translator, locale: string, result: ContributionImportResult): string[] {
  const t = (key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);
  if (!result.ok && 'refused' in result) return [t(denialMessageKey(result.refused))];
  if (!result.ok) return [t('property_fund.import.problems', { count: result.problems.length }), ...result.problems.map((p) => formatContributionProblem(translator, locale, p))];
  return [
    ...(result.dryRun ? [t('property_fund.import.dry_run')] : []),
    t('property_fund.import.done', { rows: result.rows, added: result.added, unchanged: result.unchanged, amount: formatYuan(result.addedFen) }),
  ];
}
