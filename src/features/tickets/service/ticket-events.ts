/**
 * Event kinds of a ticket's history (TicketEvent.kind) and which of them a resident may see.
 * Internal notes, claims, assignments, escalations and the staff's own bookkeeping never reach
 * a resident.
 */
import type { TicketActionType } from '../rules/transition.js';

/** The event each action writes. */
export const EVENT_KIND_OF_ACTION: Record<TicketActionType, string> = {
  claim: 'claimed',
  assign: 'assigned',
  reply: 'staff_reply',
  note: 'internal_note',
  mark_major: 'marked_major',
  resolve: 'resolved',
  reopen: 'reopened',
  merge: 'merged',
  message: 'resident_message',
  withdraw: 'withdrawn',
  rate: 'rated',
  auto_close: 'closed',
};

/** Events a resident sees in "my tickets" (their conversation with the community). */
export const RESIDENT_VISIBLE_EVENTS: readonly string[] = ['filed', 'resident_message', 'staff_reply', 'resolved', 'reopened', 'merged', 'withdrawn', 'rated', 'closed'];

/** Written when the resident was asked to rate a resolution (once per resolution); not shown. */
export const RATING_ASKED_EVENT = 'rating_asked';

/** The policy action an accepted ticket action is audited under. */
export const AUDIT_ACTION_OF: Record<TicketActionType, string> = {
  claim: 'ticket.claim',
  assign: 'ticket.assign',
  reply: 'ticket.reply',
  note: 'ticket.internal_note',
  mark_major: 'ticket.mark_major',
  resolve: 'ticket.resolve',
  reopen: 'ticket.reopen',
  merge: 'ticket.merge',
  message: 'ticket.add',
  withdraw: 'ticket.withdraw',
  rate: 'ticket.rate',
  auto_close: 'ticket.auto_close',
};
