/**
 * GET /staff/meetings/petitions — the petitions for an extraordinary assembly (docs/domain.md
 * rule 3), newest first: each one's signatures against every threshold (signed / needed of the
 * total), and which threshold was met when it became binding. An open petition is measured
 * against the roster now; a binding one shows the counts it bound with. For whoever runs the
 * community's sittings (`meeting.run` community-wide; refusals audited, 403 with words).
 */
import type { FastifyInstance } from 'fastify';
import { signatureCounts } from '../../features/meetings/floor/service/petitions.js';
import { rosterTotals } from '../../features/meetings/floor/service/roster-counts.js';
import type { PetitionCounts, PetitionThreshold } from '../../features/meetings/floor/rules/petition-thresholds.js';
import { checkAudited } from '../../features/policy/audited-check.js';
import { sendDenied } from '../shell/denied-page.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { petitionsView, PETITIONS_PATH, type PetitionRow } from './petitions-view.js';

const LISTED = 100;

export function registerPetitionPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  scope.get(PETITIONS_PATH, { preHandler: requireStaff(deps) }, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const loaded = await deps.prisma.$transaction(async (tx) => {
      const decision = await checkAudited(tx, {
        communityId: deps.communityId,
        actor: viewer.actor,
        action: 'meeting.run',
        subject: { communityId: deps.communityId, areaIds: [] },
        target: { type: 'petition', id: null },
        auditAction: 'petition.list_viewed',
        now,
      });
      if (!decision.allowed) return { status: 'denied' as const, reason: decision.reason };
      const totals = await rosterTotals(tx, deps.communityId, now, viewer.timezone);
      const petitions = await tx.petition.findMany({
        where: { communityId: deps.communityId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: LISTED,
        select: { id: true, number: true, title: true, status: true, thresholdMet: true, counts: true, createdAt: true, bindingAt: true, _count: { select: { signatures: true } } },
      });
      const rows: PetitionRow[] = [];
      for (const p of petitions) {
        const kept = boundCounts(p.counts);
        rows.push({
          number: p.number,
          title: p.title,
          status: p.status,
          thresholdMet: (p.thresholdMet as PetitionThreshold | null) ?? null,
          createdAt: p.createdAt,
          bindingAt: p.bindingAt,
          signatures: p._count.signatures,
          // A binding petition is judged by what it bound with; an open one by the roster now.
          signed: kept?.signed ?? (await signatureCounts(tx, p.id)),
          totals: kept?.totals ?? totals,
        });
      }
      return { status: 'ok' as const, rows };
    });
    if (loaded.status === 'denied') return sendDenied(request, reply, loaded.reason, 'meetings');
    return sendStaffPage(request, reply, {
      title: t('meetings.console.petitions.title'),
      section: 'meetings',
      main: (csrfToken) => petitionsView(loaded.rows, { t, viewer, csrfToken, now }),
    });
  });
}

/** The counts stored when it bound, if they are of the expected shape. */
function boundCounts(json: unknown): { signed: PetitionCounts; totals: PetitionCounts } | null {
  if (typeof json !== 'object' || json === null) return null;
  const { signed, totals } = json as { signed?: unknown; totals?: unknown };
  return isCounts(signed) && isCounts(totals) ? { signed, totals } : null;
}

function isCounts(value: unknown): value is PetitionCounts {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['representatives', 'adults', 'households', 'groups'].every((key) => typeof record[key] === 'number');
}
