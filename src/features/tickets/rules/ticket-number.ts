/**
 * Ticket numbers a person can read aloud and type: `MQ-2026-00123`.
 *
 * - `<prefix>-<year>-<seq>`: the prefix is 2–4 capital letters (MQ for 民情, the mailbox), the year
 *   is the community's local year when the ticket was filed, the sequence starts at 1 each year
 *   per prefix and is zero-padded to five digits; it simply grows past 99999 (`MQ-2026-123456`).
 * - Parsing is lenient with what people type: any case, full-width characters (ＭＱ－２０２６),
 *   other dashes (—, –, −, ー), spaces or no separators at all, a leading `#` or `＃`, padding
 *   zeros or none.
 * - The short form `#123` (or bare `123` when the whole input is a ticket number) means ticket 123
 *   of the current local year with the community's prefix. Staff replying to last year's ticket in
 *   early January must type the full number; whoever acts on a short form echoes the full number
 *   back so a wrong target is seen at once.
 */

/** 2–4 capital ASCII letters. */
export const TICKET_PREFIX_PATTERN = /^[A-Z]{2,4}$/;
/** Sequences are padded to at least this many digits. */
export const SEQUENCE_MIN_DIGITS = 5;
/** Nine digits: far beyond any community, small enough to stay an exact integer. */
export const SEQUENCE_MAX = 999_999_999;
const YEAR_MIN = 2000;
const YEAR_MAX = 9999;

export interface TicketNumber {
  prefix: string;
  year: number;
  seq: number;
}

export interface ParsedTicketNumber extends TicketNumber {
  /** `short` when the prefix and year were taken from the context. */
  form: 'full' | 'short';
}

/** What a short form stands for: the community's prefix and today's local year. */
export interface TicketNumberContext {
  defaultPrefix: string;
  currentYear: number;
}

/** `formatTicketNumber('MQ', 2026, 123)` → `MQ-2026-00123`. Throws on values no ticket can have. */
export function formatTicketNumber(prefix: string, year: number, seq: number): string {
  if (!TICKET_PREFIX_PATTERN.test(prefix)) throw new RangeError(`ticket prefix must be 2–4 capital letters, got ${JSON.stringify(prefix)}`);
  if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX) throw new RangeError(`ticket year out of range: ${year}`);
  if (!Number.isInteger(seq) || seq < 1 || seq > SEQUENCE_MAX) throw new RangeError(`ticket sequence out of range: ${seq}`);
  return `${prefix}-${year}-${String(seq).padStart(SEQUENCE_MIN_DIGITS, '0')}`;
}

/** The canonical text of a number (the form stored and shown). */
export function ticketNumberText(number: TicketNumber): string {
  return formatTicketNumber(number.prefix, number.year, number.seq);
}

const SEPARATOR = '[\\s\\-_/.]*';
const FULL_BODY = `([A-Z]{2,4})${SEPARATOR}(\\d{4})${SEPARATOR}(\\d{1,9})`;
const SHORT_BODY = '(\\d{1,9})';
const WHOLE_FULL = new RegExp(`^#?\\s*${FULL_BODY}$`);
const WHOLE_SHORT = new RegExp(`^#?\\s*${SHORT_BODY}$`);
// In running text a short form needs its `#` ("3号楼漏水" is not ticket 3), and a number must not
// run on into more letters or digits; Chinese text may follow without a space ("#123已处理").
const LEADING_FULL = new RegExp(`^#?\\s*${FULL_BODY}(?![0-9A-Z])`);
const LEADING_SHORT = new RegExp(`^#\\s*${SHORT_BODY}(?![0-9A-Z])`);

/**
 * Reads a ticket number that is the whole input (a reply to "which ticket?", a search box).
 * Returns null for anything that is not one, including sequence 0 and impossible years.
 */
export function parseTicketNumber(input: string, context: TicketNumberContext): ParsedTicketNumber | null {
  const text = normaliseTicketText(input);
  const full = WHOLE_FULL.exec(text);
  if (full) return fullNumber(full[1]!, full[2]!, full[3]!);
  const short = WHOLE_SHORT.exec(text);
  if (short) return shortNumber(short[1]!, context);
  return null;
}

/**
 * Reads a ticket reference at the start of a message — how staff in a WeChat room address a
 * ticket: `#MQ-2026-00123 已派人` or `#123 已派人`. Returns the number and the rest of the
 * message (leading spaces and one `:`/`，`-like separator removed), or null.
 */
export function parseLeadingTicketReference(message: string, context: TicketNumberContext): { number: ParsedTicketNumber; rest: string } | null {
  // Normalise only the head so the rest keeps the writer's own characters.
  const head = message.trimStart();
  const probe = normaliseTicketText(head.slice(0, 40));
  const full = LEADING_FULL.exec(probe);
  const short = full ? null : LEADING_SHORT.exec(probe);
  const match = full ?? short;
  if (!match) return null;
  const number = full ? fullNumber(full[1]!, full[2]!, full[3]!) : shortNumber(short![1]!, context);
  if (!number) return null;
  const consumed = headLengthFor(head, match[0].length);
  const rest = head.slice(consumed).replace(/^[\s:：,，、]+/, '').trimEnd();
  return { number, rest };
}

/**
 * Full-width to ASCII (NFKC), every dash-like character to `-`, capitals, trimmed. Each code point
 * becomes exactly one character (one that would become several, like a ligature or an emoji,
 * becomes a placeholder), so positions in the result line up with the input's code points.
 */
export function normaliseTicketText(input: string): string {
  return Array.from(input)
    .map((ch) => {
      const folded = ch.normalize('NFKC');
      const mapped = DASHES.test(folded) ? '-' : folded.toUpperCase();
      // Keep one character per code point (a ligature or emoji becomes a placeholder).
      return mapped.length === 1 ? mapped : '\u0000';
    })
    .join('')
    .trim();
}

const DASHES = /^[\u2010-\u2015\u2212\u2E3A\u2E3B\u30FC\uFE58\uFE63]$/;

function fullNumber(prefix: string, year: string, seq: string): ParsedTicketNumber | null {
  const y = Number(year);
  const s = Number(seq);
  if (y < YEAR_MIN || s < 1) return null;
  return { prefix, year: y, seq: s, form: 'full' };
}

function shortNumber(seq: string, context: TicketNumberContext): ParsedTicketNumber | null {
  const s = Number(seq);
  if (s < 1) return null;
  return { prefix: context.defaultPrefix, year: context.currentYear, seq: s, form: 'short' };
}

/**
 * How many UTF-16 units of `head` correspond to `normalisedLength` characters of its normalised
 * form: normaliseTicketText keeps one output character per code point, and `head` has no leading
 * space for it to trim.
 */
function headLengthFor(head: string, normalisedLength: number): number {
  let units = 0;
  let count = 0;
  for (const ch of head) {
    if (count === normalisedLength) break;
    units += ch.length;
    count += 1;
  }
  return units;
}
