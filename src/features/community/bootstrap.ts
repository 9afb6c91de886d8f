/**
 * The first start creates the community this deployment serves (the embedded default needs no
 * setup). Later starts find it by its slug; the time zone, default language and office phone
 * follow the configuration, the name stays as staff set it.
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import type { CommunityInfo } from '../../conversation/conversation-service.js';

export interface CommunitySettings {
  slug: string;
  /** Used only when the community is created. */
  name: string;
  timezone: string;
  defaultLocale: string;
  officePhone?: string | undefined;
}

export async function ensureCommunity(prisma: PrismaClient, settings: CommunitySettings): Promise<CommunityInfo> {
  const community = await prisma.community.upsert({
    where: { slug: settings.slug },
    create: {
      slug: settings.slug,
      name: settings.name,
      timezone: settings.timezone,
      defaultLocale: settings.defaultLocale,
      officePhone: settings.officePhone ?? null,
    },
    update: {
      timezone: settings.timezone,
      defaultLocale: settings.defaultLocale,
      ...(settings.officePhone ? { officePhone: settings.officePhone } : {}),
    },
  });
  return {
    id: community.id,
    name: community.name,
    officePhone: community.officePhone,
    defaultLocale: community.defaultLocale,
  };
}
