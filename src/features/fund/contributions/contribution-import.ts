/**
 * Importing contributions from a file (.xlsx or .csv, as the roster: UTF-8 or GB18030, headers in
 * any locale): all or nothing. A file with any problem writes nothing and every problem comes
 * back with its line and column; a good file is written in one transaction, its receipts already
 * recorded counted as unchanged, so importing the same file twice adds nothing. Policy
 * `fund.record` (refusals audited), the import itself audited with counts only.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import { recordAudit } from '../../audit/record-audit.js';
import { CsvSyntaxError, decodeCsvBytes, parseCsvText } from '../../community/roster/roster-csv.js';
import type { GridLine } from '../../community/roster/roster-grid.js';
import { readXlsxLines } from '../../community/roster/roster-xlsx.js';
import type { Actor } from '../../policy/actor.js';
import { checkFundAction, type Refused } from '../ledger/fund-check.js';
import { fundAreaIds, type FundRecord } from '../ledger/fund-lookup.js';
import { planContributions, type KnownHousehold, type StoredReceipt } from './contribution-plan.js';
import { contributionHeaders, contributionProblem, readContributionSheet, sortProblems, type ContributionProblem, type ContributionRow } from './contribution-sheet.js';

/** read the file → check the rows → check against the roster and the ledger → write. */
export const IMPORT_PHASES = ['read', 'check', 'load', 'write'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];
export type ImportProgressListener = (progress: { phase: ImportPhase; done: number; total: number }) => void;

/** Rows per statement while writing, and how often progress is reported. */
const WRITE_CHUNK = 500;
const TRANSACTION_TIMEOUT_MS = 120_000;

export type ContributionImportResult =
  | { ok: false; problems: ContributionProblem[]; rows: number }
  | { ok: true; dryRun: boolean; rows: number; added: number; unchanged: number; addedFen: number }
  | ({ ok: false; problems?: undefined } & Refused);

export interface ContributionImportOptions {
  prisma: PrismaClient;
  fund: FundRecord;
  actor: Actor;
  file: string;
  translator: Translator;
  timezone: string;
  dryRun?: boolean;
  onProgress?: ImportProgressListener;
  now: Date;
}

/** `.csv` or `.xlsx` (any case), else undefined. */
export function contributionFileKind(file: string): 'csv' | 'xlsx' | undefined {
  const extension = extname(file).toLowerCase();
  return extension === '.csv' ? 'csv' : extension === '.xlsx' ? 'xlsx' : undefined;
}

export async function importContributions(options: ContributionImportOptions): Promise<ContributionImportResult> {
  const { prisma, fund, onProgress } = options;
  onProgress?.({ phase: 'read', done: 0, total: 1 });
  const lines = await readLines(options.file);
  onProgress?.({ phase: 'read', done: 1, total: 1 });
  if (!Array.isArray(lines)) return { ok: false, problems: [lines], rows: 0 };

  onProgress?.({ phase: 'check', done: 0, total: lines.length });
  const sheet = readContributionSheet(lines, contributionHeaders(options.translator), options.timezone);
  onProgress?.({ phase: 'check', done: lines.length, total: lines.length });
  // The file itself unreadable as a sheet: nothing to check further.
  if (sheet.rows.length === 0) return { ok: false, problems: sheet.problems, rows: lines.length };
  const rows = sheet.rows;

  return prisma.$transaction(
    async (tx): Promise<ContributionImportResult> => {
      const refused = await checkFundAction(tx, fund, options.actor, 'fund.record', 'fund.contributions_imported', options.now);
      if (refused) return { ok: false, ...refused };
      // One import per fund at a time: a second waits, then finds the first one's receipts.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`fund-import:${fund.id}`}))`;
      onProgress?.({ phase: 'load', done: 0, total: 1 });
      const plan = planContributions(rows, await knownHouseholds(tx, fund, rows), await storedReceipts(tx, fund.id, rows));
      onProgress?.({ phase: 'load', done: 1, total: 1 });
      // Every problem at once: the lines' own and those the roster and the ledger find.
      const problems = sortProblems([...sheet.problems, ...(plan.ok ? [] : plan.problems)]);
      if (!plan.ok || problems.length > 0) return { ok: false, problems, rows: rows.length + countBad(sheet.problems) };
      const addedFen = plan.toAdd.reduce((sum, row) => sum + row.amountFen, 0);
      const result = { ok: true as const, dryRun: options.dryRun ?? false, rows: rows.length, added: plan.toAdd.length, unchanged: plan.unchanged, addedFen };
      if (options.dryRun) return result;

      onProgress?.({ phase: 'write', done: 0, total: plan.toAdd.length });
      for (let start = 0; start < plan.toAdd.length; start += WRITE_CHUNK) {
        const chunk = plan.toAdd.slice(start, start + WRITE_CHUNK);
        await tx.fundContribution.createMany({
          data: chunk.map((row) => ({
            fundId: fund.id,
            householdId: row.householdId,
            amountFen: row.amountFen,
            paidOn: row.paidOn,
            receipt: row.receipt,
            note: row.note,
            source: 'import',
          })),
        });
        onProgress?.({ phase: 'write', done: start + chunk.length, total: plan.toAdd.length });
      }
      await recordAudit(tx, {
        communityId: fund.communityId,
        actor: options.actor,
        action: 'fund.contributions_imported',
        subjectType: 'property_fund',
        subjectId: fund.id,
        // Counts only.
        details: { rows: rows.length, added: plan.toAdd.length, unchanged: plan.unchanged, addedFen },
      });
      return result;
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
  );
}

/** Lines with a problem of their own (they are not among the good rows). */
function countBad(problems: readonly ContributionProblem[]): number {
  return new Set(problems.map((p) => p.line)).size;
}

/** The file's lines, or the one problem that stops it being read. */
async function readLines(file: string): Promise<GridLine[] | ContributionProblem> {
  const kind = contributionFileKind(file);
  if (!kind) return contributionProblem(null, null, 'file_type', { extension: extname(file) || file });
  try {
    return kind === 'xlsx' ? await readXlsxLines(file) : parseCsvText(decodeCsvBytes(await readFile(file)).text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return contributionProblem(error.line, null, 'csv_malformed', { reason: error.reason });
    const code = (error as { code?: unknown }).code;
    return contributionProblem(null, null, 'file_unreadable', { reason: typeof code === 'string' ? code : 'unreadable' });
  }
}

async function knownHouseholds(tx: Tx, fund: FundRecord, rows: readonly ContributionRow[]): Promise<Map<string, KnownHousehold>> {
  const areaIds = new Set(await fundAreaIds(tx, fund));
  const codes = [...new Set(rows.map((row) => row.householdCode))];
  const households = await tx.household.findMany({ where: { communityId: fund.communityId, code: { in: codes } }, select: { id: true, code: true, areaId: true } });
  return new Map(households.map((h) => [h.code, { id: h.id, inFundArea: areaIds.has(h.areaId) }]));
}

async function storedReceipts(tx: Tx, fundId: string, rows: readonly ContributionRow[]): Promise<Map<string, StoredReceipt>> {
  const receipts = rows.map((row) => row.receipt).filter((receipt): receipt is string => receipt !== null);
  if (receipts.length === 0) return new Map();
  const stored = await tx.fundContribution.findMany({ where: { fundId, receipt: { in: receipts } }, select: { receipt: true, householdId: true, amountFen: true, paidOn: true } });
  return new Map(stored.map((s) => [s.receipt!, { householdId: s.householdId, amountFen: s.amountFen, paidOn: s.paidOn }]));
}
