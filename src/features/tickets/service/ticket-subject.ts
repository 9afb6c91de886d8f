/**
 * A ticket as the policy sees it (`TicketSubject`): its community, area ancestry, household,
 * filer and assignee. Build it for every `can`/`assertCan` on a ticket.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import type { AncestryLookup } from '../../policy/load-subjects.js';
import type { TicketSubject } from '../../policy/subjects.js';

/** The columns `ticketSubjectOf` needs. */
export interface TicketSubjectRow {
  id: string;
  communityId: string;
  areaId: string | null;
  householdId: string | null;
  filedById: string | null;
  assigneeId: string | null;
}

/** The subject of a loaded ticket. */
export async function ticketSubjectOf(db: Tx, row: TicketSubjectRow, ancestry: AncestryLookup = areaAncestry): Promise<TicketSubject> {
  return {
    communityId: row.communityId,
    ticketId: row.id,
    areaIds: row.areaId ? await ancestry(db, row.areaId) : [],
    householdId: row.householdId,
    filedByResidentId: row.filedById,
    assigneeResidentId: row.assigneeId,
  };
}

/** The subject of ticket `ticketId` in `communityId`; null when there is no such ticket there. */
export async function loadTicketSubject(db: Tx, communityId: string, ticketId: string): Promise<TicketSubject | null> {
  const row = await db.ticket.findFirst({
    where: { id: ticketId, communityId },
    select: { id: true, communityId: true, areaId: true, householdId: true, filedById: true, assigneeId: true },
  });
  return row ? ticketSubjectOf(db, row) : null;
}
