/**
 * A press of an answer button under a notice (`noticeAnswerButton`: 收到 / 平安, 需要帮助, a plain
 * notice's 收到), in a private chat or a group chat, or "1" typed where the buttons were numbered
 * lines. In one transaction: the presser must be a bound person whose household the notice
 * addresses (else a polite refusal, nothing written); the household's first answer is recorded
 * (`recordNoticeAnswer`) — "需要帮助" with the urgent ticket it opens — and the presser is thanked;
 * a later press (a housemate's, a double tap) records nothing and hears who answered and when,
 * except 需要帮助 after "safe": the answer becomes help and the ticket is opened all the same.
 */
import type { ChatButtonPress } from '../../../conversation/button-presses.js';
import { markSettled, settleInboundIn } from '../../../conversation/inbound-records.js';
import { finishCommitted, transactionWithAfterCommit } from '../../../db/after-commit.js';
import type { Tx } from '../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { loadActor } from '../../policy/load-actor.js';
import { maskName } from '../../privacy/mask.js';
import { loadRepairSettings } from '../../repairs/repair-settings-store.js';
import { RepairWords } from '../../repairs/repair-words.js';
import { localMinute } from '../../tickets/scheduling/local-format.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';
import { addressedHouseholdsWhere } from './addressed-households.js';
import type { NoticeAnswerDeps } from './answer-deps.js';
import type { NoticeAnswerFields } from './answer-button.js';
import { answerWordKey } from './answer-words.js';
import { hasGoneOut } from './gone-out.js';
import { fileHelpTicket } from './help-ticket.js';
import { becomeHelp, recordNoticeAnswer } from './record-answer.js';
import { replyInChat } from './reply-in-chat.js';


export async function pressNoticeAnswer(deps: NoticeAnswerDeps, fields: NoticeAnswerFields, press: ChatButtonPress): Promise<void> {
  const { receipt } = press;
  const committed = await transactionWithAfterCommit(
    deps.prisma,
    async (tx) => {
      if (receipt) await settleInboundIn(tx, receipt);
      return answer(tx, deps, fields, press);
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
  markSettled(receipt);
  await finishCommitted(committed, deps.outbox, committed.value);
}

/** A refused press (forged, stale): answered in the chat, nothing else. */
export async function refuseNoticeAnswer(deps: NoticeAnswerDeps, press: ChatButtonPress): Promise<void> {
  const committed = await transactionWithAfterCommit(deps.prisma, async (tx) => {
    if (press.receipt) await settleInboundIn(tx, press.receipt);
    const locale = await localeOf(tx, deps, press);
    return replyInChat(tx, deps.communityId, press.inbound, press.chatAccountId, deps.translator.t(locale, 'notices.answered.button_invalid'), deps.textLimitOf);
  });
  markSettled(press.receipt);
  await finishCommitted(committed, deps.outbox, committed.value);
}

async function localeOf(tx: Tx, deps: NoticeAnswerDeps, press: ChatButtonPress): Promise<string> {
  if (press.speaker.locale) return press.speaker.locale;
  const community = await tx.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { defaultLocale: true } });
  return community.defaultLocale;
}

async function answer(tx: Tx, deps: NoticeAnswerDeps, fields: NoticeAnswerFields, press: ChatButtonPress): Promise<QueuedOutboxRow[]> {
  const { translator, communityId } = deps;
  const locale = await localeOf(tx, deps, press);
  const say = (key: string, vars: Record<string, string | number> = {}) => replyInChat(tx, communityId, press.inbound, press.chatAccountId, translator.t(locale, key, vars), deps.textLimitOf);
  const now = deps.now();

  const notice = await tx.notice.findFirst({ where: { id: fields.noticeId, communityId }, select: { id: true, number: true, kind: true, status: true, audience: true, asksConfirmation: true } });
  // A notice never sent (or gone) asks nothing; "help" only exists under an alert.
  const asks = notice && (notice.kind === 'alert' ? fields.answer !== 'confirmed' : notice.asksConfirmation && fields.answer === 'confirmed');
  if (!notice || !hasGoneOut(notice.status) || !asks) return say('notices.answered.button_invalid');
  const actor = await loadActor(tx, { chatAccountId: press.chatAccountId }, { now });
  if (!actor || actor.kind !== 'person') return say('notices.answered.not_bound');
  if (!actor.householdId) return say('notices.answered.no_household', { number: notice.number });
  const addressed = await tx.household.count({ where: { AND: [{ id: actor.householdId }, await addressedHouseholdsWhere(tx, communityId, notice.audience, now)] } });
  if (addressed === 0) return say('notices.answered.not_addressed', { number: notice.number });

  const recorded = await recordNoticeAnswer(tx, deps.events, { communityId, noticeId: notice.id, householdId: actor.householdId, residentId: actor.residentId, answer: fields.answer, at: now });
  const timezone = (await loadTicketSettings(tx, communityId)).timezone;
  const householdId = actor.householdId;
  const fileHelp = async (answerId: string) => {
    const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { defaultLocale: true } });
    const ticket = await fileHelpTicket(tx, deps.tickets, translator, { communityId, actor, householdId, noticeNumber: notice.number, locale: community.defaultLocale, at: now });
    await tx.noticeAnswer.update({ where: { id: answerId }, data: { ticketId: ticket.ticketId } });
    const numbers = (await loadRepairSettings(tx, communityId)).emergencyNumbers;
    const lines = new RepairWords(translator, locale, timezone).emergencyLines(numbers, null);
    deps.logger.info({ noticeId: notice.id, householdId, ticketId: ticket.ticketId }, 'notice answered: help');
    const reply = await say('notices.answered.help_filed', { number: notice.number, ticket: ticket.number, lines });
    return [...reply, ...ticket.rows];
  };
  // Safe before, in need now: the call for help still reaches the staff.
  if (!recorded.recorded && fields.answer === 'help' && recorded.existing.answer !== 'help') {
    if (await becomeHelp(tx, deps.events, { communityId, noticeId: notice.id, householdId, answerId: recorded.existing.answerId, residentId: actor.residentId, at: now })) return fileHelp(recorded.existing.answerId);
  }
  if (!recorded.recorded) {
    const { existing } = recorded;
    const who = existing.residentName ? (press.inbound.chatType === 'group' ? maskName(existing.residentName) : existing.residentName) : translator.t(locale, 'notices.answered.someone');
    deps.logger.info({ noticeId: notice.id, householdId: actor.householdId }, 'notice answered again: kept the first');
    return say('notices.answered.already', { number: notice.number, who, time: localMinute(existing.answeredAt, timezone), answer: translator.t(locale, answerWordKey(existing.answer)) });
  }
  deps.logger.info({ noticeId: notice.id, householdId: actor.householdId, answer: fields.answer }, 'notice answered');
  if (fields.answer === 'confirmed') return say('notices.answered.thanks_confirmed', { number: notice.number });
  if (fields.answer === 'ok') return say('notices.answered.thanks_ok', { number: notice.number });

  return fileHelp(recorded.answerId);
}
