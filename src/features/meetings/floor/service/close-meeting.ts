/**
 * Closing a sitting (`meeting.run`; refusals audited): its status becomes `closed` with the time,
 * after which nobody checks in, no motion is added, no vote or poll opens and no vote is cast —
 * its minutes are final. A vote still open is closed and counted as it stands (its result
 * published, a passed recall ending the role, as `/vote_close` would), a poll still open is
 * closed too: a sitting cannot be over while something in it is not. Staff close a sitting in
 * the staff chat or the console; one nobody closed closes itself at the end of its day
 * (`rules/closing.ts`, `closeDueSittings`, the system acting, the committee told).
 */
import type { PrismaClient, Tx } from '../../../../db/prisma-types.js';
import { finishCommitted, transactionWithAfterCommit } from '../../../../db/after-commit.js';
import type { EventPublisher } from '../../../../events/index.js';
import type { Logger } from '../../../../log/logger.js';
import type { OutboxDispatcher, QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { autoCloseAt, dueToClose } from '../rules/closing.js';
import '../floor-events.js';
import { closePoll } from './evaluation-polls.js';
import type { FloorDeps } from './floor-deps.js';
import { checkMeetingRun, type Denied } from './floor-check.js';
import { findMeeting, type FloorMeeting } from './meeting-lookup.js';
import { publishMotionResult } from './motion-disclosure.js';
import { closeVote, type Tally } from './motions.js';

export interface ClosedVote extends Tally {
  position: number;
  title: string;
}

export type CloseMeetingOutcome =
  | { status: 'closed'; votes: ClosedVote[]; polls: number; rows: QueuedOutboxRow[] }
  | { status: 'already' | 'cancelled' | 'not_started' }
  | Denied;

export async function closeMeeting(tx: Tx, deps: FloorDeps, events: EventPublisher, meeting: FloorMeeting, actor: Actor): Promise<CloseMeetingOutcome> {
  const now = deps.now();
  const denied = await checkMeetingRun(tx, meeting, actor, 'meeting.closed', now);
  if (denied) return denied;
  if (meeting.status === 'cancelled') return { status: 'cancelled' };
  if (meeting.status === 'closed') return { status: 'already' };
  // Nothing has happened at a sitting neither begun nor under way (check-in not opened): one that
  // will not take place is cancelled instead. One under way closes whenever the chair says so.
  if (meeting.status === 'scheduled' && meeting.startsAt.getTime() > now.getTime()) return { status: 'not_started' };
  // Guarded: two closings at once close it once.
  const locked = await tx.meeting.updateMany({ where: { id: meeting.id, status: { in: ['scheduled', 'held'] } }, data: { status: 'closed', closedAt: now } });
  if (locked.count === 0) return { status: 'already' };
  const rows: QueuedOutboxRow[] = [];
  const votes: ClosedVote[] = [];
  const open = await tx.motion.findMany({
    where: { meetingId: meeting.id, status: 'open' },
    orderBy: { position: 'asc' },
    select: { id: true, meetingId: true, position: true, kind: true, title: true, ballot: true, status: true, subjectId: true },
  });
  for (const motion of open) {
    const closed = await closeVote(tx, deps, meeting, motion, actor);
    if (closed.status !== 'closed') continue;
    rows.push(...closed.rows, ...(await publishMotionResult(tx, deps, events, meeting, motion.id)));
    votes.push({ position: motion.position, title: motion.title, yes: closed.yes, no: closed.no, abstain: closed.abstain, presentAtClose: closed.presentAtClose, result: closed.result });
  }
  const polls = await tx.evaluationPoll.findMany({ where: { meetingId: meeting.id, status: 'open' }, select: { id: true } });
  for (const poll of polls) {
    const closed = await closePoll(tx, deps, meeting, actor, poll.id);
    if (closed.status === 'closed') rows.push(...closed.rows);
  }
  await recordAudit(tx, {
    communityId: meeting.communityId,
    actor,
    action: 'meeting.closed',
    subjectType: 'meeting',
    subjectId: meeting.id,
    details: { votesClosed: votes.length, pollsClosed: polls.length },
  });
  await events.publish(tx, 'meeting.floor_changed', { communityId: meeting.communityId, meetingId: meeting.id });
  return { status: 'closed', votes, polls: polls.length, rows };
}

export interface CloseDueDeps {
  prisma: PrismaClient;
  floor: FloorDeps;
  events: EventPublisher;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
  logger: Logger;
}

/** A sitting whose closing moment is older than this closes quietly (audited, nobody told): the first sweep after an upgrade must not flood the staff chat. */
const TELL_WITHIN_MS = 24 * 3_600_000;

/**
 * Closes every sitting of the community past its closing time that nobody closed (the system
 * acting), each in its own transaction, and tells the committee which (those due within the last
 * day); returns how many closed.
 */
export async function closeDueSittings(deps: CloseDueDeps, communityId: string): Promise<number> {
  const now = deps.floor.now();
  const community = await deps.prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { timezone: true } });
  const candidates = await deps.prisma.meeting.findMany({
    where: { communityId, status: { in: ['scheduled', 'held'] }, endsAt: { lte: now } },
    orderBy: { endsAt: 'asc' },
    select: { id: true, endsAt: true },
  });
  let closed = 0;
  for (const candidate of candidates) {
    if (!dueToClose(candidate, community.timezone, now)) continue;
    const committed = await transactionWithAfterCommit(deps.prisma, async (tx) => {
      const meeting = await findMeeting(tx, candidate.id);
      if (!meeting) return [];
      const outcome = await closeMeeting(tx, deps.floor, deps.events, meeting, { kind: 'system' });
      if (outcome.status !== 'closed') return [];
      closed += 1;
      if (now.getTime() - autoCloseAt(candidate, community.timezone).getTime() > TELL_WITHIN_MS) return outcome.rows;
      const told = await deps.floor.staffAlerts.toCommittee(tx, {
        communityId,
        text: (locale) => deps.floor.translator.t(locale, 'meetings.close.closed_itself', { number: meeting.number, title: meeting.title, votes: outcome.votes.length }),
      });
      return [...outcome.rows, ...told];
    });
    await finishCommitted(committed, deps.outbox, committed.value);
  }
  if (closed > 0) deps.logger.info({ communityId, closed }, 'sittings closed at the end of their day');
  return closed;
}
