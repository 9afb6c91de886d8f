/**
 * "已电话联系" pressed under a roll-call list (or its number typed): the household is recorded as
 * reached by the presser (answer `reached`, once per household like any answer), audited. Only
 * the head of that household's group, the area's stewards and councils, committee members and
 * admins may — the policy's `group.view_acknowledgements` on the household's group and area; a
 * refusal is audited too and answered politely. A household that answered meanwhile is left as
 * it answered, and the presser hears how.
 */
import type { ChatButtonPress } from '../../../conversation/button-presses.js';
import { markSettled, settleInboundIn } from '../../../conversation/inbound-records.js';
import { finishCommitted, transactionWithAfterCommit } from '../../../db/after-commit.js';
import type { Tx } from '../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { recordAudit } from '../../audit/record-audit.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import { checkAudited } from '../../policy/audited-check.js';
import { denialMessageKey } from '../../policy/denials.js';
import { loadActor } from '../../policy/load-actor.js';
import { localMinute } from '../../tickets/scheduling/local-format.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';
import type { NoticeAnswerDeps } from '../answers/answer-deps.js';
import { GONE_OUT_STATUSES } from '../answers/gone-out.js';
import { answerWordKey } from '../answers/answer-words.js';
import { recordNoticeAnswer } from '../answers/record-answer.js';
import { replyInChat } from '../answers/reply-in-chat.js';
import type { ReachedFields } from './reached-button.js';

/** The audit row of a household marked reached by phone. */
export const REACHED_AUDIT_ACTION = 'notice.reached';


export async function pressReached(deps: NoticeAnswerDeps, fields: ReachedFields, press: ChatButtonPress): Promise<void> {
  const committed = await transactionWithAfterCommit(
    deps.prisma,
    async (tx) => {
      if (press.receipt) await settleInboundIn(tx, press.receipt);
      return reach(tx, deps, fields, press);
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
  markSettled(press.receipt);
  await finishCommitted(committed, deps.outbox, committed.value);
}

async function reach(tx: Tx, deps: NoticeAnswerDeps, fields: ReachedFields, press: ChatButtonPress): Promise<QueuedOutboxRow[]> {
  const { communityId, translator } = deps;
  const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { defaultLocale: true } });
  const locale = press.speaker.locale ?? community.defaultLocale;
  const say = (key: string, vars: Record<string, string | number> = {}) => replyInChat(tx, communityId, press.inbound, press.chatAccountId, translator.t(locale, key, vars), deps.textLimitOf);
  const now = deps.now();

  const notice = await tx.notice.findFirst({ where: { communityId, number: fields.noticeNumber, kind: 'alert', status: { in: [...GONE_OUT_STATUSES] } }, select: { id: true, number: true } });
  const household = await tx.household.findFirst({ where: { id: fields.householdId, communityId }, select: { id: true, address: true, areaId: true, groupId: true } });
  if (!notice || !household) return say('notices.answered.button_invalid');
  const actor = await loadActor(tx, { chatAccountId: press.chatAccountId }, { now });
  if (!actor || actor.kind !== 'person') return say('notices.answered.not_bound');
  const decision = await checkAudited(tx, {
    communityId,
    actor,
    action: 'group.view_acknowledgements',
    subject: { communityId, groupId: household.groupId ?? '', areaIds: await areaAncestry(tx, household.areaId) },
    target: { type: 'household', id: household.id },
    auditAction: REACHED_AUDIT_ACTION,
    details: { noticeId: notice.id },
    now,
  });
  if (!decision.allowed) return say(denialMessageKey(decision.reason));

  const recorded = await recordNoticeAnswer(tx, deps.events, { communityId, noticeId: notice.id, householdId: household.id, residentId: actor.residentId, answer: 'reached', at: now });
  if (!recorded.recorded) {
    const timezone = (await loadTicketSettings(tx, communityId)).timezone;
    const { existing } = recorded;
    return say('notices.rollcall.reached.already', {
      address: household.address,
      who: existing.residentName ?? translator.t(locale, 'notices.answered.someone'),
      time: localMinute(existing.answeredAt, timezone),
      answer: translator.t(locale, answerWordKey(existing.answer)),
    });
  }
  await recordAudit(tx, { communityId, actor, action: REACHED_AUDIT_ACTION, subjectType: 'household', subjectId: household.id, details: { noticeId: notice.id } });
  deps.logger.info({ noticeId: notice.id, householdId: household.id }, 'household reached by phone');
  return say('notices.rollcall.reached.recorded', { address: household.address, number: notice.number });
}
