/**
 * Takes the dispatch commands (staff-dispatch-commands.ts) before the staff inbox and the flows:
 * in a chat bound for `staff`, each runs in one transaction with the sender's own roles
 * (service/staff-dispatch.ts: policy, audit) and is answered in the chat; anywhere else it is
 * refused with the inbox's words. Every other message goes on unchanged.
 */
import type { InboundMessage } from '../../../../channels/types.js';
import type { Speaker } from '../../../../conversation/conversation-service.js';
import type { InboundReceipt } from '../../../../conversation/inbound-records.js';
import { runSettledTurn } from '../../../../conversation/settled-turn.js';
import type { MessageHandler } from '../../../../conversation/router.js';
import type { PrismaClient, Tx } from '../../../../db/prisma-types.js';
import type { Vars } from '../../../../i18n/translator.js';
import { writeAnswer } from '../../../../inbox/staff-posts.js';
import type { OutboxDispatcher, QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { denialMessageKey } from '../../../policy/denials.js';
import { loadActor } from '../../../policy/load-actor.js';
import { findTicketByNumber } from '../../../tickets/service/find-ticket.js';
import { loadTicketSettings } from '../../../tickets/service/ticket-settings-store.js';
import { clockOf, type DispatchDeps } from '../service/dispatch-deps.js';
import { dispatchHistoryOfTicket } from '../service/dispatch-history.js';
import { staffDispatch, type StaffDispatchMove, type StaffDispatchOutcome } from '../service/staff-dispatch.js';
import { dispatchHistoryText, jobStatusWords } from './dispatch-history-text.js';
import { parseDispatchCommand, type DispatchCommand } from './staff-dispatch-commands.js';

const MOVES: Record<Exclude<DispatchCommand['name'], 'dispatch'>, StaffDispatchMove> = { reassign: 'reassign', take_over: 'take_over', cancel_job: 'cancel' };

export interface StaffDispatchHandlerDeps {
  prisma: PrismaClient;
  communityId: string;
  dispatch: DispatchDeps;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
}

export function staffDispatchHandler(deps: StaffDispatchHandlerDeps, next: MessageHandler): MessageHandler {
  return {
    async handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt): Promise<void> {
      const command = inbound.kind === 'text' ? parseDispatchCommand(inbound.text) : null;
      if (!command) return next.handleMessage(speaker, inbound, receipt);
      await runSettledTurn(deps.prisma, deps.outbox, receipt, (tx) => handle(tx, deps, speaker, inbound, command), { timeout: 20_000, maxWait: 20_000 });
    },
  };
}

async function handle(tx: Tx, deps: StaffDispatchHandlerDeps, speaker: Speaker, inbound: InboundMessage, command: DispatchCommand): Promise<QueuedOutboxRow[]> {
  const { translator } = deps.dispatch;
  const community = await tx.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { defaultLocale: true } });
  const locale = speaker.locale ?? community.defaultLocale;
  const answer = (key: string, vars: Vars = {}) =>
    writeAnswer(
      tx,
      deps.communityId,
      { channel: inbound.channel, chatId: inbound.chatId, threadId: inbound.threadId, chatAccountId: inbound.chatType === 'group' ? null : speaker.chatAccountId },
      translator.t(locale, key, vars),
      deps.dispatch.textLimitOf,
    );
  const staffChat =
    inbound.chatType === 'group' ? await tx.boundChat.findFirst({ where: { communityId: deps.communityId, channel: inbound.channel, chatId: inbound.chatId, purpose: 'staff' } }) : null;
  if (!staffChat) return answer('inbox.answer.only_in_staff_chat');
  const actor = await loadActor(tx, { chatAccountId: speaker.chatAccountId });
  // Someone who is not staff talking in the staff chat is left alone, as the inbox does.
  if (!actor) return [];
  if (!command.ok) return answer('dispatch.command.which_job');
  const now = clockOf(deps.dispatch);
  const ticket = await findTicketByNumber(tx, deps.communityId, command.number, now);
  const order = ticket ? await tx.workOrder.findUnique({ where: { ticketId: ticket.id }, select: { id: true } }) : null;
  if (!ticket || !order) return answer('dispatch.command.not_a_job', { number: command.number });

  if (command.name === 'dispatch') {
    const history = await dispatchHistoryOfTicket(tx, ticket.id);
    const timezone = (await loadTicketSettings(tx, deps.communityId)).timezone;
    return answer('dispatch.command.history', { text: dispatchHistoryText((key, vars) => translator.t(locale, key, vars), ticket.number, history!, timezone) });
  }
  const outcome = await staffDispatch(tx, deps.dispatch, {
    actor,
    workOrderId: order.id,
    move: MOVES[command.name],
    ...(command.memberName ? { memberName: command.memberName } : {}),
  });
  return report(outcome, answer, (status) => jobStatusWords((key, vars) => translator.t(locale, key, vars), status));
}

/** What did not happen is said; what did shows as the ticket's line in the staff chat. */
async function report(outcome: StaffDispatchOutcome, answer: (key: string, vars?: Vars) => Promise<QueuedOutboxRow[]>, statusWords: (status: string) => string): Promise<QueuedOutboxRow[]> {
  switch (outcome.status) {
    case 'done':
      return [];
    case 'not_found':
      return answer('inbox.answer.ticket_gone');
    case 'not_now':
      return answer('dispatch.command.not_now', { number: outcome.number, status: statusWords(outcome.jobStatus) });
    case 'member_not_found':
      return answer('dispatch.command.member_not_found', { number: outcome.number });
    case 'member_ambiguous':
      return answer('dispatch.command.member_ambiguous', { number: outcome.number });
    case 'denied':
      return answer(denialMessageKey(outcome.reason));
  }
}
