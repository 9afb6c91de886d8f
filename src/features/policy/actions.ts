/**
 * Every action the product knows, for the whole product: later features add subjects and
 * callers, not actions. Each action names the subject type its rule reads (`ActionSubjects`).
 * Who may do what is in `rules.ts`. An action's first word must not be a top-level key of the
 * locales (test/i18n/locales.test.ts reads quoted `word.word` strings as locale keys).
 */
import type {
  ChatBindSubject,
  CommunitySubject,
  GroupSubject,
  HouseholdSubject,
  JobSubject,
  PersonSubject,
  ResidentSubject,
  ScopeSubject,
  TicketDraftSubject,
  TicketSubject,
} from './subjects.js';

/** Every action, grouped by who typically does it. */
export const ACTIONS = [
  // Public: what a visitor (an unbound chat account) may do.
  'help.view',
  'notice.view_public',
  'account.bind',
  // Only for oneself.
  'account.unbind',
  'resident.view_own_data',
  'notice.acknowledge',
  'meeting.respond',
  'meeting.vote',
  'petition.sign',
  // Tickets, resident side.
  'ticket.file',
  'ticket.file_on_behalf',
  'ticket.view',
  'ticket.add',
  'ticket.withdraw',
  'ticket.rate',
  // Tickets, staff side.
  'ticket.claim',
  'ticket.assign',
  'ticket.reply',
  'ticket.internal_note',
  'ticket.view_internal',
  'ticket.mark_major',
  'ticket.resolve',
  'ticket.reopen',
  'ticket.merge',
  'ticket.publish_text',
  // People and households.
  'household.view',
  'resident.view',
  'resident.reveal_phone',
  'resident.remove',
  // Groups and notices.
  'group.view_members',
  'group.view_acknowledgements',
  'notice.send_group',
  'notice.send_area',
  'notice.send_all',
  // Meetings and digests.
  'meeting.call',
  'meeting.run',
  'digest.view',
  // Administration.
  'household.import',
  'household.export',
  'staff.manage',
  'area.setup',
  'invite.create',
  'binding.approve',
  'binding.resume',
  'audit.view',
  'staff_chat.setup',
  'chat.bind',
  // Service team.
  'job.receive',
  'job.view',
  'job.accept',
  'job.decline',
  'job.report_done',
  'job.dispatch',
  // Housekeeping (家政服务社).
  'booking.configure',
  'booking.view_all',
  // The bungalow area's property fund.
  'fund.view',
  'fund.record',
  'fund.decide',
] as const;

/** One of `ACTIONS`. */
export type Action = (typeof ACTIONS)[number];

/** The subject each action is checked against. */
export interface ActionSubjects {
  'help.view': CommunitySubject;
  'notice.view_public': CommunitySubject;
  'account.bind': CommunitySubject;

  'account.unbind': PersonSubject;
  'resident.view_own_data': PersonSubject;
  /** The person the notice was sent to. */
  'notice.acknowledge': PersonSubject;
  /** The person invited. */
  'meeting.respond': PersonSubject;
  /** The person voting or answering an evaluation (only those checked in: the meetings feature's rule). */
  'meeting.vote': PersonSubject;
  /** The person signing (or starting) a petition for an extraordinary assembly. */
  'petition.sign': PersonSubject;

  'ticket.file': TicketDraftSubject;
  /** The household the ticket is filed for. */
  'ticket.file_on_behalf': HouseholdSubject;
  'ticket.view': TicketSubject;
  'ticket.add': TicketSubject;
  'ticket.withdraw': TicketSubject;
  'ticket.rate': TicketSubject;

  'ticket.claim': TicketSubject;
  /** The ticket being assigned (whether the assignee may take it is the tickets feature's rule). */
  'ticket.assign': TicketSubject;
  'ticket.reply': TicketSubject;
  'ticket.internal_note': TicketSubject;
  'ticket.view_internal': TicketSubject;
  'ticket.mark_major': TicketSubject;
  'ticket.resolve': TicketSubject;
  'ticket.reopen': TicketSubject;
  /** Check both tickets of a merge. */
  'ticket.merge': TicketSubject;
  /** Releasing a resident's words for the open data feed. */
  'ticket.publish_text': TicketSubject;

  'household.view': HouseholdSubject;
  /** Seeing a person's masked name and phone. */
  'resident.view': ResidentSubject;
  'resident.reveal_phone': ResidentSubject;
  'resident.remove': ResidentSubject;

  'group.view_members': GroupSubject;
  'group.view_acknowledgements': GroupSubject;
  'notice.send_group': GroupSubject;
  /** The area the notice goes to. */
  'notice.send_area': ScopeSubject;
  'notice.send_all': CommunitySubject;

  /** The area the meeting is for; `areaIds: []` = a community-wide meeting. */
  'meeting.call': ScopeSubject;
  /** Running a sitting: check-in, motions and votes, evaluation polls, minutes. `areaIds: []` = community-wide. */
  'meeting.run': ScopeSubject;
  /** The area the digest covers; `areaIds: []` = the whole community. */
  'digest.view': ScopeSubject;

  /** Importing the roster file (households and their members). Named apart from the `roster` locale namespace. */
  'household.import': CommunitySubject;
  /** Exporting the roster file: every name and phone, so admins only. */
  'household.export': CommunitySubject;
  /** Giving and ending roles (staff, councils, service team). */
  'staff.manage': CommunitySubject;
  /** Setting up areas, households and groups by hand. */
  'area.setup': CommunitySubject;
  /** Where the code binds to: the household's area, or `[]` for a person without a household. */
  'invite.create': ScopeSubject;
  /** The household the request names, when staff matched one; `[]` when not known yet. */
  'binding.approve': ScopeSubject;
  /** Lifting a community-wide pause of binding (after many wrong codes) before it ends. */
  'binding.resume': CommunitySubject;
  'audit.view': CommunitySubject;
  /** Making a group the staff chat: it then receives every ticket, name and masked phone. */
  'staff_chat.setup': CommunitySubject;
  /** Binding a group chat to a service team, a household group, an area or the community (`groupId`: the household group's). */
  'chat.bind': ChatBindSubject;

  /** Whether this member may be offered the job (has the skill). */
  'job.receive': JobSubject;
  'job.view': JobSubject;
  'job.accept': JobSubject;
  'job.decline': JobSubject;
  'job.report_done': JobSubject;
  /** Staff's hand on a job: reassign it, cancel it, take it over (themselves or a named member). */
  'job.dispatch': JobSubject;

  /** Setting up the housekeeping services and their places per date and time. */
  'booking.configure': CommunitySubject;
  /** Reading every household's housekeeping bookings (the service's day plan). */
  'booking.view_all': CommunitySubject;
  /** The fund's area (and ancestors): its ledger, balance and households' contributions. */
  'fund.view': ScopeSubject;
  /** Recording or importing contributions and recording expenses of the fund of that area. */
  'fund.record': ScopeSubject;
  /** The per-item decision (一事一议) on an expense above the fund's threshold. */
  'fund.decide': ScopeSubject;
}

// Every action has a subject type and no subject type lacks an action (checked by the compiler).
type MissingSubject = Exclude<Action, keyof ActionSubjects>;
type UnknownAction = Exclude<keyof ActionSubjects, Action>;
const _complete: [MissingSubject, UnknownAction] extends [never, never] ? true : never = true;
void _complete;

/** The subject type `can()` takes for action `A`. */
export type SubjectOf<A extends Action> = ActionSubjects[A];

/** True when `text` is one of the product's actions (for actions read from data). */
export function isAction(text: string): text is Action {
  return (ACTIONS as readonly string[]).includes(text);
}
