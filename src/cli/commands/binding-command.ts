/**
 * `linli approve <number> [--household <code>]` and `linli reject <number>`: staff's answer to a
 * visitor who asked in chat to be bound without a code. The person is told in chat, in their
 * language, and the staff chats get the line saying the office decided (the running app's outbox
 * sends both) — the same decision as a button or `/approve` in the staff chat.
 *
 * `linli binding resume`: opens binding again before a community-wide pause (many wrong codes)
 * ends — the same as `/resume_binding` in the staff chat.
 */
import type { Command } from 'commander';
import { SAFE_TEXT_LIMIT } from '../../channels/text-limit.js';
import { EventBus } from '../../events/index.js';
import { approveBindingRequest, rejectBindingRequest } from '../../features/identity/binding-requests.js';
import { resumeBindingIn } from '../../features/identity/binding-resume.js';
import { localMinute } from '../../features/tickets/scheduling/local-format.js';
import { BindingRequestPosts } from '../../inbox/binding-request-posts.js';
import { AccountNotifier } from '../../notify/account-notifier.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { OPERATOR } from './operator.js';

export function registerBindingCommands(program: Command, runtime: CliRuntime): void {
  // The staff chats' line about the decision, in the community's language.
  const posts = new BindingRequestPosts({ translator: runtime.translator, textLimitOf: () => SAFE_TEXT_LIMIT });
  const events = new EventBus();
  events.on('binding_request.changed', (tx, change) => posts.bindingRequestChanged(tx, change));
  // The person's message, in the same words as everything else this process says.
  const notifier = new AccountNotifier({ translator: runtime.translator });
  program
    .command('approve')
    .description(runtime.t('cli.help.approve'))
    .argument('<number>', runtime.t('cli.help.argument_request_number'))
    .option('--household <code>', runtime.t('cli.help.option_household'))
    .action(async (numberText: string, options: { household?: string }) => {
      const number = parseRequestNumber(numberText);
      const { prisma, communityId } = await runtime.community();
      const outcome = await approveBindingRequest(prisma, {
        communityId,
        number,
        actor: OPERATOR,
        notifier,
        events,
        ...(options.household !== undefined ? { householdCode: options.household } : {}),
      });
      switch (outcome.status) {
        case 'approved':
          runtime.print(runtime.t(outcome.createdResident ? 'cli.binding.approved_added' : 'cli.binding.approved_matched', { number }));
          runtime.print(runtime.t('cli.binding.person_told'));
          return;
        case 'not_found':
          throw new CliError('cli.binding.not_found', { number });
        case 'already_decided':
          throw new CliError(outcome.decision === 'rejected' ? 'cli.binding.already_rejected' : 'cli.binding.already_approved', { number });
        case 'household_not_found':
          throw new CliError('cli.binding.household_not_found', { code: options.household?.trim() ?? '' });
        case 'household_required':
          throw new CliError('cli.binding.household_required', { number });
        case 'account_bound':
          throw new CliError('cli.binding.account_bound', { number });
      }
    });

  program
    .command('reject')
    .description(runtime.t('cli.help.reject'))
    .argument('<number>', runtime.t('cli.help.argument_request_number'))
    .action(async (numberText: string) => {
      const number = parseRequestNumber(numberText);
      const { prisma, communityId } = await runtime.community();
      const outcome = await rejectBindingRequest(prisma, { communityId, number, actor: OPERATOR, notifier, events });
      switch (outcome.status) {
        case 'rejected':
          runtime.print(runtime.t('cli.binding.rejected', { number }));
          runtime.print(runtime.t('cli.binding.person_told'));
          return;
        case 'not_found':
          throw new CliError('cli.binding.not_found', { number });
        case 'already_decided':
          throw new CliError(outcome.decision === 'rejected' ? 'cli.binding.already_rejected' : 'cli.binding.already_approved', { number });
      }
    });

  const binding = program.command('binding').description(runtime.t('cli.help.binding'));
  binding
    .command('resume')
    .description(runtime.t('cli.help.binding_resume'))
    .action(async () => {
      const { prisma, communityId, timezone } = await runtime.community();
      const outcome = await prisma.$transaction((tx) => resumeBindingIn(tx, { communityId, actor: OPERATOR }));
      switch (outcome.status) {
        case 'resumed':
          runtime.print(runtime.t('cli.binding.resumed', { until: localMinute(outcome.until, timezone) }));
          return;
        case 'not_paused':
          runtime.print(runtime.t('cli.binding.not_paused'));
          return;
        case 'denied':
          // The operator acts as an admin of every community: a refusal here is a bug.
          throw new Error(`binding resume refused to the operator: ${outcome.reason}`);
      }
    });
}

/** "17" or "#17" → 17; anything else is a usage error. */
function parseRequestNumber(text: string): number {
  const match = /^#?(\d{1,9})$/.exec(text.trim());
  const number = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(number) || number < 1) throw new CliError('cli.binding.bad_number', { value: text }, EXIT_USAGE);
  return number;
}
