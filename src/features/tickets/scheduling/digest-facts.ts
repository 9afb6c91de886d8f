/**
 * The ticket facts a digest reads (rules/ticket-facts.ts), loaded for the tickets that can count
 * in [from, to): filed before its end and either still open, finished, answered, due, rated or
 * resolved after its start. Ids, codes, times and area paths only — no names, no text.
 * `areaIds` narrows them to tickets in those areas (a steward's figures: the areas' whole subtrees,
 * already expanded by the caller); left out, every ticket of the community counts.
 */
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import { isTicketKind } from '../rules/kinds.js';
import { TICKET_STATUSES, type TicketStatus } from '../rules/statuses.js';
import type { Period, TicketFact } from '../rules/ticket-facts.js';

export async function loadTicketFacts(
  db: PrismaClient | Tx,
  communityId: string,
  span: Period,
  options: { areaIds?: readonly string[] } = {},
): Promise<TicketFact[]> {
  const { from, to } = span;
  const rows = await db.ticket.findMany({
    where: {
      communityId,
      ...(options.areaIds ? { areaId: { in: [...options.areaIds] } } : {}),
      createdAt: { lt: to },
      OR: [
        { finishedAt: null },
        { finishedAt: { gte: from } },
        { firstResponseDueAt: { gte: from } },
        { resolvedAt: { gte: from } },
        { ratedAt: { gte: from } },
      ],
    },
    select: {
      id: true,
      kind: true,
      category: true,
      status: true,
      createdAt: true,
      updatedAt: true,
      firstResponseDueAt: true,
      firstRespondedAt: true,
      resolutionDueAt: true,
      finishedAt: true,
      resolvedAt: true,
      rating: true,
      ratedAt: true,
      solved: true,
      area: { select: { path: true } },
    },
  });
  return rows.map((t) => ({
    id: t.id,
    kind: isTicketKind(t.kind) ? t.kind : 'complaint',
    category: t.category,
    areaPath: t.area?.path ?? '',
    status: (TICKET_STATUSES as readonly string[]).includes(t.status) ? (t.status as TicketStatus) : 'closed',
    createdAt: t.createdAt,
    firstResponseDue: t.firstResponseDueAt,
    firstRespondedAt: t.firstRespondedAt,
    resolutionDue: t.resolutionDueAt,
    finishedAt: t.finishedAt,
    resolvedAt: t.resolvedAt,
    rating: t.rating !== null && t.ratedAt !== null ? { stars: t.rating, ratedAt: t.ratedAt } : null,
    // "Was it solved?" is asked with the rating at close; its answer time is the rating's.
    solved: t.solved !== null ? { value: t.solved, answeredAt: t.ratedAt ?? t.updatedAt } : null,
  }));
}
