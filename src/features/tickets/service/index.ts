/**
 * The ticket service: what the resident side, the staff inbox and the scheduler call. Every
 * function takes the caller's transaction and writes messages to the outbox inside it; the
 * returned outbox rows may be dispatched after commit (the server's sweep sends them otherwise).
 *
 * - `fileTicket(tx, deps, input)` — files one ticket (number, category, deadlines, routing, event,
 *   audit when on behalf, notices, `ticket.changed`).
 * - `applyTicketAction(tx, deps, input)` — every later change (claim, assign, reply, note,
 *   mark_major, resolve, reopen, merge, message, withdraw, rate, auto_close) with a version guard.
 * - `askForRating(tx, deps, ticketId)` — the once-per-resolution rating question (the `resolve`
 *   transition already calls it).
 * - `loadTicketSettings(db, communityId)`, `routeForArea(tx, …)`, `findTicketByNumber(db, …)`,
 *   `loadTicketSubject(db, …)` — shared look-ups.
 * - The resident's own operations (`listMyTickets`, `viewMyTicket`, `addToMyTicket`,
 *   `withdrawMyTicket`, `rateMyTicket`…) check the policy themselves.
 */
export { applyTicketAction, type ApplyTicketActionInput, type ApplyTicketActionResult } from './apply-ticket-action.js';
export { askForRating } from './ask-for-rating.js';
export { fileTicket, TicketFilingError, TICKET_LIMITS, type FiledTicket, type FileTicketInput, type TicketFilingProblem } from './file-ticket.js';
export { publishTicketText, type PublishTextInput, type PublishTextOutcome } from './publish-ticket-text.js';
export { routeForArea, type RouteInput } from './route-store.js';
export { nextTicketSequence } from './ticket-counter.js';
export { RESIDENT_VISIBLE_EVENTS, RATING_ASKED_EVENT, EVENT_KIND_OF_ACTION } from './ticket-events.js';
export { noticeAccountOf, writeTicketNotice, type TicketNotice } from './ticket-notices.js';
export type { TicketChange } from './ticket-change.js';
export { clockOf, type TicketServiceDeps } from './ticket-service-deps.js';
export { loadTicketSettings, parseTicketSettings } from './ticket-settings-store.js';
export { loadTicketSubject, ticketSubjectOf } from './ticket-subject.js';
export { findTicketByNumber } from './find-ticket.js';
export { roleWordsOf, roleWordKey, type RoleWord } from './role-words.js';
export { TicketWords } from './ticket-words.js';
export * from './resident-tickets.js';
