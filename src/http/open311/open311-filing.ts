/**
 * Filing from an Open311 POST: another system (a city hotline, a partner app) reports a problem
 * at a place. The ticket is filed by an API client actor — no resident, no household — so it is
 * routed by category alone, shows up in the staff chats like any other, and the filer is told
 * its number and when a first answer is due. Contact fields of the request (email, names, phone,
 * device and account ids) are not kept, and `media_url` is not fetched: the community collects
 * the least personal data, and the server never follows a URL a client gave it.
 */
import { finishCommitted, transactionWithAfterCommit } from '../../db/after-commit.js';
import type { PrismaClient } from '../../db/prisma-types.js';
import type { OutboxDispatcher } from '../../outbox/outbox.js';
import type { CreatedRequest } from '../../features/tickets/open311/requests.js';
import { fileTicket } from '../../features/tickets/service/file-ticket.js';
import type { TicketServiceDeps } from '../../features/tickets/service/ticket-service-deps.js';
import { loadTicketSettings } from '../../features/tickets/service/ticket-settings-store.js';
import { TicketWords } from '../../features/tickets/service/ticket-words.js';
import type { Open311Filing, Open311RequestInput } from './open311-routes.js';

export interface Open311FilingDeps {
  prisma: PrismaClient;
  tickets: TicketServiceDeps;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
}

export function open311Filing(deps: Open311FilingDeps): Open311Filing {
  return async (communityId: string, input: Open311RequestInput, key: number): Promise<CreatedRequest> => {
    const committed = await transactionWithAfterCommit(deps.prisma, async (tx) => {
      const filed = await fileTicket(tx, deps.tickets, {
        communityId,
        actor: { kind: 'api_client', communityId, key },
        householdId: null,
        kind: 'complaint',
        category: input.serviceCode,
        description: input.description,
        place: { text: input.addressString, latitude: input.lat, longitude: input.long },
      });
      const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { defaultLocale: true } });
      const settings = await loadTicketSettings(tx, communityId);
      return { filed, locale: community.defaultLocale, timezone: settings.timezone };
    });
    const { filed, locale, timezone } = committed.value;
    await finishCommitted(committed, deps.outbox, filed.rows);
    const words = new TicketWords(deps.tickets.translator, locale, timezone);
    return {
      serviceRequestId: filed.number,
      serviceNotice: words.t('tickets.open311.service_notice', {
        number: filed.number,
        expect: words.expectedAnswer(filed.firstResponse.duration, filed.firstResponse.businessHours, filed.due.firstResponseDue),
      }),
      accountId: null,
    };
  };
}
