/**
 * The part of a ticket the status machine reads and writes, and who acts on it. Plain data: the
 * service loads it from the database, `transition` returns the next one, the service saves it.
 */
import type { TicketKind } from './kinds.js';
import type { TicketStatus } from './statuses.js';

/**
 * Who acts, as far as tickets care. The service derives it from the policy's Actor and the chat
 * the action came from: a staff member writing about their own complaint in their private chat
 * acts as a resident.
 */
export type TicketActor =
  | { kind: 'resident'; residentId: string }
  | { kind: 'staff'; staffId: string }
  | { kind: 'system' };

export interface TicketState {
  id: string;
  kind: TicketKind;
  status: TicketStatus;
  /** The resident the ticket is for; null when filed for a household with no chat account. */
  reporterId: string | null;
  /**
   * Who typed it in: the reporter, or a liaison, patrol member or group head on their behalf;
   * null when another system filed it through the API, or the filer was removed.
   */
  filedById: string | null;
  /** The staff member who holds it; null = the committee as a body (routing found no one). */
  assigneeId: string | null;
  major: boolean;
  /** First answer the resident saw in the current round (since filing or the last reopen). */
  firstRespondedAt: Date | null;
  /** The latest resolution while resolved or closed; null while open. */
  resolvedAt: Date | null;
  /** Who sent the latest resolution: the person its rating is about. */
  resolvedById: string | null;
  reopenCount: number;
  /** How many times it was resolved; each resolution may be rated once. */
  resolutionCount: number;
  /** The resolution (1-based count) the current rating belongs to; 0 = never rated. */
  ratedResolution: number;
  rating: number | null;
  mergedIntoId: string | null;
}

/**
 * Side effects a transition asks for, by name; the ticket service performs them. Every accepted
 * action is also audit-logged and refreshes the staff card, so those are not listed.
 */
export type TicketEffect =
  /** Send the staff text (reply, resolution, merge notice, reopening) to the resident. */
  | 'notify_resident'
  /** Tell the household a ticket was filed for it by someone else. */
  | 'notify_household'
  /** Pass the resident's message, withdrawal or rating to the staff chat. */
  | 'notify_staff'
  /** Tell the (new) assignee in their own chat. */
  | 'notify_assignee'
  /** Ask the resident for a 1–5 rating, once for this resolution. */
  | 'ask_rating'
  /** Start the deadline clocks from the action's time (filing, reopening). */
  | 'schedule_deadlines'
  /** The first response came: drop the first-response reminders. */
  | 'cancel_first_response_deadline'
  /** Drop every deadline job (resolved, withdrawn, merged). */
  | 'cancel_deadlines'
  /** Close the ticket for good after the reopen window. */
  | 'schedule_auto_close'
  | 'cancel_auto_close'
  /** Put the ticket on the next biweekly forum's agenda (docs/domain.md rule 1). */
  | 'add_forum_agenda'
  /** Close / reopen the ticket's topic or card thread in the staff chat. */
  | 'close_staff_thread'
  | 'reopen_staff_thread';

export interface NewTicket {
  id: string;
  kind: TicketKind;
  reporterId: string | null;
  /** null: filed by another system through the API (nobody in chat to tell). */
  filedById: string | null;
  /** From `routeTicket`. */
  assigneeId: string | null;
}

/** A freshly filed ticket and what filing it sets off. */
export function newTicketState(ticket: NewTicket): { ticket: TicketState; effects: TicketEffect[] } {
  const effects: TicketEffect[] = ticket.filedById === null ? ['schedule_deadlines', 'notify_assignee'] : ['notify_resident', 'schedule_deadlines', 'notify_assignee'];
  // Filed on someone's behalf: the household hears of it (when it has an account to hear with).
  if (ticket.reporterId !== null && ticket.reporterId !== ticket.filedById) effects.push('notify_household');
  return {
    ticket: {
      ...ticket,
      status: 'new',
      major: false,
      firstRespondedAt: null,
      resolvedAt: null,
      resolvedById: null,
      reopenCount: 0,
      resolutionCount: 0,
      ratedResolution: 0,
      rating: null,
      mergedIntoId: null,
    },
    effects,
  };
}
