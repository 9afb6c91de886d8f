/**
 * Locale keys for the ticket vocabularies. A community's own categories carry their names in the
 * settings (`label`); the defaults, kinds and statuses are named in locales.
 */
import type { DefaultCategoryCode, TicketCategory } from './categories.js';
import type { TicketKind } from './kinds.js';
import type { TicketStatus } from './statuses.js';

const CATEGORY_KEYS: Record<DefaultCategoryCode, string> = {
  environment_sanitation: 'tickets.category.environment_sanitation',
  utilities_roads: 'tickets.category.utilities_roads',
  public_security: 'tickets.category.public_security',
  neighbour_dispute: 'tickets.category.neighbour_dispute',
  property_fees: 'tickets.category.property_fees',
  elderly_disability_help: 'tickets.category.elderly_disability_help',
  other: 'tickets.category.other',
};

const KIND_KEYS: Record<TicketKind, string> = {
  complaint: 'tickets.kind.complaint',
  suggestion: 'tickets.kind.suggestion',
  praise: 'tickets.kind.praise',
  repair: 'tickets.kind.repair',
  housekeeping: 'tickets.kind.housekeeping',
  patrol_report: 'tickets.kind.patrol_report',
};

const STATUS_KEYS: Record<TicketStatus, string> = {
  new: 'tickets.status.new',
  in_progress: 'tickets.status.in_progress',
  resolved: 'tickets.status.resolved',
  closed: 'tickets.status.closed',
  withdrawn: 'tickets.status.withdrawn',
  merged: 'tickets.status.merged',
};

/**
 * How to name a category: its own label in `locale` (a community's category), else the locale key
 * of a default category, else its own label in any language, else the `other` key.
 */
export function categoryName(category: TicketCategory, locale: string): { text: string } | { key: string } {
  const own = category.label?.[locale];
  if (own) return { text: own };
  const key = (CATEGORY_KEYS as Record<string, string | undefined>)[category.code];
  if (key) return { key };
  const any = category.label ? Object.values(category.label)[0] : undefined;
  return any ? { text: any } : { key: CATEGORY_KEYS.other };
}

/** The locale key naming a kind. */
export function kindKey(kind: TicketKind): string {
  return KIND_KEYS[kind];
}

/** The locale key naming a status. */
export function statusKey(status: TicketStatus): string {
  return STATUS_KEYS[status];
}
