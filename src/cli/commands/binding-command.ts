/**
 * `linli approve <number> [--household <code>]` and `linli reject <number>`: staff's answer to a
 * visitor who asked in chat to be bound without a code. The person is told in chat, in their
 * language, and the staff chats get the line saying the office decided (the running app's outbox
 * sends both) — the same decision as a button or `/approve` in the staff chat.
 *
 * `linli binding resume`: opens binding again before a community-wide pause (many wrong codes)
 * ends — the same as `/resume_binding` in the staff chat.
 *
 * `linli binding list [--all]`: the requests waiting for a decision, oldest first (who asked first
 * is answered first) — what to `linli approve` — as the console's requests page lists them: name
 * and address as typed (the office decides on them), the phone masked, when, and the household
 * on the roster the person probably is. `--all` adds the decided ones after the waiting ones.
 */
import type { Command } from 'commander';
import { SAFE_TEXT_LIMIT } from '../../channels/text-limit.js';
import { EventBus } from '../../events/index.js';
import { approveBindingRequest, rejectBindingRequest } from '../../features/identity/binding-requests.js';
import { resumeBindingIn } from '../../features/identity/binding-resume.js';
import { localMinute } from '../../features/tickets/scheduling/local-format.js';
import { terminalText } from '../terminal-text.js';
import { BindingRequestPosts } from '../../inbox/binding-request-posts.js';
import { AccountNotifier } from '../../notify/account-notifier.js';
import { listBindingRequests, type RequestListItem } from '../../staff-web/requests/list-requests.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { formatMinute } from './labels.js';
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
    .command('list')
    .description(runtime.t('cli.help.binding_list'))
    .option('--all', runtime.t('cli.help.option_all_requests'))
    .action(async (options: { all?: boolean }) => {
      const { prisma, communityId, timezone } = await runtime.community();
      const now = runtime.now();
      const status = options.all === true ? 'all' : 'pending';
      // Every page of the console's list: the command line prints the whole of it.
      const requests: RequestListItem[] = [];
      for (let page = 1; ; page += 1) {
        const list = await listBindingRequests(prisma, { communityId, actor: OPERATOR, status, page, now });
        requests.push(...list.requests);
        if (page >= list.paging.pages) break;
      }
      if (requests.length === 0) {
        runtime.print(runtime.t(options.all === true ? 'cli.binding.list_none' : 'cli.binding.list_none_pending'));
        return;
      }
      // Names and addresses are as visitors typed them: nothing in them may steer the terminal.
      for (const request of requests) runtime.print(terminalText(requestLine(runtime, request, timezone)));
      runtime.print(runtime.t(options.all === true ? 'cli.binding.list_count' : 'cli.binding.list_count_pending', { count: requests.length }));
    });

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

/** "#17  王小明  团结巷3号院2号  138****5678  2026-06-01 12:00  probably H0001 (…)". */
function requestLine(runtime: CliRuntime, request: RequestListItem, timezone: string): string {
  const t = (key: string, vars?: Record<string, string | number>) => runtime.t(key, vars);
  const parts = [
    `#${request.number}`,
    request.name,
    request.address,
    request.maskedPhone,
    formatMinute(request.filedAt, timezone),
    request.likely
      ? t('cli.binding.likely', { code: request.likely.householdCode, address: request.likely.address, area: request.likely.areaPath })
      : t('cli.binding.no_likely'),
  ];
  if (request.status !== 'pending' && request.decidedAt) {
    const key = request.status === 'approved' ? 'cli.binding.decided_approved' : 'cli.binding.decided_rejected';
    parts.push(t(key, { time: formatMinute(request.decidedAt, timezone) }));
  }
  return parts.join('  ');
}

/** "17" or "#17" → 17; anything else is a usage error. */
function parseRequestNumber(text: string): number {
  const match = /^#?(\d{1,9})$/.exec(text.trim());
  const number = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(number) || number < 1) throw new CliError('cli.binding.bad_number', { value: text }, EXIT_USAGE);
  return number;
}
