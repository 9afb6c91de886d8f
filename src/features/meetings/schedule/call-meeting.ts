/**
 * Staff call, move and cancel meetings (the command line, the staff chat): each through the
 * policy's `meeting.call` (scoped to the meeting's areas; refusals audited), in the caller's
 * transaction, with everyone invited told in chat and the reminders moved after the commit.
 *
 * - Calling a meeting resolves its audience to invitations (one per person), composes its agenda
 *   (a forum's takes the tickets escalated to that sitting; an assembly's the committee's report)
 *   and sends the invitation.
 * - Moving it bumps its version (the old reminders find themselves stale; the new ones are set)
 *   and tells everyone invited; cancelling does the same and sets no reminders.
 */
import type { Prisma, Tx } from '../../../db/prisma-types.js';
import { queueAfterCommit } from '../../../db/after-commit.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { checkAudited } from '../../policy/audited-check.js';
import type { DenialReason } from '../../policy/denials.js';
import { writeMeetingNotices, type MeetingNoticeKind } from '../invite/meeting-notices.js';
import { composeAgenda } from '../rules/agenda.js';
import { readAudience, type MeetingAudience } from '../rules/audience.js';
import { DEFAULT_AUDIENCE, type MeetingType } from '../rules/meeting-types.js';
import { DEFAULT_REMINDER_OFFSETS, normaliseOffsets } from '../rules/reminders.js';
import { nextMeetingNumber } from '../rules/rsvp.js';
import type { MeetingsDeps } from './meetings-deps.js';
import { resolveInvitees } from './resolve-invitees.js';
import { MEETING_MESSAGE_FIELDS } from '../meeting-fields.js';

export interface MeetingCall {
  communityId: string;
  actor: Actor;
  type: MeetingType;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  place?: string | null;
  audience?: MeetingAudience;
  agenda?: readonly string[];
  reminderOffsets?: readonly number[];
  seriesId?: string | null;
}

export type CallResult =
  | { status: 'called'; meetingId: string; number: string; invited: number }
  | { status: 'denied'; reason: DenialReason }
  | { status: 'invalid'; problem: 'past' | 'duration' | 'title' };

export type ChangeResult = { status: 'moved' | 'cancelled'; number: string; told: number } | { status: 'denied'; reason: DenialReason } | { status: 'not_found' | 'not_scheduled' | 'past' | 'same' };

const MEETING_FOR_NOTICE = {
  ...MEETING_MESSAGE_FIELDS,
  audience: true,
  community: { select: { timezone: true } },
} as const;

/** The per-community advisory lock numbering meetings (two calls at once never share a number). */
async function nextNumber(tx: Tx, communityId: string, year: number): Promise<string> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`meeting-number:${communityId}`}))`;
  const last = await tx.meeting.findFirst({ where: { communityId, number: { startsWith: `HY-${year}-` } }, orderBy: { number: 'desc' }, select: { number: true } });
  return nextMeetingNumber(year, last?.number ?? null);
}

/** Tickets escalated to the forum sitting at `startsAt` (or waiting for a sitting), not handled. */
async function escalatedTo(tx: Tx, communityId: string, startsAt: Date): Promise<{ ticketId: string; text: string }[]> {
  const items = await tx.agendaItem.findMany({
    where: { communityId, handledAt: null, OR: [{ meetingAt: null }, { meetingAt: { lte: startsAt } }] },
    select: { ticketId: true, ticket: { select: { number: true, description: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return items.map(({ ticketId, ticket }) => ({ ticketId, text: `${ticket.number} ${ticket.description.slice(0, 80)}` }));
}

/**
 * The reminder offsets on each person's latest invitation — what they last chose, since a choice
 * is written on every invitation ahead (empty: the meetings' own) — which a new invitation keeps.
 */
async function ownOffsetsOf(tx: Tx, residentIds: readonly string[]): Promise<Map<string, number[]>> {
  const chosen = await tx.meetingInvitation.findMany({
    where: { residentId: { in: [...residentIds] } },
    select: { residentId: true, reminderOffsets: true },
    orderBy: { createdAt: 'desc' },
    distinct: ['residentId'],
  });
  return new Map(chosen.map(({ residentId, reminderOffsets }) => [residentId, reminderOffsets]));
}

function areasOf(audience: MeetingAudience): string[] {
  return audience.everyone ? [] : (audience.areaIds ?? []);
}

export async function callMeeting(tx: Tx, deps: MeetingsDeps, call: MeetingCall): Promise<CallResult> {
  const now = deps.now();
  const audience = call.audience ?? DEFAULT_AUDIENCE[call.type];
  const decision = await checkAudited(tx, {
    communityId: call.communityId,
    actor: call.actor,
    action: 'meeting.call',
    subject: { communityId: call.communityId, areaIds: areasOf(audience) },
    target: { type: 'meeting', id: null },
    now,
  });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  if (!call.title.trim() || call.title.length > 200) return { status: 'invalid', problem: 'title' };
  if (call.startsAt.getTime() <= now.getTime()) return { status: 'invalid', problem: 'past' };
  if (!Number.isInteger(call.durationMinutes) || call.durationMinutes < 15 || call.durationMinutes > 24 * 60) return { status: 'invalid', problem: 'duration' };
  const community = await tx.community.findUniqueOrThrow({ where: { id: call.communityId }, select: { timezone: true } });
  const number = await nextNumber(tx, call.communityId, call.startsAt.getUTCFullYear());
  const escalated = call.type === 'forum' ? await escalatedTo(tx, call.communityId, call.startsAt) : [];
  const agenda = composeAgenda(call.type, call.agenda ?? [], escalated);
  const offsets = normaliseOffsets(call.reminderOffsets ?? DEFAULT_REMINDER_OFFSETS);
  const meeting = await tx.meeting.create({
    data: {
      communityId: call.communityId,
      seriesId: call.seriesId ?? null,
      number,
      type: call.type,
      title: call.title.trim(),
      agenda: agenda as unknown as Prisma.InputJsonValue,
      place: call.place ?? null,
      startsAt: call.startsAt,
      endsAt: new Date(call.startsAt.getTime() + call.durationMinutes * 60_000),
      audience: audience as Prisma.InputJsonValue,
      reminderOffsets: offsets,
      createdById: call.actor.kind === 'person' ? call.actor.residentId : null,
    },
    select: MEETING_FOR_NOTICE,
  });
  const invitees = await resolveInvitees(tx, call.communityId, audience, now);
  if (invitees.length > 0) {
    const own = await ownOffsetsOf(tx, invitees);
    await tx.meetingInvitation.createMany({ data: invitees.map((residentId) => ({ meetingId: meeting.id, residentId, reminderOffsets: own.get(residentId) ?? [] })), skipDuplicates: true });
  }
  await recordAudit(tx, { communityId: call.communityId, actor: call.actor, action: 'meeting.called', subjectType: 'meeting', subjectId: meeting.id, details: { number, invited: invitees.length } });
  const rows = await writeMeetingNotices(tx, deps.notices, meeting, community.timezone, 'invitation', invitees.map((residentId) => ({ residentId, rsvp: 'pending' })));
  queueAfterCommit(tx, rows);
  deps.watcher.meetingChanged(tx, meeting.id, null);
  return { status: 'called', meetingId: meeting.id, number, invited: invitees.length };
}

export interface MeetingChange {
  communityId: string;
  actor: Actor;
  number: string;
  /** A move: the new start (the length is kept). Absent: a cancellation. */
  startsAt?: Date;
  place?: string | null;
  reason?: string;
}

/** Moves or cancels a scheduled meeting still ahead, telling everyone invited. */
export async function changeMeeting(tx: Tx, deps: MeetingsDeps, change: MeetingChange): Promise<ChangeResult> {
  const now = deps.now();
  const meeting = await tx.meeting.findUnique({ where: { communityId_number: { communityId: change.communityId, number: change.number.toUpperCase() } }, select: MEETING_FOR_NOTICE });
  const decision = await checkAudited(tx, {
    communityId: change.communityId,
    actor: change.actor,
    action: 'meeting.call',
    subject: { communityId: change.communityId, areaIds: meeting ? areasOf(readAudience(meeting.audience)) : [] },
    target: { type: 'meeting', id: meeting?.id ?? null },
    now,
  });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  if (!meeting) return { status: 'not_found' };
  if (meeting.status !== 'scheduled') return { status: 'not_scheduled' };
  const moving = change.startsAt !== undefined;
  if (moving && change.startsAt!.getTime() <= now.getTime()) return { status: 'past' };
  if (moving && change.startsAt!.getTime() === meeting.startsAt.getTime() && (change.place === undefined || change.place === meeting.place)) return { status: 'same' };
  const length = meeting.endsAt.getTime() - meeting.startsAt.getTime();
  const data: Prisma.MeetingUpdateManyMutationInput = moving
    ? { startsAt: change.startsAt!, endsAt: new Date(change.startsAt!.getTime() + length), version: { increment: 1 }, ...(change.place !== undefined ? { place: change.place } : {}) }
    : { status: 'cancelled', cancelledAt: now, cancelReason: change.reason?.slice(0, 500) ?? null, version: { increment: 1 } };
  const updated = await tx.meeting.updateMany({ where: { id: meeting.id, version: meeting.version, status: 'scheduled' }, data });
  if (updated.count === 0) return { status: 'not_scheduled' };
  const after = await tx.meeting.findUniqueOrThrow({ where: { id: meeting.id }, select: MEETING_FOR_NOTICE });
  const invited = await tx.meetingInvitation.findMany({ where: { meetingId: meeting.id }, select: { residentId: true, rsvp: true } });
  const kind: MeetingNoticeKind = moving ? 'changed' : 'cancelled';
  await recordAudit(tx, { communityId: change.communityId, actor: change.actor, action: moving ? 'meeting.moved' : 'meeting.cancelled', subjectType: 'meeting', subjectId: meeting.id, details: { number: meeting.number, version: after.version } });
  const rows = await writeMeetingNotices(tx, deps.notices, after, meeting.community.timezone, kind, invited);
  queueAfterCommit(tx, rows);
  deps.watcher.meetingChanged(tx, meeting.id, meeting.version);
  return { status: moving ? 'moved' : 'cancelled', number: meeting.number, told: invited.length };
}
