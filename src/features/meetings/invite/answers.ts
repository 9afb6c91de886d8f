/**
 * A person's side of their invitations: the meetings still ahead with their answer, answering
 * (attend / cannot with a reason / maybe — changeable until the meeting starts), and their own
 * reminder offsets (for every meeting still ahead, and kept for the meetings they are invited to
 * later: call-meeting.ts copies the last they chose; empty = each meeting's own). An answer or new
 * offsets re-set the meeting's reminder jobs after the commit (a new offset needs its job; a
 * decliner is skipped by the job itself).
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { RsvpAnswer } from '../rules/rsvp.js';
import type { MeetingWatcher } from '../reminders/meeting-reminders.js';

export interface UpcomingInvitation {
  number: string;
  type: string;
  title: string;
  place: string | null;
  startsAt: Date;
  endsAt: Date;
  agenda: unknown;
  rsvp: string;
  reminderOffsets: number[];
  meetingOffsets: number[];
}

/** Upcoming meetings are listed at most this many at once. */
export const UPCOMING_SHOWN = 10;

export async function upcomingInvitations(tx: Tx, residentId: string, now: Date): Promise<UpcomingInvitation[]> {
  const rows = await tx.meetingInvitation.findMany({
    where: { residentId, meeting: { status: 'scheduled', startsAt: { gt: now } } },
    select: {
      rsvp: true,
      reminderOffsets: true,
      meeting: { select: { number: true, type: true, title: true, place: true, startsAt: true, endsAt: true, agenda: true, reminderOffsets: true } },
    },
    orderBy: { meeting: { startsAt: 'asc' } },
    take: UPCOMING_SHOWN,
  });
  return rows.map(({ rsvp, reminderOffsets, meeting }) => ({ ...meeting, rsvp, reminderOffsets, meetingOffsets: meeting.reminderOffsets }));
}

export type AnswerOutcome = { status: 'recorded'; meetingId: string } | { status: 'not_found' | 'closed' };

export async function answerInvitation(tx: Tx, watcher: MeetingWatcher, input: { communityId: string; residentId: string; number: string; answer: RsvpAnswer; reason: string | null; now: Date }): Promise<AnswerOutcome> {
  const invitation = await tx.meetingInvitation.findFirst({
    where: { residentId: input.residentId, meeting: { communityId: input.communityId, number: input.number } },
    select: { id: true, meeting: { select: { id: true, status: true, startsAt: true } } },
  });
  if (!invitation) return { status: 'not_found' };
  if (invitation.meeting.status !== 'scheduled' || invitation.meeting.startsAt.getTime() <= input.now.getTime()) return { status: 'closed' };
  await tx.meetingInvitation.update({
    where: { id: invitation.id },
    data: { rsvp: input.answer, reason: input.answer === 'cannot' ? (input.reason?.slice(0, 500) ?? null) : null, respondedAt: input.now },
  });
  watcher.meetingChanged(tx, invitation.meeting.id, null);
  return { status: 'recorded', meetingId: invitation.meeting.id };
}

/** Sets the person's own offsets on every meeting still ahead; returns how many. */
export async function setOwnOffsets(tx: Tx, watcher: MeetingWatcher, residentId: string, offsets: number[], now: Date): Promise<number> {
  const ahead = await tx.meetingInvitation.findMany({ where: { residentId, meeting: { status: 'scheduled', startsAt: { gt: now } } }, select: { id: true, meetingId: true } });
  if (ahead.length === 0) return 0;
  await tx.meetingInvitation.updateMany({ where: { id: { in: ahead.map(({ id }) => id) } }, data: { reminderOffsets: offsets } });
  for (const { meetingId } of ahead) watcher.meetingChanged(tx, meetingId, null);
  return ahead.length;
}
