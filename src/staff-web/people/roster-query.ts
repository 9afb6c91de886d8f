/**
 * What staff type into a roster search box, understood one way for every search (the roster
 * page and a binding request's household search): a member's name, an address or a household
 * code (any part of them), or — digits typed alone — the last digits of a member's phone. Two
 * digits or fewer match a tenth of the community and say nothing: such a query is refused as
 * too short rather than answered with noise. Only three or four digits search phones — what the
 * masked number shows anyway: matching longer endings would let a few dozen searches rebuild a
 * hidden number digit by digit without the audited reveal. Everything typed is matched
 * literally (`%` and `_` are not wildcards).
 */
import type { Prisma } from '../../db/prisma-types.js';
import { likeLiteral } from '../inbox/ticket-search.js';

/** Fewest digits that search phones: "the number ending 5678" is said with three or four. */
export const MIN_PHONE_DIGITS = 3;
/** Most digits that search phones: the masked number shows its last four, and no more. */
export const MAX_PHONE_DIGITS = 4;
/** Longest query kept (a pasted paragraph is cut, not searched whole). */
const MAX_QUERY = 50;

export type RosterQuery =
  | { kind: 'empty' }
  /** Digits only, fewer than MIN_PHONE_DIGITS. */
  | { kind: 'too_short'; typed: string }
  | { kind: 'digits'; digits: string }
  | { kind: 'text'; text: string };

/** The typed text, understood. Full-width digits count as digits; spaces and dashes between digits are dropped. */
export function parseRosterQuery(typed: string | null | undefined): RosterQuery {
  const text = [...(typed ?? '').replace(/\s+/g, ' ').trim()].slice(0, MAX_QUERY).join('');
  if (text === '') return { kind: 'empty' };
  const ascii = text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
  if (/^[\d\s\-－]+$/.test(ascii)) {
    const digits = ascii.replace(/\D/g, '');
    return digits.length < MIN_PHONE_DIGITS ? { kind: 'too_short', typed: text } : { kind: 'digits', digits };
  }
  return { kind: 'text', text };
}

/** The households a searchable query matches (null for an empty or too short one: it matches nothing). */
export function householdMatchWhere(query: RosterQuery): Prisma.HouseholdWhereInput | null {
  switch (query.kind) {
    case 'empty':
    case 'too_short':
      return null;
    case 'digits':
      // A room number (101) or a code with digits is also digits only: those match too. Longer
      // runs of digits are a room or a code, never a phone (see the file's comment).
      return {
        OR: [
          ...(query.digits.length <= MAX_PHONE_DIGITS ? [{ residents: { some: { phone: { endsWith: query.digits } } } }] : []),
          { address: { contains: query.digits } },
          { code: { contains: query.digits, mode: 'insensitive' } },
        ],
      };
    case 'text': {
      const text = likeLiteral(query.text);
      return {
        OR: [
          { residents: { some: { name: { contains: text, mode: 'insensitive' } } } },
          { address: { contains: text, mode: 'insensitive' } },
          { code: { contains: text, mode: 'insensitive' } },
        ],
      };
    }
  }
}

/** A phone's last four digits, as staff confirm a number on the phone ("ending 5678"); null without one. */
export function phoneEnding(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length > 4 ? digits.slice(-4) : null;
}
