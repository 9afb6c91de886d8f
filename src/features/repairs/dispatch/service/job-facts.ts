/**
 * One repair job as dispatch reads it: the work order, its ticket's number and area, the address
 * and the community's time zone. One query and the settings.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import { loadTicketSettings } from '../../../tickets/service/ticket-settings-store.js';
import { isWorkOrderStatus, type WorkOrderStatus } from '../../rules/work-order-state.js';

export interface JobFacts {
  id: string;
  communityId: string;
  ticketId: string;
  number: string;
  job: string;
  skill: string | null;
  emergency: boolean;
  priority: boolean;
  status: WorkOrderStatus;
  memberId: string | null;
  version: number;
  areaId: string | null;
  address: string | null;
  homeWindows: { from: Date; to: Date }[];
  expectedBy: Date | null;
  createdAt: Date;
  timezone: string;
}

export async function loadJob(tx: Tx, workOrderId: string): Promise<JobFacts | null> {
  const row = await tx.workOrder.findUnique({
    where: { id: workOrderId },
    select: {
      id: true,
      communityId: true,
      ticketId: true,
      job: true,
      skill: true,
      emergency: true,
      priority: true,
      status: true,
      memberId: true,
      version: true,
      homeWindows: true,
      expectedBy: true,
      createdAt: true,
      ticket: { select: { number: true, areaId: true, household: { select: { address: true, areaId: true } } } },
    },
  });
  if (!row || !isWorkOrderStatus(row.status)) return null;
  const settings = await loadTicketSettings(tx, row.communityId);
  return {
    id: row.id,
    communityId: row.communityId,
    ticketId: row.ticketId,
    number: row.ticket.number,
    job: row.job,
    skill: row.skill,
    emergency: row.emergency,
    priority: row.priority,
    status: row.status,
    memberId: row.memberId,
    version: row.version,
    areaId: row.ticket.areaId ?? row.ticket.household?.areaId ?? null,
    address: row.ticket.household?.address ?? null,
    homeWindows: readWindows(row.homeWindows),
    expectedBy: row.expectedBy,
    createdAt: row.createdAt,
    timezone: settings.timezone,
  };
}

/** The stored windows that read as instants; anything else is left out rather than shown wrong. */
export function readWindows(stored: unknown): { from: Date; to: Date }[] {
  if (!Array.isArray(stored)) return [];
  const windows: { from: Date; to: Date }[] = [];
  for (const item of stored) {
    if (typeof item !== 'object' || item === null) continue;
    const { from, to } = item as { from?: unknown; to?: unknown };
    if (typeof from !== 'string' || typeof to !== 'string') continue;
    const window = { from: new Date(from), to: new Date(to) };
    if (!Number.isNaN(window.from.getTime()) && !Number.isNaN(window.to.getTime())) windows.push(window);
  }
  return windows;
}
