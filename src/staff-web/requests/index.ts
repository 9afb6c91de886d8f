/**
 * Binding requests in the staff console: the services (reads scoped by `binding.approve`, the
 * decision through the identity feature) and the views the shell's routes render.
 */
export { listBindingRequests, loadBindingRequest, requestNumber, requestStatusFilter, REQUEST_STATUS_FILTERS } from './list-requests.js';
export type { OneRequest, RequestList, RequestListItem, RequestStatus, RequestStatusFilter } from './list-requests.js';
export { searchRosterForRequest } from './search-roster.js';
export type { RosterCandidate, RosterSearch } from './search-roster.js';
export { decideBindingRequest } from './decide-request.js';
export type { DecideRequestInput } from './decide-request.js';
export { revealRequestPhone } from '../people/reveal-phones.js';
export {
  approveAction,
  decisionNotice,
  decisionStatus,
  rejectAction,
  requestHref,
  requestPhoneAction,
  requestsListView,
  requestView,
  REQUESTS_PATH,
} from './requests-view.js';
