/**
 * The reminders of booked visits, as delayed queue jobs keyed by booking, version and kind
 * (`reminder-<booking>-v<version>-day_before`): adding the same job twice yields one.
 *
 * - After the commit that books, moves or cancels a visit (`bookingChanged`, through
 *   `runAfterCommit`) the jobs of the old version are removed and those of the new one added
 *   (none for a cancelled visit, none whose moment has passed).
 * - A job re-reads the booking: another version or a cancelled booking does nothing; before its
 *   moment (a clock behind another host's) it is tried again later; after the visit began it is
 *   dropped. The reminder is recorded in `remindersSent` with a guarded update in the
 *   transaction that writes the message, so a job run twice, or again after a restart, sends it once.
 * - `sweep` — at start — schedules every booked visit still ahead again: a job lost with its
 *   queue comes back, and one that exists is left alone (same id).
 */
import { finishCommitted, runAfterCommit, transactionWithAfterCommit } from '../../../db/after-commit.js';
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import type { Logger } from '../../../log/logger.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { LinliQueue } from '../../../queue/backend.js';
import { jobIds, type JobPayload } from '../../../queue/jobs.js';
import { writeTicketNotice } from '../../tickets/service/ticket-notices.js';
import type { TicketServiceDeps } from '../../tickets/service/ticket-service-deps.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';
import { REMINDER_KINDS, reminderStanding, upcomingReminders } from '../rules/reminders.js';
import { bookedBy } from './booking-rows.js';
import type { BookingWatcher } from './housekeeping-deps.js';
import { HousekeepingWords } from './housekeeping-words.js';

export type ReminderJob = JobPayload<'housekeeping-reminders'>;

/** What a reminder job found. */
export type ReminderOutcome = 'gone' | 'stale' | 'late' | 'already_sent' | 'sent';

/** Thrown when a job runs before its moment: the queue tries it again later. */
export class ReminderNotDueError extends Error {
  override readonly name = 'ReminderNotDueError';
}

export interface VisitRemindersDeps {
  prisma: PrismaClient;
  queue: LinliQueue<ReminderJob>;
  tickets: Pick<TicketServiceDeps, 'notifier' | 'translator'>;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
  now(): Date;
}

const REMINDER_SELECT = {
  id: true,
  communityId: true,
  status: true,
  version: true,
  remindersSent: true,
  slot: { select: { date: true, startTime: true, endTime: true, startsAt: true } },
  service: { select: { code: true, names: true } },
  ticket: { select: { id: true, number: true, reporterId: true, filedById: true } },
} as const;

export class VisitReminders implements BookingWatcher {
  constructor(private readonly deps: VisitRemindersDeps) {}

  bookingChanged(tx: Tx, bookingId: string, previousVersion: number | null): void {
    runAfterCommit(tx, async () => {
      try {
        if (previousVersion !== null) await this.unschedule(bookingId, previousVersion);
        await this.schedule(bookingId);
      } catch (error) {
        // The change has committed: the sweep at the next start mends lost jobs, and a stale one does nothing.
        this.deps.logger.warn({ bookingId, err: error instanceof Error ? error.name : 'unknown' }, 'housekeeping reminders not scheduled');
      }
    });
  }

  /** Adds the jobs of the booking's current version still to come; returns how many. */
  async schedule(bookingId: string): Promise<number> {
    const booking = await this.deps.prisma.housekeepingBooking.findUnique({ where: { id: bookingId }, select: REMINDER_SELECT });
    if (!booking || booking.status !== 'booked') return 0;
    const now = this.deps.now();
    const due = upcomingReminders(booking.slot.startsAt, now).filter(({ kind }) => !booking.remindersSent.includes(kind));
    for (const { kind, at } of due) {
      const payload: ReminderJob = { bookingId, version: booking.version, kind };
      await this.deps.queue.add('reminder', payload, {
        jobId: jobIds['housekeeping-reminders'](payload),
        delay: Math.max(0, at.getTime() - now.getTime()),
        attempts: 8,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: true,
        removeOnFail: true,
      });
    }
    return due.length;
  }

  /**
   * Removes the jobs of one version. One that cannot be removed (running right now) is left: it
   * finds the new version and does nothing, and the new version's jobs are added all the same.
   */
  async unschedule(bookingId: string, version: number): Promise<void> {
    for (const kind of REMINDER_KINDS) {
      await this.deps.queue.remove(jobIds['housekeeping-reminders']({ bookingId, version, kind })).catch((error: unknown) => {
        this.deps.logger.debug({ bookingId, kind, err: error instanceof Error ? error.name : 'unknown' }, 'old housekeeping reminder left to find itself stale');
      });
    }
  }

  /** Schedules every booked visit of the community still ahead again; returns how many jobs that asked for. */
  async sweep(communityId: string): Promise<number> {
    const now = this.deps.now();
    const booked = await this.deps.prisma.housekeepingBooking.findMany({
      where: { communityId, status: 'booked', slot: { startsAt: { gt: now } } },
      select: { id: true },
    });
    let jobs = 0;
    for (const { id } of booked) jobs += await this.schedule(id);
    return jobs;
  }

  /** Runs one reminder job (see the file's comment). */
  async handle(job: ReminderJob): Promise<ReminderOutcome> {
    const committed = await transactionWithAfterCommit(this.deps.prisma, (tx) => this.remind(tx, job));
    // The notice's rows were registered for after the commit where they were written.
    await finishCommitted(committed, this.deps.outbox);
    if (committed.value.outcome === 'sent') this.deps.logger.info({ bookingId: job.bookingId, kind: job.kind }, 'housekeeping reminder sent');
    return committed.value.outcome;
  }

  private async remind(tx: Tx, job: ReminderJob): Promise<{ outcome: ReminderOutcome }> {
    const booking = await tx.housekeepingBooking.findUnique({ where: { id: job.bookingId }, select: REMINDER_SELECT });
    if (!booking) return { outcome: 'gone' };
    if (booking.status !== 'booked' || booking.version !== job.version) return { outcome: 'stale' };
    const standing = reminderStanding(job.kind, booking.slot.startsAt, this.deps.now());
    if (standing === 'early') throw new ReminderNotDueError(`reminder ${job.kind} ran early`);
    if (standing === 'late') return { outcome: 'late' };
    const recorded = await tx.housekeepingBooking.updateMany({
      where: { id: booking.id, version: job.version, status: 'booked', NOT: { remindersSent: { has: job.kind } } },
      data: { remindersSent: { push: job.kind } },
    });
    if (recorded.count === 0) return { outcome: 'already_sent' };
    const residentId = bookedBy(booking);
    if (!residentId) return { outcome: 'sent' };
    const settings = await loadTicketSettings(tx, booking.communityId);
    await writeTicketNotice(tx, this.deps.tickets, settings, {
      residentId,
      ticketId: booking.ticket.id,
      key: job.kind === 'day_before' ? 'housekeeping.reminder.day_before' : 'housekeeping.reminder.hour_before',
      vars: (words) => {
        const hk = new HousekeepingWords(this.deps.tickets.translator, words.locale, settings.timezone);
        return { number: booking.ticket.number, service: hk.service(booking.service), visit: hk.visit(booking.slot) };
      },
    });
    return { outcome: 'sent' };
  }
}
