/**
 * What staff type into the inbox's search box: a ticket number in any form people use —
 * `MQ-2026-00123`, `2026-00123` (this community's prefix), `123` or `#123` (this local year) —
 * or words to find in the description, the place or the area (each word must appear somewhere,
 * any case; Chinese is matched as substrings, so 漏水 finds 厨房漏水). A number is looked for as
 * a number and as words at once: "123" may as well be a room in a description.
 */
import type { Prisma, Tx } from '../../db/prisma-types.js';
import { localYear } from '../../features/tickets/rules/local-time.js';
import { formatTicketNumber, normaliseTicketText, parseTicketNumber, type TicketNumberContext } from '../../features/tickets/rules/ticket-number.js';
import { loadTicketSettings } from '../../features/tickets/service/ticket-settings-store.js';

/** Longest search text taken (longer input is cut): a search box, not a document. */
export const SEARCH_MAX_LENGTH = 100;
/** At most this many words are matched (each one a condition). */
const MAX_WORDS = 8;

/** `2026-00123`: a year and a sequence with a separator, for the community's own prefix. */
const YEAR_AND_SEQ = /^#?\s*(\d{4})[\s\-_/.]+(\d{1,9})$/;

export interface ParsedSearch {
  /** The canonical ticket number the text names, if it names one. */
  number: string | null;
  /** The words to find (empty when the text is blank). */
  words: string[];
}

/** Reads the search text. */
export function parseTicketSearch(input: string, context: TicketNumberContext): ParsedSearch {
  const text = input.trim().slice(0, SEARCH_MAX_LENGTH);
  if (text === '') return { number: null, words: [] };
  return { number: numberIn(text, context), words: text.split(/\s+/u).filter((w) => w !== '').slice(0, MAX_WORDS) };
}

/** The search as a Prisma `where` on Ticket; null for a blank search. */
export function ticketSearchWhere(search: ParsedSearch): Prisma.TicketWhereInput | null {
  if (search.number === null && search.words.length === 0) return null;
  const byWords: Prisma.TicketWhereInput = {
    AND: search.words.map(likeLiteral).map((word) => ({
      OR: [
        { description: { contains: word, mode: 'insensitive' as const } },
        { placeText: { contains: word, mode: 'insensitive' as const } },
        { area: { path: { contains: word, mode: 'insensitive' as const } } },
      ],
    })),
  };
  return search.number === null ? byWords : { OR: [{ number: search.number }, byWords] };
}

/**
 * A word as LIKE reads it literally: Prisma's `contains` passes `%` and `_` on as wildcards, so a
 * search for "%" would match everything. The roster search uses it too.
 */
export function likeLiteral(word: string): string {
  return word.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The canonical number a typed text names, in any of the forms above; null when it names none. */
export function typedTicketNumber(text: string, context: TicketNumberContext): string | null {
  return numberIn(text.trim(), context);
}

/** The ticket a typed number names in the community (the merge field, an address); null when none. */
export async function findTicketByTypedNumber(db: Tx, communityId: string, typed: string, now: Date): Promise<{ id: string; number: string } | null> {
  const settings = await loadTicketSettings(db, communityId);
  const number = typedTicketNumber(typed.slice(0, SEARCH_MAX_LENGTH), { defaultPrefix: settings.numberPrefix, currentYear: localYear(now, settings.timezone) });
  if (number === null) return null;
  return db.ticket.findUnique({ where: { communityId_number: { communityId, number } }, select: { id: true, number: true } });
}

function numberIn(text: string, context: TicketNumberContext): string | null {
  const parsed = parseTicketNumber(text, context);
  const yearForm = parsed ? null : YEAR_AND_SEQ.exec(normaliseTicketText(text));
  try {
    if (parsed) return formatTicketNumber(parsed.prefix, parsed.year, parsed.seq);
    if (yearForm) return formatTicketNumber(context.defaultPrefix, Number(yearForm[1]), Number(yearForm[2]));
  } catch {
    // A year or sequence no ticket can have: not a number, just words.
  }
  return null;
}
