/**
 * Chat moves kept in the database: a process started after a group became a supergroup sends to
 * the supergroup at once (no refused call), however the move was learnt; recording a move again,
 * from the same process or another, is harmless; chains of moves are followed. A process started
 * before the move was stored still learns it from one refused send (no lookup per send).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseChatMigrations } from '../../../src/channels/telegram/database-chat-migrations.js';
import { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { createLogger } from '../../../src/log/logger.js';
import type { FakeChat } from '../../fakes/telegram-bot-api/index.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { startTelegram, type TelegramHarness } from './telegram-harness.js';
import { waitFor } from '../../support/wait-for.js';

/** Warnings logged by the processes below (a move that could not be stored is one). */
const warnings: string[] = [];
const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) });

describe.each(databaseTargets())('chat moves kept in the database on %s', (target) => {
  let db: TestDatabase;
  let h: TelegramHarness;
  const started: TelegramChannel[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(target);
    // Only the fake Bot API is used from the harness: each "process" below is a channel of its own.
    h = await startTelegram({ start: false });
  });
  afterEach(async () => {
    for (const channel of started.splice(0)) await channel.stop();
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  /** A sending process starting now: its moves read from the database, its own channel. */
  async function startProcess(): Promise<{ channel: TelegramChannel; migrations: DatabaseChatMigrations }> {
    const migrations = await DatabaseChatMigrations.load(db.prisma, 'telegram', logger);
    const channel = new TelegramChannel({
      token: h.telegram.token,
      apiRoot: h.telegram.apiRoot,
      dataDir: h.dataDir,
      maxPhotoBytes: 100_000,
      logger,
      sendTimeoutMs: 2000,
      chatMigrations: migrations,
    });
    return { channel, migrations };
  }

  function storedMoves(fromChatId: string) {
    return db.prisma.chatMove.findMany({ where: { channel: 'telegram', fromChatId }, select: { fromChatId: true, toChatId: true } });
  }

  /** Sends to `group` (by its old id): the calls made and where the message arrived. */
  async function sendToOldId(channel: TelegramChannel, group: FakeChat, supergroup: FakeChat, text: string) {
    const callsBefore = h.telegram.calls('sendMessage');
    const before = h.telegram.sentTo(supergroup).length;
    await channel.send(String(group.id), { text });
    return {
      calls: h.telegram.calls('sendMessage') - callsBefore,
      arrived: h.telegram.sentTo(supergroup).slice(before).map((m) => m.text),
    };
  }

  it('after a restart, the first send to the old group id goes straight to the supergroup', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group, { announce: false });

    const first = await startProcess();
    // This process learns the move the hard way: one refused call, then the supergroup.
    expect(await sendToOldId(first.channel, group, supergroup, '通知一')).toEqual({ calls: 2, arrived: ['通知一'] });
    expect(await storedMoves(String(group.id))).toEqual([{ fromChatId: String(group.id), toChatId: String(supergroup.id) }]);

    // Restarted (a bulk send written before the move still addresses the old id): no refused call.
    const restarted = await startProcess();
    expect(await sendToOldId(restarted.channel, group, supergroup, '通知二')).toEqual({ calls: 1, arrived: ['通知二'] });
    expect(await sendToOldId(restarted.channel, group, supergroup, '通知三')).toEqual({ calls: 1, arrived: ['通知三'] });
    expect(h.telegram.sentTo(group)).toEqual([]);
  });

  it('a move learnt from Telegram’s service messages is stored too, once', async () => {
    const listening = await startProcess();
    await listening.channel.start(async () => {});
    started.push(listening.channel);
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group);

    await waitFor(async () => (await storedMoves(String(group.id))).length > 0, 'the move to be stored');
    // Both service messages (old chat and new) name the same move: one row.
    expect(await storedMoves(String(group.id))).toEqual([{ fromChatId: String(group.id), toChatId: String(supergroup.id) }]);

    const restarted = await startProcess();
    expect(await sendToOldId(restarted.channel, group, supergroup, 'hello')).toEqual({ calls: 1, arrived: ['hello'] });
  });

  it('a process started before another stored the move learns it from one refused send, not from a lookup', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group, { announce: false });
    const early = await startProcess();
    const other = await startProcess();
    await sendToOldId(other.channel, group, supergroup, 'from the other process');

    expect(await sendToOldId(early.channel, group, supergroup, 'from the early one')).toEqual({ calls: 2, arrived: ['from the early one'] });
    expect(await sendToOldId(early.channel, group, supergroup, 'again')).toEqual({ calls: 1, arrived: ['again'] });
    // It recorded the same move again: still one row, still right.
    expect(await storedMoves(String(group.id))).toEqual([{ fromChatId: String(group.id), toChatId: String(supergroup.id) }]);
  });

  it('recording a move twice, or from two processes at once, leaves one row and fails nothing', async () => {
    const one = await startProcess();
    const two = await startProcess();
    await one.migrations.record('-4100001', '-1004100001');
    await one.migrations.record('-4100001', '-1004100001');
    await Promise.all([one.migrations.record('-4100002', '-1004100002'), two.migrations.record('-4100002', '-1004100002')]);
    expect(await storedMoves('-4100001')).toEqual([{ fromChatId: '-4100001', toChatId: '-1004100001' }]);
    expect(await storedMoves('-4100002')).toEqual([{ fromChatId: '-4100002', toChatId: '-1004100002' }]);
    expect(warnings.filter((line) => line.includes('chat move not stored'))).toEqual([]);
    // A chat recorded as moving to itself is no move.
    await one.migrations.record('-4100003', '-4100003');
    expect(await storedMoves('-4100003')).toEqual([]);

    const restarted = await startProcess();
    expect(await restarted.migrations.resolve('-4100001')).toBe('-1004100001');
    expect(await restarted.migrations.resolve('-4100002')).toBe('-1004100002');
    expect(await restarted.migrations.resolve('-4100003')).toBe('-4100003');
  });

  it('follows a chain a → b → c learnt by different processes, and ends a loop', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group, { announce: false });
    const between = '-1004200001';
    const one = await startProcess();
    const two = await startProcess();
    await one.migrations.record(String(group.id), between);
    await two.migrations.record(between, String(supergroup.id));

    const restarted = await startProcess();
    expect(await restarted.migrations.resolve(String(group.id))).toBe(String(supergroup.id));
    expect(await restarted.migrations.resolve(between)).toBe(String(supergroup.id));
    expect(await restarted.migrations.resolve(String(supergroup.id))).toBe(String(supergroup.id));
    expect(await sendToOldId(restarted.channel, group, supergroup, 'chained')).toEqual({ calls: 1, arrived: ['chained'] });

    await one.migrations.record('-4300001', '-4300002');
    await one.migrations.record('-4300002', '-4300001');
    const again = await startProcess();
    expect(['-4300001', '-4300002']).toContain(await again.migrations.resolve('-4300001'));
  });

  it('a move that cannot be stored is still followed by the process that learnt it, and logged', async () => {
    const broken = await createTestDatabase(target);
    try {
      const migrations = await DatabaseChatMigrations.load(broken.prisma, 'telegram', logger);
      await broken.prisma.$executeRawUnsafe('DROP TABLE "ChatMove"');
      await migrations.record('-4500001', '-1004500001');
      expect(await migrations.resolve('-4500001')).toBe('-1004500001');
      expect(warnings.filter((line) => line.includes('chat move not stored'))).toHaveLength(1);
    } finally {
      warnings.length = 0;
      await broken.close();
    }
  });

  it('a channel’s moves are its own', async () => {
    await db.prisma.chatMove.create({ data: { channel: 'wechat', fromChatId: '-4400001', toChatId: '-1004400001' } });
    const restarted = await startProcess();
    expect(await restarted.migrations.resolve('-4400001')).toBe('-4400001');
  });
});
