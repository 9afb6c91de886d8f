/**
 * `linli team …`: the service team (更生便民服务队) as dispatch sees it, acting as the operator:
 *
 * - `list` — each member: skills (from their role), the areas they cover, working hours, away;
 * - `terms <name> [--areas <path,…|all>] [--hours <"1-5 08:00-18:00; 6 09:00-12:00"|any>]` —
 *   sets the areas a member covers and their working hours (`staff.manage`, audited).
 *
 * Skills come with the role (`linli staff add --role service_team --skills …`).
 */
import type { Command } from 'commander';
import { formatHoursText, parseHoursText } from '../../features/repairs/dispatch/rules/hours-text.js';
import { listTeam, setMemberTerms } from '../../features/repairs/dispatch/service/member-terms.js';
import type { Tx } from '../../db/prisma-types.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { terminalText } from '../terminal-text.js';
import { SKILLS, type Skill } from '../../features/community/vocabulary.js';
import { skillLabel } from './labels.js';
import { OPERATOR } from './operator.js';

interface TermsOptions {
  areas?: string;
  hours?: string;
}

export function registerTeamCommands(program: Command, runtime: CliRuntime): void {
  const team = program.command('team').description(runtime.t('cli.help.team'));

  team
    .command('list')
    .description(runtime.t('cli.help.team_list'))
    .action(async () => {
      const { prisma, communityId } = await runtime.community();
      const members = await prisma.$transaction((tx) => listTeam(tx, communityId, new Date()));
      if (members.length === 0) {
        runtime.print(runtime.t('cli.team.none'));
        return;
      }
      for (const member of members) {
        const line = runtime.t(member.away ? 'cli.team.line_away' : 'cli.team.line', {
          name: member.name,
          skills: member.skills.filter(isSkill).map((skill) => skillLabel(runtime, skill)).join(runtime.t('cli.team.separator')) || runtime.t('cli.team.any_skill'),
          areas: member.areaPaths.join(runtime.t('cli.team.separator')) || runtime.t('cli.team.all_areas'),
          hours: formatHoursText(member.hours),
        });
        runtime.print(terminalText(line));
      }
    });

  team
    .command('terms')
    .description(runtime.t('cli.help.team_terms'))
    .argument('<name>', runtime.t('cli.help.argument_member_name'))
    .option('--areas <paths>', runtime.t('cli.help.option_team_areas'))
    .option('--hours <hours>', runtime.t('cli.help.option_team_hours'))
    .action(async (name: string, options: TermsOptions) => {
      if (options.areas === undefined && options.hours === undefined) throw new CliError('cli.team.nothing_to_set', {}, EXIT_USAGE);
      const hours = options.hours === undefined ? undefined : parseHoursText(options.hours);
      if (hours === null) throw new CliError('cli.team.bad_hours', { hours: options.hours ?? '' }, EXIT_USAGE);
      const { prisma, communityId } = await runtime.community();
      const now = new Date();
      const outcome = await prisma.$transaction(async (tx) => {
        const members = await tx.resident.findMany({ where: { communityId, name: name.trim(), roles: { some: { role: 'service_team' } } }, select: { id: true } });
        if (members.length !== 1) return { status: members.length === 0 ? 'no_member' : 'ambiguous' } as const;
        const areaIds = options.areas === undefined ? undefined : await areasNamed(tx, communityId, options.areas);
        if (areaIds && 'unknown' in areaIds) return { status: 'unknown_area', area: areaIds.unknown } as const;
        return setMemberTerms(tx, { communityId, actor: OPERATOR, residentId: members[0]!.id, ...(areaIds ? { areaIds: areaIds.ids } : {}), ...(hours ? { hours } : {}), now });
      });
      switch (outcome.status) {
        case 'set':
          runtime.print(runtime.t('cli.team.set', { name: name.trim() }));
          return;
        case 'no_member':
        case 'not_a_member':
          throw new CliError('cli.team.no_member', { name: name.trim() });
        case 'ambiguous':
          throw new CliError('cli.team.ambiguous', { name: name.trim() });
        case 'unknown_area':
          throw new CliError('cli.team.unknown_area', { area: outcome.area }, EXIT_USAGE);
        case 'denied':
          throw new CliError('cli.team.denied');
      }
    });
}

/** Areas by path, or by a name only one area has; `all` = the whole community. */
async function areasNamed(tx: Tx, communityId: string, typed: string): Promise<{ ids: string[] } | { unknown: string }> {
  if (typed.trim().toLowerCase() === 'all') return { ids: [] };
  const ids: string[] = [];
  for (const word of typed.split(',').map((w) => w.trim()).filter((w) => w !== '')) {
    const areas = await tx.area.findMany({ where: { communityId, OR: [{ path: word }, { name: word }] }, select: { id: true, path: true } });
    const found = areas.find((area) => area.path === word) ?? (areas.length === 1 ? areas[0] : undefined);
    if (!found) return { unknown: word };
    ids.push(found.id);
  }
  return { ids };
}

function isSkill(word: string): word is Skill {
  return (SKILLS as readonly string[]).includes(word);
}
