/**
 * What a removed person's chats leave behind, cleared in the removal's transaction: the text of
 * every message already sent to their accounts (kept as rows, for the delivery records and counts),
 * their web chat history, the answers of their finished flow runs (the name, address and phone
 * typed into a binding request, say) and of conversations resting at the menu. A message still on
 * its way (the removal's own confirmation) and the run in progress are left alone: they finish.
 */
import type { Tx } from '../../db/prisma-types.js';

export interface ScrubbedChatHistory {
  messagesCleared: number;
  webMessagesDeleted: number;
  flowAnswersCleared: number;
}

export async function scrubChatHistory(tx: Tx, communityId: string, accountIds: readonly string[]): Promise<ScrubbedChatHistory> {
  if (accountIds.length === 0) return { messagesCleared: 0, webMessagesDeleted: 0, flowAnswersCleared: 0 };
  const ids = [...accountIds];
  const messages = await tx.outboxMessage.updateMany({
    where: { chatAccountId: { in: ids }, status: { in: ['sent', 'failed'] } },
    data: { payload: { text: '' } },
  });
  // The web chat keeps its history by session, and a session is the account's external id; no
  // other channel's id is a session's (a session id is a token's hash), so every account is looked for.
  const accounts = await tx.chatAccount.findMany({ where: { id: { in: ids } }, select: { externalId: true } });
  const web = await tx.webChatMessage.deleteMany({ where: { communityId, sessionId: { in: accounts.map((account) => account.externalId) } } });
  const conversations = await tx.conversation.findMany({ where: { chatAccountId: { in: ids } }, select: { id: true } });
  const conversationIds = conversations.map((conversation) => conversation.id);
  const ended = await tx.flowRun.findMany({ where: { conversationId: { in: conversationIds }, endedAt: { not: null } }, select: { id: true } });
  // An ended run's effect results are no longer read (they only make a repeated step do nothing).
  const effects = await tx.flowEffect.updateMany({ where: { flowRunId: { in: ended.map((run) => run.id) } }, data: { result: { cleared: true } } });
  const resting = await tx.conversation.updateMany({ where: { id: { in: conversationIds }, flowRunId: null }, data: { data: {}, history: [] } });
  return { messagesCleared: messages.count, webMessagesDeleted: web.count, flowAnswersCleared: effects.count + resting.count };
}
