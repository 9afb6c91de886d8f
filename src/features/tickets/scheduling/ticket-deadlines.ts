/**
 * Deadline jobs (docs/domain.md rules 1 and 10, the escalation ladder in rules/escalation.ts).
 *
 * `schedule(ticketId)` — called after the commit that filed or changed a ticket — adds one delayed
 * BullMQ job per pending step (first response, the committee's moment, resolution; `major` at
 * once), keyed by ticket id + version + step. A change bumps the ticket's version and schedules
 * the new version's jobs; the old ones still fire but find a newer version and do nothing.
 *
 * The job re-reads the ticket, asks `escalationFor` what is due now, and records each step with a
 * guarded update (`escalationsDone` must not hold it yet, the version must still be the job's), so
 * two workers, a repeated job and the sweep never take a step twice. The step's messages and
 * agenda item are written in that same transaction; recording a step does not bump the version
 * (the version is the ticket's own changes), so the round's later jobs stay valid.
 *
 * `sweep(communityId)` — at start and hourly — schedules again every open ticket's pending steps:
 * a job lost with a crashed Redis or a failed attempt is back within the hour; jobs that exist are
 * left alone (same id).
 */
import { finishCommitted, transactionWithAfterCommit } from '../../../db/after-commit.js';
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import type { AccountNotifier } from '../../../notify/account-notifier.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Logger } from '../../../log/logger.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { LinliQueue } from '../../../queue/backend.js';
import { jobIds, type JobPayload } from '../../../queue/jobs.js';
import { escalationFor, type Escalation, type ForumSchedule } from '../rules/escalation.js';
import { OPEN_STATUSES } from '../rules/statuses.js';
import { NO_EVENTS, type EventPublisher } from '../../../events/index.js';
import '../service/ticket-change.js';
import { loadCommunityTicketContext, type CommunityTicketContext } from './community-ticket-settings.js';
import { escalationTicket, pendingDeadlineSteps, type DeadlineTicketRow } from './deadline-steps.js';
import { localMinute } from './local-format.js';
import type { StaffAlerts } from './staff-alerts.js';
import { boundAccounts, nearestStewards } from './staff-directory.js';

export type DeadlineJob = JobPayload<'ticket-deadlines'>;

export interface TicketDeadlinesDeps {
  prisma: PrismaClient;
  queue: LinliQueue<DeadlineJob>;
  notifier: AccountNotifier;
  staffAlerts: StaffAlerts;
  translator: Translator;
  /** Hands outbox rows to delivery after commit (`OutboxDispatcher`). */
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  /** Where the `escalated` change is published (`ticket.changed`; default: nobody hears). */
  events?: EventPublisher;
  logger: Logger;
  now?: () => Date;
}

/** What a deadline job found. */
export type DeadlineOutcome = 'gone' | 'stale' | 'nothing_due' | 'escalated';

/** Thrown when a job fires before its instant (clock skew between hosts): it is retried later. */
export class DeadlineNotDueError extends Error {
  constructor(readonly dueAt: Date) {
    super(`deadline job ran before its time (${dueAt.toISOString()})`);
    this.name = 'DeadlineNotDueError';
  }
}

const SWEEP_PAGE = 200;

const ticketSelect = {
  id: true,
  communityId: true,
  number: true,
  version: true,
  status: true,
  category: true,
  major: true,
  areaId: true,
  assigneeId: true,
  firstRespondedAt: true,
  firstResponseDueAt: true,
  resolutionDueAt: true,
  escalationsDone: true,
  household: { select: { flags: true } },
} as const;

type TicketRow = {
  id: string;
  communityId: string;
  number: string;
  version: number;
  status: string;
  category: string;
  major: boolean;
  areaId: string | null;
  assigneeId: string | null;
  firstRespondedAt: Date | null;
  firstResponseDueAt: Date;
  resolutionDueAt: Date | null;
  escalationsDone: string[];
  household: { flags: string[] } | null;
};

export class TicketDeadlines {
  constructor(private readonly deps: TicketDeadlinesDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Adds the jobs of the ticket's current version; returns how many steps are pending. */
  async schedule(ticketId: string): Promise<number> {
    const ticket = await this.deps.prisma.ticket.findUnique({ where: { id: ticketId }, select: ticketSelect });
    if (!ticket) return 0;
    const context = await loadCommunityTicketContext(this.deps.prisma, ticket.communityId);
    return this.scheduleRow(ticket, context);
  }

  /** Schedules every open ticket of the community again; returns how many steps are pending. */
  async sweep(communityId: string): Promise<number> {
    const context = await loadCommunityTicketContext(this.deps.prisma, communityId);
    let cursor: string | undefined;
    let pending = 0;
    for (;;) {
      const page = await this.deps.prisma.ticket.findMany({
        where: { communityId, status: { in: [...OPEN_STATUSES] }, ...(cursor ? { id: { gt: cursor } } : {}) },
        orderBy: { id: 'asc' },
        take: SWEEP_PAGE,
        select: ticketSelect,
      });
      for (const ticket of page) pending += await this.scheduleRow(ticket, context);
      if (page.length < SWEEP_PAGE) return pending;
      cursor = page[page.length - 1]!.id;
    }
  }

  private async scheduleRow(ticket: TicketRow, context: CommunityTicketContext): Promise<number> {
    const now = this.now();
    const steps = pendingDeadlineSteps(escalationTicket(deadlineRow(ticket), context.settings), now);
    for (const { step, at } of steps) {
      const payload: DeadlineJob = { ticketId: ticket.id, version: ticket.version, step };
      await this.deps.queue.add('deadline', payload, {
        jobId: jobIds['ticket-deadlines'](payload),
        delay: Math.max(0, at.getTime() - now.getTime()),
        attempts: 8,
        backoff: { type: 'exponential', delay: 5_000 },
        // Gone once done or given up, so the sweep can add the same id again if it still matters.
        removeOnComplete: true,
        removeOnFail: true,
      });
    }
    return steps.length;
  }

  /** Runs one deadline job: takes every step due now, once. */
  async handle(job: DeadlineJob): Promise<DeadlineOutcome> {
    const committed = await transactionWithAfterCommit(this.deps.prisma, (tx) => this.escalate(tx, job));
    const result = committed.value;
    await finishCommitted(committed, this.deps.outbox, result.rows);
    if (result.outcome === 'escalated') this.deps.logger.info({ ticketId: job.ticketId, version: job.version, steps: result.steps }, 'ticket escalated');
    return result.outcome;
  }

  private async escalate(tx: Tx, job: DeadlineJob): Promise<{ outcome: DeadlineOutcome; rows: QueuedOutboxRow[]; steps: string[] }> {
    const ticket = await tx.ticket.findUnique({ where: { id: job.ticketId }, select: ticketSelect });
    if (!ticket) return { outcome: 'gone', rows: [], steps: [] };
    if (ticket.version !== job.version) return { outcome: 'stale', rows: [], steps: [] };
    const context = await loadCommunityTicketContext(tx, ticket.communityId);
    const now = this.now();
    const view = escalationTicket(deadlineRow(ticket), context.settings);
    const own = pendingDeadlineSteps(view, now).find((s) => s.step === job.step);
    if (own && own.at.getTime() > now.getTime()) throw new DeadlineNotDueError(own.at);

    const forum: ForumSchedule | null = context.settings.forumAnchor
      ? { anchor: new Date(context.settings.forumAnchor), timezone: context.settings.timezone }
      : null;
    const rows: QueuedOutboxRow[] = [];
    const taken: string[] = [];
    for (const escalation of escalationFor(view, now, forum)) {
      const claimed = await tx.ticket.updateMany({
        where: { id: ticket.id, version: job.version, NOT: { escalationsDone: { has: escalation.step } } },
        data: { escalationsDone: { push: escalation.step } },
      });
      if (claimed.count === 0) continue;
      rows.push(...(await this.takeStep(tx, ticket, context, escalation)));
      taken.push(escalation.step);
    }
    return { outcome: taken.length > 0 ? 'escalated' : 'nothing_due', rows, steps: taken };
  }

  private async takeStep(tx: Tx, ticket: TicketRow, context: CommunityTicketContext, escalation: Escalation): Promise<QueuedOutboxRow[]> {
    const { translator } = this.deps;
    const tz = context.settings.timezone;
    const due = localMinute(ticket.firstResponseDueAt, tz);
    const rows: QueuedOutboxRow[] = [];
    let details: Record<string, string | null> = { step: escalation.step };

    if (escalation.step === 'first_response_overdue') {
      const staff = [...new Set([...(ticket.assigneeId ? [ticket.assigneeId] : []), ...(await nearestStewards(tx, ticket.communityId, ticket.areaId, this.now()))])];
      const accounts = await boundAccounts(tx, ticket.communityId, staff);
      for (const chatAccountId of accounts) {
        rows.push(...(await this.deps.notifier.write(tx, { chatAccountId, key: 'tickets.escalation.first_response_overdue', vars: { number: ticket.number, due } })));
      }
      // Nobody to remind in their own chat: the committee hears of it now rather than at twice the time.
      if (accounts.length === 0) {
        rows.push(
          ...(await this.deps.staffAlerts.toCommittee(tx, {
            communityId: ticket.communityId,
            ticketId: ticket.id,
            text: (locale) => translator.t(locale, 'tickets.escalation.steward_unreachable', { number: ticket.number, due }),
          })),
        );
      }
      details = { ...details, remindedAccounts: String(accounts.length) };
    } else if (escalation.step === 'first_response_overdue_committee') {
      rows.push(
        ...(await this.deps.staffAlerts.toCommittee(tx, {
          communityId: ticket.communityId,
          ticketId: ticket.id,
          text: (locale) => translator.t(locale, 'tickets.escalation.committee_overdue', { number: ticket.number, due }),
        })),
      );
    } else {
      const { reason, forumAt } = escalation;
      await tx.agendaItem.createMany({ data: [{ communityId: ticket.communityId, ticketId: ticket.id, reason, meetingAt: forumAt }], skipDuplicates: true });
      rows.push(
        ...(await this.deps.staffAlerts.toCommittee(tx, {
          communityId: ticket.communityId,
          ticketId: ticket.id,
          text: (locale) =>
            translator.t(locale, 'tickets.escalation.forum_agenda', {
              number: ticket.number,
              reason: translator.t(locale, reason === 'major' ? 'tickets.escalation.reason_major' : 'tickets.escalation.reason_overdue'),
              meeting: forumAt ? localMinute(forumAt, tz) : translator.t(locale, 'tickets.escalation.meeting_unscheduled'),
            }),
        })),
      );
      details = { ...details, reason, meetingAt: forumAt ? forumAt.toISOString() : null };
    }

    const event = await tx.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'escalated', details }, select: { id: true } });
    await (this.deps.events ?? NO_EVENTS).publish(tx, 'ticket.changed', { communityId: ticket.communityId, ticketId: ticket.id, eventId: event.id, kind: 'escalated' });
    return rows;
  }
}

function deadlineRow(ticket: TicketRow): DeadlineTicketRow {
  return { ...ticket, householdFlags: ticket.household?.flags ?? [] };
}
