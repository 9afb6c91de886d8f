/**
 * What a resident does with their own tickets: list them, open one (its history as a resident
 * may see it), add a message or a photo (which reopens a ticket resolved within 7 days), withdraw
 * one, and rate a resolution. Each checks the policy (`ticket.view`, `ticket.add`,
 * `ticket.withdraw`, `ticket.rate`) on the ticket itself, so a ticket id from a forged button or
 * a typed number of someone else's ticket is answered exactly like a ticket that does not exist.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Action } from '../../policy/actions.js';
import type { Actor } from '../../policy/actor.js';
import { can } from '../../policy/policy.js';
import { ticketViewScope } from '../../policy/ticket-scope.js';
import { kindIsRated, isTicketKind } from '../rules/kinds.js';
import { withinReopenWindow } from '../rules/reopen-window.js';
import type { TicketStatus } from '../rules/statuses.js';
import type { TransitionError } from '../rules/transition.js';
import { applyTicketAction, type ApplyTicketActionInput, type ApplyTicketActionResult } from './apply-ticket-action.js';
import { roleWordsOf, type RoleWord } from './role-words.js';
import { RESIDENT_VISIBLE_EVENTS } from './ticket-events.js';
import type { TicketServiceDeps } from './ticket-service-deps.js';
import { ticketSubjectOf } from './ticket-subject.js';

type Person = Actor & { kind: 'person' };

/** One line of "my tickets". */
export interface MyTicketItem {
  id: string;
  number: string;
  kind: string;
  category: string;
  status: string;
  createdAt: Date;
}

/** The newest `limit` tickets of the person's household and those they filed, newest first, and how many there are. */
export async function listMyTickets(tx: Tx, actor: Actor, options: { limit?: number; now?: Date } = {}): Promise<{ items: MyTicketItem[]; total: number }> {
  if (actor.kind !== 'person' || ticketViewScope(actor, options).kind === 'none') return { items: [], total: 0 };
  // "Mine" is the household's and what the person filed, even for staff who may see more (that is the inbox).
  const where = {
    communityId: actor.communityId,
    OR: [...(actor.householdId ? [{ householdId: actor.householdId }] : []), { filedById: actor.residentId }],
  };
  const [items, total] = [
    await tx.ticket.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }],
      take: options.limit ?? 10,
      select: { id: true, number: true, kind: true, category: true, status: true, createdAt: true },
    }),
    await tx.ticket.count({ where }),
  ];
  return { items, total };
}

/** Where a ticket stands for the resident: what they can still do with it. */
export type MyTicketStanding =
  /** Open: add information, withdraw. */
  | 'open'
  /** Resolved within the reopen window: a message reopens it; it may be rated. */
  | 'resolved'
  /** Resolved more than 7 days ago, or closed: offer a new ticket (it may still be rated). */
  | 'closed'
  | 'withdrawn'
  | 'merged';

/** One event as a resident sees it: who by role (or "you"), never an internal note. */
export interface MyTicketEvent {
  at: Date;
  kind: string;
  /** `you`, or the role word of whoever it was (staff by role, other residents as `resident`). */
  by: RoleWord | 'you' | 'community';
  text: string | null;
  photos: number;
  /** Stars of a rating event. */
  stars: number | null;
}

export interface MyTicketView {
  id: string;
  number: string;
  kind: string;
  category: string;
  status: TicketStatus;
  standing: MyTicketStanding;
  createdAt: Date;
  resolvedAt: Date | null;
  description: string;
  anonymous: boolean;
  placeText: string | null;
  photos: number;
  /** The person may act on it (reporter or filer); a housemate only sees it. */
  mine: boolean;
  /** The person may rate its current resolution now. */
  rateable: boolean;
  /** The ticket it was merged into, if any. */
  mergedIntoNumber: string | null;
  /** Oldest first; the last `eventLimit` only. */
  events: MyTicketEvent[];
}

/** The ticket as the person may see it; null when there is none they may see. */
export async function viewMyTicket(tx: Tx, actor: Actor, ticketId: string, options: { now: Date; eventLimit?: number }): Promise<MyTicketView | null> {
  const row = await visibleTicket(tx, actor, ticketId, 'ticket.view', options.now);
  if (!row || actor.kind !== 'person') return null;
  const events = await tx.ticketEvent.findMany({
    where: { ticketId, kind: { in: [...RESIDENT_VISIBLE_EVENTS] } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: options.eventLimit ?? 12,
    select: { createdAt: true, kind: true, actorId: true, text: true, photos: true, details: true },
  });
  const words = await roleWordsOf(tx, events.map((e) => e.actorId).filter((id): id is string => id !== null), options.now);
  const status = row.status as TicketStatus;
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    category: row.category,
    status,
    standing: standingOf(status, row.resolvedAt, options.now),
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
    description: row.description,
    anonymous: row.anonymous,
    placeText: row.placeText,
    photos: row.photos.length,
    mine: actsFor(row, actor),
    rateable: isRateableBy(row, actor.residentId),
    mergedIntoNumber: await numberOf(tx, row.mergedIntoId),
    events: events.reverse().map((event) => ({
      at: event.createdAt,
      kind: event.kind,
      by: byOf(event, actor.residentId, words),
      text: event.text,
      photos: event.photos.length,
      stars: event.kind === 'rated' ? starsOf(event.details) : null,
    })),
  };
}

/** What happened to a message or photo added to a ticket. */
export type AddOutcome =
  | { status: 'added' | 'reopened'; number: string }
  | { status: 'window_passed' | 'closed' | 'withdrawn' | 'not_open'; number: string }
  | { status: 'merged'; number: string; mergedIntoNumber: string | null }
  | { status: 'not_found' | 'not_yours' | 'conflict' };

/** Adds the person's message (text and/or photos) to their ticket; reopens it within the window. */
export async function addToMyTicket(
  tx: Tx,
  deps: TicketServiceDeps,
  input: { actor: Actor; ticketId: string; text?: string | null; photos?: readonly string[]; at: Date },
): Promise<AddOutcome> {
  const row = await visibleTicket(tx, input.actor, input.ticketId, 'ticket.add', input.at);
  if (!row || input.actor.kind !== 'person') return { status: 'not_found' };
  if (!actsFor(row, input.actor)) return { status: 'not_yours' };
  const photos = [...(input.photos ?? [])];
  const result = await applyOnce(tx, deps, {
    ticketId: row.id,
    communityId: row.communityId,
    action: { type: 'message', actor: { kind: 'resident', residentId: input.actor.residentId }, at: input.at },
    text: input.text?.trim() || null,
    photos,
    ...(photos.length > 0 ? { columns: { photos: { push: photos } } } : {}),
    auditActor: input.actor,
  });
  // Only a message that reopened the ticket starts its clocks again.
  if (result.ok) return { status: result.effects.includes('schedule_deadlines') ? 'reopened' : 'added', number: row.number };
  return refusal(tx, result, row);
}

/** Withdraws the person's open ticket. */
export async function withdrawMyTicket(
  tx: Tx,
  deps: TicketServiceDeps,
  input: { actor: Actor; ticketId: string; at: Date },
): Promise<{ status: 'withdrawn'; number: string } | AddOutcome> {
  const row = await visibleTicket(tx, input.actor, input.ticketId, 'ticket.withdraw', input.at);
  if (!row || input.actor.kind !== 'person') return { status: 'not_found' };
  if (!actsFor(row, input.actor)) return { status: 'not_yours' };
  const result = await applyOnce(tx, deps, {
    ticketId: row.id,
    communityId: row.communityId,
    action: { type: 'withdraw', actor: { kind: 'resident', residentId: input.actor.residentId }, at: input.at },
    auditActor: input.actor,
  });
  if (result.ok) return { status: 'withdrawn', number: row.number };
  return refusal(tx, result, row);
}

/** A ticket the person may rate now, or why not. */
export type RatingTarget =
  | { status: 'ok'; ticketId: string; number: string; resolution: number }
  /** Several await a rating: the person picks one. */
  | { status: 'pick'; items: { id: string; number: string; category: string }[] }
  | { status: 'none' | 'not_found' | 'already_rated' | 'not_rateable' };

/**
 * What the person would rate: the ticket with the typed number, or — without one — the ticket
 * awaiting their rating (several: a list to pick from). The resolution it is about is captured
 * here, so a rating given after the ticket was reopened (or resolved again) is refused.
 */
export async function ratingTarget(tx: Tx, actor: Actor, input: { ticketId?: string | null; now: Date }): Promise<RatingTarget> {
  if (actor.kind !== 'person') return { status: 'not_found' };
  if (input.ticketId) {
    const row = await visibleTicket(tx, actor, input.ticketId, 'ticket.view', input.now);
    if (!row) return { status: 'not_found' };
    if (isRateableBy(row, actor.residentId)) return { status: 'ok', ticketId: row.id, number: row.number, resolution: row.resolutionCount };
    if (row.ratedResolution > 0 && row.ratedResolution >= row.resolutionCount && (row.status === 'resolved' || row.status === 'closed')) {
      return { status: 'already_rated' };
    }
    return { status: 'not_rateable' };
  }
  const candidates = await tx.ticket.findMany({
    where: {
      communityId: actor.communityId,
      status: { in: ['resolved', 'closed'] },
      OR: [{ reporterId: actor.residentId }, { reporterId: null, filedById: actor.residentId }],
    },
    orderBy: [{ resolvedAt: 'desc' }, { seq: 'desc' }],
    take: 50,
    select: { id: true, number: true, category: true, kind: true, status: true, reporterId: true, filedById: true, resolutionCount: true, ratedResolution: true },
  });
  const open = candidates.filter((row) => isRateableBy(row, actor.residentId)).slice(0, 10);
  if (open.length === 0) return { status: 'none' };
  if (open.length === 1) return { status: 'ok', ticketId: open[0]!.id, number: open[0]!.number, resolution: open[0]!.resolutionCount };
  return { status: 'pick', items: open.map((row) => ({ id: row.id, number: row.number, category: row.category })) };
}

/** What became of a rating. */
export type RateOutcome =
  | { status: 'rated'; number: string }
  /** The resolution it was about no longer stands (reopened, or resolved again since). */
  | { status: 'stale' | 'already_rated'; number: string }
  | { status: 'not_found' | 'invalid' | 'conflict' };

/** Records the person's rating of resolution `resolution` (as captured by `ratingTarget`). */
export async function rateMyTicket(
  tx: Tx,
  deps: TicketServiceDeps,
  input: { actor: Actor; ticketId: string; resolution: number; stars: number; solved: boolean | null; comment?: string | null; at: Date },
): Promise<RateOutcome> {
  const row = await visibleTicket(tx, input.actor, input.ticketId, 'ticket.rate', input.at);
  if (!row || input.actor.kind !== 'person') return { status: 'not_found' };
  if (!isRateableBy(row, input.actor.residentId)) {
    // Not the rater at all (a housemate): as if there were no such ticket.
    if ((row.reporterId ?? row.filedById) !== input.actor.residentId) return { status: 'not_found' };
    const reopenedSince = row.status !== 'resolved' && row.status !== 'closed';
    if (reopenedSince || row.resolutionCount !== input.resolution) return { status: 'stale', number: row.number };
    if (row.ratedResolution >= row.resolutionCount) return { status: 'already_rated', number: row.number };
    return { status: 'not_found' };
  }
  if (row.resolutionCount !== input.resolution) return { status: 'stale', number: row.number };
  const result = await applyTicketAction(tx, deps, {
    ticketId: row.id,
    communityId: row.communityId,
    expectedVersion: row.version,
    action: { type: 'rate', stars: input.stars, actor: { kind: 'resident', residentId: input.actor.residentId }, at: input.at },
    text: input.comment?.trim() || null,
    details: { stars: input.stars, solved: input.solved, resolution: input.resolution },
    columns: { solved: input.solved },
    auditActor: input.actor,
  });
  if (result.ok) return { status: 'rated', number: row.number };
  if (result.error === 'invalid_rating') return { status: 'invalid' };
  if (result.error === 'already_rated') return { status: 'already_rated', number: row.number };
  if (result.error === 'version_conflict') return { status: 'conflict' };
  return { status: 'stale', number: row.number };
}

// ───────────────────────────────────────────────────────────────────────────── internals

const VISIBLE_SELECT = {
  id: true,
  communityId: true,
  number: true,
  kind: true,
  category: true,
  status: true,
  description: true,
  anonymous: true,
  placeText: true,
  photos: true,
  areaId: true,
  householdId: true,
  reporterId: true,
  filedById: true,
  assigneeId: true,
  resolvedAt: true,
  resolutionCount: true,
  ratedResolution: true,
  mergedIntoId: true,
  version: true,
  createdAt: true,
} as const;

type VisibleRow = NonNullable<Awaited<ReturnType<typeof findVisible>>>;

function findVisible(tx: Tx, communityId: string, ticketId: string) {
  return tx.ticket.findFirst({ where: { id: ticketId, communityId }, select: VISIBLE_SELECT });
}

/** The ticket, when the actor may do `action` to it; null otherwise (indistinguishable from none). */
async function visibleTicket(tx: Tx, actor: Actor, ticketId: string, action: Extract<Action, 'ticket.view' | 'ticket.add' | 'ticket.withdraw' | 'ticket.rate'>, now: Date): Promise<VisibleRow | null> {
  if (actor.kind !== 'person' || typeof ticketId !== 'string' || ticketId === '') return null;
  const row = await findVisible(tx, actor.communityId, ticketId);
  if (!row) return null;
  const subject = await ticketSubjectOf(tx, row);
  return can(actor, action, subject, { now }) ? row : null;
}

/** The status machine lets the reporter and the filer act; a housemate only sees. */
function actsFor(row: { reporterId: string | null; filedById: string | null }, actor: Person): boolean {
  return row.reporterId === actor.residentId || row.filedById === actor.residentId;
}

function isRateableBy(
  row: { kind: string; status: string; reporterId: string | null; filedById: string | null; resolutionCount: number; ratedResolution: number },
  residentId: string,
): boolean {
  const rater = row.reporterId ?? row.filedById;
  return (
    rater === residentId &&
    isTicketKind(row.kind) &&
    kindIsRated(row.kind) &&
    (row.status === 'resolved' || row.status === 'closed') &&
    row.ratedResolution < row.resolutionCount
  );
}

function standingOf(status: TicketStatus, resolvedAt: Date | null, now: Date): MyTicketStanding {
  switch (status) {
    case 'new':
    case 'in_progress':
      return 'open';
    case 'resolved':
      return resolvedAt && withinReopenWindow(resolvedAt, now) ? 'resolved' : 'closed';
    case 'closed':
      return 'closed';
    case 'withdrawn':
      return 'withdrawn';
    case 'merged':
      return 'merged';
  }
}

function byOf(event: { actorId: string | null; kind: string; details: unknown }, viewer: string, words: Map<string, RoleWord>): MyTicketEvent['by'] {
  if (event.actorId === viewer) return 'you';
  if (event.actorId === null) return 'community';
  const word = words.get(event.actorId) ?? 'resident';
  if (!RESIDENT_EVENTS.includes(event.kind)) return word;
  // Residents' own words are a resident's, whatever roles they hold; filing for a household is
  // done in a role (a liaison, a group head), which the household should know.
  const onBehalf = event.kind === 'filed' && (event.details as { onBehalf?: unknown } | null)?.onBehalf === true;
  return onBehalf ? word : 'resident';
}

const RESIDENT_EVENTS: readonly string[] = ['filed', 'resident_message', 'withdrawn', 'rated'];

function starsOf(details: unknown): number | null {
  const stars = (details as { stars?: unknown } | null)?.stars;
  return typeof stars === 'number' ? stars : null;
}

/** Applies once; a concurrent change (version conflict) is retried once against the fresh row. */
async function applyOnce(tx: Tx, deps: TicketServiceDeps, input: ApplyTicketActionInput): Promise<ApplyTicketActionResult> {
  const first = await applyTicketAction(tx, deps, input);
  if (first.ok || first.error !== 'version_conflict') return first;
  return applyTicketAction(tx, deps, input);
}

async function refusal(tx: Tx, result: Extract<ApplyTicketActionResult, { ok: false }>, row: VisibleRow): Promise<AddOutcome> {
  const error: TransitionError | 'not_found' | 'version_conflict' = result.error;
  switch (error) {
    case 'reopen_window_passed':
      return { status: row.status === 'closed' ? 'closed' : 'window_passed', number: row.number };
    case 'ticket_withdrawn':
      return { status: 'withdrawn', number: row.number };
    case 'ticket_merged':
      return { status: 'merged', number: row.number, mergedIntoNumber: await numberOf(tx, result.mergedIntoId ?? null) };
    case 'not_allowed_in_status':
      // Withdrawing what is no longer open: say what it became.
      if (row.status === 'merged') return { status: 'merged', number: row.number, mergedIntoNumber: await numberOf(tx, row.mergedIntoId) };
      return { status: row.status === 'withdrawn' ? 'withdrawn' : 'not_open', number: row.number };
    case 'not_your_ticket':
      return { status: 'not_yours' };
    case 'version_conflict':
      return { status: 'conflict' };
    default:
      return { status: 'not_found' };
  }
}

async function numberOf(tx: Tx, ticketId: string | null): Promise<string | null> {
  return ticketId ? ((await tx.ticket.findUnique({ where: { id: ticketId }, select: { number: true } }))?.number ?? null) : null;
}
