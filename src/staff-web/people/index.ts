/**
 * Roster and people in the staff console: the services (reads scoped by `household.view`,
 * codes by `invite.create`, staff by `staff.manage`, every change audited) and the views the
 * shell's routes render.
 */
export { searchHouseholds } from './search-households.js';
export type { HouseholdSearch, HouseholdSummary } from './search-households.js';
export { loadHousehold } from './load-household.js';
export type { HouseholdDetail, HouseholdMember, LoadHouseholdOutcome } from './load-household.js';
export { issueHouseholdCode, issuePersonCode } from './issue-codes.js';
export type { IssuedCode } from './issue-codes.js';
export { qrSvg } from './qr-svg.js';
export { revealMemberPhone, revealRequestPhone } from './reveal-phones.js';
export { addTerm, changeTermEnd, endTermNow, listStaff } from './staff-terms.js';
export type { AddTermInput, AddTermOutcome, StaffTerm, TermChangeOutcome } from './staff-terms.js';
export { pageNumber, PAGE_SIZE } from './paging.js';
export type { PageInfo } from './paging.js';
export type { ViewContext } from './view-parts.js';
export { householdHref, peopleSearchView, PEOPLE_PATH } from './search-view.js';
export { householdCodeAction, householdView, personCodeAction, personPhoneAction, revealedPhoneNotice } from './household-view.js';
export { issuedCodeView } from './code-view.js';
export type { IssuedCodePage } from './code-view.js';
export { addTermNotice, staffView, STAFF_PATH, termChangeNotice, termChangeStatus, termEndAction, termEndsAction } from './staff-view.js';
export type { StaffPage } from './staff-view.js';
