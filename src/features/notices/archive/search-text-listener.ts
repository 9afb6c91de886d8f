/**
 * A notice is searchable from the moment it is sent: hearing `notice.sent`, in the sending
 * transaction, the archive fills `searchText` of a notice written without it (a writer that sets
 * it itself — `writeSystemNotice`, `noticeSearchText` — costs one guarded statement that changes
 * nothing).
 */
import type { Prisma, Tx } from '../../../db/prisma-types.js';
import { noticeSearchText } from './notice-search-text.js';

export async function indexSentNotice(tx: Tx, noticeId: string): Promise<void> {
  const notice = await tx.notice.findUnique({ where: { id: noticeId }, select: { title: true, body: true, versions: true, searchText: true } });
  if (!notice || notice.searchText !== '') return;
  const searchText = noticeSearchText({ title: notice.title, body: notice.body, versions: notice.versions as Prisma.JsonValue });
  await tx.notice.updateMany({ where: { id: noticeId, searchText: '' }, data: { searchText } });
}
