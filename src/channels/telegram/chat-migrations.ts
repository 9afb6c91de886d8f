/**
 * Groups that became supergroups. Telegram gives a basic group a new chat id when it is upgraded
 * (it grew, or an admin changed a setting); a send to the old id then answers 400 with
 * `parameters.migrate_to_chat_id`, and the bot, if it is in the group, gets two service
 * messages (`migrate_to_chat_id` in the old chat, `migrate_from_chat_id` in the new). The
 * channel records the move from either and sends to where the group lives now, so messages
 * addressed to the old id (a bulk send written before the move, a stored binding) still arrive.
 */
import type { ChatMigrations } from '../types.js';
import type { TgUpdate } from './bot-api-shapes.js';

/** Where moved chats live now (declared beside the channel contract: the inbox follows them too). */
export type { ChatMigrations } from '../types.js';

/** Moves followed in a row before giving up (a loop in the records would otherwise never end). */
const MAX_HOPS = 8;

/** Where `chatId` lives now by `moves` (old id → new id): chains followed, a loop ended. */
export function followMoves(moves: ReadonlyMap<string, string>, chatId: string): string {
  let current = chatId;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const next = moves.get(current);
    if (next === undefined || next === chatId) return current;
    current = next;
  }
  return current;
}

/**
 * Kept in this process only (tests, and a channel built without a store; the app keeps moves in
 * the database: `database-chat-migrations.ts`). A process that has not seen the move finds out at
 * its first send to the old id (one refused call, then the send goes to the new id).
 */
export class InMemoryChatMigrations implements ChatMigrations {
  private readonly moves = new Map<string, string>();

  async resolve(chatId: string): Promise<string> {
    return followMoves(this.moves, chatId);
  }

  async record(fromChatId: string, toChatId: string): Promise<void> {
    if (fromChatId !== toChatId) this.moves.set(fromChatId, toChatId);
  }
}

/** The move an update announces (a service message in the old or the new chat), if any. */
export function migrationOf(update: TgUpdate): { from: string; to: string } | undefined {
  const message = update.message;
  if (!message) return undefined;
  const to = message['migrate_to_chat_id'];
  if (typeof to === 'number' && Number.isSafeInteger(to)) return { from: String(message.chat.id), to: String(to) };
  const from = message['migrate_from_chat_id'];
  if (typeof from === 'number' && Number.isSafeInteger(from)) return { from: String(from), to: String(message.chat.id) };
  return undefined;
}
