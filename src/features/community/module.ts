/**
 * The community module. The community row itself is made before any module is installed
 * (`ensureConfiguredCommunity`: every module's context names it); the roster and the demo are
 * reached from the command line (src/cli/), so installed in the app it adds nothing yet.
 */
import type { Config } from '../../config/config.js';
import type { PrismaClient } from '../../db/prisma-types.js';
import type { Translator } from '../../i18n/translator.js';
import type { FeatureModule } from '../../modules/index.js';
import { ensureCommunity } from './bootstrap.js';

/** The configured community (COMMUNITY_SLUG…), made on first start and updated from the configuration. */
export function ensureConfiguredCommunity(prisma: PrismaClient, config: Config, translator: Translator) {
  return ensureCommunity(prisma, {
    slug: config.COMMUNITY_SLUG,
    name: config.COMMUNITY_NAME ?? translator.t(config.DEFAULT_LOCALE, 'community.default_name'),
    timezone: config.COMMUNITY_TIMEZONE,
    defaultLocale: config.DEFAULT_LOCALE,
    officePhone: config.COMMUNITY_OFFICE_PHONE,
  });
}

export const community: FeatureModule = {
  name: 'community',
  install: () => ({}),
};
