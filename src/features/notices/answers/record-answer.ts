/**
 * A household's answer to a notice, once: the first answer is kept (`NoticeAnswer`, unique per
 * notice and household, written with ON CONFLICT DO NOTHING, so two members pressing at the same
 * instant leave one row and the second learns who answered) and `notice.answered` is published in
 * the same transaction. A later answer changes nothing.
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
  if (count === 0) return { recorded: false, existing: { answer: row.answer, residentName: row.resident?.name ?? null, answeredAt: row.answeredAt } };
  await events.publish(tx, 'notice.answered', {
    communityId: input.communityId,
    noticeId: input.noticeId,
    householdId: input.householdId,
    answer: input.answer,
    ...(input.residentId ? { residentId: input.residentId } : {}),
  });
  return { recorded: true, answerId: row.id };
}
