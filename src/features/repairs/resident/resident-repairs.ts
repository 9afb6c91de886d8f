/**
 * The resident's own repairs: the list ("我的报修"), one repair's progress, and their answers once
 * the work is done (its ticket resolved then: ticket-resolution.ts) — "fixed" (the work order
 * `confirmed`; the ticket's own rating of that resolution follows in the same chat) or "not fixed"
 * (their words added to the ticket, which reopens it, the work order back to `accepted` with the
 * same member, `work_order.changed` kind `not_fixed` for dispatch to tell that member). Each checks the policy on the ticket
 * (`ticket.view`, `ticket.add`) and that the person filed it or it is for them; someone else's
 * number reads as not found.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Actor } from '../../policy/actor.js';
import { can } from '../../policy/policy.js';
import { addToMyTicket, askForRating, findTicketByNumber, ticketSubjectOf, type TicketServiceDeps } from '../../tickets/service/index.js';
import { sendBackDoneWork } from './send-back.js';
import { resolveForDoneWork } from './ticket-resolution.js';
import { nextStatus, type WorkOrderStatus } from '../rules/work-order-state.js';
import '../work-order-events.js';

type Person = Actor & { kind: 'person' };

const REPAIR_SELECT = {
  id: true,
  communityId: true,
  number: true,
  areaId: true,
  householdId: true,
  reporterId: true,
  filedById: true,
  assigneeId: true,
  createdAt: true,
  workOrder: {
    select: {
      id: true,
      job: true,
      status: true,
      emergency: true,
      memberId: true,
      expectedBy: true,
      acceptedAt: true,
      onTheWayAt: true,
      doneAt: true,
      confirmedAt: true,
      cancelledAt: true,
      workDone: true,
      returns: true,
      version: true,
      member: { select: { name: true } },
    },
  },
} as const;

function findRepair(tx: Tx, communityId: string, where: { id: string }) {
  return tx.ticket.findFirst({ where: { ...where, communityId, kind: 'repair' }, select: REPAIR_SELECT });
}

/** The person's repairs (their household's and those they filed), newest first. */
export async function listMyRepairs(tx: Tx, actor: Person, limit: number) {
  const mine = [{ filedById: actor.residentId }, { reporterId: actor.residentId }, ...(actor.householdId ? [{ householdId: actor.householdId }] : [])];
  const where = { communityId: actor.communityId, kind: 'repair', workOrder: { isNot: null }, OR: mine };
  // One after the other: a transaction is one connection, which runs one statement at a time.
  const items = await tx.ticket.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit, select: REPAIR_SELECT });
  const total = await tx.ticket.count({ where });
  return { items, total };
}

/** A repair by picked id or typed number, when the person may see it; null otherwise. */
export async function myRepair(tx: Tx, actor: Person, by: { ticketId?: string; number?: string }, now: Date) {
  const id = by.ticketId || (by.number ? (await findTicketByNumber(tx, actor.communityId, by.number, now))?.id : undefined);
  if (!id) return null;
  const row = await findRepair(tx, actor.communityId, { id });
  if (!row?.workOrder) return null;
  return can(actor, 'ticket.view', await ticketSubjectOf(tx, row), { now }) ? { ...row, workOrder: row.workOrder } : null;
}

/** One of the person's repairs as they may see it. */
export type MyRepair = NonNullable<Awaited<ReturnType<typeof myRepair>>>;

/** The reporter and the one who filed it answer for it; a housemate only sees. */
function actsFor(row: { reporterId: string | null; filedById: string | null }, actor: Person): boolean {
  return row.reporterId === actor.residentId || row.filedById === actor.residentId;
}

/**
 * The repair a "fixed" / "not fixed" answer is about: the number given, else the person's one
 * repair waiting for their answer (the newest, when several are).
 */
export async function doneRepairTarget(tx: Tx, actor: Person, number: string, now: Date) {
  if (number.trim() !== '') {
    const row = await myRepair(tx, actor, { number }, now);
    if (!row || !actsFor(row, actor) || !(await mayFollowUp(tx, actor, row, now))) return { status: 'not_found' as const };
    if (row.workOrder.status !== 'done') return { status: 'not_done' as const, repair: row };
    return { status: 'ok' as const, repair: row };
  }
  const waiting = await tx.ticket.findFirst({
    where: { communityId: actor.communityId, kind: 'repair', OR: [{ reporterId: actor.residentId }, { filedById: actor.residentId }], workOrder: { is: { status: 'done' } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  if (!waiting) return { status: 'none' as const };
  const row = await myRepair(tx, actor, { ticketId: waiting.id }, now);
  return row ? { status: 'ok' as const, repair: row } : { status: 'none' as const };
}

async function mayFollowUp(tx: Tx, actor: Person, row: Parameters<typeof ticketSubjectOf>[1], now: Date): Promise<boolean> {
  return can(actor, 'ticket.add', await ticketSubjectOf(tx, row), { now });
}

export type ConfirmOutcome =
  | { status: 'confirmed'; number: string; ticketId: string; resolution: number | null }
  | { status: 'not_found' | 'none' }
  | { status: 'not_done'; number: string; workStatus: WorkOrderStatus }
  | { status: 'conflict'; number: string };

/** "Fixed": the work order confirmed on the resident's word; the resolution to rate is returned. */
export async function confirmRepair(tx: Tx, deps: TicketServiceDeps, input: { actor: Person; number: string; at: Date }): Promise<ConfirmOutcome> {
  const target = await doneRepairTarget(tx, input.actor, input.number, input.at);
  if (target.status !== 'ok') return target.status === 'not_done' ? notDone(target.repair) : { status: target.status };
  const { repair } = target;
  const confirmed = await confirmWorkOrder(tx, deps, { repair, at: input.at, by: input.actor });
  if (!confirmed.ok) return { status: 'conflict', number: repair.number };
  return { status: 'confirmed', number: repair.number, ticketId: repair.id, resolution: confirmed.resolution };
}

/** What `confirmWorkOrder` needs of a repair: its ticket and its work order as read. */
export interface ConfirmableRepair {
  id: string;
  communityId: string;
  workOrder: { id: string; version: number; memberId: string | null };
}

/**
 * Confirms a done work order, by the resident (in their chat) or by the clock (`by` absent): the
 * work order `done → confirmed` under its version and `work_order.changed` kind `confirm`. The
 * ticket was resolved when the work was done (ticket-resolution.ts; resolved here if that did not
 * happen); the resolution to rate is returned — the resident's chat asks for it, while for the
 * clock the ticket's own rating question goes to the resident. Not done any more (another answer
 * came first): nothing is written.
 */
export async function confirmWorkOrder(
  tx: Tx,
  deps: TicketServiceDeps,
  input: { repair: ConfirmableRepair; at: Date; by?: Person },
): Promise<{ ok: true; resolution: number | null } | { ok: false }> {
  const { repair, at, by } = input;
  const order = repair.workOrder;
  const moved = await tx.workOrder.updateMany({
    where: { id: order.id, version: order.version, status: 'done' },
    data: { status: nextStatus('done', 'confirm')!, confirmedAt: at, version: { increment: 1 } },
  });
  if (moved.count !== 1) return { ok: false };
  await resolveForDoneWork(tx, deps, repair.communityId, order.id);
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: repair.id }, select: { status: true, resolutionCount: true, ratedResolution: true } });
  const rateable = ticket.status === 'resolved' && ticket.ratedResolution < ticket.resolutionCount;
  if (!by && rateable) await askForRating(tx, deps, repair.id);
  await deps.events.publish(tx, 'work_order.changed', {
    communityId: repair.communityId,
    workOrderId: order.id,
    ticketId: repair.id,
    kind: 'confirm',
    ...(by ? { actorId: by.residentId } : {}),
    ...(order.memberId ? { memberId: order.memberId } : {}),
  });
  return { ok: true, resolution: rateable ? ticket.resolutionCount : null };
}

export type NotFixedOutcome =
  | { status: 'sent_back'; number: string; worker: string | null }
  | { status: 'not_found' | 'none' }
  | { status: 'not_done'; number: string; workStatus: WorkOrderStatus }
  | { status: 'conflict' | 'closed'; number: string };

/** "Not fixed", with the resident's words: back to the same member (see the file's comment). */
export async function sendRepairBack(tx: Tx, deps: TicketServiceDeps, input: { actor: Person; number: string; text: string; at: Date }): Promise<NotFixedOutcome> {
  const target = await doneRepairTarget(tx, input.actor, input.number, input.at);
  if (target.status !== 'ok') return target.status === 'not_done' ? notDone(target.repair) : { status: target.status };
  const { repair } = target;
  // The words on the ticket: it reopens, which sends the work back (send-back.ts). A ticket that
  // no longer takes them (withdrawn, closed) leaves everything as it was.
  const added = await addToMyTicket(tx, deps, { actor: input.actor, ticketId: repair.id, text: input.text, at: input.at });
  if (added.status !== 'added' && added.status !== 'reopened') return { status: added.status === 'conflict' ? 'conflict' : 'closed', number: repair.number };
  // A ticket still open (its resolution did not happen when the work was done) took the words
  // without reopening: the work goes back here.
  if (added.status === 'added') await sendBackDoneWork(tx, deps.events, { communityId: repair.communityId, ticketId: repair.id, actorId: input.actor.residentId });
  const order = await tx.workOrder.findUniqueOrThrow({ where: { id: repair.workOrder.id }, select: { status: true } });
  if (order.status !== 'accepted') throw new Error('work order not sent back with the resident\'s words');
  return { status: 'sent_back', number: repair.number, worker: repair.workOrder.member?.name ?? null };
}

function notDone(repair: { number: string; workOrder: { status: string } }) {
  return { status: 'not_done' as const, number: repair.number, workStatus: repair.workOrder.status as WorkOrderStatus };
}
