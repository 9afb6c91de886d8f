/**
 * Where a moved group lives: chains of moves are followed, a loop in the records ends, and the
 * service messages Telegram sends on a move are read from either side.
 */
import { describe, expect, it } from 'vitest';
import { InMemoryChatMigrations, migrationOf } from '../../../src/channels/telegram/chat-migrations.js';
import type { TgUpdate } from '../../../src/channels/telegram/bot-api-shapes.js';

describe('chat migrations', () => {
  it('sends to the chat itself until it moved, then to where it went, following later moves too', async () => {
    const migrations = new InMemoryChatMigrations();
    expect(await migrations.resolve('-4000001')).toBe('-4000001');
    await migrations.record('-4000001', '-1000000000001');
    expect(await migrations.resolve('-4000001')).toBe('-1000000000001');
    await migrations.record('-1000000000001', '-1000000000002');
    expect(await migrations.resolve('-4000001')).toBe('-1000000000002');
    expect(await migrations.resolve('-1000000000001')).toBe('-1000000000002');
    // Other chats are untouched.
    expect(await migrations.resolve('12345')).toBe('12345');
  });

  it('ends on a loop in the records instead of following it for ever', async () => {
    const migrations = new InMemoryChatMigrations();
    await migrations.record('-1', '-2');
    await migrations.record('-2', '-3');
    await migrations.record('-3', '-1');
    expect(['-1', '-2', '-3']).toContain(await migrations.resolve('-1'));
    await migrations.record('-9', '-9');
    expect(await migrations.resolve('-9')).toBe('-9');
  });

  it('reads a move from the old group’s service message and from the new supergroup’s', () => {
    const base = { update_id: 1, message: { message_id: 7, date: 0, from: { id: 5 } } };
    const inOld = { ...base, message: { ...base.message, chat: { id: -4000001, type: 'group' }, migrate_to_chat_id: -1000000000001 } } as TgUpdate;
    const inNew = {
      ...base,
      message: { ...base.message, chat: { id: -1000000000001, type: 'supergroup' }, migrate_from_chat_id: -4000001 },
    } as TgUpdate;
    expect(migrationOf(inOld)).toEqual({ from: '-4000001', to: '-1000000000001' });
    expect(migrationOf(inNew)).toEqual({ from: '-4000001', to: '-1000000000001' });
    const plain = { ...base, message: { ...base.message, chat: { id: -4000001, type: 'group' }, text: 'hi' } } as TgUpdate;
    expect(migrationOf(plain)).toBeUndefined();
    expect(migrationOf({ update_id: 2 })).toBeUndefined();
  });
});
