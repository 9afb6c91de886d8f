/**
 * Who hears the fund's monthly figures: every reachable chat account of a resident whose
 * household is in the fund's area (their private chat, in their language), and every group chat
 * bound for that area or an area below it (in the chat's language). Each once.
 */
import type { Tx } from '../../../db/prisma-types.js';

export interface DisclosureRecipient {
  channel: string;
  chatId: string;
  chatAccountId: string | null;
  /** The language the text is written in for them. */
  locale: string;
}

export async function disclosureRecipients(tx: Tx, communityId: string, areaIds: readonly string[], defaultLocale: string): Promise<DisclosureRecipient[]> {
  const accounts = await tx.chatAccount.findMany({
    where: { communityId, unreachableAt: null, resident: { household: { areaId: { in: [...areaIds] } } } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, channel: true, externalId: true, locale: true, resident: { select: { locale: true } } },
  });
  const chats = await tx.boundChat.findMany({
    where: { communityId, purpose: 'area', targetId: { in: [...areaIds] } },
    orderBy: [{ boundAt: 'asc' }, { id: 'asc' }],
    select: { channel: true, chatId: true, locale: true },
  });
  const seen = new Set<string>();
  const recipients: DisclosureRecipient[] = [];
  const add = (recipient: DisclosureRecipient) => {
    const key = `${recipient.channel}\u0000${recipient.chatId}`;
    if (seen.has(key)) return;
    seen.add(key);
    recipients.push(recipient);
  };
  for (const account of accounts) {
    add({
      channel: account.channel,
      chatId: account.externalId,
      chatAccountId: account.id,
      locale: account.locale ?? account.resident?.locale ?? defaultLocale,
    });
  }
  for (const chat of chats) add({ channel: chat.channel, chatId: chat.chatId, chatAccountId: null, locale: chat.locale ?? defaultLocale });
  return recipients;
}
