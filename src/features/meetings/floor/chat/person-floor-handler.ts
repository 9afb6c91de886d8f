/**
 * A person's side of a sitting in their private chat, taken before the flows: a six-digit code
 * typed while some sitting's check-in is open (read as the room's code only then, and only from
 * someone bound), `/checkin HY-…`, starting a petition (`/petition <title>`, 发起联名 …) and signing
 * one (`/sign QZ-…`, 联名 QZ-…). The floor's buttons (check in, vote, evaluate) arrive through
 * the button registry (`pressFloorButton`). Each runs in one transaction and is answered in the
 * person's language; everything else goes on unchanged.
 */
import type { InboundMessage } from '../../../../channels/types.js';
import type { ChatButtonPress } from '../../../../conversation/button-presses.js';
import type { Speaker } from '../../../../conversation/conversation-service.js';
import type { InboundReceipt } from '../../../../conversation/inbound-records.js';
import { runSettledTurn } from '../../../../conversation/settled-turn.js';
import type { MessageHandler } from '../../../../conversation/router.js';
import type { Tx } from '../../../../db/prisma-types.js';
import type { Vars } from '../../../../i18n/translator.js';
import { writeAnswer } from '../../../../inbox/staff-posts.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import type { Actor } from '../../../policy/actor.js';
import { denialMessageKey } from '../../../policy/denials.js';
import { loadActor } from '../../../policy/load-actor.js';
import { asCheckInCode } from '../rules/check-in-window.js';
import { signaturesNeeded, PETITION_THRESHOLDS } from '../rules/petition-thresholds.js';
import { anyCheckInOpen, checkIn, checkInByCode, type CheckInOutcome, type CodeOutcome } from '../service/check-in.js';
import { answerPoll } from '../service/evaluation-polls.js';
import { findMeeting, findMeetingByNumber } from '../service/meeting-lookup.js';
import { castVote, type CastOutcome } from '../service/motions.js';
import { signPetition, startPetition, THRESHOLD_KEYS, type SignOutcome } from '../service/petitions.js';
import '../floor-events.js';
import type { FloorPress } from './floor-buttons.js';
import type { FloorChatDeps } from './floor-chat-deps.js';
import { parsePersonFloorCommand, type PersonFloorCommand } from './floor-commands.js';

/** Answers in the person's chat; `t` words a key in their language (for words inside words). */
interface Answer {
  (key: string, vars?: Vars): Promise<QueuedOutboxRow[]>;
  t(key: string, vars?: Vars): string;
  /** The sitting changed (a check-in, a vote): its console pages look again. */
  changed(meetingId: string): Promise<void>;
}
type Person = Extract<Actor, { kind: 'person' }>;
type Typed = PersonFloorCommand | { name: 'code'; code: string };

export function personFloorHandler(deps: FloorChatDeps, next: MessageHandler): MessageHandler {
  const words = (key: string) => ['zh-CN', 'en'].flatMap((locale) => deps.floor.translator.t(locale, key).split('|'));
  const startWords = words('meetings.petition.start_words');
  const signWords = words('meetings.petition.sign_words');
  return {
    async handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt): Promise<void> {
      const typed = await read(deps, speaker, inbound, startWords, signWords);
      if (!typed) return next.handleMessage(speaker, inbound, receipt);
      await run(deps, speaker, inbound, receipt, (tx, person, answer) => typedCommand(tx, deps, person, speaker, typed, answer));
    },
  };
}

/** What a text is to the floor, if anything: a code only while a check-in is open, and only from someone bound. */
async function read(deps: FloorChatDeps, speaker: Speaker, inbound: InboundMessage, startWords: string[], signWords: string[]): Promise<Typed | null> {
  if (inbound.kind !== 'text' || inbound.chatType === 'group' || !speaker.residentId) return null;
  const text = inbound.text ?? '';
  const command = parsePersonFloorCommand(text, startWords, signWords);
  if (command) return command;
  const code = asCheckInCode(text);
  if (code && (await anyCheckInOpen(deps.prisma, deps.communityId, deps.floor.now()))) return { name: 'code', code };
  return null;
}

/** A press of a floor button, verified by the registry. */
export async function pressFloorButton(deps: FloorChatDeps, press: FloorPress, chatPress: ChatButtonPress): Promise<void> {
  await run(deps, chatPress.speaker, chatPress.inbound, chatPress.receipt, (tx, person, answer) => pressed(tx, deps, person, press, answer));
}

async function run(
  deps: FloorChatDeps,
  speaker: Speaker,
  inbound: InboundMessage,
  receipt: InboundReceipt | undefined,
  body: (tx: Tx, person: Person, answer: Answer) => Promise<QueuedOutboxRow[]>,
): Promise<void> {
  await runSettledTurn(
    deps.prisma,
    deps.outbox,
    receipt,
    async (tx) => {
      const community = await tx.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { defaultLocale: true } });
      const locale = speaker.locale ?? community.defaultLocale;
      const t = (key: string, vars: Vars = {}) => deps.floor.translator.t(locale, key, vars);
      const answer: Answer = Object.assign(
        (key: string, vars: Vars = {}) =>
          writeAnswer(tx, deps.communityId, { channel: inbound.channel, chatId: inbound.chatId, threadId: inbound.threadId, chatAccountId: speaker.chatAccountId }, t(key, vars), deps.textLimitOf),
        { t, changed: (meetingId: string) => deps.events.publish(tx, 'meeting.floor_changed', { communityId: deps.communityId, meetingId }) },
      );
      const actor = await loadActor(tx, { chatAccountId: speaker.chatAccountId }, { now: deps.floor.now() });
      if (!actor || actor.kind !== 'person') return answer('policy.denied.not_bound');
      return body(tx, actor, answer);
    },
    { timeout: 30_000, maxWait: 20_000 },
  );
}

async function typedCommand(tx: Tx, deps: FloorChatDeps, person: Person, speaker: Speaker, typed: Typed, answer: Answer): Promise<QueuedOutboxRow[]> {
  const now = deps.floor.now();
  switch (typed.name) {
    case 'code':
      return checkInAnswer(await checkInByCode(tx, person, speaker.chatAccountId, typed.code, now), answer);
    case 'checkin': {
      const meeting = await findMeetingByNumber(tx, deps.communityId, typed.meeting);
      if (!meeting) return answer('meetings.floor.meeting_not_found', { number: typed.meeting.toUpperCase() });
      return checkInAnswer(await checkIn(tx, meeting, person.residentId, 'button', now), answer);
    }
    case 'petition':
      return petitionAnswer(await startPetition(tx, deps.floor, person, { title: typed.title, reason: typed.title }), answer);
    case 'sign':
      return petitionAnswer(await signPetition(tx, deps.floor, person, typed.petition), answer);
    case 'usage':
      return answer('meetings.floor.person_usage');
  }
}

async function pressed(tx: Tx, deps: FloorChatDeps, person: Person, press: FloorPress, answer: Answer): Promise<QueuedOutboxRow[]> {
  const now = deps.floor.now();
  switch (press.what) {
    case 'check_in': {
      const meeting = await findMeeting(tx, press.meetingId);
      if (!meeting) return answer('meetings.checkin.not_open');
      return checkInAnswer(await checkIn(tx, meeting, person.residentId, 'button', now), answer);
    }
    case 'vote': {
      const motion = await tx.motion.findUnique({ where: { id: press.motionId }, select: { id: true, meetingId: true, position: true, kind: true, title: true, ballot: true, status: true, subjectId: true } });
      if (!motion) return answer('meetings.vote.not_open_for_you');
      return voteAnswer(await castVote(tx, motion, person.residentId, press.choice, deps.floor.ballotKey, now), motion, press.choice, answer);
    }
    case 'poll': {
      const outcome = await answerPoll(tx, deps.floor, press.pollId, person.residentId, press.answer);
      if (outcome.status === 'not_open') return answer('meetings.poll.not_open');
      if (outcome.status === 'not_representative') return answer('meetings.poll.not_representative');
      return answer(outcome.status === 'changed' ? 'meetings.poll.changed' : 'meetings.poll.thanks');
    }
  }
}

const CHOICE_WORDS = { yes: 'meetings.vote.choice.yes', no: 'meetings.vote.choice.no', abstain: 'meetings.vote.choice.abstain' } as const;

async function voteAnswer(outcome: CastOutcome, motion: { meetingId: string; position: number; title: string }, choice: keyof typeof CHOICE_WORDS, answer: Answer): Promise<QueuedOutboxRow[]> {
  if (outcome.status === 'cast' || outcome.status === 'changed') await answer.changed(motion.meetingId);
  switch (outcome.status) {
    case 'not_open':
      return answer('meetings.vote.not_open_for_you');
    case 'meeting_closed':
      return answer('meetings.close.vote_refused');
    case 'not_present':
      return answer('meetings.vote.not_present');
    case 'changed':
      return answer('meetings.vote.changed', { position: motion.position, title: motion.title, choice: answer.t(CHOICE_WORDS[choice]) });
    default:
      return answer('meetings.vote.recorded', { position: motion.position, title: motion.title, choice: answer.t(CHOICE_WORDS[choice]) });
  }
}

async function checkInAnswer(outcome: CheckInOutcome | CodeOutcome, answer: Answer): Promise<QueuedOutboxRow[]> {
  switch (outcome.status) {
    case 'checked_in':
      await answer.changed(outcome.meeting.id);
      return answer('meetings.checkin.done', { number: outcome.meeting.number, title: outcome.meeting.title });
    case 'already':
      return answer('meetings.checkin.already', { number: outcome.meeting.number });
    case 'not_invited':
      return answer('meetings.checkin.not_invited', { number: outcome.meeting.number });
    case 'closed':
      return answer('meetings.close.checkin_refused', { number: outcome.meeting.number });
    case 'window':
      return answer(outcome.window === 'early' ? 'meetings.checkin.too_early' : 'meetings.checkin.over', { number: outcome.meeting.number });
    case 'wrong_code':
      return answer('meetings.checkin.wrong_code');
    case 'throttled':
      return answer('meetings.checkin.throttled');
    case 'not_open':
      return answer('meetings.checkin.not_open');
  }
}

async function petitionAnswer(outcome: SignOutcome, answer: Answer): Promise<QueuedOutboxRow[]> {
  switch (outcome.status) {
    case 'not_found':
      return answer('meetings.petition.not_found');
    case 'closed':
      return answer('meetings.petition.closed');
    case 'denied':
      return answer(denialMessageKey(outcome.reason));
    default: {
      const p = outcome.petition;
      const progress = PETITION_THRESHOLDS.map((kind) => ({ kind, signed: p.signed[kind], needed: signaturesNeeded(kind, p.totals[kind]) }));
      const vars = {
        number: p.number,
        title: p.title,
        representatives: `${progress[0]!.signed}/${progress[0]!.needed}`,
        adults: `${progress[1]!.signed}/${progress[1]!.needed}`,
        households: `${progress[2]!.signed}/${progress[2]!.needed}`,
        groups: `${progress[3]!.signed}/${progress[3]!.needed}`,
      };
      const rows = [...outcome.rows];
      if (p.status === 'binding' && p.thresholdMet) {
        rows.push(...(await answer(outcome.status === 'binding' ? 'meetings.petition.binding' : 'meetings.petition.already_binding', { ...vars, threshold: answer.t(THRESHOLD_KEYS[p.thresholdMet]) })));
      } else {
        rows.push(...(await answer(outcome.status === 'already' ? 'meetings.petition.already' : 'meetings.petition.signed', vars)));
      }
      return rows;
    }
  }
}
