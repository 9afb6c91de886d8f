/**
 * What the public may see of a ticket, and the one gate that produces it.
 *
 * `TicketForPublic` has no field for a name, a phone or a household address: what is not there
 * cannot leak. `anonymise` maps the staff-side facts onto it:
 * - withdrawn tickets and tickets of a category not listed publicly are not published at all;
 * - the address is the area path cut to `publicAreaDepth` (lane / building by default) whenever
 *   the resident asked to stay anonymous or the place is their own home; only a non-anonymous
 *   report about another place (the lamp at the east gate) shows that place;
 * - a resident's own words — the description and a place as typed — are published only when they
 *   agreed to it while filing or staff released them (`publishText`): people write their names,
 *   phone numbers and neighbours' doings into them. Without that the feed shows the category and
 *   the area only; with it, every phone or ID number is still hidden (`hideNumbersIn`);
 * - an anonymous report publishes no description, no coordinates and no photos (a resident's own
 *   words and pictures identify them to neighbours), whatever was agreed; others have coordinates
 *   rounded to 3 decimals (about 100 m);
 * - the expected time is the ordinary-tier deadline: a shorter one would tell the world the
 *   household is elderly, disabled or ill.
 */
import { hideNumbersIn } from '../../privacy/mask.js';
import { areaAtDepth } from '../rules/area-path.js';
import type { TicketCategory } from '../rules/categories.js';
import type { TicketStatus } from '../rules/statuses.js';

/** The public view of one ticket (GeoReport v2 service request). */
export interface TicketForPublic {
  /** The ticket number, e.g. MQ-2026-00123. */
  serviceRequestId: string;
  status: 'open' | 'closed';
  statusNotes: string | null;
  serviceCode: string;
  serviceName: string;
  description: string | null;
  agencyResponsible: string | null;
  serviceNotice: string | null;
  requestedAt: Date;
  updatedAt: Date;
  expectedAt: Date | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  mediaUrl: string | null;
}

/** Where the problem is, as the resident gave it. */
export type TicketPlace =
  | { kind: 'home' }
  | { kind: 'described'; text: string }
  | { kind: 'point'; lat: number; long: number; text?: string | null };

/** The staff-side facts `anonymise` reads (the service builds them; names are here to be dropped). */
export interface TicketForStaff {
  number: string;
  status: TicketStatus;
  category: TicketCategory;
  description: string;
  reporter: { name: string; phone: string | null } | null;
  householdAddress: string | null;
  anonymous: boolean;
  /** The resident agreed to publish their words, or staff released them. */
  publishText: boolean;
  areaPath: string;
  place: TicketPlace;
  /** Public URLs of the photos, first one published. */
  photoUrls: readonly string[];
  createdAt: Date;
  updatedAt: Date;
  /** `dueTimes(...).publicResolutionDue`. */
  publicResolutionDue: Date | null;
  mergedIntoNumber: string | null;
}

export interface AnonymiseOptions {
  /** The category's public name in the output language. */
  serviceName: (code: string) => string;
  /** The committee's name (never a person's). */
  agencyResponsible: string;
  /** A public note for the status, e.g. a localised "merged into MQ-2026-00120"; default none. */
  statusNotes?: (status: TicketStatus, mergedIntoNumber: string | null) => string | null;
  /** How much of the area path an anonymous or at-home report shows; default 2 (lane / building). */
  publicAreaDepth?: number;
}

export const DEFAULT_PUBLIC_AREA_DEPTH = 2;
const COORDINATE_DECIMALS = 3;

/** GeoReport has two statuses: the ticket is open while someone still owes work. */
export function publicStatus(status: TicketStatus): 'open' | 'closed' {
  return status === 'new' || status === 'in_progress' ? 'open' : 'closed';
}

/** Whether the ticket appears in public output at all. */
export function isPublished(ticket: Pick<TicketForStaff, 'status' | 'category'>): boolean {
  return ticket.status !== 'withdrawn' && ticket.category.publicListing;
}

/** The public view, or null when the ticket is not published. */
export function anonymise(ticket: TicketForStaff, options: AnonymiseOptions): TicketForPublic | null {
  if (!isPublished(ticket)) return null;
  const area = areaAtDepth(ticket.areaPath, options.publicAreaDepth ?? DEFAULT_PUBLIC_AREA_DEPTH) || null;
  const place = ticket.anonymous ? ({ kind: 'home' } as const) : ticket.place;
  const wordsPublic = ticket.publishText && !ticket.anonymous;
  const placeText = !wordsPublic ? null : place.kind === 'described' ? place.text : place.kind === 'point' ? (place.text ?? null) : null;
  return {
    serviceRequestId: ticket.number,
    status: publicStatus(ticket.status),
    statusNotes: options.statusNotes?.(ticket.status, ticket.mergedIntoNumber) ?? null,
    serviceCode: ticket.category.code,
    serviceName: options.serviceName(ticket.category.code),
    description: wordsPublic ? hideNumbersIn(ticket.description) : null,
    agencyResponsible: options.agencyResponsible,
    serviceNotice: null,
    requestedAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    expectedAt: ticket.publicResolutionDue,
    address: placeText ? hideNumbersIn(placeText) : area,
    lat: place.kind === 'point' ? round(place.lat) : null,
    long: place.kind === 'point' ? round(place.long) : null,
    mediaUrl: ticket.anonymous ? null : (ticket.photoUrls[0] ?? null),
  };
}

function round(value: number): number {
  const factor = 10 ** COORDINATE_DECIMALS;
  return Math.round(value * factor) / factor;
}
