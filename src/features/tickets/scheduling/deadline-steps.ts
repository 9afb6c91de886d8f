/**
 * Which deadline jobs a ticket needs, from its stored due times (pure).
 *
 * The ticket stores the first-response and resolution deadlines of its current round; the
 * committee's moment (twice the first-response time, rules/deadlines.ts) is not stored, so it is
 * the stored first-response deadline plus one more first-response time on the same clock. Adding
 * to the stored deadline, rather than recomputing from the round's start, keeps it consistent with
 * what the resident was promised even when the settings changed since.
 */
import { findCategory } from '../rules/categories.js';
import { addDuration, COMMITTEE_ESCALATION_FACTOR, isPriorityHousehold } from '../rules/deadlines.js';
import { scaleDuration } from '../rules/duration.js';
import { ESCALATION_STEPS, type EscalationStep, type EscalationTicket } from '../rules/escalation.js';
import type { TicketSettings } from '../rules/settings.js';
import { TICKET_STATUSES, isOpenStatus, type TicketStatus } from '../rules/statuses.js';

/** What a deadline job waits for; also part of its job id. */
export type DeadlineStep = 'first_response' | 'committee' | 'resolution' | 'major';

/** The ticket columns the deadline jobs read. */
export interface DeadlineTicketRow {
  status: string;
  category: string;
  major: boolean;
  firstRespondedAt: Date | null;
  firstResponseDueAt: Date;
  resolutionDueAt: Date | null;
  escalationsDone: readonly string[];
  /** The household's flags ([] without a household). */
  householdFlags: readonly string[];
}

/** The rules' view of the ticket, with the committee's moment worked out. */
export function escalationTicket(row: DeadlineTicketRow, settings: TicketSettings): EscalationTicket {
  const category = findCategory(settings.categories, row.category);
  const hours = settings.businessHours && category.businessHours ? settings.businessHours : null;
  const firstResponse = isPriorityHousehold(row.householdFlags) ? category.priority.firstResponse : category.firstResponse;
  const committeeEscalationDue = addDuration(row.firstResponseDueAt, scaleDuration(firstResponse, COMMITTEE_ESCALATION_FACTOR - 1), hours, settings.timezone);
  return {
    status: toStatus(row.status),
    major: row.major,
    firstRespondedAt: row.firstRespondedAt,
    firstResponseDue: row.firstResponseDueAt,
    committeeEscalationDue,
    resolutionDue: row.resolutionDueAt,
    done: row.escalationsDone.filter((s): s is EscalationStep => (ESCALATION_STEPS as readonly string[]).includes(s)),
  };
}

/** The escalation step a deadline job leads to. */
export const STEP_ESCALATION: Record<DeadlineStep, EscalationStep> = {
  first_response: 'first_response_overdue',
  committee: 'first_response_overdue_committee',
  resolution: 'forum_agenda',
  major: 'forum_agenda',
};

/**
 * The jobs still worth having, each with the instant it is due (`major` at `now`). None for a
 * ticket that is no longer open, and none for a step already taken.
 */
export function pendingDeadlineSteps(ticket: EscalationTicket, now: Date): Array<{ step: DeadlineStep; at: Date }> {
  if (!isOpenStatus(ticket.status)) return [];
  const todo = (step: DeadlineStep) => !ticket.done.includes(STEP_ESCALATION[step]);
  const steps: Array<{ step: DeadlineStep; at: Date }> = [];
  if (ticket.firstRespondedAt === null) {
    if (todo('first_response')) steps.push({ step: 'first_response', at: ticket.firstResponseDue });
    if (todo('committee')) steps.push({ step: 'committee', at: ticket.committeeEscalationDue });
  }
  if (ticket.resolutionDue !== null && todo('resolution')) steps.push({ step: 'resolution', at: ticket.resolutionDue });
  if (ticket.major && todo('major')) steps.push({ step: 'major', at: now });
  return steps;
}

function toStatus(status: string): TicketStatus {
  // An unknown status (a newer version wrote it) is treated as not open: no escalation on a guess.
  return (TICKET_STATUSES as readonly string[]).includes(status) ? (status as TicketStatus) : 'closed';
}
