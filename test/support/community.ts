/**
 * A community of its own for a test, written straight into the database. Every call gets a
 * fresh slug, so test files and tests can share one database; the rest are the defaults a new
 * installation has (China Standard Time, Chinese first, no office phone, default ticket
 * settings) unless the test says otherwise.
 *
 *   const { id: communityId } = await seedCommunity(db.prisma);
 *   await seedCommunity(db.prisma, { name: '团结路社区', officePhone: '0991-1234567' });
 */
import { randomBytes } from 'node:crypto';
import type { Prisma, PrismaClient, Tx } from '../../src/db/prisma-types.js';

export const TEST_COMMUNITY_NAME = '测试社区';

export interface CommunityOptions {
  /** Shown to residents in greetings and texts. Default 测试社区. */
  name?: string;
  /** The whole slug, for a test that looks the row up by it; default `c-<random>`. */
  slug?: string;
  /** IANA time zone; default the schema's (Asia/Shanghai). */
  timezone?: string;
  /** Language for people who have not chosen one; default the schema's (zh-CN). */
  defaultLocale?: string;
  /** The office number offered when the bot cannot help; default none. */
  officePhone?: string | null;
  /** The community's ticket settings; default {} (the built-in ones). */
  ticketSettings?: object;
}

/** Creates the community (in a transaction when given one) and returns its row. */
export async function seedCommunity(prisma: PrismaClient | Tx, options: CommunityOptions = {}): Promise<Prisma.CommunityModel> {
  return prisma.community.create({
    data: {
      slug: options.slug ?? `c-${randomBytes(5).toString('hex')}`,
      name: options.name ?? TEST_COMMUNITY_NAME,
      ...(options.timezone ? { timezone: options.timezone } : {}),
      ...(options.defaultLocale ? { defaultLocale: options.defaultLocale } : {}),
      officePhone: options.officePhone ?? null,
      ...(options.ticketSettings ? { ticketSettings: options.ticketSettings as Prisma.InputJsonObject } : {}),
    },
  });
}
