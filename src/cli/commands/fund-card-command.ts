/**
 * `linli fund card <household> <file.png> --bot <name> --web <address>`: a household's printable
 * contact card (便民联系卡), its QR codes opening the bot — with a fresh household binding code
 * unless `--no-code` — and the web chat.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EntryLinkError } from '../../channels/entry-links.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { areaOption, fundAction, theFund, type AreaOption } from './fund-cli-parts.js';
import { parseDays } from './invite-days.js';
import { formatDay } from './labels.js';
import { OPERATOR } from './operator.js';

/** Days a card's binding code stays valid unless `--days` says otherwise: time to print and hand it over. */
const CARD_CODE_DAYS = 30;

export function registerFundCardCommand(fund: Command, runtime: CliRuntime): void {
  fund
    .command('card')
    .description(runtime.t('cli.help.fund_card'))
    .argument('<household code>', runtime.t('cli.help.argument_household'))
    .argument('<file>', runtime.t('cli.help.fund_argument_png'))
    .option('--bot <username>', runtime.t('cli.help.fund_option_bot'))
    .option('--web <address>', runtime.t('cli.help.fund_option_web'))
    .option('--no-code', runtime.t('cli.help.fund_option_no_code'))
    .option('--days <n>', runtime.t('cli.help.option_days', { days: CARD_CODE_DAYS }))
    .option(...areaOption(runtime))
    .action(async (householdCode: string, file: string, options: AreaOption & { bot?: string; web?: string; code: boolean; days?: string }) => {
      if (!file.toLowerCase().endsWith('.png')) throw new CliError('cli.fund.card_file_type', { file }, EXIT_USAGE);
      if (options.bot === undefined && options.web === undefined) throw new CliError('cli.fund.card_no_links', {}, EXIT_USAGE);
      const codeDays = parseDays(options.days ?? String(CARD_CODE_DAYS));
      const { prisma, communityId, timezone } = await runtime.community();
      const selected = await theFund(prisma, communityId, options);
      const { makeContactCard } = await import('../../features/fund/card/contact-card.js');
      let card;
      try {
        card = await fundAction(() =>
          makeContactCard({
            prisma,
            fund: selected,
            actor: OPERATOR,
            householdCode: householdCode.trim(),
            links: { ...(options.bot !== undefined ? { botUsername: options.bot } : {}), ...(options.web !== undefined ? { webChatBase: options.web } : {}) },
            withCode: options.code,
            codeDays,
            translator: runtime.translator,
            locale: runtime.locale,
            now: runtime.now(),
          }),
        );
      } catch (error) {
        if (error instanceof EntryLinkError) throw new CliError(error.setting === 'botUsername' ? 'cli.fund.card_bad_bot' : 'cli.fund.card_bad_web', {}, EXIT_USAGE);
        throw error;
      }
      try {
        await writeFile(file, card.png);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new CliError('cli.error.write_failed', { file, reason: typeof code === 'string' ? code : 'unknown' });
      }
      runtime.print(runtime.t('cli.fund.card_written', { file, code: householdCode.trim() }));
      for (const url of card.urls) runtime.print(runtime.t('cli.fund.card_link', { url }));
      if (card.code && card.expiresAt) runtime.print(runtime.t('cli.fund.card_code', { code: card.code, date: formatDay(card.expiresAt, timezone) }));
    });
}
