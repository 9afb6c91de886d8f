/**
 * The ticket status machine: `transition(ticket, action)` → the next state and the side effects to
 * perform, or an error code. Pure: the same input always gives the same answer, nothing is saved.
 *
 * | action      | who      | from                          | to / note                                    |
 * |-------------|----------|-------------------------------|----------------------------------------------|
 * | claim       | staff    | new; in_progress if own       | in_progress, assignee = claimer              |
 * | assign      | staff    | new, in_progress              | same status (self-assign: in_progress)       |
 * | reply       | staff    | new, in_progress, resolved    | new → in_progress; first response            |
 * | note        | staff    | any                           | unchanged; never reaches the resident        |
 * | mark_major  | staff    | new, in_progress              | major; onto the forum agenda                 |
 * | resolve     | staff    | new, in_progress              | resolved; rating asked for this resolution   |
 * | reopen      | staff    | resolved, closed              | in_progress; clocks restart                  |
 * | merge       | staff    | new, in_progress → open other | merged                                       |
 * | message     | resident | new, in_progress              | unchanged; passed to staff                   |
 * |             |          | resolved, ≤ 7 days            | in_progress (reopened); clocks restart       |
 * | withdraw    | resident | new, in_progress              | withdrawn                                    |
 * | rate        | resident | resolved, closed              | once per resolution                          |
 * | auto_close  | system   | resolved, > 7 days            | closed                                       |
 *
 * Decisions: claiming is not a first response (the resident saw nothing); a reply, a resolution,
 * a merge notice and a staff reopening are. A reply does not take the ticket from its assignee:
 * only claim and assign do. After a reopen the next resolution is rated again — the question is
 * about the outcome the resident lives with, and one question per resolution is no reminder spam;
 * the newest rating replaces the earlier one in the satisfaction rate. A rating button pressed
 * after the ticket was reopened is refused (it judged a resolution that did not hold).
 */
import { kindIsRated } from './kinds.js';
import { withinReopenWindow } from './reopen-window.js';
import { isOpenStatus, type TicketStatus } from './statuses.js';
import type { TicketActor, TicketEffect, TicketState } from './ticket-state.js';

/** Ratings are whole stars. */
export const RATING_MIN = 1;
export const RATING_MAX = 5;

interface Base {
  actor: TicketActor;
  at: Date;
}

export type TicketAction =
  | (Base & { type: 'claim' })
  | (Base & { type: 'assign'; to: string })
  | (Base & { type: 'reply' })
  | (Base & { type: 'note' })
  | (Base & { type: 'mark_major' })
  | (Base & { type: 'resolve' })
  | (Base & { type: 'reopen' })
  | (Base & { type: 'merge'; into: { id: string; status: TicketStatus } })
  | (Base & { type: 'message' })
  | (Base & { type: 'withdraw' })
  | (Base & { type: 'rate'; stars: number })
  | (Base & { type: 'auto_close' });

export type TicketActionType = TicketAction['type'];

export type TransitionError =
  /** A resident (or forged button) tried a staff action, or the other way round. */
  | 'staff_only'
  | 'resident_only'
  | 'system_only'
  /** The resident is neither the reporter nor the one who filed it (or, to rate, not the reporter). */
  | 'not_your_ticket'
  | 'not_allowed_in_status'
  /** Someone else already holds it: use assign. */
  | 'already_claimed'
  /** Resolved more than 7 days ago, or closed: offer a new ticket. */
  | 'reopen_window_passed'
  /** Withdrawn: offer a new ticket. */
  | 'ticket_withdrawn'
  /** Merged: the conversation continues on `mergedIntoId`. */
  | 'ticket_merged'
  | 'merge_into_self'
  | 'merge_target_not_open'
  /** Not resolved now, so there is nothing to rate. */
  | 'rating_not_open'
  | 'already_rated'
  | 'invalid_rating'
  | 'not_rated_kind'
  /** auto_close before the reopen window ended. */
  | 'reopen_window_open';

export type TransitionResult =
  | {
      ok: true;
      ticket: TicketState;
      effects: TicketEffect[];
      /** True when the action changed nothing (a second tap on "claim"); nothing to audit. */
      noop: boolean;
    }
  | { ok: false; error: TransitionError; mergedIntoId?: string };

const STAFF_ACTIONS: readonly TicketActionType[] = ['claim', 'assign', 'reply', 'note', 'mark_major', 'resolve', 'reopen', 'merge'];
const RESIDENT_ACTIONS: readonly TicketActionType[] = ['message', 'withdraw', 'rate'];

/** Errors after which the resident is offered to file a new ticket. */
export function offersNewTicket(error: TransitionError): boolean {
  return error === 'reopen_window_passed' || error === 'ticket_withdrawn';
}

/** Applies one action. */
export function transition(ticket: TicketState, action: TicketAction): TransitionResult {
  const actorError = checkActor(ticket, action);
  if (actorError) return { ok: false, error: actorError };
  switch (action.type) {
    case 'claim':
      return claim(ticket, staffId(action));
    case 'assign':
      return assign(ticket, action.to, staffId(action));
    case 'reply':
      return reply(ticket, action.at);
    case 'note':
      return done(ticket, []);
    case 'mark_major':
      if (!isOpenStatus(ticket.status)) return fail('not_allowed_in_status');
      if (ticket.major) return noop(ticket);
      return done({ ...ticket, major: true }, ['add_forum_agenda']);
    case 'resolve':
      return resolve(ticket, action.at, staffId(action));
    case 'reopen':
      return staffReopen(ticket, action.at);
    case 'merge':
      return merge(ticket, action.into, action.at);
    case 'message':
      return residentMessage(ticket, action.at);
    case 'withdraw':
      if (!isOpenStatus(ticket.status)) return fail('not_allowed_in_status');
      return done({ ...ticket, status: 'withdrawn' }, ['notify_staff', 'cancel_deadlines', 'close_staff_thread']);
    case 'rate':
      return rate(ticket, action.stars, action.actor);
    case 'auto_close':
      if (ticket.status !== 'resolved' || ticket.resolvedAt === null) return fail('not_allowed_in_status');
      if (withinReopenWindow(ticket.resolvedAt, action.at)) return fail('reopen_window_open');
      return done({ ...ticket, status: 'closed' }, []);
  }
}

function checkActor(ticket: TicketState, action: TicketAction): TransitionError | null {
  const { actor, type } = action;
  if (STAFF_ACTIONS.includes(type)) return actor.kind === 'staff' ? null : 'staff_only';
  if (RESIDENT_ACTIONS.includes(type)) {
    if (actor.kind !== 'resident') return 'resident_only';
    const mayAct = actor.residentId === ticket.reporterId || actor.residentId === ticket.filedById;
    return mayAct ? null : 'not_your_ticket';
  }
  return actor.kind === 'system' ? null : 'system_only';
}

function claim(ticket: TicketState, by: string): TransitionResult {
  if (ticket.status === 'new') return done({ ...ticket, status: 'in_progress', assigneeId: by }, []);
  if (ticket.status !== 'in_progress') return fail('not_allowed_in_status');
  return ticket.assigneeId === by ? noop(ticket) : fail('already_claimed');
}

function assign(ticket: TicketState, to: string, by: string): TransitionResult {
  if (!isOpenStatus(ticket.status)) return fail('not_allowed_in_status');
  if (ticket.assigneeId === to) return noop(ticket);
  // Assigning to oneself is taking it in hand; assigning to someone else is not their action yet.
  const status: TicketStatus = to === by ? 'in_progress' : ticket.status;
  return done({ ...ticket, assigneeId: to, status }, to === by ? [] : ['notify_assignee']);
}

function reply(ticket: TicketState, at: Date): TransitionResult {
  if (ticket.status === 'resolved') return done(ticket, ['notify_resident']);
  if (!isOpenStatus(ticket.status)) return fail('not_allowed_in_status');
  const first = ticket.firstRespondedAt === null;
  return done(
    { ...ticket, status: 'in_progress', firstRespondedAt: ticket.firstRespondedAt ?? at },
    first ? ['notify_resident', 'cancel_first_response_deadline'] : ['notify_resident'],
  );
}

function resolve(ticket: TicketState, at: Date, by: string): TransitionResult {
  if (!isOpenStatus(ticket.status)) return fail('not_allowed_in_status');
  const effects: TicketEffect[] = ['notify_resident', 'cancel_deadlines', 'schedule_auto_close', 'close_staff_thread'];
  if (kindIsRated(ticket.kind)) effects.push('ask_rating');
  return done(
    {
      ...ticket,
      status: 'resolved',
      resolvedAt: at,
      resolvedById: by,
      resolutionCount: ticket.resolutionCount + 1,
      firstRespondedAt: ticket.firstRespondedAt ?? at,
    },
    effects,
  );
}

function staffReopen(ticket: TicketState, at: Date): TransitionResult {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') return fail('not_allowed_in_status');
  const effects: TicketEffect[] = ['notify_resident', 'schedule_deadlines', 'reopen_staff_thread'];
  if (ticket.status === 'resolved') effects.push('cancel_auto_close');
  // Telling the resident "we reopened it" is this round's first response.
  return done(reopened(ticket, at), effects);
}

function merge(ticket: TicketState, into: { id: string; status: TicketStatus }, at: Date): TransitionResult {
  if (!isOpenStatus(ticket.status)) return fail('not_allowed_in_status');
  if (into.id === ticket.id) return fail('merge_into_self');
  if (!isOpenStatus(into.status)) return fail('merge_target_not_open');
  return done(
    { ...ticket, status: 'merged', mergedIntoId: into.id, firstRespondedAt: ticket.firstRespondedAt ?? at },
    ['notify_resident', 'cancel_deadlines', 'close_staff_thread'],
  );
}

function residentMessage(ticket: TicketState, at: Date): TransitionResult {
  switch (ticket.status) {
    case 'new':
    case 'in_progress':
      return done(ticket, ['notify_staff']);
    case 'resolved':
      if (ticket.resolvedAt === null || !withinReopenWindow(ticket.resolvedAt, at)) return fail('reopen_window_passed');
      return done({ ...reopened(ticket, at), firstRespondedAt: null }, ['notify_staff', 'schedule_deadlines', 'cancel_auto_close', 'reopen_staff_thread']);
    case 'closed':
      return fail('reopen_window_passed');
    case 'withdrawn':
      return fail('ticket_withdrawn');
    case 'merged':
      return { ok: false, error: 'ticket_merged', ...(ticket.mergedIntoId ? { mergedIntoId: ticket.mergedIntoId } : {}) };
  }
}

function rate(ticket: TicketState, stars: number, actor: TicketActor): TransitionResult {
  // Only the person the ticket is for judges it; the liaison who typed it in does so only when
  // that person has no account.
  const rater = ticket.reporterId ?? ticket.filedById;
  if (actor.kind !== 'resident' || actor.residentId !== rater) return fail('not_your_ticket');
  if (!kindIsRated(ticket.kind)) return fail('not_rated_kind');
  if (!Number.isInteger(stars) || stars < RATING_MIN || stars > RATING_MAX) return fail('invalid_rating');
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') return fail('rating_not_open');
  if (ticket.ratedResolution >= ticket.resolutionCount) return fail('already_rated');
  return done({ ...ticket, rating: stars, ratedResolution: ticket.resolutionCount }, ['notify_staff']);
}

function reopened(ticket: TicketState, at: Date): TicketState {
  return { ...ticket, status: 'in_progress', reopenCount: ticket.reopenCount + 1, resolvedAt: null, firstRespondedAt: at };
}

function staffId(action: TicketAction): string {
  if (action.actor.kind !== 'staff') throw new Error('checked by checkActor');
  return action.actor.staffId;
}

function done(ticket: TicketState, effects: TicketEffect[]): TransitionResult {
  return { ok: true, ticket, effects, noop: false };
}

function noop(ticket: TicketState): TransitionResult {
  return { ok: true, ticket, effects: [], noop: true };
}

function fail(error: TransitionError): TransitionResult {
  return { ok: false, error };
}
