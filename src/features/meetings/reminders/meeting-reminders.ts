/**
 * A meeting's reminders as delayed queue jobs, one per meeting, version and offset
 * (`meeting-reminder-<meeting>-v<version>-o<offset>`): adding the same job twice yields one, and
 * one job reminds everyone due at that offset in one transaction (a bulk send, not a job a person).
 *
 * - After the commit that calls, moves or cancels a meeting, or changes someone's offsets
 *   (`meetingChanged`, through `runAfterCommit`) the old version's jobs are removed and the
 *   current version's added (none for a cancelled meeting, none whose moment has passed).
 * - A job re-reads the meeting: another version or a cancelled meeting does nothing; before its
 *   moment it is tried again later (never a minute early); after the start it is dropped. Each
 *   reminder is recorded in `remindersSent` (`<version>:<offset>`) by one guarded statement that
 *   returns whom it recorded, in the transaction that writes their messages: a job run twice, or
 *   again after a restart, reminds nobody twice. Nobody who declined is reminded.
 * - `sweep` — at start and every quarter hour — schedules every meeting still ahead again: a job
 *   lost with its queue, or a meeting called from the command line, gets its jobs (same ids).
 */
import { finishCommitted, queueAfterCommit, runAfterCommit, transactionWithAfterCommit } from '../../../db/after-commit.js';
import { Prisma, type PrismaClient, type Tx } from '../../../db/prisma-types.js';
import type { Logger } from '../../../log/logger.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { LinliQueue } from '../../../queue/backend.js';
import { jobIds, type JobPayload } from '../../../queue/jobs.js';
import { writeMeetingNotices, type MeetingNoticeDeps } from '../invite/meeting-notices.js';
import { jobOffsets, reminderMoment, reminderStanding, remindsInvitee, sentKey } from '../rules/reminders.js';
import { MEETING_MESSAGE_FIELDS } from '../meeting-fields.js';

export type MeetingReminderJob = JobPayload<'meeting-reminders'>;

export type MeetingReminderOutcome = 'gone' | 'stale' | 'late' | 'sent';

/** Thrown when a job runs before its moment: the queue tries it again later. */
export class MeetingReminderNotDueError extends Error {
  override readonly name = 'MeetingReminderNotDueError';
}

/** What changes to a meeting tell its reminders. */
export interface MeetingWatcher {
  meetingChanged(tx: Tx, meetingId: string, previousVersion: number | null): void;
}

export interface MeetingRemindersDeps {
  prisma: PrismaClient;
  queue: LinliQueue<MeetingReminderJob>;
  notices: MeetingNoticeDeps;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
  now(): Date;
}

const MEETING_SELECT = {
  ...MEETING_MESSAGE_FIELDS,
  reminderOffsets: true,
  community: { select: { timezone: true } },
} as const;

export class MeetingReminders implements MeetingWatcher {
  constructor(private readonly deps: MeetingRemindersDeps) {}

  meetingChanged(tx: Tx, meetingId: string, previousVersion: number | null): void {
    runAfterCommit(tx, async () => {
      try {
        if (previousVersion !== null) await this.unschedule(meetingId, previousVersion);
        await this.schedule(meetingId);
      } catch (error) {
        // The change has committed: the next sweep mends lost jobs, and a stale one does nothing.
        this.deps.logger.warn({ meetingId, err: error instanceof Error ? error.name : 'unknown' }, 'meeting reminders not scheduled');
      }
    });
  }

  /** The offsets some invitee of the meeting is reminded at. */
  private async offsetsOf(meetingId: string, meetingOffsets: readonly number[]): Promise<number[]> {
    const personal = await this.deps.prisma.meetingInvitation.findMany({
      where: { meetingId, NOT: { reminderOffsets: { isEmpty: true } } },
      select: { reminderOffsets: true },
    });
    return jobOffsets(meetingOffsets, personal.map(({ reminderOffsets }) => reminderOffsets));
  }

  /** Adds the jobs of the meeting's current version still to come; returns how many. */
  async schedule(meetingId: string): Promise<number> {
    const meeting = await this.deps.prisma.meeting.findUnique({ where: { id: meetingId }, select: { id: true, status: true, version: true, startsAt: true, reminderOffsets: true } });
    if (!meeting || meeting.status !== 'scheduled') return 0;
    const now = this.deps.now();
    let added = 0;
    for (const offset of await this.offsetsOf(meetingId, meeting.reminderOffsets)) {
      const at = reminderMoment(meeting.startsAt, offset);
      if (at.getTime() <= now.getTime()) continue;
      const payload: MeetingReminderJob = { meetingId, version: meeting.version, offset };
      await this.deps.queue.add('reminder', payload, {
        jobId: jobIds['meeting-reminders'](payload),
        delay: at.getTime() - now.getTime(),
        attempts: 8,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: true,
        removeOnFail: true,
      });
      added += 1;
    }
    return added;
  }

  /** Removes an old version's jobs; one running now finds itself stale. */
  async unschedule(meetingId: string, version: number): Promise<void> {
    const meeting = await this.deps.prisma.meeting.findUnique({ where: { id: meetingId }, select: { reminderOffsets: true } });
    if (!meeting) return;
    for (const offset of await this.offsetsOf(meetingId, meeting.reminderOffsets)) {
      await this.deps.queue.remove(jobIds['meeting-reminders']({ meetingId, version, offset })).catch((error: unknown) => {
        this.deps.logger.debug({ meetingId, offset, err: error instanceof Error ? error.name : 'unknown' }, 'old meeting reminder left to find itself stale');
      });
    }
  }

  /** Schedules every meeting of the community still ahead; returns how many jobs that asked for. */
  async sweep(communityId: string): Promise<number> {
    const ahead = await this.deps.prisma.meeting.findMany({ where: { communityId, status: 'scheduled', startsAt: { gt: this.deps.now() } }, select: { id: true } });
    let jobs = 0;
    for (const { id } of ahead) jobs += await this.schedule(id);
    return jobs;
  }

  /** Runs one reminder job (see the file's comment). */
  async handle(job: MeetingReminderJob): Promise<{ outcome: MeetingReminderOutcome; reminded: number }> {
    const committed = await transactionWithAfterCommit(this.deps.prisma, (tx) => this.remind(tx, job), { timeout: 60_000, maxWait: 10_000 });
    await finishCommitted(committed, this.deps.outbox);
    const { outcome, reminded } = committed.value;
    if (outcome === 'sent') this.deps.logger.info({ meetingId: job.meetingId, offset: job.offset, reminded }, 'meeting reminders sent');
    return committed.value;
  }

  private async remind(tx: Tx, job: MeetingReminderJob): Promise<{ outcome: MeetingReminderOutcome; reminded: number }> {
    const meeting = await tx.meeting.findUnique({ where: { id: job.meetingId }, select: MEETING_SELECT });
    if (!meeting) return { outcome: 'gone', reminded: 0 };
    if (meeting.status !== 'scheduled' || meeting.version !== job.version) return { outcome: 'stale', reminded: 0 };
    const standing = reminderStanding(meeting.startsAt, job.offset, this.deps.now());
    if (standing === 'early') throw new MeetingReminderNotDueError(`meeting reminder ${job.offset} ran early`);
    if (standing === 'late') return { outcome: 'late', reminded: 0 };
    const invitations = await tx.meetingInvitation.findMany({
      where: { meetingId: meeting.id, rsvp: { not: 'cannot' } },
      select: { id: true, rsvp: true, reminderOffsets: true, remindersSent: true },
    });
    const due = invitations.filter((invitation) => remindsInvitee(invitation, meeting.reminderOffsets, job.version, job.offset)).map(({ id }) => id);
    if (due.length === 0) return { outcome: 'sent', reminded: 0 };
    const key = sentKey(job.version, job.offset);
    // One guarded statement records them all and says whom: a concurrent run of the same job records (and so reminds) nobody twice.
    const recorded = await tx.$queryRaw<{ residentId: string; rsvp: string }[]>(Prisma.sql`
      UPDATE "MeetingInvitation" SET "remindersSent" = array_append("remindersSent", ${key})
      WHERE "meetingId" = ${meeting.id} AND "id" = ANY(${due}::text[]) AND "rsvp" <> 'cannot' AND NOT (${key} = ANY("remindersSent"))
      RETURNING "residentId", "rsvp"`);
    const rows = await writeMeetingNotices(tx, this.deps.notices, meeting, meeting.community.timezone, 'reminder', recorded);
    queueAfterCommit(tx, rows);
    return { outcome: 'sent', reminded: recorded.length };
  }
}
