/**
 * Who may do what: one rule per action, each a list of grants (`grants.ts`). The first grant that
 * allows decides; when none does, the first reason a grant gave is the answer (grants are listed
 * from the most to the least privileged, so a steward outside their area hears "outside your
 * area", not "not your household").
 *
 * The rules, in words:
 * - Visitors (unbound accounts) may only read help and public notices, and bind.
 * - Residents see and act on their own household's tickets and data only; whoever filed a ticket
 *   (also on someone's behalf) may follow it up. Reopening is for staff: a resident who says "not
 *   solved" when rating is heard through `ticket.rate`.
 * - A group head sees their group's members (masked) and who has acknowledged, sends notices to
 *   the group, binds a group chat to it (their own group only) and files on behalf of its
 *   households — but never sees their tickets.
 * - Liaisons and patrol members file on behalf of any household in their area; one tied to no
 *   area (the usual liaison) may file for any household of the community.
 * - Stewards and councils handle tickets, households, people, notices, meetings, digests, invite
 *   codes and binding requests of their area's subtree. One set up without an area covers nothing.
 *   A staff member a ticket is assigned to handles it wherever it is.
 * - Committee members and admins see and handle everything in the community; only admins import
 *   and export rosters, manage staff and set the community up; committee and admins read the audit log
 *   and lift a community-wide pause of binding.
 * - Only admins set up the housekeeping services and their places; committee members and admins
 *   read every household's bookings (each booking is also a ticket, seen as tickets are).
 * - Service-team members see only jobs assigned to them, may take open jobs matching their skills,
 *   and report their own jobs done. Committee, admins and the area's stewards and councils
 *   reassign, cancel or take over a job.
 * - Only committee members and admins release a resident's words for the open data feed: it speaks
 *   for the community to the world, and what goes out cannot be called back.
 * - A full phone number is revealed only to the person, the area's steward or council, committee
 *   members and admins; housemates and group heads see people masked.
 * - Anyone bound may remove themself; removing someone else needs an admin.
 * - The property fund's ledger is kept by the committee, admins and the fund area's stewards and
 *   councils; only a committee member decides an expense above the threshold (一事一议): the
 *   committee answers to the households for it, so neither an admin, the operator nor the system may.
 * - Whoever may call a meeting of an area runs its sittings (check-in, votes, polls, minutes);
 *   voting and signing a petition are each person's own (who may vote is the meeting's check-in).
 * - The operator (CLI) and the system act as an admin of every community.
 * - Nothing of another community, ever (checked before any grant).
 *
 * `ticket-scope.ts` states `ticket.view` again as a filter for lists; a test keeps the two equal.
 */
import type { Action, SubjectOf } from './actions.js';
import {
  filer,
  groupHead,
  ownHousehold,
  placeReport,
  roleAnywhere,
  roleInArea,
  self,
  serviceTeamAssignee,
  serviceTeamOffer,
  serviceTeamSkill,
  staffAssignee,
  unboundAccount,
  type Grant,
} from './grants.js';

/** The grounds on which one action is allowed. */
export interface Rule<S> {
  /** Visitors may too; otherwise a visitor is refused with `not_bound` before any grant. */
  public?: boolean;
  grants: readonly Grant<S>[];
}

const anyone: Grant<unknown> = () => true;
const committeeOrAdmin = roleAnywhere('committee', 'admin');
const adminOnly = roleAnywhere('admin');
const committeeOnly = roleAnywhere('committee');
const areaStaff = roleInArea(['steward', 'council'], 'covers_nothing');
const onBehalfFilers = roleInArea(['liaison', 'patrol'], 'covers_all');

const publicRead: Rule<unknown> = { public: true, grants: [anyone] };
const selfOnly: Rule<SubjectOf<'account.unbind'>> = { grants: [self] };
const ticketHandlers: Rule<SubjectOf<'ticket.claim'>> = { grants: [committeeOrAdmin, areaStaff, staffAssignee] };
const ticketFollowUp: Rule<SubjectOf<'ticket.add'>> = { grants: [ownHousehold, filer] };
const groupStaff: Rule<SubjectOf<'group.view_members'>> = { grants: [committeeOrAdmin, areaStaff, groupHead] };
const areaWork: Rule<SubjectOf<'meeting.call'>> = { grants: [committeeOrAdmin, areaStaff] };
const committeeWork: Rule<unknown> = { grants: [committeeOrAdmin] };
const adminWork: Rule<unknown> = { grants: [adminOnly] };

/** The rule of every action (the compiler insists on one per action). */
export const RULES: { readonly [A in Action]: Rule<SubjectOf<A>> } = {
  'help.view': publicRead,
  'notice.view_public': publicRead,
  'account.bind': { public: true, grants: [unboundAccount] },

  'account.unbind': selfOnly,
  'resident.view_own_data': selfOnly,
  'notice.acknowledge': selfOnly,
  'meeting.respond': selfOnly,
  'meeting.vote': selfOnly,
  'petition.sign': selfOnly,

  'ticket.file': { grants: [placeReport, ownHousehold] },
  'ticket.file_on_behalf': { grants: [committeeOrAdmin, areaStaff, onBehalfFilers, groupHead, ownHousehold] },
  'ticket.view': { grants: [committeeOrAdmin, areaStaff, staffAssignee, ownHousehold, filer] },
  'ticket.add': ticketFollowUp,
  'ticket.withdraw': ticketFollowUp,
  'ticket.rate': ticketFollowUp,

  'ticket.claim': ticketHandlers,
  'ticket.assign': ticketHandlers,
  'ticket.reply': ticketHandlers,
  'ticket.internal_note': ticketHandlers,
  'ticket.view_internal': ticketHandlers,
  'ticket.mark_major': ticketHandlers,
  'ticket.resolve': ticketHandlers,
  'ticket.reopen': ticketHandlers,
  'ticket.merge': ticketHandlers,
  'ticket.publish_text': committeeWork,

  'household.view': { grants: [committeeOrAdmin, areaStaff, ownHousehold] },
  'resident.view': { grants: [committeeOrAdmin, areaStaff, groupHead, ownHousehold, self] },
  'resident.reveal_phone': { grants: [committeeOrAdmin, areaStaff, self] },
  'resident.remove': { grants: [adminOnly, self] },

  'group.view_members': groupStaff,
  'group.view_acknowledgements': groupStaff,
  'notice.send_group': groupStaff,
  'notice.send_area': areaWork,
  'notice.send_all': committeeWork,

  'meeting.call': areaWork,
  'meeting.run': areaWork,
  'digest.view': areaWork,

  'household.import': adminWork,
  'household.export': adminWork,
  'staff.manage': adminWork,
  'area.setup': adminWork,
  'invite.create': areaWork,
  'binding.approve': areaWork,
  'binding.resume': committeeWork,
  'audit.view': committeeWork,
  'staff_chat.setup': committeeWork,
  // A group chat bound to a team, a household group, an area or the community: notices reach it.
  // A head binds their own group's chat (they keep in touch with those households, rule 8).
  'chat.bind': { grants: [committeeOrAdmin, groupHead] },

  'job.receive': { grants: [serviceTeamSkill] },
  'job.view': { grants: [committeeOrAdmin, areaStaff, serviceTeamAssignee] },
  'job.accept': { grants: [serviceTeamOffer] },
  'job.decline': { grants: [serviceTeamOffer] },
  'job.report_done': { grants: [serviceTeamAssignee] },
  // Staff who answer for the job's area send it to someone else, cancel it or take it over.
  'job.dispatch': { grants: [committeeOrAdmin, areaStaff] },

  'booking.configure': adminWork,
  'booking.view_all': committeeWork,
  'fund.view': areaWork,
  'fund.record': areaWork,
  'fund.decide': { grants: [committeeOnly] },
};
