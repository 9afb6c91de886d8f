/**
 * Messages about a ticket to one person outside their conversation (a staff reply, the ticket
 * filed for their household, a new ticket for its assignee): written through the AccountNotifier
 * in the caller's transaction, in the person's own language, to the one account they used most
 * recently (not to every platform they have bound: one message, not three), with a message ref to
 * the ticket (src/outbox/message-refs.ts) so a reply to it can find its way back.
 */
import type { AccountNotice } from '../../../notify/account-notifier.js';
import { queueAfterCommit } from '../../../db/after-commit.js';
import type { Tx } from '../../../db/prisma-types.js';
import { writeMessageRefs } from '../../../outbox/message-refs.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { TicketSettings } from '../rules/settings.js';
import type { TicketServiceDeps } from './ticket-service-deps.js';
import { TicketWords } from './ticket-words.js';

/** The account a person is best reached on: bound, reachable, seen most recently; null when none. */
export async function noticeAccountOf(tx: Tx, residentId: string): Promise<{ id: string; locale: string } | null> {
  const account = await tx.chatAccount.findFirst({
    where: { residentId, unreachableAt: null },
    orderBy: [{ lastSeenAt: 'desc' }, { id: 'asc' }],
    select: { id: true, locale: true, community: { select: { defaultLocale: true } } },
  });
  return account ? { id: account.id, locale: account.locale ?? account.community.defaultLocale } : null;
}

export interface TicketNotice {
  residentId: string;
  ticketId: string;
  key: string;
  /** Variables in the recipient's language (category names and dates depend on it). */
  vars: (words: TicketWords) => Record<string, string | number>;
  /** Buttons that run a command as if typed (see `AccountNotice.commands`). */
  commands?: AccountNotice['commands'];
  /** Photos sent with it (stored references; see `AccountNotice.photos`). */
  photos?: readonly string[];
}

/** Writes the notice; no rows when the person has no reachable account. */
export async function writeTicketNotice(
  tx: Tx,
  deps: Pick<TicketServiceDeps, 'notifier' | 'translator'>,
  settings: TicketSettings,
  notice: TicketNotice,
): Promise<QueuedOutboxRow[]> {
  const account = await noticeAccountOf(tx, notice.residentId);
  if (!account) return [];
  const words = new TicketWords(deps.translator, account.locale, settings.timezone);
  const rows = await deps.notifier.write(tx, {
    chatAccountId: account.id,
    key: notice.key,
    vars: notice.vars(words),
    ...(notice.commands ? { commands: notice.commands } : {}),
    ...(notice.photos && notice.photos.length > 0 ? { photos: notice.photos } : {}),
  });
  if (rows.length > 0) {
    await writeMessageRefs(tx, rows, () => ({ subjectKind: 'ticket', subjectId: notice.ticketId, role: 'notice' }));
    queueAfterCommit(tx, rows);
  }
  return rows;
}
