/**
 * `linli household show <code> [--reveal <member name>]`: what the office holds about one
 * household — address, area, priority flags, group, members with their phone numbers masked.
 * `--reveal` shows one member's full number; every reveal is written to the audit log
 * (privacy/reveal-phone.ts), like a reveal by staff in chat.
 */
import type { Command } from 'commander';
import { HOUSEHOLD_FLAGS, type HouseholdFlag } from '../../features/community/vocabulary.js';
import { loadHouseholdSubject } from '../../features/policy/load-subjects.js';
import { assertCan } from '../../features/policy/policy.js';
import { maskPhone } from '../../features/privacy/mask.js';
import { revealPhone } from '../../features/privacy/reveal-phone.js';
import { CliError } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { OPERATOR } from './operator.js';

const isFlag = (flag: string): flag is HouseholdFlag => (HOUSEHOLD_FLAGS as readonly string[]).includes(flag);

export function registerHouseholdCommands(program: Command, runtime: CliRuntime): void {
  const household = program.command('household').description(runtime.t('cli.help.household'));
  household
    .command('show')
    .description(runtime.t('cli.help.household_show'))
    .argument('<household code>', runtime.t('cli.help.argument_household'))
    .option('--reveal <name>', runtime.t('cli.help.option_reveal'))
    .action(async (householdCode: string, options: { reveal?: string }) => {
      const code = householdCode.trim();
      const { prisma, communityId } = await runtime.community();
      const found = await prisma.household.findUnique({
        where: { communityId_code: { communityId, code } },
        select: {
          id: true,
          address: true,
          flags: true,
          area: { select: { path: true } },
          group: { select: { code: true, headId: true } },
          residents: {
            orderBy: { position: 'asc' },
            select: { id: true, name: true, phone: true, birthYear: true, _count: { select: { chatAccounts: true } } },
          },
        },
      });
      if (!found) throw new CliError('cli.invite.household_not_found', { code });
      assertCan(OPERATOR, 'household.view', (await loadHouseholdSubject(prisma, communityId, found.id))!);

      // The roster's own words for a flag (the first is its name); the import accepts all of them.
      const flags = found.flags.filter(isFlag).map((flag) => runtime.translator.words(runtime.locale, `roster.flag.${flag}`)[0] ?? flag);
      runtime.print(runtime.t('cli.household.title', { code, address: found.address }));
      runtime.print(runtime.t('cli.household.area', { area: found.area.path }));
      runtime.print(flags.length > 0 ? runtime.t('cli.household.flags', { flags: flags.join(runtime.t('cli.list_separator')) }) : runtime.t('cli.household.no_flags'));
      runtime.print(found.group ? runtime.t('cli.household.group', { group: found.group.code }) : runtime.t('cli.household.no_group'));
      for (const member of found.residents) {
        runtime.print(
          runtime.t('cli.household.member', {
            name: member.name,
            phone: member.phone ? maskPhone(member.phone) : runtime.t('cli.staff.no_phone'),
            born: member.birthYear ?? '—',
            accounts: member._count.chatAccounts,
            head: found.group?.headId === member.id ? runtime.t('cli.household.head') : '',
          }),
        );
      }

      if (options.reveal === undefined) return;
      const name = options.reveal.trim();
      const member = found.residents.find((resident) => resident.name === name);
      if (!member) throw new CliError('cli.household.no_such_member', { name, code });
      const revealed = await revealPhone(prisma, { actor: OPERATOR, residentId: member.id, communityId });
      if (!revealed.ok) throw new CliError('cli.household.reveal_refused', { name });
      runtime.print(
        revealed.phone
          ? runtime.t('cli.household.revealed', { name, phone: revealed.phone })
          : runtime.t('cli.household.no_phone_on_record', { name }),
      );
    });
}
