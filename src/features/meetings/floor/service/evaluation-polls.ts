/**
 * The representatives' evaluation of the committee or of one member (评议, rule 5). Staff open a
 * poll at a sitting (`meeting.run`); each representative checked in answers once (a keyed hash:
 * answers are never shown with names; answering again changes it); closing counts the satisfied
 * and, strictly below 60 %, marks the subject for rectification and tells the committee.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { countsSatisfied, needsRectification, ratePercent, type EvaluationAnswer } from '../rules/evaluation.js';
import { voterKey } from './ballot-key.js';
import type { FloorDeps } from './floor-deps.js';
import { checkMeetingRun, type Denied } from './floor-check.js';
import type { FloorMeeting } from './meeting-lookup.js';
import { representativeIds } from './roster-counts.js';

export type OpenPollOutcome = { status: 'opened'; pollId: string; voters: { residentId: string }[] } | { status: 'not_staff' } | { status: 'closed' } | Denied;

/** Opens a poll on the committee (`memberId` absent) or on one member, answered by the representatives checked in. */
export async function openPoll(tx: Tx, meeting: FloorMeeting, actor: Actor, memberId: string | null, now: Date): Promise<OpenPollOutcome> {
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.poll_opened', now);
  if (denied) return denied;
  if (meeting.status === 'closed' || meeting.status === 'cancelled') return { status: 'closed' };
  if (memberId) {
    const member = await tx.roleAssignment.count({ where: { communityId: meeting.communityId, residentId: memberId, role: 'committee' } });
    if (member === 0) return { status: 'not_staff' };
  }
  const poll = await tx.evaluationPoll.create({
    data: { communityId: meeting.communityId, meetingId: meeting.id, subjectType: memberId ? 'member' : 'committee', subjectId: memberId, openedAt: now },
  });
  await recordAudit(tx, { communityId: meeting.communityId, actor, action: 'meeting.poll_opened', subjectType: 'evaluation_poll', subjectId: poll.id, details: { meetingId: meeting.id } });
  const representatives = await representativeIds(tx, meeting.communityId, now);
  const present = await tx.meetingInvitation.findMany({ where: { meetingId: meeting.id, checkedInAt: { not: null } }, select: { residentId: true } });
  return { status: 'opened', pollId: poll.id, voters: present.filter((p) => representatives.has(p.residentId)) };
}

export type AnswerOutcome = { status: 'answered' | 'changed' } | { status: 'not_open' | 'not_representative' };

export async function answerPoll(tx: Tx, deps: FloorDeps, pollId: string, residentId: string, answer: EvaluationAnswer): Promise<AnswerOutcome> {
  const now = deps.now();
  const poll = await tx.evaluationPoll.findUnique({ where: { id: pollId }, select: { id: true, status: true, communityId: true, meetingId: true } });
  if (poll?.status !== 'open') return { status: 'not_open' };
  const representatives = await representativeIds(tx, poll.communityId, now);
  const present = poll.meetingId
    ? await tx.meetingInvitation.findUnique({ where: { meetingId_residentId: { meetingId: poll.meetingId, residentId } }, select: { checkedInAt: true } })
    : { checkedInAt: now };
  if (!representatives.has(residentId) || !present?.checkedInAt) return { status: 'not_representative' };
  const key = voterKey(deps.ballotKey, poll.id, residentId);
  const before = await tx.evaluationResponse.findUnique({ where: { pollId_voterKey: { pollId, voterKey: key } } });
  await tx.evaluationResponse.upsert({ where: { pollId_voterKey: { pollId, voterKey: key } }, create: { pollId, voterKey: key, answer, answeredAt: now }, update: { answer, answeredAt: now } });
  return { status: before ? 'changed' : 'answered' };
}

export type ClosePollOutcome = { status: 'closed'; satisfied: number; answered: number; percent: number; rectify: boolean; rows: QueuedOutboxRow[] } | { status: 'not_open' } | Denied;

export async function closePoll(tx: Tx, deps: FloorDeps, meeting: FloorMeeting, actor: Actor, pollId: string): Promise<ClosePollOutcome> {
  const now = deps.now();
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.poll_closed', now);
  if (denied) return denied;
  const locked = await tx.evaluationPoll.updateMany({ where: { id: pollId, status: 'open' }, data: { status: 'closed', closedAt: now } });
  if (locked.count === 0) return { status: 'not_open' };
  const answers = await tx.evaluationResponse.findMany({ where: { pollId }, select: { answer: true } });
  const answered = answers.length;
  const satisfied = answers.filter((a) => countsSatisfied(a.answer as EvaluationAnswer)).length;
  const rectify = needsRectification(satisfied, answered);
  const poll = await tx.evaluationPoll.update({ where: { id: pollId }, data: { satisfied, answered, rectifyAt: rectify ? now : null }, select: { subjectType: true, subjectId: true } });
  await recordAudit(tx, { communityId: meeting.communityId, actor, action: 'meeting.poll_closed', subjectType: 'evaluation_poll', subjectId: pollId, details: { satisfied, answered, rectify } });
  const percent = ratePercent(satisfied, answered);
  let rows: QueuedOutboxRow[] = [];
  if (rectify) {
    const member = poll.subjectId ? await tx.resident.findUnique({ where: { id: poll.subjectId }, select: { name: true } }) : null;
    rows = await deps.staffAlerts.toCommittee(tx, {
      communityId: meeting.communityId,
      text: (locale) =>
        member
          ? deps.translator.t(locale, 'meetings.poll.rectify_member', { name: member.name, percent, satisfied, answered, number: meeting.number })
          : deps.translator.t(locale, 'meetings.poll.rectify_committee', { percent, satisfied, answered, number: meeting.number }),
    });
  }
  return { status: 'closed', satisfied, answered, percent, rectify, rows };
}
