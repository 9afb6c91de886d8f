/**
 * A household's answer to a notice, once: the first answer is kept (`NoticeAnswer`, unique per
 * notice and household, written with ON CONFLICT DO NOTHING, so two members pressing at the same
 * instant leave one row and the second learns who answered) and `notice.answered` is published in
 * the same transaction. A later answer changes nothing — except a call for help after "safe" or
 * "reached" (`becomeHelp`): a household whose situation changed must still reach the staff.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { EventPublisher } from '../../../events/index.js';
import '../notice-events.js';

export type AnswerKind = 'ok' | 'help' | 'reached' | 'confirmed';

export interface NewAnswer {
  communityId: string;
  noticeId: string;
  householdId: string;
  /** The member who answered, or the head / steward who reached the household. */
  residentId: string | null;
  answer: AnswerKind;
  at: Date;
}

/** The answer a household already gave: who and when. */
export interface ExistingAnswer {
  answerId: string;
  answer: string;
  residentName: string | null;
  answeredAt: Date;
}

export type RecordedAnswer = { recorded: true; answerId: string } | { recorded: false; existing: ExistingAnswer };

export async function recordNoticeAnswer(tx: Tx, events: EventPublisher, input: NewAnswer): Promise<RecordedAnswer> {
  const { count } = await tx.noticeAnswer.createMany({
    data: [{ noticeId: input.noticeId, householdId: input.householdId, residentId: input.residentId, answer: input.answer, answeredAt: input.at }],
    skipDuplicates: true,
  });
  const row = await tx.noticeAnswer.findUniqueOrThrow({
    where: { noticeId_householdId: { noticeId: input.noticeId, householdId: input.householdId } },
    select: { id: true, answer: true, answeredAt: true, resident: { select: { name: true } } },
  });
  if (count === 0) return { recorded: false, existing: { answerId: row.id, answer: row.answer, residentName: row.resident?.name ?? null, answeredAt: row.answeredAt } };
  await events.publish(tx, 'notice.answered', {
    communityId: input.communityId,
    noticeId: input.noticeId,
    householdId: input.householdId,
    answer: input.answer,
    ...(input.residentId ? { residentId: input.residentId } : {}),
  });
  return { recorded: true, answerId: row.id };
}

/**
 * A household that answered "safe" (or was reached) now asks for help: the answer becomes `help`
 * with the presser and the ticket it opened, and `notice.answered` is published again, so the
 * counts move it. Guarded: only an answer that is not `help` yet changes (two such presses at
 * once open one ticket's worth of change; the second finds it done).
 */
export async function becomeHelp(tx: Tx, events: EventPublisher, input: { communityId: string; noticeId: string; householdId: string; answerId: string; residentId: string; at: Date }): Promise<boolean> {
  const { count } = await tx.noticeAnswer.updateMany({
    where: { id: input.answerId, answer: { not: 'help' } },
    data: { answer: 'help', residentId: input.residentId, answeredAt: input.at },
  });
  if (count === 0) return false;
  await events.publish(tx, 'notice.answered', { communityId: input.communityId, noticeId: input.noticeId, householdId: input.householdId, answer: 'help', residentId: input.residentId });
  return true;
}
