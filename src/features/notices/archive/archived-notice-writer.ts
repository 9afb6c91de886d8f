/**
 * Writes a notice the system sends (a fund's monthly disclosure, a meeting's result) into the
 * archive, in the caller's transaction — the one that writes its bulk send — so residents find it
 * in 通知公告 exactly when its messages exist. Numbered like every notice (`TZ-2026-00042`, per
 * community and local year, from the tickets' gapless counter under its own prefix), with its
 * `searchText`; a disclosure never expires.
 */
import type { Prisma, Tx } from '../../../db/prisma-types.js';
import { formatTicketNumber } from '../../tickets/rules/ticket-number.js';
import { localYear } from '../../tickets/rules/local-time.js';
import { nextTicketSequence } from '../../tickets/service/ticket-counter.js';
import { noticeSearchText } from './notice-search-text.js';

/** The prefix of notice numbers (通知). */
export const NOTICE_NUMBER_PREFIX = 'TZ';

export interface SystemNotice {
  communityId: string;
  kind: 'notice' | 'disclosure';
  /** The language of `title` and `body` (the community's). */
  locale: string;
  title: string;
  body: string;
  /** The same in other languages: `{ en: { title, body } }`. */
  versions: Record<string, { title: string; body: string }>;
  /** As `Notice.audience`: `{ areaIds: […] }`, `{ everyone: true }`. */
  audience: { everyone?: boolean; areaIds?: string[]; groupIds?: string[]; roles?: string[] };
  sentAt: Date;
  /** The bulk send carrying its messages. */
  bulkSendId?: string;
  expiresAt?: Date | null;
}

/** The next notice number of the community at `at` in its time zone. */
export async function nextNoticeNumber(tx: Tx, communityId: string, at: Date, timezone: string): Promise<string> {
  const year = localYear(at, timezone);
  return formatTicketNumber(NOTICE_NUMBER_PREFIX, year, await nextTicketSequence(tx, communityId, NOTICE_NUMBER_PREFIX, year));
}

/** Inserts the notice as sent (no author: the system), returning its id and number. */
export async function writeSystemNotice(tx: Tx, notice: SystemNotice, timezone: string): Promise<{ id: string; number: string }> {
  const number = await nextNoticeNumber(tx, notice.communityId, notice.sentAt, timezone);
  const created = await tx.notice.create({
    data: {
      communityId: notice.communityId,
      number,
      kind: notice.kind,
      locale: notice.locale,
      title: notice.title,
      body: notice.body,
      versions: notice.versions as Prisma.InputJsonValue,
      audience: notice.audience as Prisma.InputJsonValue,
      via: 'both',
      status: 'sent',
      sentAt: notice.sentAt,
      expiresAt: notice.expiresAt ?? null,
      bulkSendId: notice.bulkSendId ?? null,
      searchText: noticeSearchText(notice),
    },
    select: { id: true, number: true },
  });
  return created;
}
