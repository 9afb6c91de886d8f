/**
 * Notice numbers a person can read aloud: `TZ-2026-00042` (通知), per community and local year,
 * like the tickets' (`formatTicketNumber`), from the tickets' counter under a key of their own
 * (a ticket prefix is 2–4 capital letters, so `notice:TZ` can never be one).
 */
import { formatTicketNumber } from '../../tickets/rules/ticket-number.js';

export const NOTICE_NUMBER_PREFIX = 'TZ';
/** The counter row's key in `TicketCounter.prefix`. */
export const NOTICE_COUNTER_KEY = `notice:${NOTICE_NUMBER_PREFIX}`;

/** `formatNoticeNumber(2026, 42)` → `TZ-2026-00042`. */
export function formatNoticeNumber(year: number, seq: number): string {
  return formatTicketNumber(NOTICE_NUMBER_PREFIX, year, seq);
}
