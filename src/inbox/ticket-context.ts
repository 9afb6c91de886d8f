/**
 * What the inbox reads about its community once per change or action: the default language (the
 * staff chat is shared, so cards and lines are in the community's language) and the ticket
 * settings (for numbers, category names and the clock).
 */
import type { Tx } from '../db/prisma-types.js';
import { localYear } from '../features/tickets/rules/local-time.js';
import type { TicketSettings } from '../features/tickets/rules/settings.js';
import type { TicketNumberContext } from '../features/tickets/rules/ticket-number.js';
import { loadTicketSettings, TicketWords } from '../features/tickets/service/index.js';
import type { Translator } from '../i18n/translator.js';

/** The community as the inbox needs it. */
export interface InboxCommunity {
  id: string;
  defaultLocale: string;
  settings: TicketSettings;
}

/** Reads the community's language and ticket settings. */
export async function loadInboxCommunity(db: Tx, communityId: string): Promise<InboxCommunity> {
  const row = await db.community.findUniqueOrThrow({ where: { id: communityId }, select: { id: true, defaultLocale: true } });
  return { id: row.id, defaultLocale: row.defaultLocale, settings: await loadTicketSettings(db, communityId) };
}

/** What a short ticket number (`#123`) stands for at `now`. */
export function numberContext(community: InboxCommunity, now: Date): TicketNumberContext {
  return { defaultPrefix: community.settings.numberPrefix, currentYear: localYear(now, community.settings.timezone) };
}

/** Ticket words (category, kind, status, dates) in `locale` on the community's clock. */
export function wordsFor(translator: Translator, community: InboxCommunity, locale: string): TicketWords {
  return new TicketWords(translator, locale, community.settings.timezone);
}

/** How staff type the ticket in a command: `#123` for this year's tickets, else the full number. */
export function shortReference(community: InboxCommunity, ticket: { number: string; year: number; seq: number }, now: Date): string {
  const context = numberContext(community, now);
  return ticket.year === context.currentYear && ticket.number.startsWith(`${context.defaultPrefix}-`) ? `#${ticket.seq}` : ticket.number;
}
