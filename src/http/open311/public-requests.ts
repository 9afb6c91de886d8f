/**
 * Reads tickets for the public Open311 output. Only the columns the public view can use are
 * loaded — no reporter, household or phone is ever selected — and every ticket passes through
 * the rules' `anonymise` (publicly listed categories only, withdrawn ones never, a resident's
 * words only when they agreed or staff released them, anonymous ones without words, photos or an
 * exact place).
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import type { TicketSettings } from '../../features/tickets/rules/settings.js';
import { findCategory } from '../../features/tickets/rules/categories.js';
import { TICKET_STATUSES, type TicketStatus } from '../../features/tickets/rules/statuses.js';
import { anonymise, type TicketForPublic, type TicketPlace } from '../../features/tickets/open311/public-ticket.js';
import type { RequestQuery } from './request-query.js';

/** The spec lets a server cap a search; 1,000 is the figure it names. */
export const MAX_REQUESTS = 1_000;

const OPEN: TicketStatus[] = ['new', 'in_progress'];
const CLOSED: TicketStatus[] = ['resolved', 'closed', 'merged'];

export interface PublicRequestContext {
  communityId: string;
  settings: TicketSettings;
  serviceName: (code: string) => string;
  agencyResponsible: string;
}

/** The requests a query selects, newest first, as the public may see them. */
export async function loadPublicRequests(prisma: PrismaClient, query: RequestQuery, ctx: PublicRequestContext): Promise<TicketForPublic[]> {
  const publicCodes = ctx.settings.categories.filter((c) => c.publicListing).map((c) => c.code);
  const where =
    query.kind === 'ids'
      ? { communityId: ctx.communityId, number: { in: query.ids } }
      : {
          communityId: ctx.communityId,
          category: { in: query.serviceCodes ?? publicCodes },
          status: { in: statusesFor(query.statuses) },
          createdAt: { gte: query.from, lte: query.to },
        };
  const rows = await prisma.ticket.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { number: 'desc' }],
    take: MAX_REQUESTS,
    select: {
      number: true,
      status: true,
      category: true,
      description: true,
      anonymous: true,
      publishText: true,
      placeText: true,
      latitude: true,
      longitude: true,
      createdAt: true,
      updatedAt: true,
      publicResolutionDueAt: true,
      area: { select: { path: true } },
      mergedInto: { select: { number: true } },
    },
  });
  const published: TicketForPublic[] = [];
  for (const row of rows) {
    const place: TicketPlace =
      row.latitude !== null && row.longitude !== null
        ? { kind: 'point', lat: row.latitude, long: row.longitude, text: row.placeText }
        : row.placeText
          ? { kind: 'described', text: row.placeText }
          : { kind: 'home' };
    const view = anonymise(
      {
        number: row.number,
        status: toStatus(row.status),
        category: findCategory(ctx.settings.categories, row.category),
        description: row.description,
        reporter: null,
        householdAddress: null,
        anonymous: row.anonymous,
        publishText: row.publishText,
        areaPath: row.area?.path ?? '',
        place,
        // Photos live in the chat channels' private stores: none has a public address yet.
        photoUrls: [],
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        publicResolutionDue: row.publicResolutionDueAt,
        mergedIntoNumber: row.mergedInto?.number ?? null,
      },
      { serviceName: ctx.serviceName, agencyResponsible: ctx.agencyResponsible },
    );
    if (view) published.push(view);
  }
  return published;
}

function statusesFor(statuses: ReadonlyArray<'open' | 'closed'> | null): TicketStatus[] {
  if (statuses === null) return [...OPEN, ...CLOSED];
  return [...(statuses.includes('open') ? OPEN : []), ...(statuses.includes('closed') ? CLOSED : [])];
}

function toStatus(status: string): TicketStatus {
  // Unknown statuses are not published: anonymise treats only known ones.
  return (TICKET_STATUSES as readonly string[]).includes(status) ? (status as TicketStatus) : 'withdrawn';
}
