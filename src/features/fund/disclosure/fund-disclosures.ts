/**
 * The monthly disclosure notice (居务公开): on the 1st of each month at `hour` local time, each
 * fund tells its area's households the month before's figures, through a bulk send (their
 * private chats and the chats bound for the area; bulk priority, behind every reply, never
 * expiring: a notice of accounts stays worth delivering however late).
 *
 * One BullMQ job scheduler per fund. Whoever sends a month's notice first inserts its
 * `FundDisclosure` row (fund, month) in the transaction that writes the messages: a repeated job,
 * a second worker or the catch-up at start finds the row and sends nothing, and a crash before
 * commit leaves neither row nor message, so it is sent later. A month that ended before the fund
 * was set up is never disclosed (there was no fund to account for). The same transaction keeps the
 * notice in the archive residents read (通知公告: a `Notice` of kind `disclosure`, never expiring).
 */
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Logger } from '../../../log/logger.js';
import { createBulkSend } from '../../../outbox/bulk-send.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { LinliQueue } from '../../../queue/backend.js';
import { jobIds, type JobPayload } from '../../../queue/jobs.js';
import { fundAreaIds, fundById, type FundRecord } from '../ledger/fund-lookup.js';
import { loadFundStatement } from '../ledger/fund-statement.js';
import { lastFullMonth, type FundMonth } from '../rules/fund-month.js';
import { disclosureRecipients } from './disclosure-recipients.js';
import { disclosureText } from './disclosure-text.js';
import { writeDisclosureNotice } from './disclosure-notice.js';

export type DisclosureJob = JobPayload<'fund-disclosures'>;

export interface FundDisclosuresDeps {
  prisma: PrismaClient;
  queue: LinliQueue<DisclosureJob>;
  translator: Translator;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
  /** Local hour (0–23) on the 1st. */
  hour: number;
  now?: () => Date;
}

export type DisclosureOutcome =
  | { sent: true; month: FundMonth; recipients: number; bulkSendId: string }
  | { sent: false; month: FundMonth | null; reason: 'already_sent' | 'before_fund' | 'no_fund' };

/** The scheduler id of a fund's monthly notice. */
export function disclosureSchedulerId(fundId: string): string {
  return `fund-disclosure-${fundId}`;
}

/** Large areas: a few thousand rows take seconds on the embedded database. */
const TRANSACTION_TIMEOUT_MS = 120_000;

export class FundDisclosures {
  constructor(private readonly deps: FundDisclosuresDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async timezoneOf(communityId: string): Promise<{ timezone: string; defaultLocale: string }> {
    return this.deps.prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { timezone: true, defaultLocale: true } });
  }

  /** Creates or updates the fund's scheduler (the hour and time zone as configured now). */
  async install(fund: FundRecord): Promise<void> {
    const { timezone } = await this.timezoneOf(fund.communityId);
    await this.deps.queue.upsertJobScheduler(
      disclosureSchedulerId(fund.id),
      { pattern: `0 ${this.deps.hour} 1 * *`, tz: timezone },
      { name: 'disclosure', data: { fundId: fund.id }, opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } } },
    );
  }

  /**
   * At start: last month's notice, if its moment has passed and it was never sent (the server was
   * down on the 1st, a deploy at that hour), is sent now — whatever day of this month it is.
   */
  async catchUp(fund: FundRecord): Promise<boolean> {
    const { timezone } = await this.timezoneOf(fund.communityId);
    const now = this.now();
    const month = lastFullMonth(now, timezone);
    if (month.to.getTime() <= fund.createdAt.getTime()) return false;
    if (now.getTime() < month.to.getTime() + this.deps.hour * 3_600_000) return false;
    const done = await this.deps.prisma.fundDisclosure.findUnique({ where: { fundId_monthStart: { fundId: fund.id, monthStart: month.from } }, select: { fundId: true } });
    if (done) return false;
    const payload: DisclosureJob = { fundId: fund.id };
    await this.deps.queue.add('disclosure', payload, { jobId: jobIds['fund-disclosures'](payload), removeOnComplete: true, removeOnFail: true, attempts: 5 });
    return true;
  }

  /** Sends the notice of the last full month, unless it was sent already. */
  async send(fundId: string): Promise<DisclosureOutcome> {
    const now = this.now();
    const outcome = await this.deps.prisma.$transaction(
      async (tx): Promise<{ outcome: DisclosureOutcome; rows: QueuedOutboxRow[] }> => {
        const fund = await fundById(tx, fundId);
        if (!fund) return { outcome: { sent: false, month: null, reason: 'no_fund' }, rows: [] };
        const community = await tx.community.findUniqueOrThrow({ where: { id: fund.communityId }, select: { timezone: true, defaultLocale: true } });
        const month = lastFullMonth(now, community.timezone);
        if (month.to.getTime() <= fund.createdAt.getTime()) return { outcome: { sent: false, month, reason: 'before_fund' }, rows: [] };

        const claimed = await tx.fundDisclosure.createMany({ data: [{ fundId, monthStart: month.from, recipients: 0, sentAt: now }], skipDuplicates: true });
        if (claimed.count === 0) return { outcome: { sent: false, month, reason: 'already_sent' }, rows: [] };

        const areaIds = await fundAreaIds(tx, fund);
        const statement = await loadFundStatement(tx, fund, month);
        const recipients = await disclosureRecipients(tx, fund.communityId, areaIds, community.defaultLocale);
        const texts = new Map<string, string>();
        const textIn = (locale: string) => {
          let text = texts.get(locale);
          if (text === undefined) {
            text = disclosureText(statement, { translator: this.deps.translator, locale, timezone: community.timezone, areaPath: fund.areaPath, month });
            texts.set(locale, text);
          }
          return text;
        };
        const { bulkSendId, rows } = await createBulkSend(tx, {
          communityId: fund.communityId,
          purpose: 'fund_disclosure',
          message: { text: textIn(community.defaultLocale) },
          recipients: recipients.map((r) => ({ channel: r.channel, chatId: r.chatId, chatAccountId: r.chatAccountId, message: { text: textIn(r.locale) } })),
        });
        await tx.fundDisclosure.update({ where: { fundId_monthStart: { fundId, monthStart: month.from } }, data: { bulkSendId, recipients: recipients.length } });
        // The same words kept in the notices archive (通知公告), where the area finds last month's accounts.
        await writeDisclosureNotice(tx, { communityId: fund.communityId, fundAreaId: fund.areaId, bulkSendId, sentAt: now, timezone: community.timezone, defaultLocale: community.defaultLocale, locales: this.deps.translator.locales, textIn });
        return { outcome: { sent: true, month, recipients: recipients.length, bulkSendId }, rows };
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
    );
    if (outcome.rows.length > 0) await this.deps.outbox.dispatch(outcome.rows);
    const { month } = outcome.outcome;
    this.deps.logger.info(
      { fundId, monthStart: month?.from.toISOString(), sent: outcome.outcome.sent, recipients: outcome.rows.length },
      'fund disclosure',
    );
    return outcome.outcome;
  }
}
