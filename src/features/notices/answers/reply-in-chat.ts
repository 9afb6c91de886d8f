/**
 * The answer to a press, where it was pressed: the private chat (tied to the account) or the
 * group chat (and its thread), split to the channel's limit, as a reply.
 */
import type { InboundMessage } from '../../../channels/types.js';
import type { TextLimitOf } from '../../../channels/text-limit.js';
import type { Tx } from '../../../db/prisma-types.js';
import { PRIORITY_REPLY, writeOutbox, type QueuedOutboxRow } from '../../../outbox/outbox.js';
import { splitText } from '../../../util/split-text.js';

export function replyInChat(tx: Tx, communityId: string, inbound: InboundMessage, chatAccountId: string, text: string, textLimitOf: TextLimitOf): Promise<QueuedOutboxRow[]> {
  return writeOutbox(
    tx,
    splitText(text, textLimitOf(inbound.channel)).map((piece) => ({
      communityId,
      channel: inbound.channel,
      chatId: inbound.chatId,
      chatAccountId: inbound.chatType === 'group' ? null : chatAccountId,
      message: { text: piece, ...(inbound.threadId ? { threadId: inbound.threadId } : {}) },
      priority: PRIORITY_REPLY,
    })),
  );
}
