/**
 * The binding requests page: the requests the viewer may decide, waiting ones first, oldest first
 * (who asked first is answered first), each with what the person typed — name and address as
 * typed, the phone masked — the channel they asked on, when, and the household on the roster
 * they probably are. Paged: the page says how many there are in all.
 */
import type { Prisma, Tx } from '../../db/prisma-types.js';
import type { Actor } from '../../features/policy/actor.js';
import { can } from '../../features/policy/policy.js';
import { maskPhone } from '../../features/privacy/mask.js';
import { pageOf, type PageInfo } from '../people/paging.js';
import { inRequestScope, likelyHouseholds, requestDecideScope, type LikelyHousehold } from './request-scope.js';

/** Which requests: waiting, decided, or both (waiting first). */
export type RequestStatusFilter = 'pending' | 'decided' | 'all';
export const REQUEST_STATUS_FILTERS: readonly RequestStatusFilter[] = ['pending', 'decided', 'all'];

export type RequestStatus = 'pending' | 'approved' | 'rejected';

export interface RequestListItem {
  number: number;
  /** As the person typed them. */
  name: string;
  address: string;
  maskedPhone: string;
  channel: string;
  filedAt: Date;
  status: RequestStatus;
  decidedAt: Date | null;
  /** The household of the one person on the roster with this name and phone. */
  likely: LikelyHousehold | null;
}

export interface ListRequestsInput {
  communityId: string;
  actor: Actor;
  status: RequestStatusFilter;
  page?: number;
  now: Date;
}

export interface RequestList {
  status: RequestStatusFilter;
  requests: RequestListItem[];
  paging: PageInfo;
  /** False when the viewer may decide no request at all (not staff of any area). */
  mayDecide: boolean;
  /**
   * Whether the viewer may turn requests down: nothing tells where the person lives until a
   * household is chosen, so only staff of the whole community may (the identity feature's rule).
   */
  mayReject: boolean;
}

const requestSelect = {
  number: true,
  name: true,
  address: true,
  phone: true,
  status: true,
  createdAt: true,
  decidedAt: true,
  chatAccount: { select: { channel: true } },
} as const;

type RequestRow = Prisma.BindingRequestGetPayload<{ select: typeof requestSelect }>;

/** The requests the viewer may decide (see the file's comment). */
export async function listBindingRequests(db: Tx, input: ListRequestsInput): Promise<RequestList> {
  const { communityId, actor, now } = input;
  const scope = await requestDecideScope(db, actor, communityId, now);
  if (scope.kind === 'none') {
    const { skip: _skip, ...paging } = pageOf(0, 1);
    return { status: input.status, requests: [], paging, mayDecide: false, mayReject: false };
  }
  const segments = segmentsOf(communityId, input.status);
  let rows: RequestRow[];
  let paging: PageInfo;
  if (scope.kind === 'all') {
    // Counted and paged in the database: every request of the community is in scope.
    // One after another: `db` may be a transaction, which runs one statement at a time.
    const counts: number[] = [];
    for (const where of segments) counts.push(await db.bindingRequest.count({ where }));
    const { skip, ...page } = pageOf(counts.reduce((a, b) => a + b, 0), input.page ?? 1);
    paging = page;
    rows = [];
    let offset = skip;
    for (const [index, where] of segments.entries()) {
      const count = counts[index]!;
      if (offset >= count) {
        offset -= count;
        continue;
      }
      const take = page.pageSize - rows.length;
      if (take <= 0) break;
      rows.push(...(await db.bindingRequest.findMany({ where, orderBy: [{ createdAt: 'asc' }, { number: 'asc' }], skip: offset, take, select: requestSelect })));
      offset = 0;
    }
  } else {
    // A steward: only requests whose phone someone in their areas has can be theirs; the
    // roster match below decides (the same person's name too, and no one else with both).
    const phones = await db.resident.findMany({
      where: { communityId, phone: { not: null }, household: { areaId: { in: [...scope.areaIds] } } },
      select: { phone: true },
      distinct: ['phone'],
    });
    const candidates: RequestRow[] = [];
    for (const where of segments) {
      candidates.push(
        ...(await db.bindingRequest.findMany({
          where: { ...where, phone: { in: phones.map((row) => row.phone!) } },
          orderBy: [{ createdAt: 'asc' }, { number: 'asc' }],
          select: requestSelect,
        })),
      );
    }
    const likely = await likelyHouseholds(db, communityId, candidates);
    const mine = candidates.filter((row) => inRequestScope(scope, likely.get(row.number) ?? null));
    const { skip, ...page } = pageOf(mine.length, input.page ?? 1);
    paging = page;
    rows = mine.slice(skip, skip + page.pageSize);
  }
  const likely = await likelyHouseholds(db, communityId, rows);
  return {
    status: input.status,
    requests: rows.map((row) => toItem(row, likely.get(row.number) ?? null)),
    paging,
    mayDecide: true,
    mayReject: can(actor, 'binding.approve', { communityId, areaIds: [] }, { now }),
  };
}

/** The filter as where-clauses, in the order they are listed: waiting before decided. */
function segmentsOf(communityId: string, status: RequestStatusFilter): Prisma.BindingRequestWhereInput[] {
  const pending = { communityId, status: 'pending' };
  const decided = { communityId, status: { in: ['approved', 'rejected'] } };
  if (status === 'pending') return [pending];
  if (status === 'decided') return [decided];
  return [pending, decided];
}

export type OneRequest =
  | { status: 'found'; request: RequestListItem; mayReject: boolean }
  /** No such request, or one the viewer may not decide (the page does not say which). */
  | { status: 'not_found' };

/** One request by its number, for its own page, if the viewer may decide it. */
export async function loadBindingRequest(db: Tx, input: { communityId: string; actor: Actor; number: number; now: Date }): Promise<OneRequest> {
  const { communityId, actor, now } = input;
  if (!Number.isSafeInteger(input.number)) return { status: 'not_found' };
  const scope = await requestDecideScope(db, actor, communityId, now);
  if (scope.kind === 'none') return { status: 'not_found' };
  const row = await db.bindingRequest.findUnique({ where: { communityId_number: { communityId, number: input.number } }, select: requestSelect });
  if (!row) return { status: 'not_found' };
  const likely = (await likelyHouseholds(db, communityId, [row])).get(row.number) ?? null;
  if (!inRequestScope(scope, likely)) return { status: 'not_found' };
  return { status: 'found', request: toItem(row, likely), mayReject: can(actor, 'binding.approve', { communityId, areaIds: [] }, { now }) };
}

function toItem(row: RequestRow, likely: LikelyHousehold | null): RequestListItem {
  return {
    number: row.number,
    name: row.name,
    address: row.address,
    maskedPhone: maskPhone(row.phone),
    channel: row.chatAccount.channel,
    filedAt: row.createdAt,
    status: row.status as RequestStatus,
    decidedAt: row.decidedAt,
    likely,
  };
}

/** The list's filter as typed in the address (`?status=`); anything else is the waiting ones. */
export function requestStatusFilter(typed: unknown): RequestStatusFilter {
  return REQUEST_STATUS_FILTERS.find((status) => status === typed) ?? 'pending';
}

/** A request's number as in the address (`/staff/requests/17`); null for anything but a whole number from 1. */
export function requestNumber(typed: string): number | null {
  if (!/^\d{1,9}$/.test(typed)) return null;
  const number = Number(typed);
  return number >= 1 ? number : null;
}
