/**
 * `linli invite <household code> [--days N]`: a one-time code for a household, printed once.
 * Whoever in the household sends it to the community's account in chat is asked which member
 * they are and is bound to them.
 */
import type { Command } from 'commander';
import { createInviteCode } from '../../features/identity/invite-codes.js';
import { CliError } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { parseDays, DEFAULT_INVITE_DAYS } from './invite-days.js';
import { formatMinute } from './labels.js';
import { OPERATOR } from './operator.js';

export function registerInviteCommand(program: Command, runtime: CliRuntime): void {
  program
    .command('invite')
    .description(runtime.t('cli.help.invite'))
    .argument('<household code>', runtime.t('cli.help.argument_household'))
    .option('--days <n>', runtime.t('cli.help.option_days', { days: DEFAULT_INVITE_DAYS }))
    .action(async (householdCode: string, options: { days?: string }) => {
      const ttlDays = parseDays(options.days);
      const code = householdCode.trim();
      const { prisma, communityId, timezone } = await runtime.community();
      const invite = await prisma.$transaction(async (tx) => {
        const household = await tx.household.findUnique({
          where: { communityId_code: { communityId, code } },
          select: { id: true, _count: { select: { residents: true } } },
        });
        if (!household) return null;
        return {
          members: household._count.residents,
          ...(await createInviteCode(tx, { communityId, householdId: household.id, ttlDays, actor: OPERATOR })),
        };
      });
      if (!invite) throw new CliError('cli.invite.household_not_found', { code });
      runtime.print(runtime.t('cli.invite.for_household', { code, members: invite.members }));
      runtime.print(runtime.t('cli.invite.code', { code: invite.code }));
      runtime.print(runtime.t('cli.invite.expires', { date: formatMinute(invite.expiresAt, timezone) }));
      runtime.print(runtime.t('cli.invite.how_household'));
    });
}
