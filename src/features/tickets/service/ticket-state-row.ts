/**
 * A ticket row as the status machine reads it (`TicketState`), and the columns a new state
 * writes back.
 */
import type { Prisma } from '../../../db/prisma-types.js';
import { isTicketKind } from '../rules/kinds.js';
import { TICKET_STATUSES, type TicketStatus } from '../rules/statuses.js';
import type { TicketState } from '../rules/ticket-state.js';

/** The columns `toTicketState` reads. */
export const TICKET_STATE_SELECT = {
  id: true,
  communityId: true,
  number: true,
  kind: true,
  category: true,
  status: true,
  reporterId: true,
  filedById: true,
  assigneeId: true,
  householdId: true,
  areaId: true,
  major: true,
  firstRespondedAt: true,
  resolvedAt: true,
  resolvedById: true,
  reopenCount: true,
  resolutionCount: true,
  ratedResolution: true,
  rating: true,
  mergedIntoId: true,
  /** Kept in part on a reopening (a ticket goes before the forum once). */
  escalationsDone: true,
  version: true,
  createdAt: true,
} as const satisfies Prisma.TicketSelect;

export type TicketStateRow = Prisma.TicketGetPayload<{ select: typeof TICKET_STATE_SELECT }>;

/** The row as the rules see it. Throws on a kind or status this version does not know. */
export function toTicketState(row: TicketStateRow): TicketState {
  if (!isTicketKind(row.kind)) throw new Error(`ticket ${row.id} has an unknown kind`);
  if (!(TICKET_STATUSES as readonly string[]).includes(row.status)) throw new Error(`ticket ${row.id} has an unknown status`);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status as TicketStatus,
    reporterId: row.reporterId,
    filedById: row.filedById,
    assigneeId: row.assigneeId,
    major: row.major,
    firstRespondedAt: row.firstRespondedAt,
    resolvedAt: row.resolvedAt,
    resolvedById: row.resolvedById,
    reopenCount: row.reopenCount,
    resolutionCount: row.resolutionCount,
    ratedResolution: row.ratedResolution,
    rating: row.rating,
    mergedIntoId: row.mergedIntoId,
  };
}

/** The columns that change from `before` to `after` (plus when it stopped being open). */
export function stateColumns(before: TicketState, after: TicketState, at: Date): Prisma.TicketUncheckedUpdateManyInput {
  const data: Prisma.TicketUncheckedUpdateManyInput = {
    status: after.status,
    assigneeId: after.assigneeId,
    major: after.major,
    firstRespondedAt: after.firstRespondedAt,
    resolvedAt: after.resolvedAt,
    resolvedById: after.resolvedById,
    reopenCount: after.reopenCount,
    resolutionCount: after.resolutionCount,
    ratedResolution: after.ratedResolution,
    rating: after.rating,
    mergedIntoId: after.mergedIntoId,
  };
  if (after.rating !== before.rating || after.ratedResolution !== before.ratedResolution) data.ratedAt = at;
  const finished = ['resolved', 'withdrawn', 'merged'] as const;
  if (finished.includes(after.status as (typeof finished)[number]) && after.status !== before.status) data.finishedAt = at;
  if ((after.status === 'new' || after.status === 'in_progress') && before.status !== after.status) data.finishedAt = null;
  return data;
}
