/**
 * Finds a ticket by what a person typed: the full number in any spelling (`mq2026123`,
 * `ＭＱ－２０２６－００１２３`) or the short form `#123` (this local year, the community's prefix).
 * Only finds; whether the person may see it is the caller's check.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { localYear } from '../rules/local-time.js';
import { formatTicketNumber, parseTicketNumber } from '../rules/ticket-number.js';
import { loadTicketSettings } from './ticket-settings-store.js';

/** The ticket's id and canonical number, or null when the text is no number or no such ticket exists. */
export async function findTicketByNumber(db: Tx, communityId: string, typed: string, now: Date): Promise<{ id: string; number: string } | null> {
  const settings = await loadTicketSettings(db, communityId);
  const parsed = parseTicketNumber(typed, { defaultPrefix: settings.numberPrefix, currentYear: localYear(now, settings.timezone) });
  if (!parsed) return null;
  let number: string;
  try {
    number = formatTicketNumber(parsed.prefix, parsed.year, parsed.seq);
  } catch {
    return null;
  }
  return db.ticket.findUnique({ where: { communityId_number: { communityId, number } }, select: { id: true, number: true } });
}
