/**
 * A community's ticket settings as stored (Community.ticketSettings, `{}` = the defaults), parsed
 * with the rules' schema. The time zone comes from the settings when they name one, else from the
 * community's own `timezone` column, so a community set up for another zone numbers and times
 * its tickets there without repeating it in the ticket settings.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { ticketSettingsSchema, type TicketSettings } from '../rules/settings.js';

/** The settings of `communityId`; throws when the community does not exist or its settings are invalid. */
export async function loadTicketSettings(db: Tx, communityId: string): Promise<TicketSettings> {
  const community = await db.community.findUniqueOrThrow({ where: { id: communityId }, select: { timezone: true, ticketSettings: true } });
  return parseTicketSettings(community.ticketSettings, community.timezone);
}

/** Parses stored settings, taking `communityTimezone` when they name no zone of their own. */
export function parseTicketSettings(stored: unknown, communityTimezone: string): TicketSettings {
  const object = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  return ticketSettingsSchema.parse({ timezone: communityTimezone, ...object });
}
