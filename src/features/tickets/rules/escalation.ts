/**
 * The escalation ladder (docs/domain.md rule 1: "小的事情理事会自行解决，大的事情提交半月谈集体商议").
 *
 * For an open ticket, in order:
 * 1. `first_response_overdue` — no answer by the first-response deadline: the steward is reminded
 *    (the service tells the area's steward and the assignee if different).
 * 2. `first_response_overdue_committee` — still no answer at twice the first-response time: the
 *    committee is told.
 * 3. `forum_agenda` — marked major, or still unresolved at the resolution deadline: an agenda item
 *    for the next biweekly forum, once per ticket (carrying it over to later sittings is the
 *    meetings feature's business).
 *
 * Deadlines are inclusive for the staff: an answer at exactly the deadline is in time, and the
 * escalation fires only once the deadline instant has come without one.
 */
import { nextBiweeklyForum } from './biweekly-forum.js';
import { isOpenStatus, type TicketStatus } from './statuses.js';

export const ESCALATION_STEPS = ['first_response_overdue', 'first_response_overdue_committee', 'forum_agenda'] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];

/** Whether a stored step name is one of ours (rows may hold names from older versions). */
export function isEscalationStep(step: string): step is EscalationStep {
  return (ESCALATION_STEPS as readonly string[]).includes(step);
}

export interface EscalationTicket {
  status: TicketStatus;
  major: boolean;
  firstRespondedAt: Date | null;
  firstResponseDue: Date;
  committeeEscalationDue: Date;
  /** null: no resolution deadline (praise). */
  resolutionDue: Date | null;
  /** Steps already taken for this ticket (first-response steps: in the current round). */
  done: readonly EscalationStep[];
}

export interface ForumSchedule {
  anchor: Date;
  timezone: string;
}

export type Escalation =
  | { step: 'first_response_overdue'; notify: 'steward' }
  | { step: 'first_response_overdue_committee'; notify: 'committee' }
  | { step: 'forum_agenda'; reason: 'major' | 'overdue'; forumAt: Date | null };

/**
 * The steps due at `now` and not yet taken, in ladder order. `forum` null (no anchor configured):
 * the agenda item is still returned, with `forumAt` null — the committee sets the date.
 */
export function escalationFor(ticket: EscalationTicket, now: Date, forum: ForumSchedule | null): Escalation[] {
  if (!isOpenStatus(ticket.status)) return [];
  const steps: Escalation[] = [];
  const t = now.getTime();
  const unanswered = ticket.firstRespondedAt === null;
  const todo = (step: EscalationStep) => !ticket.done.includes(step);
  if (unanswered && t >= ticket.firstResponseDue.getTime() && todo('first_response_overdue')) {
    steps.push({ step: 'first_response_overdue', notify: 'steward' });
  }
  if (unanswered && t >= ticket.committeeEscalationDue.getTime() && todo('first_response_overdue_committee')) {
    steps.push({ step: 'first_response_overdue_committee', notify: 'committee' });
  }
  const overdue = ticket.resolutionDue !== null && t >= ticket.resolutionDue.getTime();
  if ((ticket.major || overdue) && todo('forum_agenda')) {
    const forumAt = forum ? nextBiweeklyForum(now, forum.anchor, forum.timezone) : null;
    steps.push({ step: 'forum_agenda', reason: ticket.major ? 'major' : 'overdue', forumAt });
  }
  return steps;
}

/**
 * What survives a reopening: the clocks restart, so the first-response steps may happen again;
 * a ticket already put before the forum is not put there twice.
 */
export function escalationsKeptOnReopen(done: readonly EscalationStep[]): EscalationStep[] {
  return done.filter((step) => step === 'forum_agenda');
}
