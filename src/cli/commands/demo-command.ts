/**
 * `linli demo seed [--seed N] [--households N]`: fills the community with the synthetic demo
 * community (3,076 households, 8,689 residents, about 308 groups, 20 staff, a 12-person service
 * team by default). The same seed gives the same community; seeding again changes nothing.
 */
import type { Command } from 'commander';
import { DEFAULT_DEMO_SEED, DEMO_HOUSEHOLDS, demoResidentsFor } from '../../features/community/demo/demo-community.js';
import { ROSTER_PHASE_KEYS, type RosterProgressListener } from '../../features/community/roster/roster-progress.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { formatCount } from './labels.js';
import { OPERATOR } from './operator.js';
import { createProgress, type Progress } from './progress.js';

/** Far beyond any community (docs/domain.md: one deployment serves one community of a few thousand households). */
const MAX_DEMO_HOUSEHOLDS = 50_000;

export function registerDemoCommands(program: Command, runtime: CliRuntime): void {
  const demo = program.command('demo').description(runtime.t('cli.help.demo'));
  demo
    .command('seed')
    .description(runtime.t('cli.help.demo_seed'))
    .option('--seed <n>', runtime.t('cli.help.option_seed', { seed: DEFAULT_DEMO_SEED }))
    .option('--households <n>', runtime.t('cli.help.option_households', { households: DEMO_HOUSEHOLDS }))
    .action(async (options: { seed?: string; households?: string }) => {
      const seed = wholeNumber(options.seed, DEFAULT_DEMO_SEED, 0, 2 ** 32 - 1, '--seed');
      const households = wholeNumber(options.households, DEMO_HOUSEHOLDS, 1, MAX_DEMO_HOUSEHOLDS, '--households');
      const { prisma, communityId, timezone } = await runtime.community();
      runtime.print(
        runtime.t('cli.demo.seeding', {
          seed,
          households: formatCount(runtime, households),
          residents: formatCount(runtime, demoResidentsFor(households)),
        }),
      );
      let progress: Progress | undefined;
      let phase: string | undefined;
      const onProgress: RosterProgressListener = ({ phase: next, done, total }) => {
        // Only writing takes long enough to watch.
        if (next !== 'write' || total <= 1) return;
        if (phase !== next) {
          phase = next;
          progress = createProgress(runtime, runtime.t(ROSTER_PHASE_KEYS.write));
        }
        progress?.update(done, total);
      };
      const started = performance.now();
      // The seed goes through the roster, whose file code is heavy: loaded only now.
      const [{ seedDemoCommunity }, { formatRosterResult }] = await Promise.all([
        import('../../features/community/demo/seed-demo.js'),
        import('../../features/community/roster/roster-report.js'),
      ]);
      const result = await seedDemoCommunity({
        prisma,
        communityId,
        timeZone: timezone,
        actor: OPERATOR,
        translator: runtime.translator,
        seed,
        households,
        onProgress,
      }).finally(() => progress?.stop());
      if (!result.ok) throw new CliError('cli.demo.foreign_roster', { count: formatCount(runtime, result.foreignHouseholds) });

      for (const text of formatRosterResult(runtime.translator, runtime.locale, result.roster)) runtime.print(text);
      runtime.print(
        runtime.t('cli.demo.roles', {
          created: formatCount(runtime, result.staff.created),
          updated: formatCount(runtime, result.staff.updated),
          unchanged: formatCount(runtime, result.staff.unchanged),
        }),
      );
      const { totals } = result;
      runtime.print(
        runtime.t('cli.demo.totals', {
          households: formatCount(runtime, totals.households),
          residents: formatCount(runtime, totals.residents),
          groups: formatCount(runtime, totals.groups),
          heads: formatCount(runtime, totals.groupsWithHead),
          staff: formatCount(runtime, totals.staff),
          serviceTeam: formatCount(runtime, totals.serviceTeam),
        }),
      );
      const { counts } = result.roster;
      const changed = [counts.households, counts.residents, counts.areas, counts.groups, result.staff].some((c) => c.created + c.updated > 0);
      runtime.print(
        runtime.t(changed ? 'cli.demo.done' : 'cli.demo.unchanged', { seconds: ((performance.now() - started) / 1000).toFixed(1) }),
      );
    });
}

/** An option's whole number within bounds, or a usage error naming the option. */
function wholeNumber(text: string | undefined, fallback: number, min: number, max: number, option: string): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError('cli.usage.bad_number', { option, value: text, min, max }, EXIT_USAGE);
  }
  return value;
}
