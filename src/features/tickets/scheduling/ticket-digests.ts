/**
 * The staff digests (民情分析): daily at `DIGEST_HOUR` local time for the day before, and weekly on
 * Mondays at that hour for the week before, with the change from the week before that.
 *
 * Each community has two BullMQ job schedulers (repeatable jobs in its time zone). Whoever runs a
 * digest first inserts its `DigestRun` row (community, kind, period start) in the transaction that
 * writes the message: a second worker, a repeated job or the catch-up at start finds the row and
 * sends nothing, and a crash before commit leaves neither row nor message, so it is sent later.
 */
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Logger } from '../../../log/logger.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { LinliQueue } from '../../../queue/backend.js';
import { jobIds, type JobPayload } from '../../../queue/jobs.js';
import { digest, lastFullDay, lastFullWeek, weekBefore, weeklyDigest } from '../rules/digest.js';
import { localParts } from '../rules/local-time.js';
import type { Period } from '../rules/ticket-facts.js';
import { loadCommunityTicketContext, type CommunityTicketContext } from './community-ticket-settings.js';
import { loadTicketFacts } from './digest-facts.js';
import { dailyDigestText, weeklyDigestText } from './digest-text.js';
import type { StaffAlerts } from './staff-alerts.js';

export type DigestJob = JobPayload<'ticket-digests'>;
export type DigestKind = DigestJob['kind'];

export interface TicketDigestsDeps {
  prisma: PrismaClient;
  queue: LinliQueue<DigestJob>;
  staffAlerts: StaffAlerts;
  translator: Translator;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
  /** Local hour (0–23) of both digests. */
  hour: number;
  now?: () => Date;
}

export type DigestOutcome = { sent: true; period: Period } | { sent: false; period: Period };

const MONDAY = 1;

/** The scheduler id of a community's digest of that kind. */
export function digestSchedulerId(communityId: string, kind: DigestKind): string {
  return `digest-${kind}-${communityId}`;
}

export class TicketDigests {
  constructor(private readonly deps: TicketDigestsDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Creates or updates the community's two schedulers (hour and time zone as configured now). */
  async install(communityId: string): Promise<void> {
    const { settings } = await loadCommunityTicketContext(this.deps.prisma, communityId);
    const tz = settings.timezone;
    const hour = this.deps.hour;
    const schedules: Array<[DigestKind, string]> = [
      ['daily', `0 ${hour} * * *`],
      ['weekly', `0 ${hour} * * ${MONDAY}`],
    ];
    for (const [kind, pattern] of schedules) {
      await this.deps.queue.upsertJobScheduler(
        digestSchedulerId(communityId, kind),
        { pattern, tz },
        { name: kind, data: { communityId, kind }, opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } } },
      );
    }
  }

  /**
   * At start: a digest whose moment passed today while no worker ran (a restart at 08:00, a
   * deploy) is sent now. Only today's: last Tuesday's weekly digest is not sent on a Thursday.
   */
  async catchUp(communityId: string): Promise<DigestKind[]> {
    const { settings } = await loadCommunityTicketContext(this.deps.prisma, communityId);
    const local = localParts(this.now(), settings.timezone);
    if (local.hour < this.deps.hour) return [];
    const kinds: DigestKind[] = local.isoWeekday === MONDAY ? ['daily', 'weekly'] : ['daily'];
    for (const kind of kinds) {
      const payload: DigestJob = { communityId, kind };
      await this.deps.queue.add(kind, payload, { jobId: jobIds['ticket-digests'](payload), removeOnComplete: true, removeOnFail: true, attempts: 5 });
    }
    return kinds;
  }

  /** Sends the digest of the last full day or week, unless it was sent already. */
  async send(communityId: string, kind: DigestKind): Promise<DigestOutcome> {
    const now = this.now();
    const outcome = await this.deps.prisma.$transaction(async (tx) => {
      const context = await loadCommunityTicketContext(tx, communityId);
      const tz = context.settings.timezone;
      const period = kind === 'daily' ? lastFullDay(now, tz) : lastFullWeek(now, tz);
      const claimed = await tx.digestRun.createMany({ data: [{ communityId, kind, periodStart: period.from, sentAt: now }], skipDuplicates: true });
      if (claimed.count === 0) return { sent: false as const, period, rows: [] };
      const rows = await this.write(tx, context, kind, period);
      return { sent: true as const, period, rows };
    });
    if (outcome.rows.length > 0) await this.deps.outbox.dispatch(outcome.rows);
    this.deps.logger.info({ communityId, kind, periodStart: outcome.period.from.toISOString(), sent: outcome.sent, messages: outcome.rows.length }, 'ticket digest');
    return { sent: outcome.sent, period: outcome.period };
  }

  private async write(tx: Tx, context: CommunityTicketContext, kind: DigestKind, period: Period): Promise<QueuedOutboxRow[]> {
    const tz = context.settings.timezone;
    const span: Period = kind === 'daily' ? period : { from: weekBefore(period, tz).from, to: period.to };
    const facts = await loadTicketFacts(tx, context.id, span);
    const textContext = (locale: string) => ({ translator: this.deps.translator, locale, timezone: tz, categories: context.settings.categories });
    const text =
      kind === 'daily'
        ? (locale: string) => dailyDigestText(digest(facts, period), textContext(locale))
        : (locale: string) => weeklyDigestText(weeklyDigest(facts, period, tz), textContext(locale));
    return this.deps.staffAlerts.toCommittee(tx, { communityId: context.id, text });
  }
}
