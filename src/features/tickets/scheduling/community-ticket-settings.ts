/**
 * A community's ticket settings as the scheduling jobs read them: `Community.ticketSettings`
 * parsed with the rules' schema, the time zone defaulting to the community's own.
 */
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import { ticketSettingsSchema, type TicketSettings } from '../rules/settings.js';

export interface CommunityTicketContext {
  id: string;
  slug: string;
  name: string;
  defaultLocale: string;
  settings: TicketSettings;
}

/**
 * Reads the community and its settings. Settings that no longer parse (edited by hand) fall back to
 * the defaults with the community's time zone: a deadline reminder late is worse than one sent on
 * default rules. Throws when the community does not exist.
 */
export async function loadCommunityTicketContext(db: PrismaClient | Tx, communityId: string): Promise<CommunityTicketContext> {
  const community = await db.community.findUniqueOrThrow({
    where: { id: communityId },
    select: { id: true, slug: true, name: true, defaultLocale: true, timezone: true, ticketSettings: true },
  });
  const stored = isRecord(community.ticketSettings) ? community.ticketSettings : {};
  const parsed = ticketSettingsSchema.safeParse({ timezone: community.timezone, ...stored });
  const settings = parsed.success ? parsed.data : ticketSettingsSchema.parse({ timezone: community.timezone });
  return { id: community.id, slug: community.slug, name: community.name, defaultLocale: community.defaultLocale, settings };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
