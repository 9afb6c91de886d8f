/**
 * "需要帮助" under an alert: an urgent ticket for the presser's household, filed by the presser
 * through the ticket service's one `fileTicket` (its number, routing, due times, the staff
 * inbox's card and `ticket.changed`), in the answer's transaction. Urgent means the community's
 * public-safety category when it keeps one — round the clock, the shortest first response of the
 * defaults, routed to the area's patrol — else the catch-all category; the description names the
 * alert so staff see at once what the household answered.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Actor } from '../../policy/actor.js';
import { FALLBACK_CATEGORY_CODE } from '../../tickets/rules/categories.js';
import { fileTicket, type FiledTicket } from '../../tickets/service/file-ticket.js';
import type { TicketServiceDeps } from '../../tickets/service/ticket-service-deps.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';

/** The category an alert's call for help is filed under, when the community keeps it. */
export const HELP_CATEGORY = 'public_security';

export interface HelpTicketInput {
  communityId: string;
  actor: Actor & { kind: 'person' };
  householdId: string;
  noticeNumber: string;
  /** The community's language: staff read the description. */
  locale: string;
  at: Date;
}

export async function fileHelpTicket(tx: Tx, deps: TicketServiceDeps, translator: Translator, input: HelpTicketInput): Promise<FiledTicket> {
  const settings = await loadTicketSettings(tx, input.communityId);
  const category = settings.categories.some((c) => c.code === HELP_CATEGORY) ? HELP_CATEGORY : FALLBACK_CATEGORY_CODE;
  return fileTicket(tx, deps, {
    communityId: input.communityId,
    actor: input.actor,
    householdId: input.householdId,
    kind: 'complaint',
    category,
    description: translator.t(input.locale, 'notices.answered.help_ticket_description', { number: input.noticeNumber }),
    // The press's reply tells the resident the number and the emergency lines.
    filerAnsweredInChat: true,
    at: input.at,
  });
}
