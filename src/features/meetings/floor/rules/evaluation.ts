/**
 * The representatives' evaluation (评议, docs/domain.md rule 5): the satisfaction rate is the
 * share of answers that are satisfied or basically satisfied (满意率 as such evaluations count
 * it). Strictly below 60 % orders rectification; exactly 60 % does not. Compared in integers
 * (5·satisfied < 3·answered), so no rounding decides a boundary.
 */

export const EVALUATION_ANSWERS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type EvaluationAnswer = (typeof EVALUATION_ANSWERS)[number];

export function isEvaluationAnswer(text: string): text is EvaluationAnswer {
  return (EVALUATION_ANSWERS as readonly string[]).includes(text);
}

/** Whether an answer counts as satisfied. */
export function countsSatisfied(answer: EvaluationAnswer): boolean {
  return answer !== 'dissatisfied';
}

/** Below 60 %: rectification. No answers at all is no verdict. */
export function needsRectification(satisfied: number, answered: number): boolean {
  return answered > 0 && 5 * satisfied < 3 * answered;
}

/** The rate in whole per cent, rounded down (for display only; the rule above decides). */
export function ratePercent(satisfied: number, answered: number): number {
  return answered === 0 ? 0 : Math.floor((100 * satisfied) / answered);
}
