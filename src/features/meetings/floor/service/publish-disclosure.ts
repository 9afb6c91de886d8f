/**
 * Publishes a sitting's result as a disclosure notice (notices kind `disclosure`, rule 6): the
 * Notice row through the archive's `writeSystemNotice` (numbered TZ-YYYY-NNNNN from the shared
 * counter, from the system, never expiring, in every language) and one bulk send to
 * every reachable resident's private chat and every chat bound for the whole community, each in
 * its language, written in the caller's transaction (sent after commit), with `notice.sent`.
 * The one place to swap for the notices feature's own service once that is merged.
 */
import type { Tx } from '../../../../db/prisma-types.js';
import type { EventPublisher } from '../../../../events/index.js';
import { createBulkSend } from '../../../../outbox/bulk-send.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { writeSystemNotice } from '../../../notices/archive/archived-notice-writer.js';
import '../../../notices/notice-events.js';

export interface Disclosure {
  communityId: string;
  /** Title and body in a language. */
  title: (locale: string) => string;
  body: (locale: string) => string;
}

export async function publishDisclosure(
  tx: Tx,
  events: EventPublisher,
  disclosure: Disclosure,
  now: Date,
  locales: readonly string[],
): Promise<{ noticeId: string; rows: QueuedOutboxRow[] }> {
  const community = await tx.community.findUniqueOrThrow({ where: { id: disclosure.communityId }, select: { timezone: true, defaultLocale: true } });
  const locale = community.defaultLocale;
  const accounts = await tx.chatAccount.findMany({
    where: { communityId: disclosure.communityId, unreachableAt: null, residentId: { not: null } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, channel: true, externalId: true, locale: true, resident: { select: { locale: true } } },
  });
  const chats = await tx.boundChat.findMany({ where: { communityId: disclosure.communityId, purpose: 'community' }, select: { channel: true, chatId: true, locale: true } });
  const text = (l: string) => `${disclosure.title(l)}\n\n${disclosure.body(l)}`;
  const recipients = [
    ...accounts.map((a) => {
      const l = a.locale ?? a.resident?.locale ?? locale;
      return { channel: a.channel, chatId: a.externalId, chatAccountId: a.id, message: { text: text(l) } };
    }),
    ...chats.map((c) => ({ channel: c.channel, chatId: c.chatId, chatAccountId: null, message: { text: text(c.locale ?? locale) } })),
  ];
  const bulk = await createBulkSend(tx, { communityId: disclosure.communityId, purpose: 'meeting_disclosure', recipients, message: { text: text(locale) } });
  const versions: Record<string, { title: string; body: string }> = {};
  for (const other of locales) if (other !== locale) versions[other] = { title: disclosure.title(other), body: disclosure.body(other) };
  // Numbered and indexed like every notice, found in the residents' archive (never expires).
  const notice = await writeSystemNotice(
    tx,
    {
      communityId: disclosure.communityId,
      kind: 'disclosure',
      locale,
      title: disclosure.title(locale),
      body: disclosure.body(locale),
      versions,
      audience: { everyone: true },
      sentAt: now,
      bulkSendId: bulk.bulkSendId,
    },
    community.timezone,
  );
  await events.publish(tx, 'notice.sent', { communityId: disclosure.communityId, noticeId: notice.id, kind: 'disclosure', sentAt: now });
  return { noticeId: notice.id, rows: bulk.rows };
}
