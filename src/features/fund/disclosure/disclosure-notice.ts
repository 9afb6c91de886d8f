/**
 * The monthly disclosure as a notice of the archive (通知公告): a `Notice` of kind `disclosure`
 * (marked 【公开】 there, never expiring), from the system, addressed to the fund's area (its whole
 * subtree reads it), with the notice's first line as its title and the rest as its body, in the
 * community's language and every other one the app speaks — so a resident searching "基金" or
 * "收支" finds last month's accounts. Written in the transaction of the month's bulk send.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { writeSystemNotice } from '../../notices/archive/archived-notice-writer.js';

export interface DisclosureNoticeInput {
  communityId: string;
  fundAreaId: string;
  bulkSendId: string;
  sentAt: Date;
  timezone: string;
  defaultLocale: string;
  /** The languages the app speaks: each gets its version. */
  locales: readonly string[];
  /** The month's notice in one language (the text the bulk send carries). */
  textIn(locale: string): string;
}

/** The notice's first line is its title, the rest its body. */
function titled(text: string): { title: string; body: string } {
  const [title = '', ...rest] = text.split('\n');
  return { title, body: rest.join('\n') };
}

export async function writeDisclosureNotice(tx: Tx, input: DisclosureNoticeInput): Promise<{ id: string; number: string }> {
  const own = titled(input.textIn(input.defaultLocale));
  const versions: Record<string, { title: string; body: string }> = {};
  for (const locale of input.locales) if (locale !== input.defaultLocale) versions[locale] = titled(input.textIn(locale));
  return writeSystemNotice(
    tx,
    {
      communityId: input.communityId,
      kind: 'disclosure',
      locale: input.defaultLocale,
      ...own,
      versions,
      audience: { areaIds: [input.fundAreaId] },
      sentAt: input.sentAt,
      bulkSendId: input.bulkSendId,
    },
    input.timezone,
  );
}
