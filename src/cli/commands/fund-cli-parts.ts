/**
 * What the `linli fund` commands share: typed amounts and days read or refused as usage errors,
 * the fund an `--area` option names, and a fund action's refusal or error as one line for the
 * operator; the import's progress per phase.
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import type { ImportPhase } from '../../features/fund/contributions/contribution-import.js';
import { isRefused, type Refused } from '../../features/fund/ledger/fund-check.js';
import { FundError, fundErrorKey } from '../../features/fund/ledger/fund-errors.js';
import { findFund, type FundRecord } from '../../features/fund/ledger/fund-lookup.js';
import { parseLocalDay } from '../../features/fund/rules/fund-month.js';
import { parseYuan } from '../../features/fund/rules/money.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { formatDay } from './labels.js';
import { phasedProgress } from './progress.js';

/** `--area <path>`: which fund, when the community has more than one. */
export interface AreaOption {
  area?: string;
}

export function areaOption(runtime: CliRuntime): [string, string] {
  return ['--area <area path>', runtime.t('cli.help.fund_option_area')];
}

/** Fen from typed yuan, or a usage error. */
export function amount(text: string): number {
  const fen = parseYuan(text);
  if (fen === null) throw new CliError('cli.fund.bad_amount', { value: text }, EXIT_USAGE);
  return fen;
}

/** A typed day (default: today), or a usage error. */
export function day(text: string | undefined, timezone: string, now: Date): Date {
  if (text === undefined) return parseLocalDay(formatDay(now, timezone), timezone)!;
  const parsed = parseLocalDay(text, timezone);
  if (!parsed) throw new CliError('cli.fund.bad_date', { value: text }, EXIT_USAGE);
  return parsed;
}

/** The fund the options name (or the community's only one). */
export async function theFund(prisma: PrismaClient, communityId: string, options: AreaOption): Promise<FundRecord> {
  return fundAction(() => findFund(prisma, communityId, options.area?.trim()));
}

/** Runs a fund action: its refusal and its errors become one line for the operator. */
export async function fundAction<T extends object>(run: () => Promise<T | Refused>): Promise<T> {
  let outcome: T | Refused;
  try {
    outcome = await run();
  } catch (error) {
    if (error instanceof FundError) throw new CliError(fundErrorKey(error.code), error.vars);
    throw error;
  }
  if (isRefused(outcome)) throw new CliError(denialMessageKey(outcome.refused));
  return outcome;
}

const IMPORT_PHASE_KEYS: Record<ImportPhase, string> = {
  read: 'cli.fund.progress.read',
  check: 'cli.fund.progress.check',
  load: 'cli.fund.progress.load',
  write: 'cli.fund.progress.write',
};

/** One progress display per phase of an import that has more than one step. */
export function importProgress(runtime: CliRuntime): ReturnType<typeof phasedProgress<ImportPhase>> {
  return phasedProgress(runtime, IMPORT_PHASE_KEYS);
}
