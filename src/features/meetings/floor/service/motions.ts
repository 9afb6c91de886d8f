/**
 * Motions at a sitting (`meeting.run` for staff; voting is each checked-in person's own). A
 * motion is added as a draft, opened, voted on — yes, no or abstain, one vote each under a keyed
 * hash, changeable until it closes, only by those checked in — and closed: the present are
 * counted then, and it passes with strictly more yes votes than half of them (rule 2). A recall
 * is decided the same way; one that passed ends the member's committee term (`recall.ts`). A fund item (一事一议) decides its pending expense: passed approves it,
 * failed rejects it, audited as the fund's own decisions are.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { motionResult, type MotionResult } from '../rules/quorum.js';
import { voterKey } from './ballot-key.js';
import type { FloorDeps } from './floor-deps.js';
import { endRecalledRole } from './recall.js';
import { checkMeetingRun, type Denied } from './floor-check.js';
import type { FloorMeeting } from './meeting-lookup.js';

export const VOTE_CHOICES = ['yes', 'no', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export type MotionKind = 'ordinary' | 'recall' | 'fund_item';
export type Ballot = 'open' | 'secret';

export function isVoteChoice(text: string): text is VoteChoice {
  return (VOTE_CHOICES as readonly string[]).includes(text);
}

export interface NewMotion {
  title: string;
  kind: MotionKind;
  ballot: Ballot;
  /** A recall's committee member (resident id), a fund item's expense id. */
  subjectId?: string;
}

export type AddMotionOutcome = { status: 'added'; motionId: string; position: number } | { status: 'not_pending' } | { status: 'closed' } | Denied;

export async function addMotion(tx: Tx, meeting: FloorMeeting, actor: Actor, motion: NewMotion, now: Date): Promise<AddMotionOutcome> {
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.motion_added', now);
  if (denied) return denied;
  if (meeting.status === 'closed' || meeting.status === 'cancelled') return { status: 'closed' };
  if (motion.kind === 'fund_item') {
    const expense = motion.subjectId ? await tx.fundExpense.findUnique({ where: { id: motion.subjectId }, select: { status: true } }) : null;
    if (expense?.status !== 'pending') return { status: 'not_pending' };
  }
  const last = await tx.motion.findFirst({ where: { meetingId: meeting.id }, orderBy: { position: 'desc' }, select: { position: true } });
  const position = (last?.position ?? 0) + 1;
  const created = await tx.motion.create({
    data: { meetingId: meeting.id, position, kind: motion.kind, title: motion.title, ballot: motion.ballot, subjectId: motion.subjectId ?? null },
  });
  await recordAudit(tx, { communityId: meeting.communityId, actor, action: 'meeting.motion_added', subjectType: 'motion', subjectId: created.id, details: { meetingId: meeting.id, position, kind: motion.kind, ballot: motion.ballot } });
  return { status: 'added', motionId: created.id, position };
}

export interface FloorMotion {
  id: string;
  meetingId: string;
  position: number;
  kind: string;
  title: string;
  ballot: string;
  status: string;
  subjectId: string | null;
}

export async function findMotion(tx: Tx, meetingId: string, position: number): Promise<FloorMotion | null> {
  return tx.motion.findUnique({
    where: { meetingId_position: { meetingId, position } },
    select: { id: true, meetingId: true, position: true, kind: true, title: true, ballot: true, status: true, subjectId: true },
  });
}

export type OpenVoteOutcome = { status: 'opened'; voters: { residentId: string }[] } | { status: 'not_draft' } | { status: 'no_quorum' } | { status: 'closed' } | Denied;

/** Opens the vote; the checked-in are those asked. A vote needs the quorum at the moment it opens. */
export async function openVote(tx: Tx, meeting: FloorMeeting, motion: FloorMotion, actor: Actor, quorum: boolean, now: Date): Promise<OpenVoteOutcome> {
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.vote_opened', now, { position: motion.position });
  if (denied) return denied;
  if (meeting.status === 'closed' || meeting.status === 'cancelled') return { status: 'closed' };
  if (!quorum) return { status: 'no_quorum' };
  const updated = await tx.motion.updateMany({ where: { id: motion.id, status: 'draft' }, data: { status: 'open', openedAt: now } });
  if (updated.count === 0) return { status: 'not_draft' };
  await recordAudit(tx, { communityId: meeting.communityId, actor, action: 'meeting.vote_opened', subjectType: 'motion', subjectId: motion.id, details: { position: motion.position } });
  const voters = await tx.meetingInvitation.findMany({ where: { meetingId: meeting.id, checkedInAt: { not: null } }, select: { residentId: true } });
  return { status: 'opened', voters };
}

export type CastOutcome = { status: 'cast' | 'changed' | 'same' } | { status: 'not_open' | 'not_present' | 'meeting_closed' };

export async function castVote(tx: Tx, motion: FloorMotion, residentId: string, choice: VoteChoice, ballotKey: string, now: Date): Promise<CastOutcome> {
  const current = await tx.motion.findUnique({ where: { id: motion.id }, select: { status: true, meeting: { select: { status: true } } } });
  if (current?.meeting.status === 'closed') return { status: 'meeting_closed' };
  if (current?.status !== 'open') return { status: 'not_open' };
  const invitation = await tx.meetingInvitation.findUnique({ where: { meetingId_residentId: { meetingId: motion.meetingId, residentId } }, select: { checkedInAt: true } });
  if (!invitation?.checkedInAt) return { status: 'not_present' };
  const key = voterKey(ballotKey, motion.id, residentId);
  const before = await tx.vote.findUnique({ where: { motionId_voterKey: { motionId: motion.id, voterKey: key } }, select: { choice: true } });
  if (before?.choice === choice) return { status: 'same' };
  await tx.vote.upsert({
    where: { motionId_voterKey: { motionId: motion.id, voterKey: key } },
    // The name stays only on an open ballot; a secret one keeps the hash alone.
    create: { motionId: motion.id, voterKey: key, residentId: motion.ballot === 'open' ? residentId : null, choice, castAt: now },
    update: { choice },
  });
  return { status: before ? 'changed' : 'cast' };
}

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
  presentAtClose: number;
  result: MotionResult;
}

export type CloseVoteOutcome =
  | ({
      status: 'closed';
      /** A passed recall: how many committee terms it ended (else absent). */
      recalled?: number;
      /** What the close wrote to people (a recall: the member and the committee told). */
      rows: QueuedOutboxRow[];
    } & Tally)
  | { status: 'not_open' }
  | Denied;

/** Closes the vote: the present counted now, the result recorded; a fund item decides its expense, a passed recall ends the member's role. */
export async function closeVote(tx: Tx, deps: FloorDeps, meeting: FloorMeeting, motion: FloorMotion, actor: Actor): Promise<CloseVoteOutcome> {
  const now = deps.now();
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.vote_closed', now, { position: motion.position });
  if (denied) return denied;
  const locked = await tx.motion.updateMany({ where: { id: motion.id, status: 'open' }, data: { status: 'closed', closedAt: now } });
  if (locked.count === 0) return { status: 'not_open' };
  const presentAtClose = await tx.meetingInvitation.count({ where: { meetingId: meeting.id, checkedInAt: { not: null } } });
  const counts = await tx.vote.groupBy({ by: ['choice'], where: { motionId: motion.id }, _count: { _all: true } });
  const of = (choice: VoteChoice) => counts.find((c) => c.choice === choice)?._count._all ?? 0;
  const tally: Tally = { yes: of('yes'), no: of('no'), abstain: of('abstain'), presentAtClose, result: motionResult(of('yes'), presentAtClose) };
  await tx.motion.update({ where: { id: motion.id }, data: { presentAtClose, yes: tally.yes, no: tally.no, abstain: tally.abstain, result: tally.result } });
  await recordAudit(tx, {
    communityId: meeting.communityId,
    actor,
    action: 'meeting.vote_closed',
    subjectType: 'motion',
    subjectId: motion.id,
    details: { position: motion.position, yes: tally.yes, no: tally.no, abstain: tally.abstain, presentAtClose, result: tally.result },
  });
  if (motion.kind === 'fund_item' && motion.subjectId) await decideFundItem(tx, meeting, motion, actor, tally.result, now);
  if (motion.kind === 'recall' && tally.result === 'passed') {
    const recall = await endRecalledRole(tx, deps, meeting, motion, actor, tally, now);
    return { status: 'closed', ...tally, recalled: recall.ended, rows: recall.rows };
  }
  return { status: 'closed', ...tally, rows: [] };
}

/** The assembly's decision on the expense: only a pending one changes, audited like the committee's. */
async function decideFundItem(tx: Tx, meeting: FloorMeeting, motion: FloorMotion, actor: Actor, result: MotionResult, now: Date): Promise<void> {
  const status = result === 'passed' ? 'approved' : 'rejected';
  const expense = await tx.fundExpense.findUnique({ where: { id: motion.subjectId! }, select: { id: true, fundId: true, number: true, amountFen: true } });
  if (!expense) return;
  const updated = await tx.fundExpense.updateMany({ where: { id: expense.id, status: 'pending' }, data: { status, decidedAt: now } });
  if (updated.count === 0) return;
  await recordAudit(tx, {
    communityId: meeting.communityId,
    actor,
    action: 'fund.expense_decided',
    subjectType: 'fund_expense',
    subjectId: expense.id,
    details: { fundId: expense.fundId, number: expense.number, decision: result === 'passed' ? 'approve' : 'reject', amountFen: expense.amountFen, motionId: motion.id, meetingId: meeting.id },
  });
}
