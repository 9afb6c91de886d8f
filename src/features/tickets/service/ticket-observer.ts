/**
 * How the staff side hears about tickets without the ticket feature knowing any chat: the
 * composition root gives the ticket service an observer (the staff inbox, src/inbox/), called
 * inside the same transaction as the change, so the card, topic message or note it writes to the
 * outbox commits — or rolls back — with the change itself. Use only `tx` in an implementation.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { TicketEffect } from '../rules/ticket-state.js';

/** What happened to a ticket, as the staff inbox needs to show it. Ids only; it re-reads rows. */
export interface TicketChange {
  communityId: string;
  ticketId: string;
  /** The TicketEvent row written for this change (filed, resident_message, staff_reply…). */
  eventId: string;
  /** The event's kind (see TicketEvent.kind in prisma/schema.prisma). */
  kind: string;
  /**
   * What the status machine asked for (rules/ticket-state.ts). The ticket service has already
   * done the resident-side ones (notify_resident, notify_assignee, notify_household, ask_rating,
   * add_forum_agenda, new due times); the staff side acts on notify_staff and the staff-thread
   * effects, the scheduler on the deadline ones. Absent for changes that are not transitions.
   */
  effects?: readonly TicketEffect[];
}

export interface TicketObserver {
  ticketChanged(tx: Tx, change: TicketChange): Promise<void>;
}

/** An observer that does nothing: for the command line and for tests of the resident side alone. */
export const NO_TICKET_OBSERVER: TicketObserver = { ticketChanged: async () => {} };
