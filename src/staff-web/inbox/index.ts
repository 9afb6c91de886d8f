/**
 * Tickets in the staff console: the services (the list and one ticket, read by
 * `ticket.view_internal`; the page's actions through the inbox's one action path, audited) and
 * the views the shell's routes render.
 */
export { listFilterOptions, listTickets, parseTicketListQuery, DEFAULT_TICKET_FILTER, QUICK_FILTERS, TICKET_PAGE_SIZE, TICKET_STATE_FILTERS } from './ticket-list.js';
export type { AreaOption, ListTicketsInput, QuickFilter, TicketList, TicketListCounts, TicketListFilter, TicketListItem, TicketStateFilter } from './ticket-list.js';
export { loadStaffTicket, TICKET_PAGE_ACTIONS } from './ticket-view.js';
export type { DeadlineState, EarlierTicket, LoadStaffTicketInput, StaffTicket, StaffTicketResult, TicketPageAction, TimelineActor, TimelineEntry } from './ticket-view.js';
export { isTicketPageAction, runTicketPageAction } from './ticket-actions.js';
export type { TicketActionForm, TicketActionInput, TicketActionOutcome, TicketActionProblem } from './ticket-actions.js';
export { ticketActionStatus } from './ticket-action-status.js';
export { staffTicketScope, staffTicketWhere } from './staff-ticket-scope.js';
export type { StaffTicketScope, TicketViewer } from './staff-ticket-scope.js';
export { findTicketByTypedNumber } from './ticket-search.js';
export { INBOX_PATH, listQuery, ticketListView } from './ticket-list-view.js';
export type { TicketListViewContext, TicketListViewData } from './ticket-list-view.js';
export { ticketPageView } from './ticket-page-view.js';
export type { TicketPageViewContext } from './ticket-page-view.js';
export { staffPhotoHref, ticketActionHref, ticketHref } from './ticket-view-parts.js';
