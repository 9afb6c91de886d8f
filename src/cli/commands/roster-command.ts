/**
 * `linli roster template <file>`, `linli roster import <file> [--dry-run]` and
 * `linli roster export <file>`: the roster as .xlsx or .csv files, in the operator's language.
 * The template needs no database, so it works while the app is running.
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { rosterProblem } from '../../features/community/roster/roster-problem.js';
import { ROSTER_PHASE_KEYS, type RosterProgressListener } from '../../features/community/roster/roster-progress.js';
import { formatRosterProblem } from '../../features/community/roster/roster-report.js';
import { CliError, EXIT_FAILED, EXIT_USAGE, ReportedFailure } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { OPERATOR } from './operator.js';
import { phasedProgress } from './progress.js';

/** The roster's reading and writing code pulls in the spreadsheet library: loaded only when a roster command runs. */
type RosterModule = typeof import('../../features/community/roster/index.js');
const loadRoster = (): Promise<RosterModule> => import('../../features/community/roster/index.js');

export function registerRosterCommands(program: Command, runtime: CliRuntime): void {
  const commands = program.command('roster').description(runtime.t('cli.help.roster'));

  commands
    .command('template')
    .description(runtime.t('cli.help.roster_template'))
    .argument('<file>', runtime.t('cli.help.argument_roster_file'))
    .action(async (file: string) => {
      const roster = await loadRoster();
      requireRosterFile(runtime, roster, file);
      await writing(file, () => roster.writeRosterTemplate(file, runtime.locale, { translator: runtime.translator }));
      runtime.print(runtime.t('cli.roster.template_written', { file }));
    });

  commands
    .command('import')
    .description(runtime.t('cli.help.roster_import'))
    .argument('<file>', runtime.t('cli.help.argument_roster_file'))
    .option('--dry-run', runtime.t('cli.help.option_dry_run'))
    .action(async (file: string, options: { dryRun?: boolean }) => {
      const roster = await loadRoster();
      requireRosterFile(runtime, roster, file);
      const { prisma, communityId } = await runtime.community();
      const progress = phaseProgress(runtime);
      const result = await roster.importRoster({
        prisma,
        communityId,
        file,
        dryRun: options.dryRun ?? false,
        translator: runtime.translator,
        audit: { actor: OPERATOR },
        onProgress: progress.listener,
      }).finally(progress.stop);
      const lines = roster.formatRosterResult(runtime.translator, runtime.locale, result);
      if (result.ok) {
        for (const line of lines) runtime.print(line);
        return;
      }
      for (const line of lines) runtime.stderr.write(`${line}\n`);
      throw new ReportedFailure(EXIT_FAILED);
    });

  commands
    .command('export')
    .description(runtime.t('cli.help.roster_export'))
    .argument('<file>', runtime.t('cli.help.argument_roster_file'))
    .action(async (file: string) => {
      const roster = await loadRoster();
      requireRosterFile(runtime, roster, file);
      const { prisma, communityId } = await runtime.community();
      const progress = phaseProgress(runtime);
      const result = await writing(file, () =>
        roster
          .exportRoster({
            prisma,
            communityId,
            file,
            locale: runtime.locale,
            translator: runtime.translator,
            audit: { actor: OPERATOR },
            onProgress: progress.listener,
          })
          .finally(progress.stop),
      );
      runtime.print(roster.formatRosterExport(runtime.translator, runtime.locale, result));
      runtime.print(runtime.t('cli.roster.export_written', { file }));
    });
}

/** A roster file must be .xlsx or .csv: said before anything is opened. */
function requireRosterFile(runtime: CliRuntime, roster: RosterModule, file: string): void {
  if (roster.rosterFileKind(file)) return;
  const problem = rosterProblem(null, null, 'file_type', { extension: extname(file) || file });
  throw new CliError('cli.roster.problem', { problem: formatRosterProblem(runtime.translator, runtime.locale, problem) }, EXIT_USAGE);
}

/** Runs a write to `file`; a file-system refusal (no such folder, no permission) becomes one line. */
async function writing<T>(file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new CliError('cli.error.write_failed', { file, reason: code });
    throw error;
  }
}

/** One progress display per phase that has more than one step (checking and writing rows). */
function phaseProgress(runtime: CliRuntime): { listener: RosterProgressListener; stop: () => void } {
  return phasedProgress(runtime, ROSTER_PHASE_KEYS);
}
