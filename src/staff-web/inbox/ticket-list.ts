/**
 * The inbox's list of tickets: the tickets the viewer may handle (`staff-ticket-scope.ts`),
 * narrowed by the filter bar, newest first, a page at a time, with the number behind each quick
 * filter (under the same scope, search, area and category) so the bar can show "overdue 3".
 * Nothing is dropped silently: `total` is the count of everything that matches.
 */
import type { Prisma, Tx } from '../../db/prisma-types.js';
import { areaSubtree } from '../../features/policy/area-ancestry.js';
import type { TicketCategory } from '../../features/tickets/rules/categories.js';
import { localYear } from '../../features/tickets/rules/local-time.js';
import { OPEN_STATUSES, TICKET_STATUSES, type TicketStatus } from '../../features/tickets/rules/statuses.js';
import { loadTicketSettings } from '../../features/tickets/service/ticket-settings-store.js';
import { staffTicketScope, staffTicketWhere, type TicketViewer } from './staff-ticket-scope.js';
import { firstResponseState, latenessAt, nextDueAt, overdueWhere, type FirstResponseState, type Lateness } from './ticket-deadline-state.js';
import { parseTicketSearch, SEARCH_MAX_LENGTH, ticketSearchWhere } from './ticket-search.js';
import { typedText } from '../people/typed-input.js';

/** Tickets on one page of the list. */
export const TICKET_PAGE_SIZE = 50;
/** Characters of the description shown on a card. */
export const EXCERPT_LENGTH = 80;

/** The state filter: `open` (new and in progress, the default), one status, or all. */
export const TICKET_STATE_FILTERS = ['open', ...TICKET_STATUSES, 'all'] as const;
export type TicketStateFilter = (typeof TICKET_STATE_FILTERS)[number];

export interface TicketListFilter {
  state: TicketStateFilter;
  /** An area: the tickets of it and of every area below it. */
  areaId: string | null;
  category: string | null;
  /** Open with a deadline missed. */
  overdue: boolean;
  /** Assigned to the viewer. */
  mine: boolean;
  /** Assigned to nobody (the committee as a body). */
  unassigned: boolean;
  /** A ticket number or words (`ticket-search.ts`). */
  q: string;
}

export const DEFAULT_TICKET_FILTER: TicketListFilter = { state: 'open', areaId: null, category: null, overdue: false, mine: false, unassigned: false, q: '' };

/** The quick filters of the bar, each with its count. */
export const QUICK_FILTERS = ['open', 'new', 'overdue', 'mine', 'unassigned', 'resolved'] as const;
export type QuickFilter = (typeof QUICK_FILTERS)[number];
export type TicketListCounts = Record<QuickFilter, number>;

export interface TicketListItem {
  number: string;
  kind: string;
  category: string;
  status: TicketStatus;
  /** The area's whole path ("平房区/团结巷/3号院"); null for a ticket with no area. */
  areaPath: string | null;
  areaName: string | null;
  placeText: string | null;
  /** The staff member holding it; null = nobody yet (the committee as a body). */
  assigneeName: string | null;
  assignedToViewer: boolean;
  major: boolean;
  overdue: boolean;
  lateness: Lateness;
  /** The next deadline that matters (first response while unanswered, else resolution); null once finished. */
  dueAt: Date | null;
  firstResponse: FirstResponseState;
  createdAt: Date;
  /** The description's first `EXCERPT_LENGTH` characters (… when cut). */
  excerpt: string;
}

export interface TicketList {
  items: TicketListItem[];
  /** Every ticket matching the filter (all pages). */
  total: number;
  counts: TicketListCounts;
  /** The page shown (1-based, clamped to the pages there are) and how many there are. */
  page: number;
  pageCount: number;
  pageSize: number;
  filter: TicketListFilter;
  /** The community's categories (for their names). */
  categories: readonly TicketCategory[];
}

export interface ListTicketsInput {
  communityId: string;
  actor: TicketViewer;
  filter?: Partial<TicketListFilter>;
  /** 1-based; default 1. */
  page?: number;
  /** Tickets on a page; default `TICKET_PAGE_SIZE` (the command line asks for its `--limit`). */
  pageSize?: number;
  now: Date;
}

/** The page of tickets the viewer may handle that match the filter (see the file's comment). */
export async function listTickets(db: Tx, input: ListTicketsInput): Promise<TicketList> {
  const filter: TicketListFilter = { ...DEFAULT_TICKET_FILTER, ...input.filter };
  const settings = await loadTicketSettings(db, input.communityId);
  const pageSize = input.pageSize !== undefined && Number.isSafeInteger(input.pageSize) && input.pageSize >= 1 ? input.pageSize : TICKET_PAGE_SIZE;
  const empty = (): TicketList => ({
    items: [],
    total: 0,
    counts: { open: 0, new: 0, overdue: 0, mine: 0, unassigned: 0, resolved: 0 },
    page: 1,
    pageCount: 1,
    pageSize,
    filter,
    categories: settings.categories,
  });

  const scope = await staffTicketWhere(db, input.communityId, staffTicketScope(input.actor, input.communityId, input.now));
  if (!scope) return empty();
  const search = ticketSearchWhere(
    parseTicketSearch(filter.q, { defaultPrefix: settings.numberPrefix, currentYear: localYear(input.now, settings.timezone) }),
  );
  const base: Prisma.TicketWhereInput[] = [scope];
  if (search) base.push(search);
  if (filter.areaId) base.push({ areaId: { in: await areaSubtree(db, [filter.areaId]) } });
  if (filter.category) base.push({ category: filter.category });

  // The operator holds no tickets of their own: "mine" matches none of theirs.
  const me = input.actor.kind === 'person' ? input.actor.residentId : null;
  const nobodys: Prisma.TicketWhereInput = { id: { in: [] } };
  const open: Prisma.TicketWhereInput = { status: { in: [...OPEN_STATUSES] } };
  const quick: Record<QuickFilter, Prisma.TicketWhereInput> = {
    open,
    new: { status: 'new' },
    overdue: overdueWhere(input.now),
    mine: me === null ? nobodys : { ...open, assigneeId: me },
    unassigned: { ...open, assigneeId: null },
    resolved: { status: 'resolved' },
  };
  const where: Prisma.TicketWhereInput = { AND: [...base, ...filterWhere(filter, quick, me === null ? nobodys : { assigneeId: me })] };

  // One after another: `db` may be a transaction, which runs one statement at a time.
  const counts = {} as TicketListCounts;
  for (const name of QUICK_FILTERS) counts[name] = await db.ticket.count({ where: { AND: [...base, quick[name]] } });
  const total = await db.ticket.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const asked = input.page !== undefined && Number.isFinite(input.page) ? Math.floor(input.page) : 1;
  const page = Math.min(Math.max(1, asked), pageCount);
  const rows = await db.ticket.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    select: {
      number: true,
      kind: true,
      category: true,
      status: true,
      placeText: true,
      description: true,
      major: true,
      assigneeId: true,
      firstResponseDueAt: true,
      firstRespondedAt: true,
      resolutionDueAt: true,
      createdAt: true,
      area: { select: { name: true, path: true } },
      assignee: { select: { name: true } },
    },
  });
  const items = rows.map((row): TicketListItem => {
    const lateness = latenessAt(row, input.now);
    return {
      number: row.number,
      kind: row.kind,
      category: row.category,
      status: row.status as TicketStatus,
      areaPath: row.area?.path ?? null,
      areaName: row.area?.name ?? null,
      placeText: row.placeText,
      assigneeName: row.assignee?.name ?? null,
      assignedToViewer: me !== null && row.assigneeId === me,
      major: row.major,
      overdue: lateness.firstResponse || lateness.resolution,
      lateness,
      dueAt: nextDueAt(row),
      firstResponse: firstResponseState(row, input.now),
      createdAt: row.createdAt,
      excerpt: excerptOf(row.description),
    };
  });
  return { items, total, counts, page, pageCount, pageSize, filter, categories: settings.categories };
}

function filterWhere(filter: TicketListFilter, quick: Record<QuickFilter, Prisma.TicketWhereInput>, mine: Prisma.TicketWhereInput): Prisma.TicketWhereInput[] {
  const out: Prisma.TicketWhereInput[] = [];
  if (filter.state === 'open') out.push(quick.open);
  else if (filter.state !== 'all') out.push({ status: filter.state });
  if (filter.overdue) out.push(quick.overdue);
  if (filter.mine) out.push(mine);
  if (filter.unassigned) out.push({ assigneeId: null });
  return out;
}

/** The first characters of a description, whole characters (a Chinese character or an emoji is one). */
export function excerptOf(description: string): string {
  const letters = Array.from(description.replace(/\s+/gu, ' ').trim());
  return letters.length <= EXCERPT_LENGTH ? letters.join('') : `${letters.slice(0, EXCERPT_LENGTH).join('')}…`;
}

/** Longest query value read at all (a search is cut to SEARCH_MAX_LENGTH after). */
const MAX_QUERY_VALUE = 1000;

/** The first `max` UTF-16 units, never ending in half a character (which could not be stored). */
function cutText(text: string, max: number): string {
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * The filter and page from a GET form's query (`?state=new&overdue=1&q=漏水&page=2`): unknown
 * states fall back to `open`, flags are on when present with any value but "" or "0".
 */
export function parseTicketListQuery(query: Record<string, unknown>): { filter: TicketListFilter; page: number } {
  // A value that cannot be stored (a NUL, a lone surrogate) or is absurdly long is ignored, as
  // an unknown filter is: it would only fail the query.
  const text = (name: string): string => {
    const value = query[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typedText(first, MAX_QUERY_VALUE)?.trim() ?? '';
  };
  const flag = (name: string) => text(name) !== '' && text(name) !== '0';
  const state = text('state');
  const page = Number.parseInt(text('page'), 10);
  return {
    filter: {
      state: (TICKET_STATE_FILTERS as readonly string[]).includes(state) ? (state as TicketStateFilter) : 'open',
      areaId: text('area') || null,
      category: text('category') || null,
      overdue: flag('overdue'),
      mine: flag('mine'),
      unassigned: flag('unassigned'),
      q: cutText(text('q'), SEARCH_MAX_LENGTH),
    },
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/** An area of the filter bar. */
export interface AreaOption {
  id: string;
  name: string;
  path: string;
  depth: number;
}

/** What the filter bar offers: every area of the community (by path) and its categories. */
export async function listFilterOptions(db: Tx, communityId: string): Promise<{ areas: AreaOption[]; categories: readonly TicketCategory[] }> {
  const areas = await db.area.findMany({ where: { communityId }, orderBy: { path: 'asc' }, select: { id: true, name: true, path: true, depth: true } });
  const settings = await loadTicketSettings(db, communityId);
  return { areas, categories: settings.categories };
}
