/**
 * Ticket statuses. Shown through locales (`tickets.status.*`).
 *
 * - `new`: filed and routed to its first handler (never without one, 首接负责), nobody has taken it
 *   in hand yet.
 * - `in_progress`: claimed, answered, or reopened.
 * - `resolved`: the resolution was sent; the resident may rate it, and may reopen it by writing
 *   within the reopen window.
 * - `closed`: the reopen window has passed (final; staff can still reopen).
 * - `withdrawn`: the resident took it back (final).
 * - `merged`: folded into another ticket (final; messages go to that one).
 *
 * There is no "waiting for the resident" status: it would need the resolution clock to pause, and
 * a pause is the lever that lets a case sit forever. Staff ask, note, and resolve if no answer.
 */

export const TICKET_STATUSES = ['new', 'in_progress', 'resolved', 'closed', 'withdrawn', 'merged'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which someone still owes the resident work; deadlines and escalation apply. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'in_progress'];

/** True when the ticket still waits for work. */
export function isOpenStatus(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
