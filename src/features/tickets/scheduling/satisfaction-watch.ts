/**
 * The satisfaction alert (docs/domain.md rule 5): when a rating lands, the rolling rate of the staff
 * member who resolved the ticket and the committee's are measured again; one that falls strictly
 * below 60 % alerts the committee once, and re-arms only when measured at 60 % or more again
 * (rules/satisfaction.ts decides; `SatisfactionAlert` rows keep the state).
 *
 * Two ratings landing at the same moment cannot both alert: the alert is claimed with a guarded
 * update (`armed` must still be true), which the database serialises on the row.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import {
  evaluateSatisfactionAlert,
  rollingSatisfaction,
  type RatingFact,
  type SatisfactionPolicy,
  type SatisfactionRate,
} from '../rules/satisfaction.js';
import { loadCommunityTicketContext } from './community-ticket-settings.js';
import type { StaffAlerts } from './staff-alerts.js';

export interface SatisfactionWatchDeps {
  staffAlerts: StaffAlerts;
  translator: Translator;
  now?: () => Date;
}

type Subject = { type: 'committee'; id: '' } | { type: 'staff'; id: string };

/** What one measurement did, per subject (for logs and tests). */
export interface SatisfactionMeasurement {
  subject: Subject;
  rate: SatisfactionRate;
  verdict: 'alert' | 'still_below' | 'ok' | 'too_few_ratings';
}

export class SatisfactionWatch {
  constructor(private readonly deps: SatisfactionWatchDeps) {}

  /**
   * Call in the transaction that records a rating (after the ticket's `rating`/`ratedAt` are
   * written). Returns the outbox rows of any alert; dispatch them after commit.
   */
  async recordRatingEffects(tx: Tx, ticketId: string): Promise<QueuedOutboxRow[]> {
    const { rows } = await this.measure(tx, ticketId);
    return rows;
  }

  /** `recordRatingEffects` with what was measured. */
  async measure(tx: Tx, ticketId: string): Promise<{ rows: QueuedOutboxRow[]; measurements: SatisfactionMeasurement[] }> {
    const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { communityId: true, resolvedById: true } });
    if (!ticket) return { rows: [], measurements: [] };
    const { communityId } = ticket;
    const context = await loadCommunityTicketContext(tx, communityId);
    const policy: SatisfactionPolicy = context.settings.satisfaction;
    const now = this.deps.now?.() ?? new Date();
    const rated = await tx.ticket.findMany({
      where: { communityId, rating: { not: null }, ratedAt: { gt: new Date(now.getTime() - policy.windowDays * 86_400_000), lte: now } },
      select: { id: true, rating: true, ratedAt: true, resolvedById: true },
    });
    const facts: RatingFact[] = rated.map((t) => ({ ticketId: t.id, stars: t.rating!, ratedAt: t.ratedAt!, staffId: t.resolvedById }));
    const rolling = rollingSatisfaction(facts, now, policy);

    const subjects: Array<{ subject: Subject; rate: SatisfactionRate }> = [{ subject: { type: 'committee', id: '' }, rate: rolling.committee }];
    if (ticket.resolvedById) {
      const rate = rolling.byStaff.get(ticket.resolvedById) ?? { satisfied: 0, total: 0, rate: null };
      subjects.push({ subject: { type: 'staff', id: ticket.resolvedById }, rate });
    }

    const rows: QueuedOutboxRow[] = [];
    const measurements: SatisfactionMeasurement[] = [];
    for (const { subject, rate } of subjects) {
      const key = { communityId, subjectType: subject.type, subjectId: subject.id };
      await tx.satisfactionAlert.createMany({ data: [key], skipDuplicates: true });
      const state = await tx.satisfactionAlert.findUniqueOrThrow({ where: { communityId_subjectType_subjectId: key }, select: { armed: true } });
      let { verdict } = evaluateSatisfactionAlert(rate, state, policy);
      if (verdict === 'alert') {
        const claimed = await tx.satisfactionAlert.updateMany({ where: { ...key, armed: true }, data: { armed: false, alertedAt: now } });
        if (claimed.count === 1) rows.push(...(await this.alert(tx, communityId, subject, rate, policy)));
        else verdict = 'still_below';
      } else if (verdict === 'ok' && !state.armed) {
        await tx.satisfactionAlert.updateMany({ where: key, data: { armed: true } });
      }
      measurements.push({ subject, rate, verdict });
    }
    return { rows, measurements };
  }

  private async alert(tx: Tx, communityId: string, subject: Subject, rate: SatisfactionRate, policy: SatisfactionPolicy): Promise<QueuedOutboxRow[]> {
    const { translator } = this.deps;
    const vars = { percent: percentDown(rate), satisfied: rate.satisfied, total: rate.total, days: policy.windowDays };
    if (subject.type === 'committee') {
      return this.deps.staffAlerts.toCommittee(tx, { communityId, text: (locale) => translator.t(locale, 'tickets.alert.satisfaction_committee', vars) });
    }
    // Staff see each other's names in the staff chat; the name is never logged.
    const staff = await tx.resident.findUnique({ where: { id: subject.id }, select: { name: true } });
    return this.deps.staffAlerts.toCommittee(tx, {
      communityId,
      text: (locale) => translator.t(locale, 'tickets.alert.satisfaction_staff', { ...vars, name: staff?.name ?? '—' }),
    });
  }
}

/**
 * The rate as a percentage cut (not rounded) to one decimal: 599 of 1000 reads 59.9, never 60,
 * so the text of an alert never shows the threshold itself.
 */
export function percentDown(rate: Pick<SatisfactionRate, 'satisfied' | 'total'>): string {
  if (rate.total === 0) return '0';
  const tenths = Math.floor((rate.satisfied * 1000) / rate.total);
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}
