/**
 * The staff chat's commands for a sitting (floor-commands.ts), taken before the staff inbox: in a
 * chat bound for `staff`, each runs in one transaction with the sender's own roles (`meeting.run`,
 * refusals audited) and is answered in the chat; what it starts reaches people in their private
 * chats — the check-in button when check-in opens, the ballot when a vote opens, the evaluation
 * when a poll opens — and a closed vote is published as a disclosure notice.
 */
import type { InboundMessage } from '../../../../channels/types.js';
import type { Speaker } from '../../../../conversation/conversation-service.js';
import type { InboundReceipt } from '../../../../conversation/inbound-records.js';
import { runSettledTurn } from '../../../../conversation/settled-turn.js';
import type { MessageHandler } from '../../../../conversation/router.js';
import type { Tx } from '../../../../db/prisma-types.js';
import type { Vars } from '../../../../i18n/translator.js';
import { writeAnswer } from '../../../../inbox/staff-posts.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { formatYuan } from '../../../fund/rules/money.js';
import type { Actor } from '../../../policy/actor.js';
import { denialMessageKey } from '../../../policy/denials.js';
import { loadActor } from '../../../policy/load-actor.js';
import { loadAttendance } from '../service/attendance.js';
import { checkInByStaff, openCheckIn } from '../service/check-in.js';
import { closeMeeting } from '../service/close-meeting.js';
import { closePoll, openPoll } from '../service/evaluation-polls.js';
import { findMeetingByNumber, type FloorMeeting } from '../service/meeting-lookup.js';
import { publishMotionResult } from '../service/motion-disclosure.js';
import { addMotion, closeVote, findMotion, openVote, type NewMotion } from '../service/motions.js';
import '../floor-events.js';
import type { FloorChatDeps } from './floor-chat-deps.js';
import { parseStaffFloorCommand, type StaffFloorCommand } from './floor-commands.js';
import { writeToPerson } from './floor-messages.js';

const CHOICE_LABELS = { yes: 'meetings.vote.choice.yes', no: 'meetings.vote.choice.no', abstain: 'meetings.vote.choice.abstain' } as const;
const ANSWER_LABELS = {
  satisfied: 'meetings.poll.answer.satisfied',
  basically_satisfied: 'meetings.poll.answer.basically_satisfied',
  dissatisfied: 'meetings.poll.answer.dissatisfied',
} as const;

type Answer = (key: string, vars?: Vars) => Promise<QueuedOutboxRow[]>;

export function staffFloorHandler(deps: FloorChatDeps, next: MessageHandler): MessageHandler {
  return {
    async handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt): Promise<void> {
      const command = inbound.kind === 'text' && inbound.chatType === 'group' ? parseStaffFloorCommand(inbound.text ?? '') : null;
      if (!command) return next.handleMessage(speaker, inbound, receipt);
      await runSettledTurn(deps.prisma, deps.outbox, receipt, (tx) => handle(tx, deps, speaker, inbound, command));
    },
  };
}

async function handle(tx: Tx, deps: FloorChatDeps, speaker: Speaker, inbound: InboundMessage, command: StaffFloorCommand): Promise<QueuedOutboxRow[]> {
  const { translator } = deps.floor;
  const community = await tx.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { defaultLocale: true } });
  const locale = speaker.locale ?? community.defaultLocale;
  const answer: Answer = (key, vars = {}) =>
    writeAnswer(tx, deps.communityId, { channel: inbound.channel, chatId: inbound.chatId, threadId: inbound.threadId, chatAccountId: null }, translator.t(locale, key, vars), deps.textLimitOf);
  const staffChat = await tx.boundChat.findFirst({ where: { communityId: deps.communityId, channel: inbound.channel, chatId: inbound.chatId, purpose: 'staff' } });
  if (!staffChat) return answer('inbox.answer.only_in_staff_chat');
  const actor = await loadActor(tx, { chatAccountId: speaker.chatAccountId });
  // Someone who is not staff talking in the staff chat is left alone, as the inbox does.
  if (!actor || actor.kind !== 'person') return [];
  if (command.name === 'usage') return answer(command.command === 'close_meeting' ? 'meetings.close.usage' : 'meetings.floor.usage', { command: command.command });
  const meeting = await findMeetingByNumber(tx, deps.communityId, command.meeting);
  if (!meeting) return answer('meetings.floor.meeting_not_found', { number: command.meeting.toUpperCase() });
  const now = deps.floor.now();
  // Whatever the command did, the sitting's open console pages look again (after commit).
  await deps.events.publish(tx, 'meeting.floor_changed', { communityId: deps.communityId, meetingId: meeting.id });
  switch (command.name) {
    case 'checkin_open':
      return checkInOpen(tx, deps, meeting, actor, now, answer);
    case 'attendance':
      return attendance(tx, meeting, now, answer);
    case 'checkin_person':
      return checkInPerson(tx, meeting, actor, command.personName, now, answer);
    case 'motion':
      return motion(tx, deps, meeting, actor, command, now, answer);
    case 'vote_open':
    case 'vote_close':
      return vote(tx, deps, meeting, actor, command, now, answer);
    case 'poll_open':
      return pollOpen(tx, deps, meeting, actor, command.memberName, now, answer);
    case 'poll_close':
      return pollClose(tx, deps, meeting, actor, answer);
    case 'close_meeting':
      return close(tx, deps, meeting, actor, answer);
  }
}

async function checkInOpen(tx: Tx, deps: FloorChatDeps, meeting: FloorMeeting, actor: Actor, now: Date, answer: Answer): Promise<QueuedOutboxRow[]> {
  const outcome = await openCheckIn(tx, meeting, actor, now);
  if (outcome.status === 'denied') return answer(denialMessageKey(outcome.reason));
  if (outcome.status === 'over') return answer('meetings.checkin.open_over', { number: meeting.number });
  if (outcome.status === 'cancelled') return answer('meetings.checkin.open_cancelled', { number: meeting.number });
  const rows: QueuedOutboxRow[] = [];
  if (outcome.status === 'opened') {
    // Each invitee gets the button (numbered on a channel without), and the code to type.
    const invited = await tx.meetingInvitation.findMany({ where: { meetingId: meeting.id, checkedInAt: null }, select: { residentId: true } });
    for (const { residentId } of invited) {
      rows.push(
        ...(await writeToPerson(tx, deps.messages, residentId, {
          key: 'meetings.checkin.invite',
          vars: { number: meeting.number, title: meeting.title },
          items: [{ labelKey: 'meetings.checkin.button', press: { what: 'check_in', meetingId: meeting.id } }],
        })),
      );
    }
  }
  const attendance = await loadAttendance(tx, { ...meeting, rollSize: outcome.rollSize }, now);
  rows.push(
    ...(await answer(outcome.status === 'opened' ? 'meetings.checkin.opened' : 'meetings.checkin.already_open', {
      number: meeting.number,
      code: outcome.code,
      roll: outcome.rollSize,
      needed: attendance.needed,
    })),
  );
  return rows;
}

async function checkInPerson(tx: Tx, meeting: FloorMeeting, actor: Actor, name: string, now: Date, answer: Answer): Promise<QueuedOutboxRow[]> {
  const outcome = await checkInByStaff(tx, meeting, actor, name, now);
  switch (outcome.status) {
    case 'denied':
      return answer(denialMessageKey(outcome.reason));
    case 'no_such_invitee':
    case 'ambiguous':
      return answer('meetings.checkin.staff_no_invitee', { name, number: meeting.number });
    case 'checked_in':
      return answer('meetings.checkin.staff_done', { name, number: meeting.number });
    case 'already':
      return answer('meetings.checkin.staff_already', { name, number: meeting.number });
    case 'window':
      return answer(outcome.window === 'early' ? 'meetings.checkin.too_early' : 'meetings.checkin.over', { number: meeting.number });
    case 'closed':
      return answer('meetings.close.checkin_refused', { number: meeting.number });
    case 'not_invited':
    case 'not_open':
      return answer('meetings.checkin.not_open');
  }
}

async function attendance(tx: Tx, meeting: FloorMeeting, now: Date, answer: Answer): Promise<QueuedOutboxRow[]> {
  const a = await loadAttendance(tx, meeting, now);
  return answer(a.quorum ? 'meetings.checkin.attendance_quorum' : 'meetings.checkin.attendance_no_quorum', {
    number: meeting.number,
    present: a.present,
    invited: a.invited,
    representatives: a.representativesPresent,
    roll: a.rollSize,
    needed: a.needed,
  });
}

async function motion(tx: Tx, deps: FloorChatDeps, meeting: FloorMeeting, actor: Actor, command: Extract<StaffFloorCommand, { name: 'motion' }>, now: Date, answer: Answer): Promise<QueuedOutboxRow[]> {
  const motion: NewMotion = { title: command.title, kind: command.kind, ballot: command.ballot };
  if (command.kind === 'fund_item') {
    const fund = await tx.propertyFund.findFirst({ where: { communityId: meeting.communityId }, orderBy: { createdAt: 'asc' }, select: { id: true } });
    const expense = fund ? await tx.fundExpense.findUnique({ where: { fundId_number: { fundId: fund.id, number: Number(command.title) } } }) : null;
    if (!expense) return answer('meetings.vote.expense_not_found', { number: command.title });
    motion.subjectId = expense.id;
    motion.title = `#${expense.number} ${expense.purpose} ¥${formatYuan(expense.amountFen)}`;
  }
  if (command.kind === 'recall') {
    const member = await committeeMemberNamed(tx, meeting.communityId, command.title, now);
    if (!member) return answer('meetings.vote.member_not_found', { name: command.title });
    motion.subjectId = member;
  }
  const outcome = await addMotion(tx, meeting, actor, motion, now);
  if (outcome.status === 'denied') return answer(denialMessageKey(outcome.reason));
  if (outcome.status === 'not_pending') return answer('meetings.vote.expense_not_pending', { number: command.title });
  if (outcome.status === 'closed') return answer('meetings.floor.meeting_closed', { number: meeting.number });
  return answer(command.ballot === 'secret' ? 'meetings.vote.added_secret' : 'meetings.vote.added', { number: meeting.number, position: outcome.position, title: motion.title });
}

async function vote(
  tx: Tx,
  deps: FloorChatDeps,
  meeting: FloorMeeting,
  actor: Actor,
  command: Extract<StaffFloorCommand, { name: 'vote_open' | 'vote_close' }>,
  now: Date,
  answer: Answer,
): Promise<QueuedOutboxRow[]> {
  const motion = await findMotion(tx, meeting.id, command.position);
  if (!motion) return answer('meetings.vote.motion_not_found', { number: meeting.number, position: command.position });
  if (command.name === 'vote_open') {
    const a = await loadAttendance(tx, meeting, now);
    const outcome = await openVote(tx, meeting, motion, actor, a.quorum, now);
    if (outcome.status === 'denied') return answer(denialMessageKey(outcome.reason));
    if (outcome.status === 'no_quorum') return answer('meetings.vote.no_quorum', { representatives: a.representativesPresent, roll: a.rollSize, needed: a.needed });
    if (outcome.status === 'not_draft') return answer('meetings.vote.not_draft', { position: motion.position });
    if (outcome.status === 'closed') return answer('meetings.close.floor_refused', { number: meeting.number });
    const rows: QueuedOutboxRow[] = [];
    for (const { residentId } of outcome.voters) {
      rows.push(
        ...(await writeToPerson(tx, deps.messages, residentId, {
          key: motion.ballot === 'secret' ? 'meetings.vote.ballot_secret' : 'meetings.vote.ballot_open',
          vars: { number: meeting.number, position: motion.position, title: motion.title },
          items: (['yes', 'no', 'abstain'] as const).map((choice) => ({ labelKey: CHOICE_LABELS[choice], press: { what: 'vote', motionId: motion.id, choice } })),
        })),
      );
    }
    rows.push(...(await answer('meetings.vote.opened', { position: motion.position, title: motion.title, voters: outcome.voters.length })));
    return rows;
  }
  const outcome = await closeVote(tx, deps.floor, meeting, motion, actor);
  if (outcome.status === 'denied') return answer(denialMessageKey(outcome.reason));
  if (outcome.status === 'not_open') return answer('meetings.vote.not_open', { position: motion.position });
  const rows = [...outcome.rows, ...(await publishMotionResult(tx, deps.floor, deps.events, meeting, motion.id))];
  rows.push(
    ...(await answer(outcome.result === 'passed' ? 'meetings.vote.closed_passed' : 'meetings.vote.closed_failed', {
      position: motion.position,
      title: motion.title,
      yes: outcome.yes,
      no: outcome.no,
      abstain: outcome.abstain,
      present: outcome.presentAtClose,
    })),
  );
  return rows;
}

async function pollOpen(tx: Tx, deps: FloorChatDeps, meeting: FloorMeeting, actor: Actor, memberName: string | null, now: Date, answer: Answer): Promise<QueuedOutboxRow[]> {
  const member = memberName ? await committeeMemberNamed(tx, meeting.communityId, memberName, now) : null;
  if (memberName && !member) return answer('meetings.vote.member_not_found', { name: memberName });
  const outcome = await openPoll(tx, meeting, actor, member, now);
  if (outcome.status === 'denied') return answer(denialMessageKey(outcome.reason));
  if (outcome.status === 'not_staff') return answer('meetings.vote.member_not_found', { name: memberName ?? '' });
  if (outcome.status === 'closed') return answer('meetings.close.floor_refused', { number: meeting.number });
  const rows: QueuedOutboxRow[] = [];
  for (const { residentId } of outcome.voters) {
    rows.push(
      ...(await writeToPerson(tx, deps.messages, residentId, {
        key: memberName ? 'meetings.poll.ask_member' : 'meetings.poll.ask_committee',
        vars: { number: meeting.number, name: memberName ?? '' },
        items: (['satisfied', 'basically_satisfied', 'dissatisfied'] as const).map((a) => ({ labelKey: ANSWER_LABELS[a], press: { what: 'poll', pollId: outcome.pollId, answer: a } })),
      })),
    );
  }
  rows.push(...(await answer('meetings.poll.opened', { voters: outcome.voters.length })));
  return rows;
}

async function pollClose(tx: Tx, deps: FloorChatDeps, meeting: FloorMeeting, actor: Actor, answer: Answer): Promise<QueuedOutboxRow[]> {
  const poll = await tx.evaluationPoll.findFirst({ where: { meetingId: meeting.id, status: 'open' }, orderBy: { openedAt: 'desc' }, select: { id: true } });
  if (!poll) return answer('meetings.poll.none_open', { number: meeting.number });
  const outcome = await closePoll(tx, deps.floor, meeting, actor, poll.id);
  if (outcome.status === 'denied') return answer(denialMessageKey(outcome.reason));
  if (outcome.status === 'not_open') return answer('meetings.poll.none_open', { number: meeting.number });
  return [
    ...outcome.rows,
    ...(await answer(outcome.rectify ? 'meetings.poll.closed_rectify' : 'meetings.poll.closed_ok', { percent: outcome.percent, satisfied: outcome.satisfied, answered: outcome.answered })),
  ];
}

async function close(tx: Tx, deps: FloorChatDeps, meeting: FloorMeeting, actor: Actor, answer: Answer): Promise<QueuedOutboxRow[]> {
  const outcome = await closeMeeting(tx, deps.floor, deps.events, meeting, actor);
  switch (outcome.status) {
    case 'denied':
      return answer(denialMessageKey(outcome.reason));
    case 'already':
      return answer('meetings.close.already', { number: meeting.number });
    case 'cancelled':
      return answer('meetings.checkin.open_cancelled', { number: meeting.number });
    case 'not_started':
      return answer('meetings.close.not_started', { number: meeting.number });
    case 'closed':
      return [
        ...outcome.rows,
        ...(await answer(outcome.votes.length > 0 ? 'meetings.close.closed_with_votes' : 'meetings.close.closed', { number: meeting.number, votes: outcome.votes.length, polls: outcome.polls })),
      ];
  }
}

/** A current committee member by the name staff typed; null when none (or several) have it. */
async function committeeMemberNamed(tx: Tx, communityId: string, name: string, now: Date): Promise<string | null> {
  const roles = await tx.roleAssignment.findMany({
    where: { communityId, role: 'committee', startsOn: { lte: now }, OR: [{ endsOn: null }, { endsOn: { gte: now } }], resident: { name: name.trim() } },
    select: { residentId: true },
    distinct: ['residentId'],
  });
  return roles.length === 1 ? roles[0]!.residentId : null;
}
