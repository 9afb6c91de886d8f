/**
 * How the scheduling jobs speak to the committee: a missed first response, an agenda item, a
 * satisfaction alert, a digest. The composition root hands over a `StaffAlerts`; the default
 * writes to the community's staff chat(s) through the outbox, in the caller's transaction, so the
 * message exists exactly when the change that caused it does.
 */
import { SAFE_TEXT_LIMIT, type TextLimitOf } from '../../../channels/text-limit.js';
import type { ChannelName } from '../../../channels/types.js';
import type { Tx } from '../../../db/prisma-types.js';
import { writeMessageRefs } from '../../../outbox/message-refs.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxEntry, type QueuedOutboxRow } from '../../../outbox/outbox.js';
import { splitText } from '../../../util/split-text.js';
import { activeRoleWhere } from './staff-directory.js';

/** One message for the committee. */
export interface StaffMessage {
  communityId: string;
  /** The ticket it is about: staff replying to it in the staff chat reach that ticket. */
  ticketId?: string | null;
  /** The text in a language (the staff chat reads the community's default language). */
  text: (locale: string) => string;
}

export interface StaffAlerts {
  /** Writes the message inside `tx`; the caller dispatches the rows after commit. */
  toCommittee(tx: Tx, message: StaffMessage): Promise<QueuedOutboxRow[]>;
}

export interface ChatStaffAlertsDeps {
  /** The longest text a channel takes in one message (longer ones are split). */
  textLimitOf?: TextLimitOf;
  now?: () => Date;
}

/**
 * The default: every chat bound for `staff` in the community (a Telegram group, a WeChat room). With none
 * bound yet, each committee member's own chat accounts, in their own language — an alert must not
 * vanish because nobody ran /setup_staff_chat.
 */
export class ChatStaffAlerts implements StaffAlerts {
  constructor(private readonly deps: ChatStaffAlertsDeps = {}) {}

  async toCommittee(tx: Tx, message: StaffMessage): Promise<QueuedOutboxRow[]> {
    const community = await tx.community.findUniqueOrThrow({ where: { id: message.communityId }, select: { defaultLocale: true } });
    const chats = await tx.boundChat.findMany({ where: { communityId: message.communityId, purpose: 'staff' }, orderBy: [{ boundAt: 'asc' }, { id: 'asc' }] });
    const entries: OutboxEntry[] = [];
    if (chats.length > 0) {
      // Each chat in its language, else the community's.
      for (const chat of chats) entries.push(...this.pieces(message.communityId, chat.channel, chat.chatId, null, message.text(chat.locale ?? community.defaultLocale)));
    } else {
      const now = this.deps.now?.() ?? new Date();
      const accounts = await tx.chatAccount.findMany({
        where: {
          communityId: message.communityId,
          unreachableAt: null,
          resident: { roles: { some: { role: 'committee', ...activeRoleWhere(now) } } },
        },
        orderBy: { createdAt: 'asc' },
        select: { id: true, channel: true, externalId: true, locale: true },
      });
      for (const account of accounts) {
        const text = message.text(account.locale ?? community.defaultLocale);
        entries.push(...this.pieces(message.communityId, account.channel, account.externalId, account.id, text));
      }
    }
    const rows = await writeOutbox(tx, entries);
    const ticketId = message.ticketId;
    if (ticketId) await writeMessageRefs(tx, rows, () => ({ subjectKind: 'ticket', subjectId: ticketId, role: 'alert' }));
    return rows;
  }

  private pieces(communityId: string, channel: ChannelName, chatId: string, chatAccountId: string | null, text: string): OutboxEntry[] {
    const limit = this.deps.textLimitOf?.(channel) ?? SAFE_TEXT_LIMIT;
    return splitText(text, limit).map((piece) => ({ communityId, channel, chatId, chatAccountId, message: { text: piece }, priority: PRIORITY_REPLY }));
  }
}
