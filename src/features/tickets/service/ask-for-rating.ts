/**
 * Asks the resident, once per resolution, to rate it (1–5), say whether it was solved, and add a
 * comment if they like — by a message that tells them how to answer ("评价 MQ-2026-00123"), which
 * opens the rating conversation (flows/rate_ticket.yaml). No reminder ever follows. Called by the
 * transition effect `ask_rating` (so the staff side need not), and safe to call again: a
 * resolution already asked about is not asked again.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { kindIsRated, isTicketKind } from '../rules/kinds.js';
import { RATING_ASKED_EVENT } from './ticket-events.js';
import { writeTicketNotice } from './ticket-notices.js';
import { clockOf, type TicketServiceDeps } from './ticket-service-deps.js';
import { loadTicketSettings } from './ticket-settings-store.js';

/** Writes the rating question for the ticket's current resolution; no rows when there is nothing to ask. */
export async function askForRating(tx: Tx, deps: TicketServiceDeps, ticketId: string): Promise<QueuedOutboxRow[]> {
  const ticket = await tx.ticket.findUnique({
    where: { id: ticketId },
    select: { id: true, communityId: true, number: true, kind: true, status: true, reporterId: true, filedById: true, resolutionCount: true, ratedResolution: true },
  });
  if (!ticket || !isTicketKind(ticket.kind) || !kindIsRated(ticket.kind)) return [];
  if (ticket.status !== 'resolved' || ticket.ratedResolution >= ticket.resolutionCount) return [];
  const recipient = ticket.reporterId ?? ticket.filedById;
  if (!recipient) return [];
  const asked = await tx.ticketEvent.findMany({ where: { ticketId, kind: RATING_ASKED_EVENT }, select: { details: true } });
  if (asked.some((event) => (event.details as { resolution?: unknown }).resolution === ticket.resolutionCount)) return [];

  await tx.ticketEvent.create({
    data: { ticketId, kind: RATING_ASKED_EVENT, details: { resolution: ticket.resolutionCount }, createdAt: clockOf(deps) },
  });
  const settings = await loadTicketSettings(tx, ticket.communityId);
  return writeTicketNotice(tx, deps, settings, {
    residentId: recipient,
    ticketId,
    key: 'tickets.notice.rate',
    vars: () => ({ number: ticket.number }),
    commands: [{ labelKey: 'tickets.notice.rate_button', command: `/rate ${ticket.number}` }],
  });
}
