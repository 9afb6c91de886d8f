/**
 * A meeting by its number as staff type it (`HY-2026-00001`, any case), and the policy subject of
 * running it: the area its audience names when there is exactly one, else the whole community.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import { areaAncestry } from '../../../policy/area-ancestry.js';
import type { ScopeSubject } from '../../../policy/subjects.js';

export interface FloorMeeting {
  id: string;
  communityId: string;
  number: string;
  title: string;
  type: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  checkInCode: string | null;
  rollSize: number | null;
  audience: unknown;
}

const SELECT = {
  id: true,
  communityId: true,
  number: true,
  title: true,
  type: true,
  status: true,
  startsAt: true,
  endsAt: true,
  checkInCode: true,
  rollSize: true,
  audience: true,
} as const;

export async function findMeetingByNumber(tx: Tx, communityId: string, typed: string): Promise<FloorMeeting | null> {
  const number = typed.trim().toUpperCase();
  if (!/^HY-\d{4}-\d{1,5}$/.test(number)) return null;
  const [prefix, year, serial] = number.split('-');
  const canonical = `${prefix}-${year}-${serial!.padStart(5, '0')}`;
  return tx.meeting.findUnique({ where: { communityId_number: { communityId, number: canonical } }, select: SELECT });
}

export async function findMeeting(tx: Tx, meetingId: string): Promise<FloorMeeting | null> {
  return tx.meeting.findUnique({ where: { id: meetingId }, select: SELECT });
}

export async function meetingSubject(tx: Tx, meeting: FloorMeeting): Promise<ScopeSubject> {
  const audience = (meeting.audience ?? {}) as { areaIds?: unknown };
  const areaIds = Array.isArray(audience.areaIds) ? audience.areaIds.filter((id): id is string => typeof id === 'string') : [];
  return { communityId: meeting.communityId, areaIds: areaIds.length === 1 ? await areaAncestry(tx, areaIds[0]!) : [] };
}
