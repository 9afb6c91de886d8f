/**
 * Roster import: a file (or rows already read) → the community's areas, households, residents
 * and household groups, all or nothing.
 *
 * A file with any problem writes nothing and returns every problem with its line and column.
 * A good file is applied in one transaction: the stored roster is loaded in four queries,
 * compared in memory (`roster-plan.ts`) and written with a few set-based statements
 * (`roster-store.ts`). Importing the same file again changes nothing. Members the database has
 * for a listed household but the file does not are kept and reported (see `roster-plan.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { assertCan } from '../../policy/policy.js';
import { rosterTranslator, vocabularyOf } from './roster-locales.js';
import { planRoster, type MemberNotInFile, type RosterKindCounts } from './roster-plan.js';
import type { RosterProblem } from './roster-problem.js';
import type { RosterProgressListener } from './roster-progress.js';
import { readRosterFile } from './roster-read.js';
import type { RosterRow } from './roster-row.js';
import { loadStoredRoster } from './roster-state.js';
import { planWriteCount, writeRosterPlan } from './roster-store.js';
import { validateRoster } from './roster-validate.js';

/** Long enough for a whole community on a slow machine; the import itself takes seconds. */
const TRANSACTION_TIMEOUT_MS = 120_000;

export type RosterImportResult = RosterImportFailure | RosterImportSuccess;

export interface RosterImportFailure {
  ok: false;
  /** Every problem, in file order. Nothing was written. */
  problems: RosterProblem[];
  /** Data rows read (0 when the file could not be read). */
  rows: number;
  /** Headers in the file that are no roster column (kept out of the import). */
  ignoredColumns: string[];
}

export interface RosterImportSuccess {
  ok: true;
  /** True when nothing was written: the counts say what an import would do. */
  dryRun: boolean;
  rows: number;
  counts: RosterKindCounts;
  /** Members of listed households that the file no longer lists: kept, for staff to review. */
  notInFile: MemberNotInFile[];
  ignoredColumns: string[];
}

/** Who asked for the import: checked by the policy (`household.import`) and audit-logged in the same transaction. */
export interface RosterAudit {
  actor: Actor;
}

export interface ApplyRosterOptions {
  prisma: PrismaClient;
  communityId: string;
  /** Rows as read from a file, or generated (the demo seed): cells as text, `line` for problems. */
  rows: readonly RosterRow[];
  /** Check and count, write nothing. */
  dryRun?: boolean;
  onProgress?: RosterProgressListener;
  /** For the accepted words (headers, flags, yes/no, languages); default: the project's locales. */
  translator?: Translator;
  /** The latest birth year accepted; default: this year. */
  currentYear?: number;
  /** When given, a successful import (not a dry run) is recorded in the audit log. */
  audit?: RosterAudit;
}

export interface ImportRosterOptions extends Omit<ApplyRosterOptions, 'rows'> {
  /** A .xlsx or .csv file (UTF-8, with or without BOM, or GB18030/GBK). */
  file: string;
}

/** Reads a roster file and applies it (see `applyRoster`). */
export async function importRoster(options: ImportRosterOptions): Promise<RosterImportResult> {
  const translator = rosterTranslator(options.translator);
  options.onProgress?.({ phase: 'read', done: 0, total: 1 });
  const reading = await readRosterFile(options.file, vocabularyOf(translator));
  options.onProgress?.({ phase: 'read', done: 1, total: 1 });
  if (!reading.ok) return { ok: false, problems: reading.problems, rows: 0, ignoredColumns: [] };
  const result = await applyRoster({ ...options, translator, rows: reading.rows });
  return { ...result, ignoredColumns: reading.ignoredColumns };
}

/** Checks the rows and, if every one is good, applies them in one transaction. */
export async function applyRoster(options: ApplyRosterOptions): Promise<RosterImportResult> {
  const { prisma, communityId, rows, onProgress } = options;
  const dryRun = options.dryRun ?? false;
  const vocabulary = vocabularyOf(rosterTranslator(options.translator));

  onProgress?.({ phase: 'check', done: 0, total: rows.length });
  const validation = validateRoster(rows, vocabulary, { currentYear: options.currentYear ?? new Date().getFullYear() });
  onProgress?.({ phase: 'check', done: rows.length, total: rows.length });
  if (!validation.ok) return { ok: false, problems: validation.problems, rows: rows.length, ignoredColumns: [] };

  if (options.audit) assertCan(options.audit.actor, 'household.import', { communityId });
  const plan = await prisma.$transaction(
    async (tx) => {
      // One import per community at a time: a second waits, then sees the first one's rows.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`roster:${communityId}`}))`;
      onProgress?.({ phase: 'load', done: 0, total: 1 });
      const stored = await loadStoredRoster(tx, communityId);
      onProgress?.({ phase: 'load', done: 1, total: 1 });
      const plan = planRoster(validation.roster, stored, randomUUID);
      if (dryRun) return plan;

      const total = planWriteCount(plan);
      let done = 0;
      onProgress?.({ phase: 'write', done, total });
      await writeRosterPlan(tx, communityId, plan, (written) => {
        done += written;
        onProgress?.({ phase: 'write', done, total });
      });
      if (options.audit) {
        await recordAudit(tx, {
          communityId,
          actor: options.audit.actor,
          action: 'household.import',
          subjectType: 'community',
          subjectId: communityId,
          // Counts only: never names or phone numbers.
          details: { rows: rows.length, ...plan.counts, notInFile: plan.notInFile.length },
        });
      }
      return plan;
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
  );
  return { ok: true, dryRun, rows: rows.length, counts: plan.counts, notInFile: plan.notInFile, ignoredColumns: [] };
}
