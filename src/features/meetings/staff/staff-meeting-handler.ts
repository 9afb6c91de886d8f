/**
 * Takes the meeting commands (staff-meeting-commands.ts) before the staff inbox and the flows: in
 * a chat bound for `staff`, each runs in one transaction as the sender with their own roles
 * (`callMeeting` / `changeMeeting`: the policy's `meeting.call`, refusals audited) and is answered
 * in the chat; anywhere else it is refused with the inbox's words. Every other message goes on.
 */
import type { InboundMessage } from '../../../channels/types.js';
import type { Speaker } from '../../../conversation/conversation-service.js';
import type { InboundReceipt } from '../../../conversation/inbound-records.js';
import { runSettledTurn } from '../../../conversation/settled-turn.js';
import type { MessageHandler } from '../../../conversation/router.js';
import type { TextLimitOf } from '../../../channels/text-limit.js';
import type { Tx } from '../../../db/prisma-types.js';
import type { Translator, Vars } from '../../../i18n/translator.js';
import { writeAnswer } from '../../../inbox/staff-posts.js';
import type { OutboxDispatcher, QueuedOutboxRow } from '../../../outbox/outbox.js';
import { denialMessageKey } from '../../policy/denials.js';
import { loadActor } from '../../policy/load-actor.js';
import { isMeetingType, MEETING_TYPES } from '../rules/meeting-types.js';
import { localToInstant } from '../rules/recurrence.js';
import { callMeeting, changeMeeting, type CallResult, type ChangeResult } from '../schedule/call-meeting.js';
import type { MeetingsDeps } from '../schedule/meetings-deps.js';
import { parseMeetingCommand, type MeetingCommand } from './staff-meeting-commands.js';

export interface StaffMeetingHandlerDeps {
  meetings: MeetingsDeps;
  communityId: string;
  translator: Translator;
  textLimitOf: TextLimitOf;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
}

export function staffMeetingHandler(deps: StaffMeetingHandlerDeps, next: MessageHandler): MessageHandler {
  return {
    async handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt): Promise<void> {
      const command = inbound.kind === 'text' ? parseMeetingCommand(inbound.text) : null;
      if (!command) return next.handleMessage(speaker, inbound, receipt);
      await runSettledTurn(deps.meetings.prisma, deps.outbox, receipt, (tx) => handle(tx, deps, speaker, inbound, command));
    },
  };
}

async function handle(tx: Tx, deps: StaffMeetingHandlerDeps, speaker: Speaker, inbound: InboundMessage, command: MeetingCommand): Promise<QueuedOutboxRow[]> {
  const community = await tx.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { defaultLocale: true, timezone: true } });
  const locale = speaker.locale ?? community.defaultLocale;
  const answer = (key: string, vars: Vars = {}) =>
    writeAnswer(
      tx,
      deps.communityId,
      { channel: inbound.channel, chatId: inbound.chatId, threadId: inbound.threadId, chatAccountId: inbound.chatType === 'group' ? null : speaker.chatAccountId },
      deps.translator.t(locale, key, vars),
      deps.textLimitOf,
    );
  const staffChat =
    inbound.chatType === 'group' ? await tx.boundChat.findFirst({ where: { communityId: deps.communityId, channel: inbound.channel, chatId: inbound.chatId, purpose: 'staff' } }) : null;
  if (!staffChat) return answer('inbox.answer.only_in_staff_chat');
  const actor = await loadActor(tx, { chatAccountId: speaker.chatAccountId });
  // Someone who is not staff talking in the staff chat is left alone, as the inbox does.
  if (!actor) return [];
  if (!command.ok) return answer('meetings.core.staff.usage');
  const instant = (when: string) => localToInstant(when, community.timezone);
  let result: CallResult | ChangeResult;
  let number = '';
  if (command.name === 'meeting') {
    if (!isMeetingType(command.type)) return answer('meetings.core.cli.invalid_type', { types: MEETING_TYPES.join(', ') });
    const startsAt = instant(command.when);
    if (!startsAt) return answer('meetings.core.cli.invalid_time');
    result = await callMeeting(tx, deps.meetings, { communityId: deps.communityId, actor, type: command.type, title: command.title, startsAt, durationMinutes: 120 });
  } else if (command.name === 'move_meeting') {
    const startsAt = instant(command.when);
    if (!startsAt) return answer('meetings.core.cli.invalid_time');
    number = command.number;
    result = await changeMeeting(tx, deps.meetings, { communityId: deps.communityId, actor, number, startsAt });
  } else {
    number = command.number;
    result = await changeMeeting(tx, deps.meetings, { communityId: deps.communityId, actor, number, ...(command.reason ? { reason: command.reason } : {}) });
  }
  return report(result, number, answer);
}

function report(result: CallResult | ChangeResult, number: string, answer: (key: string, vars?: Vars) => Promise<QueuedOutboxRow[]>): Promise<QueuedOutboxRow[]> {
  switch (result.status) {
    case 'called':
      return answer('meetings.core.cli.called', { number: result.number, invited: result.invited });
    case 'moved':
      return answer('meetings.core.cli.moved', { number: result.number, told: result.told });
    case 'cancelled':
      return answer('meetings.core.cli.cancelled', { number: result.number, told: result.told });
    case 'denied':
      return answer(denialMessageKey(result.reason));
    case 'invalid':
      return answer(result.problem === 'past' ? 'meetings.core.cli.past' : result.problem === 'duration' ? 'meetings.core.cli.invalid_duration' : 'meetings.core.cli.invalid_title');
    case 'not_found':
      return answer('meetings.core.cli.not_found', { number });
    case 'not_scheduled':
      return answer('meetings.core.cli.not_scheduled', { number });
    case 'past':
      return answer('meetings.core.cli.past');
    case 'same':
      return answer('meetings.core.cli.same');
  }
}
