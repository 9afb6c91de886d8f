/**
 * `linli fund …`: the bungalow area's property fund at the command line, in the operator's
 * language — set it up, record or import households' contributions, record expenses (a job's
 * ticket number links one to the repair it paid for), record the committee's per-item decision
 * on an expense above the threshold (by the committee member who took it), show the balance and
 * a month's figures, and print a household's contact card (`fund-card-command.ts`).
 */
import type { Command } from 'commander';
import { formatContributionImport } from '../../features/fund/contributions/contribution-report.js';
import { decideExpense } from '../../features/fund/ledger/decide-expense.js';
import { checkFundAction } from '../../features/fund/ledger/fund-check.js';
import { findFund } from '../../features/fund/ledger/fund-lookup.js';
import { loadFundStatement } from '../../features/fund/ledger/fund-statement.js';
import { MAX_PURPOSE_LENGTH, recordExpense } from '../../features/fund/ledger/record-expense.js';
import { recordContribution } from '../../features/fund/ledger/record-contribution.js';
import { setUpFund } from '../../features/fund/ledger/setup-fund.js';
import { monthContaining, parseMonth } from '../../features/fund/rules/fund-month.js';
import { formatYuan } from '../../features/fund/rules/money.js';
import type { Actor } from '../../features/policy/actor.js';
import { loadActor } from '../../features/policy/load-actor.js';
import { staffByName } from '../../staff-web/auth/login-codes.js';
import { CliError, EXIT_FAILED, EXIT_USAGE, ReportedFailure } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { registerFundCardCommand } from './fund-card-command.js';
import { amount, areaOption, day, fundAction, importProgress, theFund, type AreaOption } from './fund-cli-parts.js';
import { formatDay } from './labels.js';
import { OPERATOR } from './operator.js';

/** Reading a contributions file pulls in the spreadsheet library: loaded only when an import runs. */
type ContributionImportModule = typeof import('../../features/fund/contributions/contribution-import.js');
const loadContributionImport = (): Promise<ContributionImportModule> => import('../../features/fund/contributions/contribution-import.js');

const STATUS_KEYS = { approved: 'cli.fund.status.approved', pending: 'cli.fund.status.pending', rejected: 'cli.fund.status.rejected' } as const;

export function registerFundCommands(program: Command, runtime: CliRuntime): void {
  const fund = program.command('fund').description(runtime.t('cli.help.fund'));

  fund
    .command('setup')
    .description(runtime.t('cli.help.fund_setup'))
    .argument('<area path>', runtime.t('cli.help.fund_argument_area'))
    .option('--share <yuan>', runtime.t('cli.help.fund_option_share'))
    .option('--threshold <yuan>', runtime.t('cli.help.fund_option_threshold'))
    .option('--phone <line>', runtime.t('cli.help.fund_option_phone'), (value: string, list: string[] = []) => [...list, value])
    .action(async (areaPath: string, options: { share?: string; threshold?: string; phone?: string[] }) => {
      const shareFen = options.share === undefined ? undefined : amount(options.share);
      const approvalThresholdFen = options.threshold === undefined ? undefined : amount(options.threshold);
      const { prisma, communityId } = await runtime.community();
      const result = await fundAction(() =>
        prisma.$transaction((tx) =>
          setUpFund(tx, {
            communityId,
            actor: OPERATOR,
            areaPath: areaPath.trim(),
            ...(shareFen !== undefined ? { shareFen } : {}),
            ...(approvalThresholdFen !== undefined ? { approvalThresholdFen } : {}),
            ...(options.phone ? { contactPhones: options.phone.map((p) => p.trim()).filter(Boolean) } : {}),
            now: runtime.now(),
          }),
        ),
      );
      const set = await findFund(prisma, communityId, areaPath.trim());
      runtime.print(runtime.t(result.created ? 'cli.fund.setup_created' : 'cli.fund.setup_updated', { area: set.areaPath }));
      runtime.print(runtime.t('cli.fund.setup_terms', { share: formatYuan(set.shareFen), threshold: formatYuan(set.approvalThresholdFen), phones: set.contactPhones.length }));
    });

  fund
    .command('show')
    .description(runtime.t('cli.help.fund_show'))
    .option(...areaOption(runtime))
    .option('--month <yyyy-mm>', runtime.t('cli.help.fund_option_month'))
    .action(async (options: AreaOption & { month?: string }) => {
      const { prisma, communityId, timezone } = await runtime.community();
      const month = options.month === undefined ? monthContaining(runtime.now(), timezone) : parseMonth(options.month, timezone);
      if (!month) throw new CliError('cli.fund.bad_month', { value: options.month ?? '' }, EXIT_USAGE);
      const selected = await theFund(prisma, communityId, options);
      const statement = await fundAction(() =>
        prisma.$transaction(async (tx) => {
          const refused = await checkFundAction(tx, selected, OPERATOR, 'fund.view', 'fund.view', runtime.now());
          return refused ?? loadFundStatement(tx, selected, month);
        }),
      );
      const { figures, total } = statement;
      runtime.print(runtime.t('cli.fund.show_title', { area: selected.areaPath, year: month.year, month: month.month }));
      runtime.print(runtime.t('cli.fund.show_balance', { balance: formatYuan(total.balanceFen), in: formatYuan(total.contributedFen), out: formatYuan(total.spentFen) }));
      runtime.print(
        runtime.t('cli.fund.show_month', {
          opening: formatYuan(figures.openingFen),
          in: formatYuan(figures.inFen),
          out: formatYuan(figures.outFen),
          closing: formatYuan(figures.closingFen),
          paid: statement.householdsPaid,
          households: statement.households,
        }),
      );
      for (const expense of statement.expenses) {
        runtime.print(
          runtime.t('cli.fund.show_expense', {
            number: expense.number,
            date: formatDay(expense.spentOn, timezone),
            amount: formatYuan(expense.amountFen),
            purpose: expense.purpose,
            status: runtime.t(STATUS_KEYS[expense.status]),
            job: expense.jobNumber ?? '-',
          }),
        );
      }
      if (statement.pending.length > 0) {
        runtime.print(runtime.t('cli.fund.show_pending', { count: figures.pendingCount, amount: formatYuan(figures.pendingFen) }));
        for (const expense of statement.pending) {
          runtime.print(runtime.t('cli.fund.show_pending_item', { number: expense.number, amount: formatYuan(expense.amountFen), purpose: expense.purpose }));
        }
      }
    });

  fund
    .command('contribute')
    .description(runtime.t('cli.help.fund_contribute'))
    .argument('<household code>', runtime.t('cli.help.argument_household'))
    .argument('<yuan>', runtime.t('cli.help.fund_argument_amount'))
    .option('--date <yyyy-mm-dd>', runtime.t('cli.help.fund_option_date'))
    .option('--receipt <number>', runtime.t('cli.help.fund_option_receipt'))
    .option('--note <text>', runtime.t('cli.help.fund_option_note'))
    .option(...areaOption(runtime))
    .action(async (householdCode: string, yuan: string, options: AreaOption & { date?: string; receipt?: string; note?: string }) => {
      const amountFen = amount(yuan);
      const { prisma, communityId, timezone } = await runtime.community();
      const paidOn = day(options.date, timezone, runtime.now());
      const selected = await theFund(prisma, communityId, options);
      await fundAction(() =>
        prisma.$transaction((tx) =>
          recordContribution(tx, {
            fund: selected,
            actor: OPERATOR,
            householdCode: householdCode.trim(),
            amountFen,
            paidOn,
            receipt: options.receipt?.trim() || null,
            note: options.note?.trim() || null,
            now: runtime.now(),
          }),
        ),
      );
      runtime.print(runtime.t('cli.fund.contributed', { code: householdCode.trim(), amount: formatYuan(amountFen), date: formatDay(paidOn, timezone) }));
    });

  fund
    .command('import')
    .description(runtime.t('cli.help.fund_import'))
    .argument('<file>', runtime.t('cli.help.fund_argument_file'))
    .option('--dry-run', runtime.t('cli.help.option_dry_run'))
    .option(...areaOption(runtime))
    .action(async (file: string, options: AreaOption & { dryRun?: boolean }) => {
      const { contributionFileKind, importContributions } = await loadContributionImport();
      if (!contributionFileKind(file)) throw new CliError('cli.fund.file_type', { file }, EXIT_USAGE);
      const { prisma, communityId, timezone } = await runtime.community();
      const selected = await theFund(prisma, communityId, options);
      const progress = importProgress(runtime);
      const result = await importContributions({
        prisma,
        fund: selected,
        actor: OPERATOR,
        file,
        translator: runtime.translator,
        timezone,
        dryRun: options.dryRun ?? false,
        onProgress: progress.listener,
        now: runtime.now(),
      }).finally(progress.stop);
      const lines = formatContributionImport(runtime.translator, runtime.locale, result);
      if (result.ok) {
        for (const line of lines) runtime.print(line);
        return;
      }
      for (const line of lines) runtime.stderr.write(`${line}\n`);
      throw new ReportedFailure(EXIT_FAILED);
    });

  fund
    .command('spend')
    .description(runtime.t('cli.help.fund_spend'))
    .argument('<yuan>', runtime.t('cli.help.fund_argument_amount'))
    .argument('<purpose>', runtime.t('cli.help.fund_argument_purpose'))
    .option('--date <yyyy-mm-dd>', runtime.t('cli.help.fund_option_date'))
    .option('--job <ticket number>', runtime.t('cli.help.fund_option_job'))
    .option(...areaOption(runtime))
    .action(async (yuan: string, purpose: string, options: AreaOption & { date?: string; job?: string }) => {
      const amountFen = amount(yuan);
      const words = purpose.trim();
      if (words === '' || words.length > MAX_PURPOSE_LENGTH) throw new CliError('cli.fund.bad_purpose', { max: MAX_PURPOSE_LENGTH }, EXIT_USAGE);
      const { prisma, communityId, timezone } = await runtime.community();
      const spentOn = day(options.date, timezone, runtime.now());
      const selected = await theFund(prisma, communityId, options);
      const { ChatStaffAlerts } = await import('../../features/tickets/scheduling/staff-alerts.js');
      const recorded = await fundAction(() =>
        prisma.$transaction((tx) =>
          recordExpense(
            tx,
            { fund: selected, actor: OPERATOR, amountFen, purpose: words, spentOn, jobNumber: options.job ?? null, now: runtime.now() },
            { staffAlerts: new ChatStaffAlerts({ now: () => runtime.now() }), translator: runtime.translator },
          ),
        ),
      );
      runtime.print(runtime.t('cli.fund.spent', { number: recorded.number, amount: formatYuan(amountFen), purpose: words }));
      if (recorded.status === 'pending') runtime.print(runtime.t('cli.fund.spent_pending', { threshold: formatYuan(selected.approvalThresholdFen), number: recorded.number }));
    });

  fund
    .command('decide')
    .description(runtime.t('cli.help.fund_decide'))
    .argument('<number>', runtime.t('cli.help.fund_argument_expense'))
    .argument('<decision>', runtime.t('cli.help.fund_argument_decision'))
    .requiredOption('--member <name>', runtime.t('cli.help.fund_option_member'))
    .option(...areaOption(runtime))
    .action(async (numberText: string, decisionText: string, options: AreaOption & { member: string }) => {
      const number = Number(numberText);
      if (!/^\d{1,9}$/.test(numberText.trim()) || number <= 0) throw new CliError('cli.fund.bad_expense_number', { value: numberText }, EXIT_USAGE);
      const decision = decisionText.trim().toLowerCase();
      if (decision !== 'approve' && decision !== 'reject') throw new CliError('cli.fund.bad_decision', { value: decisionText }, EXIT_USAGE);
      const { prisma, communityId } = await runtime.community();
      const selected = await theFund(prisma, communityId, options);
      const now = runtime.now();
      const decided = await fundAction(() =>
        prisma.$transaction(async (tx) => {
          const people = await staffByName(tx, communityId, options.member, now);
          if (people.length !== 1) return { people: people.length };
          const member = await loadActor(tx, { residentId: people[0]!.id }, { now });
          if (!member || member.kind !== 'person') return { people: 0 };
          // The committee member's own decision, recorded by the operator: the audit says both.
          const actor: Actor = { ...member, via: 'cli' };
          return decideExpense(tx, { fund: selected, actor, number, decision, now });
        }),
      );
      if ('people' in decided) {
        throw new CliError(decided.people === 0 ? 'cli.fund.member_not_staff' : 'cli.fund.member_ambiguous', { name: options.member, count: decided.people });
      }
      runtime.print(runtime.t(decided.status === 'approved' ? 'cli.fund.approved' : 'cli.fund.rejected', { number, amount: formatYuan(decided.amountFen) }));
    });

  registerFundCardCommand(fund, runtime);
}
