/**
 * Whether an open ticket is late, by the rule the digest and escalation use
 * (rules/deadlines.ts, rules/digest.ts): a deadline is reached *at* its instant, so a ticket whose
 * first response is due at 10:00 and still unanswered is overdue at 10:00:00.000. The first
 * response is late while unanswered; the resolution while the ticket is open. Finished tickets
 * (resolved, closed, withdrawn, merged) are never overdue.
 */
import type { Prisma } from '../../db/prisma-types.js';
import { OPEN_STATUSES, type TicketStatus } from '../../features/tickets/rules/statuses.js';

/** The columns the rule reads. */
export interface DeadlineColumns {
  status: string;
  firstResponseDueAt: Date;
  firstRespondedAt: Date | null;
  resolutionDueAt: Date | null;
}

/** Which deadlines an open ticket has missed at `now`. */
export interface Lateness {
  firstResponse: boolean;
  resolution: boolean;
}

/** Where the resident's first answer stands. */
export type FirstResponseState = 'answered' | 'waiting' | 'late';

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status as TicketStatus);
}

/** The deadlines missed at `now` (none once the ticket is finished). */
export function latenessAt(ticket: DeadlineColumns, now: Date): Lateness {
  if (!isOpen(ticket.status)) return { firstResponse: false, resolution: false };
  const t = now.getTime();
  return {
    firstResponse: ticket.firstRespondedAt === null && ticket.firstResponseDueAt.getTime() <= t,
    resolution: ticket.resolutionDueAt !== null && ticket.resolutionDueAt.getTime() <= t,
  };
}

/** True when either deadline is missed. */
export function isOverdue(ticket: DeadlineColumns, now: Date): boolean {
  const late = latenessAt(ticket, now);
  return late.firstResponse || late.resolution;
}

export function firstResponseState(ticket: DeadlineColumns, now: Date): FirstResponseState {
  if (ticket.firstRespondedAt !== null) return 'answered';
  return latenessAt(ticket, now).firstResponse ? 'late' : 'waiting';
}

/** The next deadline that matters: the first response while unanswered, else the resolution; null once finished. */
export function nextDueAt(ticket: DeadlineColumns): Date | null {
  if (!isOpen(ticket.status)) return null;
  return ticket.firstRespondedAt === null ? ticket.firstResponseDueAt : ticket.resolutionDueAt;
}

/** `latenessAt(…).firstResponse || …resolution` as a Prisma `where`, so lists and counts agree with the items. */
export function overdueWhere(now: Date): Prisma.TicketWhereInput {
  return {
    status: { in: [...OPEN_STATUSES] },
    OR: [{ firstRespondedAt: null, firstResponseDueAt: { lte: now } }, { resolutionDueAt: { lte: now } }],
  };
}
