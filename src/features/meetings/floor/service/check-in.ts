/**
 * Check-in at a sitting. Staff open it (`meeting.run`): the room's six-digit code is drawn and the
 * roll is fixed from the roster's current representatives (the quorum is more than half of them).
 * An invited person then checks in by the button, by typing the code to the bot, or is checked in
 * by staff — within the window (30 minutes before the start to the end). Checking in twice keeps
 * the first time. Wrong codes are audited per chat account; after a few in a short while the
 * account is told to wait, so the code cannot be guessed.
 */
import { randomInt } from 'node:crypto';
import type { Tx } from '../../../../db/prisma-types.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { CHECK_IN_EARLY_MINUTES, checkInWindow, codeThrottled, WRONG_CODE_WINDOW_MINUTES, type WindowState } from '../rules/check-in-window.js';
import { checkMeetingRun, type Denied } from './floor-check.js';
import type { FloorMeeting } from './meeting-lookup.js';
import { representativeIds } from './roster-counts.js';

export type CheckInMethod = 'button' | 'code' | 'staff';
const WRONG_CODE_ACTION = 'meeting.check_in_code_wrong';

export type OpenCheckInOutcome = { status: 'opened' | 'already_open'; code: string; rollSize: number } | { status: 'over' } | { status: 'cancelled' } | Denied;

export async function openCheckIn(tx: Tx, meeting: FloorMeeting, actor: Actor, now: Date): Promise<OpenCheckInOutcome> {
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.check_in_opened', now);
  if (denied) return denied;
  if (meeting.status === 'cancelled') return { status: 'cancelled' };
  if (checkInWindow(meeting, now) === 'over' || meeting.status === 'closed') return { status: 'over' };
  if (meeting.checkInCode && meeting.rollSize !== null) return { status: 'already_open', code: meeting.checkInCode, rollSize: meeting.rollSize };
  const code = await freshCode(tx, meeting.communityId);
  const rollSize = (await representativeIds(tx, meeting.communityId, now)).size;
  await tx.meeting.update({ where: { id: meeting.id }, data: { checkInCode: code, rollSize, status: 'held' } });
  await recordAudit(tx, { communityId: meeting.communityId, actor, action: 'meeting.check_in_opened', subjectType: 'meeting', subjectId: meeting.id, details: { rollSize } });
  return { status: 'opened', code, rollSize };
}

/** A code no other sitting of the community has open: a typed code names one meeting. */
async function freshCode(tx: Tx, communityId: string): Promise<string> {
  for (;;) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const taken = await tx.meeting.count({ where: { communityId, checkInCode: code, status: 'held' } });
    if (taken === 0) return code;
  }
}

export type CheckInOutcome =
  | { status: 'checked_in' | 'already'; meeting: FloorMeeting; checkedInAt: Date }
  | { status: 'not_open' | 'not_invited' | 'closed'; meeting: FloorMeeting }
  | { status: 'window'; meeting: FloorMeeting; window: Exclude<WindowState, 'open'> };

/** Checks a person in (the button, a typed code found, or staff doing it for them). */
export async function checkIn(tx: Tx, meeting: FloorMeeting, residentId: string, method: CheckInMethod, now: Date): Promise<CheckInOutcome> {
  // Closed: its attendance is part of the final minutes.
  if (meeting.status === 'closed') return { status: 'closed', meeting };
  if (meeting.status !== 'held' || !meeting.checkInCode) return { status: 'not_open', meeting };
  const window = checkInWindow(meeting, now);
  if (window !== 'open') return { status: 'window', meeting, window };
  const invitation = await tx.meetingInvitation.findUnique({ where: { meetingId_residentId: { meetingId: meeting.id, residentId } } });
  if (!invitation) return { status: 'not_invited', meeting };
  if (invitation.checkedInAt) return { status: 'already', meeting, checkedInAt: invitation.checkedInAt };
  // Guarded: two presses at once leave the first time.
  const updated = await tx.meetingInvitation.updateMany({ where: { id: invitation.id, checkedInAt: null }, data: { checkedInAt: now, checkedInBy: method } });
  if (updated.count === 0) return { status: 'already', meeting, checkedInAt: now };
  return { status: 'checked_in', meeting, checkedInAt: now };
}

export type CodeOutcome = CheckInOutcome | { status: 'wrong_code' | 'throttled' };

/** A six-digit code typed to the bot: the sitting whose check-in shows it, if the account may still try. */
export async function checkInByCode(tx: Tx, actor: Extract<Actor, { kind: 'person' }>, chatAccountId: string, code: string, now: Date): Promise<CodeOutcome> {
  const since = new Date(now.getTime() - WRONG_CODE_WINDOW_MINUTES * 60_000);
  const wrong = await tx.auditLog.count({
    where: { communityId: actor.communityId, action: WRONG_CODE_ACTION, createdAt: { gte: since }, details: { path: ['chatAccountId'], equals: chatAccountId } },
  });
  if (codeThrottled(wrong)) return { status: 'throttled' };
  const meeting = await tx.meeting.findFirst({
    where: { communityId: actor.communityId, checkInCode: code, status: 'held' },
    select: { id: true, communityId: true, number: true, title: true, type: true, status: true, startsAt: true, endsAt: true, checkInCode: true, rollSize: true, audience: true },
  });
  if (!meeting || checkInWindow(meeting, now) !== 'open') {
    await recordAudit(tx, { communityId: actor.communityId, actor, action: WRONG_CODE_ACTION, subjectType: 'chat_account', subjectId: chatAccountId, details: { chatAccountId } });
    return { status: 'wrong_code' };
  }
  return checkIn(tx, meeting, actor.residentId, 'code', now);
}

/**
 * Whether any sitting of the community has check-in open with a code and its window open now (a
 * six-digit text is then read as one). A sitting left `held` after its end no longer counts, so
 * six digits typed another day go on to the flows.
 */
export async function anyCheckInOpen(tx: Tx, communityId: string, now: Date): Promise<boolean> {
  const opensBy = new Date(now.getTime() + CHECK_IN_EARLY_MINUTES * 60_000);
  return (await tx.meeting.count({ where: { communityId, status: 'held', checkInCode: { not: null }, startsAt: { lte: opensBy }, endsAt: { gt: now } } })) > 0;
}

export type StaffCheckInOutcome = CheckInOutcome | { status: 'no_such_invitee' | 'ambiguous' } | Denied;

/** Staff check someone in who cannot do it themselves (no phone): by the name on the invitation list. */
export async function checkInByStaff(tx: Tx, meeting: FloorMeeting, actor: Actor, name: string, now: Date): Promise<StaffCheckInOutcome> {
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.checked_in_by_staff', now);
  if (denied) return denied;
  const invitees = await tx.meetingInvitation.findMany({ where: { meetingId: meeting.id, resident: { name: name.trim() } }, select: { residentId: true } });
  if (invitees.length === 0) return { status: 'no_such_invitee' };
  if (invitees.length > 1) return { status: 'ambiguous' };
  const outcome = await checkIn(tx, meeting, invitees[0]!.residentId, 'staff', now);
  if (outcome.status === 'checked_in') {
    await recordAudit(tx, { communityId: meeting.communityId, actor, action: 'meeting.checked_in_by_staff', subjectType: 'meeting', subjectId: meeting.id, details: { residentId: invitees[0]!.residentId } });
  }
  return outcome;
}
