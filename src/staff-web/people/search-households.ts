/**
 * The roster search of the staff console: households by a member's name, an address, a code or
 * the last digits of a member's phone, only those the viewer may view (`household.view`), paged.
 * Names are shown as the staff chat shows them; phones masked (the full number is the audited
 * reveal's).
 */
import type { Tx } from '../../db/prisma-types.js';
import { HOUSEHOLD_FLAGS, type HouseholdFlag } from '../../features/community/vocabulary.js';
import type { Actor } from '../../features/policy/actor.js';
import { maskPhone } from '../../features/privacy/mask.js';
import { householdViewWhere } from './household-scope.js';
import { pageOf, type PageInfo } from './paging.js';
import { householdMatchWhere, MIN_PHONE_DIGITS, parseRosterQuery } from './roster-query.js';

export interface HouseholdSearchInput {
  communityId: string;
  actor: Actor;
  /** As typed in the search box. */
  q: string | null | undefined;
  /** 1-based; past the end shows the last page. */
  page?: number;
  now: Date;
}

/** One household as a search result shows it. */
export interface HouseholdSummary {
  code: string;
  address: string;
  areaPath: string;
  flags: HouseholdFlag[];
  members: { name: string; maskedPhone: string | null }[];
}

export type HouseholdSearch =
  /** Nothing typed yet. */
  | { status: 'empty'; q: string }
  /** Digits alone, too few to search phones by. */
  | { status: 'too_short'; q: string; minDigits: number }
  /** The viewer may view no household at all (a steward set up without an area). */
  | { status: 'none_visible'; q: string }
  | { status: 'found'; q: string; households: HouseholdSummary[]; paging: PageInfo };

/** Searches the households the viewer may view (see the file's comment). */
export async function searchHouseholds(db: Tx, input: HouseholdSearchInput): Promise<HouseholdSearch> {
  const q = (input.q ?? '').trim();
  const query = parseRosterQuery(q);
  if (query.kind === 'empty') return { status: 'empty', q };
  if (query.kind === 'too_short') return { status: 'too_short', q, minDigits: MIN_PHONE_DIGITS };
  const scope = await householdViewWhere(db, input.actor, input.communityId, input.now);
  if (!scope) return { status: 'none_visible', q };
  const where = { AND: [scope, householdMatchWhere(query)!] };
  const total = await db.household.count({ where });
  const { skip, ...paging } = pageOf(total, input.page ?? 1);
  const rows = await db.household.findMany({
    where,
    orderBy: { code: 'asc' },
    skip,
    take: paging.pageSize,
    select: householdSummarySelect,
  });
  return { status: 'found', q, households: rows.map(toHouseholdSummary), paging };
}

/** What a summary reads of a household. */
export const householdSummarySelect = {
  code: true,
  address: true,
  flags: true,
  area: { select: { path: true } },
  residents: { orderBy: { position: 'asc' }, select: { name: true, phone: true } },
} as const;

type SummaryRow = {
  code: string;
  address: string;
  flags: string[];
  area: { path: string };
  residents: { name: string; phone: string | null }[];
};

export function toHouseholdSummary(row: SummaryRow): HouseholdSummary {
  return {
    code: row.code,
    address: row.address,
    areaPath: row.area.path,
    flags: knownFlags(row.flags),
    members: row.residents.map((member) => ({ name: member.name, maskedPhone: member.phone ? maskPhone(member.phone) : null })),
  };
}

/** The flags of the vocabulary, in its order (anything else stored is not shown). */
export function knownFlags(stored: readonly string[]): HouseholdFlag[] {
  return HOUSEHOLD_FLAGS.filter((flag) => stored.includes(flag));
}
