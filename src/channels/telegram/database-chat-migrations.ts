/**
 * Chat moves kept in the database (`ChatMove`), so they outlast a restart and are shared by every
 * process that sends. The moves are read once, when the process starts; from then on `resolve`
 * answers from memory (chains followed, with the same hop limit as everywhere) and sends no
 * statement: a send costs no more than with moves kept in memory only. `record` remembers the
 * move and stores it with an upsert, so recording a move twice — from both service messages, or
 * by two processes that each learnt it — leaves one row and is no error.
 *
 * A chat missing from memory is not looked up in the database. So a process that started before
 * another one learnt a move does not know it from the database: it finds out as before, at its
 * first send to the old id (one refused call; the move is recorded again, harmlessly, and the send
 * goes to the new id). A process started after the move was stored sends to the new id at once.
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import type { Logger } from '../../log/logger.js';
import type { ChannelName } from '../types.js';
import { followMoves, type ChatMigrations } from './chat-migrations.js';
import { errorName } from './error-name.js';

export class DatabaseChatMigrations implements ChatMigrations {
  /** Old chat id → new chat id, as this process knows them. */
  private readonly moves = new Map<string, string>();
  /** The moves the database is known to hold (loaded, or stored by this process). */
  private readonly stored = new Map<string, string>();

  private constructor(
    private readonly prisma: PrismaClient,
    private readonly channel: ChannelName,
    private readonly logger: Logger,
  ) {}

  /** Reads the channel's stored moves (one statement) and answers from memory from then on. */
  static async load(prisma: PrismaClient, channel: ChannelName, logger: Logger): Promise<DatabaseChatMigrations> {
    const migrations = new DatabaseChatMigrations(prisma, channel, logger);
    const rows = await prisma.chatMove.findMany({ where: { channel }, select: { fromChatId: true, toChatId: true } });
    for (const row of rows) {
      migrations.moves.set(row.fromChatId, row.toChatId);
      migrations.stored.set(row.fromChatId, row.toChatId);
    }
    return migrations;
  }

  async resolve(chatId: string): Promise<string> {
    return followMoves(this.moves, chatId);
  }

  /**
   * Known here at once; stored unless the database already holds it. A failure to store is logged
   * and not thrown: the send that learnt the move still goes to the new id, and a process without
   * the row learns the move again from a refused send.
   */
  async record(fromChatId: string, toChatId: string): Promise<void> {
    if (fromChatId === toChatId) return;
    this.moves.set(fromChatId, toChatId);
    if (this.stored.get(fromChatId) === toChatId) return;
    const { channel } = this;
    try {
      await this.prisma.chatMove.upsert({
        where: { channel_fromChatId: { channel, fromChatId } },
        create: { channel, fromChatId, toChatId },
        update: { toChatId },
      });
      this.stored.set(fromChatId, toChatId);
    } catch (error) {
      this.logger.warn({ channel, err: errorName(error) }, 'chat move not stored: known in this process only');
    }
  }
}
