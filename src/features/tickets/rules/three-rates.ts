/**
 * The three rates (三率) by which 12345 judges handling, over a period [from, to):
 *
 * - 响应率 response rate: of the tickets whose first-response deadline fell in the period, the
 *   share answered by that deadline (an answer at the deadline instant is in time). A ticket the
 *   resident withdrew before its deadline, unanswered, is left out: nobody failed them.
 * - 解决率 resolution rate: of the residents who answered "was it solved?" in the period, the share
 *   who said yes. It is the resident's word, not the staff's "resolved" button.
 * - 满意率 satisfaction rate: of the ratings given in the period, the share with ≥ 4 stars.
 *
 * Each rate is a fraction with its counts; null when nothing fell in the period (not 0 % and not
 * 100 %: there was nothing to judge).
 */
import { isSatisfied } from './satisfaction.js';
import { inPeriod, type Period, type TicketFact } from './ticket-facts.js';

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator / denominator, 0–1; null when the denominator is 0. */
  rate: number | null;
}

export interface ThreeRates {
  response: Rate;
  resolution: Rate;
  satisfaction: Rate;
}

/** All three rates for the period. */
export function threeRates(facts: readonly TicketFact[], period: Period): ThreeRates {
  return { response: responseRate(facts, period), resolution: resolutionRate(facts, period), satisfaction: satisfactionRateIn(facts, period) };
}

/** 响应率. */
export function responseRate(facts: readonly TicketFact[], period: Period): Rate {
  const cohort = facts.filter((f) => inPeriod(f.firstResponseDue, period) && !withdrawnUnansweredBeforeDue(f));
  return rate(
    cohort.filter((f) => f.firstRespondedAt !== null && f.firstRespondedAt.getTime() <= f.firstResponseDue.getTime()).length,
    cohort.length,
  );
}

/** 解决率. */
export function resolutionRate(facts: readonly TicketFact[], period: Period): Rate {
  const answered = facts.filter((f) => f.solved !== null && inPeriod(f.solved.answeredAt, period));
  return rate(answered.filter((f) => f.solved!.value).length, answered.length);
}

/** 满意率. */
export function satisfactionRateIn(facts: readonly TicketFact[], period: Period): Rate {
  const rated = facts.filter((f) => f.rating !== null && inPeriod(f.rating.ratedAt, period));
  return rate(rated.filter((f) => isSatisfied(f.rating!.stars)).length, rated.length);
}

function withdrawnUnansweredBeforeDue(f: TicketFact): boolean {
  return f.status === 'withdrawn' && f.firstRespondedAt === null && f.finishedAt !== null && f.finishedAt.getTime() < f.firstResponseDue.getTime();
}

function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}
