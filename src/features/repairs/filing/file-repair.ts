/**
 * Filing a repair, in the caller's transaction: a ticket of kind `repair` (its BX number, due
 * times, routing, audit and staff notices: the ticket service's `fileTicket`) and its work order
 * (the job, the skill it needs, emergency, priority household, the home windows and the time the
 * resident is told to expect someone), then `work_order.changed` kind `filed` — dispatch makes
 * the first offer from it. Either all of it happens or none.
 */
import type { Prisma, Tx } from '../../../db/prisma-types.js';
import type { Actor } from '../../policy/actor.js';
import { FALLBACK_CATEGORY_CODE } from '../../tickets/rules/categories.js';
import { fileTicket, type FiledTicket } from '../../tickets/service/file-ticket.js';
import { clockOf, type TicketServiceDeps } from '../../tickets/service/ticket-service-deps.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';
import { loadRepairSettings } from '../repair-settings-store.js';
import { kindOfDanger } from '../rules/dangers.js';
import { expectedBy, repairTier, type RepairTier } from '../rules/expected-time.js';
import type { HomeWindow } from '../rules/home-windows.js';
import { isPriorityRepair } from '../rules/priority.js';
import { skillFor, type Danger, type RepairKind } from '../rules/repair-kinds.js';
import type { WorkOrderStatus } from '../rules/work-order-state.js';
import '../work-order-events.js';
import { markFiledIn } from './filed-in-transaction.js';

export interface FileRepairInput {
  communityId: string;
  /** A bound person: for their own household, or on behalf of another (a liaison, a group head…). */
  actor: Actor & { kind: 'person' };
  /**
   * The household it is for; omitted: the actor's own. Another household: filed on its behalf
   * (the ticket service checks `ticket.file_on_behalf` and audits it); its flags decide priority.
   */
  householdId?: string;
  /** What is broken; with a danger, the danger's own job wins. */
  job: RepairKind;
  /** Gas smell, sparking, collapse risk: an emergency. */
  danger?: Danger | null;
  description: string;
  photos?: readonly string[];
  /** Another place than the home (typed or a pin); null: the household. */
  place?: { text?: string | null; latitude?: number | null; longitude?: number | null } | null;
  /** When someone is home; empty: any time. Ignored for an emergency (someone comes at once). */
  homeWindows?: readonly HomeWindow[];
  at?: Date;
}

export interface FiledRepair {
  ticket: FiledTicket;
  workOrderId: string;
  number: string;
  job: RepairKind;
  emergency: boolean;
  priority: boolean;
  tier: RepairTier;
  expectedBy: Date;
  /** Where the job stands once dispatch has heard of it: `received` (waiting), `offered`, or `unassigned` (nobody). */
  status: WorkOrderStatus;
}

export async function fileRepair(tx: Tx, deps: TicketServiceDeps, input: FileRepairInput): Promise<FiledRepair> {
  const at = input.at ?? clockOf(deps);
  const { communityId, actor } = input;
  // One after the other: a transaction is one connection, which runs one statement at a time.
  const settings = await loadRepairSettings(tx, communityId);
  const ticketSettings = await loadTicketSettings(tx, communityId);
  const householdId = input.householdId ?? actor.householdId;
  const household = householdId ? await tx.household.findFirst({ where: { id: householdId, communityId }, select: { flags: true } }) : null;
  const emergency = Boolean(input.danger);
  const job = input.danger ? kindOfDanger(input.danger) : input.job;
  const priority = isPriorityRepair(household?.flags ?? [], settings);
  const category = ticketSettings.categories.some((c) => c.code === settings.ticketCategory) ? settings.ticketCategory : FALLBACK_CATEGORY_CODE;
  const homeWindows = emergency ? [] : [...(input.homeWindows ?? [])].sort((a, b) => a.from.getTime() - b.from.getTime());

  const ticket = await fileTicket(tx, deps, {
    communityId,
    actor,
    ...(input.householdId ? { householdId: input.householdId } : {}),
    kind: 'repair',
    category,
    description: input.description,
    place: input.place ?? null,
    photos: input.photos ?? [],
    filerAnsweredInChat: true,
    // The service team is offered the job; the area's steward hears of it only if nobody can take it.
    holderNotToldAtFiling: true,
    at,
  });
  const tier = repairTier(emergency, priority);
  const expected = expectedBy({ filedAt: at, tier, within: settings.expectedWithin, timezone: ticketSettings.timezone, homeWindows });
  const windows: Prisma.InputJsonValue = homeWindows.map((w) => ({ from: w.from.toISOString(), to: w.to.toISOString() }));
  const workOrder = await tx.workOrder.create({
    data: { communityId, ticketId: ticket.ticketId, job, skill: skillFor(job), emergency, priority, homeWindows: windows, expectedBy: expected, createdAt: at },
    select: { id: true },
  });
  // What dispatch does within this transaction (the first offer, or nobody) the filer hears in
  // the filing's reply, not as notices that would arrive before it.
  markFiledIn(tx, workOrder.id);
  await deps.events.publish(tx, 'work_order.changed', { communityId, workOrderId: workOrder.id, ticketId: ticket.ticketId, kind: 'filed', actorId: actor.residentId });
  const after = await tx.workOrder.findUniqueOrThrow({ where: { id: workOrder.id }, select: { status: true } });
  return { ticket, workOrderId: workOrder.id, number: ticket.number, job, emergency, priority, tier, expectedBy: expected, status: after.status as WorkOrderStatus };
}
