/**
 * What a ticket is. The mailbox kinds (民情信箱: complaint, suggestion, praise) come first; repair,
 * housekeeping and patrol reports use the same ticket model later. Shown through locales
 * (`tickets.kind.*`).
 */

export const TICKET_KINDS = ['complaint', 'suggestion', 'praise', 'repair', 'housekeeping', 'patrol_report'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/** The kinds a resident can file through the mailbox today. */
export const MAILBOX_KINDS: readonly TicketKind[] = ['complaint', 'suggestion', 'praise'];

/**
 * Praise needs an answer ("thank you, passed on") but nothing to resolve: it has a first-response
 * deadline only, is never escalated to the forum for being late, and is not rated (asking someone
 * to rate how their thanks was handled is noise).
 */
export function kindHasResolutionDeadline(kind: TicketKind): boolean {
  return kind !== 'praise';
}

/** Whether the resident is asked to rate the ticket when it is resolved (see `kindHasResolutionDeadline`). */
export function kindIsRated(kind: TicketKind): boolean {
  return kind !== 'praise';
}

/** True for a known kind name. */
export function isTicketKind(value: string): value is TicketKind {
  return (TICKET_KINDS as readonly string[]).includes(value);
}
