/**
 * Finding the household a binding request's person lives in, from the request's page: households
 * by a member's name, an address, a code or a phone's last digits (the roster search's rules),
 * those the viewer may view (`household.view`). Members are shown masked (the surname, the phone's
 * last four): enough to recognise "王, ending 1234" on the phone with the person, not to look
 * anyone up. Each household says whether the viewer may approve a request into it.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { Actor } from '../../features/policy/actor.js';
import { maskName } from '../../features/privacy/mask.js';
import { householdViewWhere } from '../people/household-scope.js';
import { pageOf, type PageInfo } from '../people/paging.js';
import { householdMatchWhere, MIN_PHONE_DIGITS, parseRosterQuery, phoneEnding } from '../people/roster-query.js';
import { requestDecideScope } from './request-scope.js';

export interface RosterSearchInput {
  communityId: string;
  actor: Actor;
  q: string | null | undefined;
  page?: number;
  now: Date;
}

export interface RosterCandidate {
  code: string;
  address: string;
  areaPath: string;
  members: { maskedName: string; phoneEnding: string | null }[];
  /** Whether the viewer may approve a request into this household (`binding.approve`). */
  mayApprove: boolean;
}

export type RosterSearch =
  | { status: 'empty'; q: string }
  | { status: 'too_short'; q: string; minDigits: number }
  | { status: 'none_visible'; q: string }
  | { status: 'found'; q: string; households: RosterCandidate[]; paging: PageInfo };

/** Households for a request's approval (see the file's comment). */
export async function searchRosterForRequest(db: Tx, input: RosterSearchInput): Promise<RosterSearch> {
  const { communityId, actor, now } = input;
  const q = (input.q ?? '').trim();
  const query = parseRosterQuery(q);
  if (query.kind === 'empty') return { status: 'empty', q };
  if (query.kind === 'too_short') return { status: 'too_short', q, minDigits: MIN_PHONE_DIGITS };
  const scope = await householdViewWhere(db, actor, communityId, now);
  if (!scope) return { status: 'none_visible', q };
  const where = { AND: [scope, householdMatchWhere(query)!] };
  const total = await db.household.count({ where });
  const { skip, ...paging } = pageOf(total, input.page ?? 1);
  const rows = await db.household.findMany({
    where,
    orderBy: { code: 'asc' },
    skip,
    take: paging.pageSize,
    select: {
      code: true,
      address: true,
      areaId: true,
      area: { select: { path: true } },
      residents: { orderBy: { position: 'asc' }, select: { name: true, phone: true } },
    },
  });
  // Approving into a household is `binding.approve` with the household's area: the same scope
  // the request list reads, asked once rather than per household.
  const decides = await requestDecideScope(db, actor, communityId, now);
  const households = rows.map(
    (row): RosterCandidate => ({
      code: row.code,
      address: row.address,
      areaPath: row.area.path,
      members: row.residents.map((member) => ({ maskedName: maskName(member.name), phoneEnding: phoneEnding(member.phone) })),
      mayApprove: decides.kind === 'all' || (decides.kind === 'areas' && decides.areaIds.has(row.areaId)),
    }),
  );
  return { status: 'found', q, households, paging };
}
