/**
 * The Telegram channel inside the delivery path, on a real database and the fake Bot API: what
 * each kind of refusal does to the outbox row and to the person's account, and a group that
 * became a supergroup — found out by a refused send, or told by Telegram's service messages —
 * still getting the messages addressed to its old id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../src/channels/types.js';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { createLogger } from '../../../src/log/logger.js';
import { deliverOutboxMessage, type DeliveryDeps } from '../../../src/outbox/delivery.js';
import { writeOutbox } from '../../../src/outbox/outbox.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedCommunity } from '../../support/community.js';
import { startTelegram, type TelegramHarness } from './telegram-harness.js';

describe.each(databaseTargets())('telegram delivery on %s', (target) => {
  let db: TestDatabase;
  let h: TelegramHarness;
  let communityId: string;
  let deps: DeliveryDeps;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    // Polling, so Telegram's service messages reach the channel.
    h = await startTelegram({ channel: { sendTimeoutMs: 2000 } });
    communityId = (await seedCommunity(db.prisma)).id;
    deps = { prisma: db.prisma, channels: new Map<ChannelName, TelegramChannel>([['telegram', h.channel]]), logger: createLogger('silent') };
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  /** An account and one outbox row to its chat. */
  async function rowTo(chatId: number, text: string) {
    const account = await db.prisma.chatAccount.create({ data: { communityId, channel: 'telegram', externalId: `${chatId}-${Math.random()}` } });
    const [row] = await db.prisma.$transaction((tx) =>
      writeOutbox(tx, [{ communityId, channel: 'telegram', chatId: String(chatId), chatAccountId: account.id, message: { text } }]),
    );
    return { row: row!, accountId: account.id };
  }
  const rowOf = (id: string) => db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
  const unreachableAt = async (accountId: string) => (await db.prisma.chatAccount.findUniqueOrThrow({ where: { id: accountId } })).unreachableAt;

  it('a message Telegram refuses as too long: given up at once, the person stays reachable and gets the next one', async () => {
    const alice = h.telegram.createUser();
    const tooLong = await rowTo(alice.id, '长'.repeat(4097));
    const result = await deliverOutboxMessage(deps, tooLong.row.id);
    expect(result.outcome).toBe('failed');
    expect(await rowOf(tooLong.row.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await rowOf(tooLong.row.id)).lastError).toContain('message is too long');
    expect(await unreachableAt(tooLong.accountId)).toBeNull();

    const next = await rowTo(alice.id, 'the next notice');
    expect((await deliverOutboxMessage(deps, next.row.id)).outcome).toBe('sent');
    expect(h.telegram.sentTo(alice).map((m) => m.text)).toEqual(['the next notice']);
  });

  it('a person who blocked the bot: given up, and their account marked unreachable', async () => {
    const bob = h.telegram.createUser();
    h.telegram.blockChat(bob.id);
    const { row, accountId } = await rowTo(bob.id, 'hello');
    expect((await deliverOutboxMessage(deps, row.id)).outcome).toBe('failed');
    expect(await rowOf(row.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await unreachableAt(accountId)).not.toBeNull();
  });

  it('a row to a group that became a supergroup is sent there, recorded as sent with the supergroup’s message id', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group, { announce: false });
    const { row, accountId } = await rowTo(group.id, '停水通知');
    expect((await deliverOutboxMessage(deps, row.id)).outcome).toBe('sent');
    const [arrived] = h.telegram.sentTo(supergroup);
    expect(arrived).toMatchObject({ text: '停水通知' });
    expect(await rowOf(row.id)).toMatchObject({ status: 'sent', externalMessageId: String(arrived!.messageId) });
    expect(await unreachableAt(accountId)).toBeNull();
  });

  it('learns of the move from Telegram’s service messages: the next send goes to the supergroup without a refused call', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group);
    // Both service messages are taken (confirmed) by the polling channel.
    await expect.poll(() => h.telegram.pendingUpdates, { timeout: 5000 }).toBe(0);
    const callsBefore = h.telegram.calls('sendMessage');
    const { row } = await rowTo(group.id, '会议提醒');
    expect((await deliverOutboxMessage(deps, row.id)).outcome).toBe('sent');
    expect(h.telegram.sentTo(supergroup).map((m) => m.text)).toEqual(['会议提醒']);
    expect(h.telegram.calls('sendMessage') - callsBefore).toBe(1);
    // The service messages are not things a person said to the bot.
    expect(h.received).toEqual([]);
  });
});
