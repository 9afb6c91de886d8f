/**
 * A sitting's minutes as one record: the meeting, its agenda, attendance and quorum, every motion
 * with its tally, result and — on an open ballot only — who voted what, and the evaluation polls.
 * Read for staff who may run the sitting (`meeting.run`, refusals audited); the console shows it
 * live, prints it, and exports it as a workbook.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import type { Actor } from '../../../policy/actor.js';
import type { DenialReason } from '../../../policy/denials.js';
import { loadAttendance, type Attendance } from '../service/attendance.js';
import { checkMeetingRun } from '../service/floor-check.js';
import type { FloorMeeting } from '../service/meeting-lookup.js';

export interface MinutesMotion {
  position: number;
  kind: string;
  title: string;
  ballot: string;
  status: string;
  yes: number | null;
  no: number | null;
  abstain: number | null;
  presentAtClose: number | null;
  result: string | null;
  /** Votes cast so far (live while the vote is open). */
  cast: number;
  /** Open ballots only: names by choice. */
  names: { yes: string[]; no: string[]; abstain: string[] } | null;
}

export interface MinutesPoll {
  subject: string | null;
  status: string;
  satisfied: number | null;
  answered: number | null;
  rectify: boolean;
}

export interface Minutes {
  meeting: FloorMeeting & { place: string | null; closedAt: Date | null; cancelReason: string | null };
  agenda: string[];
  attendance: Attendance;
  motions: MinutesMotion[];
  polls: MinutesPoll[];
}

export async function loadMinutes(tx: Tx, meeting: FloorMeeting, actor: Actor, now: Date): Promise<{ status: 'ok'; minutes: Minutes } | { status: 'denied'; reason: DenialReason }> {
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.minutes_viewed', now);
  if (denied) return denied;
  const row = await tx.meeting.findUniqueOrThrow({ where: { id: meeting.id }, select: { agenda: true, place: true, closedAt: true, cancelReason: true } });
  const agenda = Array.isArray(row.agenda) ? row.agenda.map((item) => (item && typeof item === 'object' && 'text' in item ? String((item as { text: unknown }).text) : '')).filter(Boolean) : [];
  const attendance = await loadAttendance(tx, meeting, now);
  const motions = await tx.motion.findMany({ where: { meetingId: meeting.id }, orderBy: { position: 'asc' }, include: { votes: { select: { choice: true, residentId: true }, orderBy: { castAt: 'asc' } } } });
  const ids = motions.flatMap((m) => m.votes.map((v) => v.residentId)).filter((id): id is string => id !== null);
  const people = new Map((await tx.resident.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  const polls = await tx.evaluationPoll.findMany({ where: { meetingId: meeting.id }, orderBy: { openedAt: 'asc' } });
  const subjects = new Map(
    (await tx.resident.findMany({ where: { id: { in: polls.map((p) => p.subjectId).filter((id): id is string => id !== null) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]),
  );
  return {
    status: 'ok',
    minutes: {
      meeting: { ...meeting, place: row.place, closedAt: row.closedAt, cancelReason: row.cancelReason },
      agenda,
      attendance,
      motions: motions.map((m) => {
        const of = (choice: string) => m.votes.filter((v) => v.choice === choice && v.residentId).map((v) => people.get(v.residentId!) ?? '');
        return {
          position: m.position,
          kind: m.kind,
          title: m.title,
          ballot: m.ballot,
          status: m.status,
          yes: m.yes,
          no: m.no,
          abstain: m.abstain,
          presentAtClose: m.presentAtClose,
          result: m.result,
          cast: m.votes.length,
          names: m.ballot === 'open' ? { yes: of('yes'), no: of('no'), abstain: of('abstain') } : null,
        };
      }),
      polls: polls.map((p) => ({ subject: p.subjectId ? (subjects.get(p.subjectId) ?? null) : null, status: p.status, satisfied: p.satisfied, answered: p.answered, rectify: p.rectifyAt !== null })),
    },
  };
}
