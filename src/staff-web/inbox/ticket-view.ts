/**
 * One ticket as the staff console's ticket page shows it: the header, the deadlines, the reporter
 * (masked: the full phone only through the audited reveal, a separate action), the whole history
 * with internal notes marked, the household's earlier tickets, who it may be assigned to, and
 * which actions the viewer may take now — the policy's `can` for each, and only where the ticket's
 * status lets the action happen (`rules/transition.ts`), so the page never offers a button that
 * can only be refused.
 *
 * Opening a ticket the viewer may not handle is refused through `checkAudited`: the refusal leaves
 * an audit row (probing for numbers leaves a trace), so the caller commits after a refusal too.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { Action } from '../../features/policy/actions.js';
import { checkAudited } from '../../features/policy/audited-check.js';
import { loadResidentSubject } from '../../features/policy/load-subjects.js';
import { can } from '../../features/policy/policy.js';
import { maskName, maskPhone } from '../../features/privacy/mask.js';
import type { TicketCategory } from '../../features/tickets/rules/categories.js';
import type { TicketStatus } from '../../features/tickets/rules/statuses.js';
import { RATING_ASKED_EVENT, RESIDENT_VISIBLE_EVENTS } from '../../features/tickets/service/ticket-events.js';
import { loadTicketSettings } from '../../features/tickets/service/ticket-settings-store.js';
import { ticketSubjectOf } from '../../features/tickets/service/ticket-subject.js';
import { loadStaffJob, type StaffJobView } from '../../features/repairs/dispatch/service/staff-job-view.js';
import { assignableStaff } from './assignable-staff.js';
import { staffTicketScope, staffTicketWhere, type TicketViewer } from './staff-ticket-scope.js';
import { findTicketByTypedNumber } from './ticket-search.js';
import { isOpen } from './ticket-deadline-state.js';

/** The actions the ticket page offers, each posted to `/staff/tickets/<number>/actions/<action>`. */
export const TICKET_PAGE_ACTIONS = ['reply', 'note', 'claim', 'assign', 'major', 'resolve', 'reopen', 'merge', 'reveal_phone'] as const;
export type TicketPageAction = (typeof TICKET_PAGE_ACTIONS)[number];

/** The policy action behind each (the inbox's own names, as `runStaffAction` takes them). */
export const POLICY_ACTION_OF_PAGE: Record<TicketPageAction, Action> = {
  reply: 'ticket.reply',
  note: 'ticket.internal_note',
  claim: 'ticket.claim',
  assign: 'ticket.assign',
  major: 'ticket.mark_major',
  resolve: 'ticket.resolve',
  reopen: 'ticket.reopen',
  merge: 'ticket.merge',
  reveal_phone: 'resident.reveal_phone',
};

/** Earlier tickets of the household shown on the page (the count says how many there are). */
export const EARLIER_TICKETS_SHOWN = 20;

/** Where one deadline stands at `now`. */
export type DeadlineState =
  /** Answered (first response) or resolved in time or late: `metAt` says when. */
  | { state: 'met'; dueAt: Date; metAt: Date; late: boolean }
  /** Still running: `remainingMs` > 0. */
  | { state: 'running'; dueAt: Date; remainingMs: number }
  /** Missed and still open: `overdueMs` ≥ 0 (0 = due this very instant). */
  | { state: 'overdue'; dueAt: Date; overdueMs: number }
  /** The ticket ended otherwise (withdrawn, merged) before it was met. */
  | { state: 'stopped'; dueAt: Date };

/** Who did something in the history: staff by name, residents masked. */
export type TimelineActor =
  | { kind: 'staff'; name: string }
  | { kind: 'resident'; maskedName: string }
  /** The community's own rules (a deadline passing, the reopen window closing). */
  | { kind: 'system' }
  /** Someone since removed from the roster. */
  | { kind: 'removed' };

export interface TimelineEntry {
  id: string;
  /** The TicketEvent kind: filed, resident_message, staff_reply, internal_note, claimed, assigned… */
  kind: string;
  at: Date;
  actor: TimelineActor;
  text: string | null;
  /** Stored photo references (the console serves them). */
  photos: string[];
  /** An internal note: staff only, shown apart. */
  internal: boolean;
  /** The resident sees this entry in their own history. */
  seenByResident: boolean;
  /** For `assigned`: to whom. */
  assigneeName?: string | null;
  /** For `merged`: into which ticket. */
  mergedIntoNumber?: string | null;
  /** For `rated`: the stars and the answer to "was it solved?". */
  stars?: number | null;
  solved?: boolean | null;
  /** For `escalated`: the step (first_response_overdue, first_response_overdue_committee, forum_agenda). */
  step?: string | null;
  /** A resident's message that reopened a resolved ticket. */
  reopened?: boolean;
}

export interface EarlierTicket {
  number: string;
  status: TicketStatus;
  category: string;
  createdAt: Date;
}

export interface StaffTicket {
  id: string;
  number: string;
  /** The ticket's version as read: the action forms carry it, so a form posted twice or from a stale page is refused. */
  version: number;
  kind: string;
  category: string;
  /** The community's categories, for the category's name. */
  categories: readonly TicketCategory[];
  status: TicketStatus;
  areaPath: string | null;
  placeText: string | null;
  description: string;
  photos: string[];
  anonymous: boolean;
  major: boolean;
  assignee: { residentId: string; name: string } | null;
  mergedInto: string | null;
  mergedFrom: string[];
  reopenCount: number;
  rating: { stars: number; solved: boolean | null; ratedAt: Date | null } | null;
  createdAt: Date;
  deadlines: { firstResponse: DeadlineState; resolution: DeadlineState | null };
  /** The person it is for, masked; null after their removal or for a report about a place. */
  reporter: { residentId: string; maskedName: string; maskedPhone: string | null } | null;
  household: { code: string; address: string } | null;
  /** Someone else typed it in for the household. */
  filedOnBehalf: boolean;
  /** Oldest first. */
  timeline: TimelineEntry[];
  /** The household's other tickets the viewer may handle, newest first, and how many there are. */
  earlier: { items: EarlierTicket[]; total: number };
  /** Staff in their current term, by name: whom `assign` may name. */
  assignable: { residentId: string; name: string }[];
  /** What the viewer may do now (see the file's comment). */
  allowed: Record<TicketPageAction, boolean>;
  /** A repair ticket's job: its dispatch history and the moves the viewer may make; null for other tickets. */
  job: StaffJobView | null;
}

export type StaffTicketResult =
  | { status: 'ok'; ticket: StaffTicket }
  /** No ticket of that number in the community (404). */
  | { status: 'not_found' }
  /** It exists but the viewer may not handle it (403; the refusal is audited). */
  | { status: 'forbidden' };

export interface LoadStaffTicketInput {
  communityId: string;
  actor: TicketViewer;
  /** As in the address or typed: `MQ-2026-00123`, `mq2026123`, `123`. */
  number: string;
  now: Date;
}

/** The ticket page's data (see the file's comment). */
export async function loadStaffTicket(db: Tx, input: LoadStaffTicketInput): Promise<StaffTicketResult> {
  const { communityId, actor, now } = input;
  const found = await findTicketByTypedNumber(db, communityId, input.number, now);
  if (!found) return { status: 'not_found' };
  const row = await db.ticket.findUniqueOrThrow({
    where: { id: found.id },
    include: {
      area: { select: { path: true } },
      household: { select: { code: true, address: true } },
      reporter: { select: { id: true, name: true, phone: true } },
      assignee: { select: { id: true, name: true } },
      mergedInto: { select: { number: true } },
      mergedFrom: { select: { number: true }, orderBy: { createdAt: 'asc' } },
    },
  });
  const subject = await ticketSubjectOf(db, row);
  const decision = await checkAudited(db, {
    communityId,
    actor,
    action: 'ticket.view_internal',
    subject,
    target: { type: 'ticket', id: row.id },
    now,
  });
  if (!decision.allowed) return { status: 'forbidden' };

  const status = row.status as TicketStatus;
  const settings = await loadTicketSettings(db, communityId);
  const reporterSubject = row.reporterId ? await loadResidentSubject(db, communityId, row.reporterId) : null;
  const allowed = {} as Record<TicketPageAction, boolean>;
  for (const action of TICKET_PAGE_ACTIONS) {
    if (action === 'reveal_phone') {
      allowed[action] = reporterSubject !== null && row.reporter?.phone != null && can(actor, 'resident.reveal_phone', reporterSubject, { now });
    } else {
      allowed[action] = can(actor, POLICY_ACTION_OF_PAGE[action], subject, { now }) && statusAllows(action, row);
    }
  }

  return {
    status: 'ok',
    ticket: {
      id: row.id,
      number: row.number,
      version: row.version,
      kind: row.kind,
      category: row.category,
      categories: settings.categories,
      status,
      areaPath: row.area?.path ?? null,
      placeText: row.placeText,
      description: row.description,
      photos: row.photos,
      anonymous: row.anonymous,
      major: row.major,
      assignee: row.assignee ? { residentId: row.assignee.id, name: row.assignee.name } : null,
      mergedInto: row.mergedInto?.number ?? null,
      mergedFrom: row.mergedFrom.map((t) => t.number),
      reopenCount: row.reopenCount,
      rating: row.rating !== null ? { stars: row.rating, solved: row.solved, ratedAt: row.ratedAt } : null,
      createdAt: row.createdAt,
      deadlines: deadlinesOf(row, now),
      reporter: row.reporter
        ? { residentId: row.reporter.id, maskedName: maskName(row.reporter.name), maskedPhone: row.reporter.phone ? maskPhone(row.reporter.phone) : null }
        : null,
      household: row.household,
      filedOnBehalf: row.filedById !== null && row.filedById !== row.reporterId,
      timeline: await timelineOf(db, row.id),
      earlier: await earlierTickets(db, communityId, actor, row, now),
      assignable: await assignableStaff(db, communityId, now),
      allowed,
      job: await loadStaffJob(db, row.id, actor, now),
    },
  };
}

/** Whether the ticket's status lets the action happen at all (the status machine's table). */
function statusAllows(action: Exclude<TicketPageAction, 'reveal_phone'>, row: { status: string; major: boolean }): boolean {
  const open = isOpen(row.status);
  switch (action) {
    case 'note':
      return true;
    case 'claim':
      // An in-progress ticket is someone's already: claiming it is refused (`already_claimed`); assign moves it.
      return row.status === 'new';
    case 'assign':
    case 'resolve':
    case 'merge':
      return open;
    case 'major':
      return open && !row.major;
    case 'reply':
      return open || row.status === 'resolved';
    case 'reopen':
      return row.status === 'resolved' || row.status === 'closed';
  }
}

interface DeadlineRow {
  status: string;
  firstResponseDueAt: Date;
  firstRespondedAt: Date | null;
  resolutionDueAt: Date | null;
  resolvedAt: Date | null;
}

/** Both deadlines at `now`; a deadline is missed at its very instant (as rules/digest.ts counts). */
export function deadlinesOf(row: DeadlineRow, now: Date): StaffTicket['deadlines'] {
  const open = isOpen(row.status);
  const resolved = row.status === 'resolved' || row.status === 'closed';
  const clock = (dueAt: Date, metAt: Date | null): DeadlineState => {
    if (metAt) return { state: 'met', dueAt, metAt, late: metAt.getTime() > dueAt.getTime() };
    if (!open) return { state: 'stopped', dueAt };
    const left = dueAt.getTime() - now.getTime();
    return left > 0 ? { state: 'running', dueAt, remainingMs: left } : { state: 'overdue', dueAt, overdueMs: now.getTime() - dueAt.getTime() };
  };
  return {
    firstResponse: clock(row.firstResponseDueAt, row.firstRespondedAt),
    resolution: row.resolutionDueAt ? clock(row.resolutionDueAt, resolved ? row.resolvedAt : null) : null,
  };
}

/** Event kinds written by the resident's side: their actor is shown masked. */
const RESIDENT_SIDE_EVENTS: readonly string[] = ['filed', 'resident_message', 'withdrawn', 'rated'];

async function timelineOf(db: Tx, ticketId: string): Promise<TimelineEntry[]> {
  const events = await db.ticketEvent.findMany({
    // "Rating asked" is the service's own bookkeeping (ask once per resolution), not something that happened to the case.
    where: { ticketId, kind: { not: RATING_ASKED_EVENT } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: { actor: { select: { name: true } } },
  });
  const detail = (details: unknown, key: string): unknown => (details && typeof details === 'object' ? (details as Record<string, unknown>)[key] : undefined);
  const ids = (key: string) => events.map((e) => detail(e.details, key)).filter((v): v is string => typeof v === 'string');
  const names = new Map(
    (await db.resident.findMany({ where: { id: { in: ids('assigneeId') } }, select: { id: true, name: true } })).map((r) => [r.id, r.name]),
  );
  const numbers = new Map(
    (await db.ticket.findMany({ where: { id: { in: ids('mergedIntoId') } }, select: { id: true, number: true } })).map((t) => [t.id, t.number]),
  );
  return events.map((event): TimelineEntry => {
    const entry: TimelineEntry = {
      id: event.id,
      kind: event.kind,
      at: event.createdAt,
      actor: actorOf(event),
      text: event.text,
      photos: event.photos,
      internal: event.kind === 'internal_note',
      seenByResident: RESIDENT_VISIBLE_EVENTS.includes(event.kind),
    };
    const assigneeId = detail(event.details, 'assigneeId');
    if (event.kind === 'assigned') entry.assigneeName = typeof assigneeId === 'string' ? (names.get(assigneeId) ?? null) : null;
    const mergedIntoId = detail(event.details, 'mergedIntoId');
    if (event.kind === 'merged') entry.mergedIntoNumber = typeof mergedIntoId === 'string' ? (numbers.get(mergedIntoId) ?? null) : null;
    if (event.kind === 'rated') {
      const stars = detail(event.details, 'stars');
      const solved = detail(event.details, 'solved');
      entry.stars = typeof stars === 'number' ? stars : null;
      entry.solved = typeof solved === 'boolean' ? solved : null;
    }
    if (event.kind === 'escalated') {
      const step = detail(event.details, 'step');
      entry.step = typeof step === 'string' ? step : null;
    }
    if (detail(event.details, 'reopened') === true) entry.reopened = true;
    return entry;
  });
}

function actorOf(event: { kind: string; actorId: string | null; actor: { name: string } | null }): TimelineActor {
  if (event.actorId === null || event.actor === null) return RESIDENT_SIDE_EVENTS.includes(event.kind) ? { kind: 'removed' } : { kind: 'system' };
  return RESIDENT_SIDE_EVENTS.includes(event.kind) ? { kind: 'resident', maskedName: maskName(event.actor.name) } : { kind: 'staff', name: event.actor.name };
}

async function earlierTickets(
  db: Tx,
  communityId: string,
  actor: TicketViewer,
  row: { id: string; householdId: string | null },
  now: Date,
): Promise<StaffTicket['earlier']> {
  if (row.householdId === null) return { items: [], total: 0 };
  const scope = await staffTicketWhere(db, communityId, staffTicketScope(actor, communityId, now));
  if (!scope) return { items: [], total: 0 };
  const where = { AND: [scope, { householdId: row.householdId, id: { not: row.id } }] };
  const items = await db.ticket.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }],
    take: EARLIER_TICKETS_SHOWN,
    select: { number: true, status: true, category: true, createdAt: true },
  });
  const total = await db.ticket.count({ where });
  return { items: items.map((t) => ({ ...t, status: t.status as TicketStatus })), total };
}

