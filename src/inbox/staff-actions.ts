/**
 * One staff action on one ticket, as the inbox takes it: the permission check (the policy, with
 * the ticket as subject — and for a merge the other ticket too; a refusal is audited), then the ticket service's one way
 * to change a ticket (`applyTicketAction`: status machine, version guard, event, audit, the
 * resident's message, `ticket.changed` on the bus), all in the caller's transaction.
 */
import type { ChannelName } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';
import type { Actor } from '../features/policy/actor.js';
import type { Action } from '../features/policy/actions.js';
import type { DenialReason } from '../features/policy/denials.js';
import { auditRefusal, checkAudited } from '../features/policy/audited-check.js';
import { STAFF_ROLES } from '../features/policy/grants.js';
import { currentTermWhere } from '../features/policy/terms.js';
import type { TicketStatus } from '../features/tickets/rules/statuses.js';
import type { TicketAction, TransitionError } from '../features/tickets/rules/transition.js';
import { applyTicketAction, loadTicketSubject, noticeAccountOf, type TicketServiceDeps } from '../features/tickets/service/index.js';
import type { QueuedOutboxRow } from '../outbox/outbox.js';
import type { StaffActionName } from './staff-commands.js';

/** Every staff action, with `reply` (a message to the resident). */
export type StaffTicketAction = StaffActionName | 'reply';

/** The policy action each is checked under. */
export const POLICY_ACTION_OF: Record<StaffTicketAction, Action> = {
  claim: 'ticket.claim',
  assign: 'ticket.assign',
  note: 'ticket.internal_note',
  major: 'ticket.mark_major',
  resolve: 'ticket.resolve',
  reopen: 'ticket.reopen',
  merge: 'ticket.merge',
  reply: 'ticket.reply',
};

export interface StaffActionInput {
  communityId: string;
  actor: Actor;
  ticketId: string;
  action: StaffTicketAction;
  /** The reply, note or resolution. */
  text?: string;
  /** Photos of a reply (stored references), sent to the resident with it. */
  photos?: string[];
  /** For assign: the staff member's resident id. */
  assigneeId?: string;
  /** For merge: the ticket this one is merged into. */
  intoTicketId?: string;
  /**
   * Where the staff member acted: a staff chat's channel, or `STAFF_CONSOLE`. Kept with the event,
   * so the other staff chats show a reply as a line (the chat it was written in already has it).
   */
  actedIn?: StaffActionPlace;
  /**
   * The ticket's version the staff member saw (the console's forms carry it): refused with
   * `version_conflict` when it changed since — a form posted twice, or from a stale page. The
   * staff chat passes none.
   */
  expectedVersion?: number;
  at: Date;
}

/** The web console (/staff), as a place where staff act; no chat channel has this name. */
export const STAFF_CONSOLE = 'console';

export type StaffActionPlace = ChannelName | typeof STAFF_CONSOLE;

export type StaffActionOutcome =
  | {
      status: 'done';
      number: string;
      /** Messages to the resident or the assignee (the staff chat's lines come through `ticket.changed`). */
      rows: QueuedOutboxRow[];
      /** A reply, resolution or merge notice that found no account of the resident to go to. */
      nobodyTold: boolean;
    }
  | { status: 'unchanged'; number: string }
  | { status: 'denied'; reason: DenialReason }
  | { status: 'not_found' }
  | { status: 'refused'; error: TransitionError | 'version_conflict'; number: string };

/** Actions whose text reaches the resident. */
const TOLD_TO_RESIDENT: readonly StaffTicketAction[] = ['reply', 'resolve', 'merge', 'reopen'];

/** Runs one action (see the file's comment). */
export async function runStaffAction(tx: Tx, deps: TicketServiceDeps, input: StaffActionInput): Promise<StaffActionOutcome> {
  const subject = await loadTicketSubject(tx, input.communityId, input.ticketId);
  if (!subject) return { status: 'not_found' };
  const policyAction = POLICY_ACTION_OF[input.action];
  const check = { communityId: input.communityId, actor: input.actor, action: policyAction, target: { type: 'ticket', id: input.ticketId }, now: input.at };
  const decision = await checkAudited(tx, { ...check, subject });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  if (input.actor.kind !== 'person') {
    await auditRefusal(tx, check, 'role_required');
    return { status: 'denied', reason: 'role_required' };
  }

  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: input.ticketId }, select: { number: true, reporterId: true, filedById: true } });
  let into: { id: string; status: TicketStatus } | null = null;
  if (input.action === 'merge') {
    const target = input.intoTicketId ? await loadTicketSubject(tx, input.communityId, input.intoTicketId) : null;
    if (!target) return { status: 'not_found' };
    // Refused on the other ticket: the row names this one and the one it was to join.
    const onTarget = await checkAudited(tx, { ...check, action: 'ticket.merge', subject: target, details: { intoTicketId: target.ticketId } });
    if (!onTarget.allowed) return { status: 'denied', reason: onTarget.reason };
    const row = await tx.ticket.findUniqueOrThrow({ where: { id: target.ticketId }, select: { id: true, status: true } });
    into = { id: row.id, status: row.status as TicketStatus };
  }

  const base = { actor: { kind: 'staff' as const, staffId: input.actor.residentId }, at: input.at };
  const action: TicketAction = ticketAction(input, base, into);
  const result = await applyTicketAction(tx, deps, {
    ticketId: input.ticketId,
    communityId: input.communityId,
    action,
    ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.photos ? { photos: input.photos } : {}),
    ...(input.actedIn ? { details: { actedIn: input.actedIn } } : {}),
    auditActor: input.actor,
  });
  if (!result.ok) {
    if (result.error === 'not_found') return { status: 'not_found' };
    return { status: 'refused', error: result.error, number: ticket.number };
  }
  if (result.noop) return { status: 'unchanged', number: ticket.number };
  const recipient = ticket.reporterId ?? ticket.filedById;
  const nobodyTold = TOLD_TO_RESIDENT.includes(input.action) && (recipient === null || (await noticeAccountOf(tx, recipient)) === null);
  return { status: 'done', number: ticket.number, rows: result.rows, nobodyTold };
}

function ticketAction(
  input: StaffActionInput,
  base: { actor: { kind: 'staff'; staffId: string }; at: Date },
  into: { id: string; status: TicketStatus } | null,
): TicketAction {
  switch (input.action) {
    case 'claim':
      return { ...base, type: 'claim' };
    case 'assign':
      return { ...base, type: 'assign', to: input.assigneeId ?? '' };
    case 'note':
      return { ...base, type: 'note' };
    case 'major':
      return { ...base, type: 'mark_major' };
    case 'resolve':
      return { ...base, type: 'resolve' };
    case 'reopen':
      return { ...base, type: 'reopen' };
    case 'merge':
      return { ...base, type: 'merge', into: into! };
    case 'reply':
      return { ...base, type: 'reply' };
  }
}

/** Staff (in their current term) of the community named exactly so: the people `/assign` may mean. */
export async function staffNamed(tx: Tx, communityId: string, name: string, now: Date): Promise<{ id: string }[]> {
  const wanted = name.trim();
  if (wanted === '') return [];
  return tx.resident.findMany({
    where: {
      communityId,
      name: { equals: wanted, mode: 'insensitive' },
      roles: { some: { role: { in: [...STAFF_ROLES] }, ...currentTermWhere(now) } },
    },
    select: { id: true },
    take: 5,
  });
}
