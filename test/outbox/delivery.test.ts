/**
 * Delivery from the outbox: order per chat under concurrent workers, replies not held behind
 * bulk sends, claims that make a repeated job harmless, permanent and retryable failures, and
 * the sweep that hands over what a crash left behind. Real database and real queues; the
 * channel is a recorder with uneven latency, standing in for a chat platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSendError, type Channel, type OutboundMessage } from '../../src/channels/types.js';
import { deliverOutboxMessage } from '../../src/outbox/delivery.js';
import { deliveryEnqueuer, startDeliveryWorker } from '../../src/outbox/delivery-queue.js';
import { OutboxDispatcher, PRIORITY_BULK, PRIORITY_REPLY, writeOutbox } from '../../src/outbox/outbox.js';
import { createQueueBackend, type QueueBackend } from '../../src/queue/backend.js';
import { QueueNames } from '../../src/queue/names.js';
import { createLogger } from '../../src/log/logger.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

class RecordingChannel implements Channel {
  readonly name = 'web' as const;
  readonly capabilities = { buttons: true, photos: true, locations: false, maxTextLength: 2000 };
  readonly sent: { chatId: string; text: string }[] = [];
  failWith: ((chatId: string) => Error | undefined) | undefined;
  async start() {}
  async stop() {}
  async send(chatId: string, message: OutboundMessage) {
    // Uneven latency: without ordering, a later message would often overtake an earlier one.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
    const failure = this.failWith?.(chatId);
    if (failure) throw failure;
    this.sent.push({ chatId, text: message.text });
    return { externalMessageId: String(this.sent.length) };
  }
}

const logger = createLogger('silent');

describe.each(databaseTargets())('delivery on %s', (target) => {
  let db: TestDatabase;
  let queues: QueueBackend;
  let channel: RecordingChannel;
  let outbox: OutboxDispatcher;
  let communityId: string;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    queues = await createQueueBackend({ database: db, logger, prefix: `d${Date.now()}` });
    channel = new RecordingChannel();
    outbox = new OutboxDispatcher(db.prisma, deliveryEnqueuer(queues.queue(QueueNames.deliveries)), logger);
    communityId = (await db.prisma.community.create({ data: { slug: 'delivery', name: 'Delivery test' } })).id;
  });
  afterAll(async () => {
    await queues?.close();
    await db?.close();
  });

  const write = (chatId: string, texts: string[], priority = PRIORITY_REPLY) =>
    db.prisma.$transaction((tx) =>
      writeOutbox(
        tx,
        texts.map((text) => ({ communityId, channel: 'web' as const, chatId, message: { text }, priority })),
      ),
    );

  const statusOf = async (id: string) => (await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } })).status;

  async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) expect.fail(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('delivers each chat’s messages in the order written, with ten workers at once', async () => {
    const deps = { prisma: db.prisma, channels: new Map([['web' as const, channel]]), logger };
    const worker = startDeliveryWorker(queues, deps, 10);
    try {
      const chats = ['order-a', 'order-b', 'order-c'];
      const texts = Array.from({ length: 12 }, (_, i) => `m${i}`);
      for (const chat of chats) await outbox.dispatch(await write(chat, texts));
      await until(() => channel.sent.filter((s) => s.chatId.startsWith('order-')).length === 36, '36 messages sent');
      for (const chat of chats) {
        expect(channel.sent.filter((s) => s.chatId === chat).map((s) => s.text)).toEqual(texts);
      }
      const rows = await db.prisma.outboxMessage.findMany({ where: { chatId: { in: chats } } });
      expect(rows.every((r) => r.status === 'sent' && r.externalMessageId && r.sentAt && r.attempts === 1)).toBe(true);
    } finally {
      await worker.close();
    }
  });

  it('holds a message while an earlier one to the same chat is unfinished, but not behind bulk', async () => {
    const deps = { prisma: db.prisma, channels: new Map([['web' as const, channel]]), logger };
    const [bulk] = await write('held', ['bulk notice'], PRIORITY_BULK);
    const [first, second] = await write('held', ['first reply', 'second reply']);
    await db.prisma.outboxMessage.update({ where: { id: first!.id }, data: { status: 'retrying' } });

    expect(await deliverOutboxMessage(deps, second!.id)).toBe('wait');
    expect(await statusOf(second!.id)).toBe('pending');

    expect(await deliverOutboxMessage(deps, first!.id)).toBe('sent');
    expect(await deliverOutboxMessage(deps, second!.id)).toBe('sent');
    // The bulk row written before them is still unsent, and held neither reply.
    expect(await statusOf(bulk!.id)).toBe('pending');
    expect(await deliverOutboxMessage(deps, bulk!.id)).toBe('sent');
  });

  it('sends a message once however often its job runs', async () => {
    const deps = { prisma: db.prisma, channels: new Map([['web' as const, channel]]), logger };
    const [row] = await write('once', ['only once']);
    const results = await Promise.all([1, 2, 3].map(() => deliverOutboxMessage(deps, row!.id)));
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    expect(channel.sent.filter((s) => s.chatId === 'once')).toHaveLength(1);
  });

  it('marks a blocked recipient unreachable and does not retry; keeps a retryable failure for retry', async () => {
    const deps = { prisma: db.prisma, channels: new Map([['web' as const, channel]]), logger };
    const account = await db.prisma.chatAccount.create({ data: { communityId, channel: 'web', externalId: 'blocked-person' } });
    const [blocked] = await db.prisma.$transaction((tx) =>
      writeOutbox(tx, [{ communityId, channel: 'web', chatId: 'blocked', chatAccountId: account.id, message: { text: 'x' } }]),
    );
    const [flaky] = await write('flaky', ['y']);
    channel.failWith = (chatId) =>
      chatId === 'blocked'
        ? new ChannelSendError('bot was blocked by the user', false)
        : chatId === 'flaky'
          ? new ChannelSendError('bad gateway', true)
          : undefined;
    try {
      expect(await deliverOutboxMessage(deps, blocked!.id)).toBe('failed');
      expect(await statusOf(blocked!.id)).toBe('failed');
      expect((await db.prisma.chatAccount.findUniqueOrThrow({ where: { id: account.id } })).unreachableAt).not.toBeNull();

      await expect(deliverOutboxMessage(deps, flaky!.id)).rejects.toThrow('bad gateway');
      const row = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: flaky!.id } });
      expect(row).toMatchObject({ status: 'retrying', attempts: 1, lastError: 'bad gateway' });
    } finally {
      channel.failWith = undefined;
    }
    expect(await deliverOutboxMessage(deps, flaky!.id)).toBe('sent');
  });

  it('sweeps up rows that were never queued and rows a dead worker left sending', async () => {
    const deps = { prisma: db.prisma, channels: new Map([['web' as const, channel]]), logger };
    const [neverQueued] = await write('swept', ['never queued']);
    const [stuck] = await write('swept-2', ['stuck sending']);
    await db.prisma.outboxMessage.update({
      where: { id: stuck!.id },
      data: { status: 'sending', claimedAt: new Date(Date.now() - 10 * 60_000) },
    });
    const worker = startDeliveryWorker(queues, deps, 2);
    try {
      expect(await outbox.sweep(0, 60_000)).toBeGreaterThanOrEqual(2);
      await until(async () => (await statusOf(neverQueued!.id)) === 'sent' && (await statusOf(stuck!.id)) === 'sent', 'swept rows sent');
    } finally {
      await worker.close();
    }
  });
});
