/**
 * What a ticket page's form does: the form's fields read and checked, then the inbox's one action
 * path — `runStaffAction` (policy, a refusal audited, the status machine, the event, the audit row,
 * the resident's message, `ticket.changed`) — or, for the phone, `revealPhoneIn` (policy, every
 * attempt audited). All in the caller's transaction: commit after a refusal too, so its audit row
 * stays. The page names a ticket by its number and another ticket (merge) by the number typed.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { DenialReason } from '../../features/policy/denials.js';
import { maskName } from '../../features/privacy/mask.js';
import { revealPhoneIn } from '../../features/privacy/reveal-phone.js';
import type { TransitionError } from '../../features/tickets/rules/transition.js';
import { TICKET_LIMITS, type TicketServiceDeps } from '../../features/tickets/service/index.js';
import { runStaffAction, STAFF_CONSOLE, type StaffTicketAction } from '../../inbox/staff-actions.js';
import type { QueuedOutboxRow } from '../../outbox/outbox.js';
import type { PersonActor } from '../shell/viewer.js';
import { isAssignableStaff } from './assignable-staff.js';
import { findTicketByTypedNumber } from './ticket-search.js';
import { TICKET_PAGE_ACTIONS, type TicketPageAction } from './ticket-view.js';

/** The fields a ticket page's forms post (besides `_csrf`, which the shell checks). */
export interface TicketActionForm {
  /** The reply, the note or the resolution. */
  text?: string;
  /** Assign: the staff member's resident id. */
  assigneeId?: string;
  /** Merge: the number of the ticket this one joins, in any form people type. */
  into?: string;
  /** The ticket's version the page showed: a second post of the same form, or one from a stale page, is refused. */
  version?: number;
}

/** Why a form was not taken (nothing was tried, nothing audited). */
export type TicketActionProblem =
  | 'text_required'
  | 'text_too_long'
  | 'assignee_required'
  | 'assignee_not_staff'
  | 'into_required'
  | 'into_not_found'
  | 'into_same'
  | 'no_reporter';

export type TicketActionOutcome =
  | {
      status: 'done';
      action: Exclude<TicketPageAction, 'reveal_phone'>;
      number: string;
      /** Messages written (dispatch them after commit; the outbox sweep sends them otherwise). */
      rows: QueuedOutboxRow[];
      /** A reply, resolution, reopening or merge notice that found no account of the resident to go to. */
      nobodyTold: boolean;
    }
  /** The reporter's full number, for the viewer only (null: none on record). */
  | { status: 'revealed'; number: string; phone: string | null; maskedName: string }
  /** Nothing to change (claiming one's own ticket again). */
  | { status: 'unchanged'; number: string }
  | { status: 'invalid'; problem: TicketActionProblem; number: string }
  | { status: 'denied'; reason: DenialReason }
  | { status: 'not_found' }
  /** The status machine refused (already claimed, not in a status that allows it, changed meanwhile…). */
  | { status: 'refused'; error: TransitionError | 'version_conflict'; number: string };

export interface TicketActionInput {
  communityId: string;
  actor: PersonActor;
  /** The ticket's number from the address. */
  number: string;
  /** The action from the address; anything else is not found. */
  action: string;
  form: TicketActionForm;
  now: Date;
}

/** Whether an address names one of the page's actions. */
export function isTicketPageAction(action: string): action is TicketPageAction {
  return (TICKET_PAGE_ACTIONS as readonly string[]).includes(action);
}

const STAFF_ACTION_OF: Record<Exclude<TicketPageAction, 'reveal_phone'>, StaffTicketAction> = {
  reply: 'reply',
  note: 'note',
  claim: 'claim',
  assign: 'assign',
  major: 'major',
  resolve: 'resolve',
  reopen: 'reopen',
  merge: 'merge',
};

/** Runs one form's action on one ticket (see the file's comment). */
export async function runTicketPageAction(tx: Tx, deps: TicketServiceDeps, input: TicketActionInput): Promise<TicketActionOutcome> {
  const { communityId, actor, now } = input;
  if (!isTicketPageAction(input.action)) return { status: 'not_found' };
  const ticket = await findTicketByTypedNumber(tx, communityId, input.number, now);
  if (!ticket) return { status: 'not_found' };
  const action = input.action;
  const invalid = (problem: TicketActionProblem): TicketActionOutcome => ({ status: 'invalid', problem, number: ticket.number });

  if (action === 'reveal_phone') {
    const row = await tx.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { reporter: { select: { id: true, name: true } } } });
    if (!row.reporter) return invalid('no_reporter');
    const revealed = await revealPhoneIn(tx, { actor, residentId: row.reporter.id, communityId, now });
    if (!revealed.ok) return revealed.reason === 'not_found' ? { status: 'not_found' } : { status: 'denied', reason: revealed.reason };
    return { status: 'revealed', number: ticket.number, phone: revealed.phone, maskedName: maskName(row.reporter.name) };
  }

  const text = input.form.text?.trim() ?? '';
  if (action === 'reply' || action === 'note' || action === 'resolve') {
    if (text === '') return invalid('text_required');
    if (Array.from(text).length > TICKET_LIMITS.descriptionMax) return invalid('text_too_long');
  }
  let assigneeId: string | undefined;
  if (action === 'assign') {
    assigneeId = input.form.assigneeId?.trim() || undefined;
    if (!assigneeId) return invalid('assignee_required');
    if (!(await isAssignableStaff(tx, communityId, assigneeId, now))) return invalid('assignee_not_staff');
  }
  let intoTicketId: string | undefined;
  if (action === 'merge') {
    const typed = input.form.into?.trim() ?? '';
    if (typed === '') return invalid('into_required');
    const into = await findTicketByTypedNumber(tx, communityId, typed, now);
    if (!into) return invalid('into_not_found');
    if (into.id === ticket.id) return invalid('into_same');
    intoTicketId = into.id;
  }

  const outcome = await runStaffAction(tx, deps, {
    communityId,
    actor,
    ticketId: ticket.id,
    action: STAFF_ACTION_OF[action],
    ...(text !== '' && (action === 'reply' || action === 'note' || action === 'resolve') ? { text } : {}),
    ...(assigneeId ? { assigneeId } : {}),
    ...(intoTicketId ? { intoTicketId } : {}),
    ...(input.form.version !== undefined ? { expectedVersion: input.form.version } : {}),
    actedIn: STAFF_CONSOLE,
    at: now,
  });
  switch (outcome.status) {
    case 'done':
      return { status: 'done', action, number: outcome.number, rows: outcome.rows, nobodyTold: outcome.nobodyTold };
    case 'unchanged':
      return { status: 'unchanged', number: outcome.number };
    case 'denied':
      return { status: 'denied', reason: outcome.reason };
    case 'not_found':
      return { status: 'not_found' };
    case 'refused':
      return { status: 'refused', error: outcome.error, number: outcome.number };
  }
}
