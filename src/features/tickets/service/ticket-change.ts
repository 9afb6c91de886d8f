/**
 * How the staff side and the clock hear about tickets without the ticket feature knowing any chat
 * or queue: every change publishes `ticket.changed` on the event bus (src/events/) inside the same
 * transaction, so the card, topic message or note a listener writes to the outbox commits — or
 * rolls back — with the change itself. A listener uses only `tx`.
 */
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

declare module '../../../events/app-events.js' {
  interface AppEvents {
    /** A ticket was filed or changed (one per TicketEvent row). */
    'ticket.changed': TicketChange;
  }
}
