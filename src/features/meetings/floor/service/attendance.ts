/**
 * Who is present at a sitting, live: everyone checked in, how many of them are representatives
 * on the roll, and whether the quorum holds (strictly more than half of the roll, rule 2).
 */
import type { Tx } from '../../../../db/prisma-types.js';
import { hasQuorum, quorumNeeded } from '../rules/quorum.js';
import type { FloorMeeting } from './meeting-lookup.js';
import { representativeIds } from './roster-counts.js';

export interface Attendance {
  invited: number;
  /** Everyone checked in (they vote). */
  present: number;
  /** Representatives checked in (they make the quorum). */
  representativesPresent: number;
  rollSize: number;
  needed: number;
  quorum: boolean;
  /** Checked in, in order: for the console and the minutes. */
  people: { residentId: string; name: string; representative: boolean; checkedInAt: Date | null; checkedInBy: string | null }[];
}

export async function loadAttendance(tx: Tx, meeting: FloorMeeting, now: Date): Promise<Attendance> {
  const invitations = await tx.meetingInvitation.findMany({
    where: { meetingId: meeting.id },
    orderBy: [{ checkedInAt: 'asc' }, { createdAt: 'asc' }],
    select: { residentId: true, checkedInAt: true, checkedInBy: true, resident: { select: { name: true } } },
  });
  const representatives = await representativeIds(tx, meeting.communityId, now);
  const people = invitations.map((i) => ({
    residentId: i.residentId,
    name: i.resident.name,
    representative: representatives.has(i.residentId),
    checkedInAt: i.checkedInAt,
    checkedInBy: i.checkedInBy,
  }));
  const present = people.filter((p) => p.checkedInAt);
  const representativesPresent = present.filter((p) => p.representative).length;
  const rollSize = meeting.rollSize ?? representatives.size;
  return {
    invited: people.length,
    present: present.length,
    representativesPresent,
    rollSize,
    needed: quorumNeeded(rollSize),
    quorum: hasQuorum(representativesPresent, rollSize),
    people,
  };
}
