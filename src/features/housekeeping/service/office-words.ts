/** Housekeeping words in the office's language (the community's default), for what staff read on a booking's ticket. */
import type { Tx } from '../../../db/prisma-types.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';
import type { HousekeepingDeps } from './housekeeping-deps.js';
import { HousekeepingWords } from './housekeeping-words.js';

export async function officeWords(tx: Tx, deps: HousekeepingDeps, communityId: string): Promise<HousekeepingWords> {
  const settings = await loadTicketSettings(tx, communityId);
  const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { defaultLocale: true } });
  return new HousekeepingWords(deps.tickets.translator, community.defaultLocale, settings.timezone);
}
