/**
 * Delivery from the outbox: order per chat under concurrent workers, replies not held behind
 * bulk sends, claims that make a repeated job harmless, permanent and retryable failures, and
 * the sweep that hands over what a crash left behind. Real database and real queues on every
 * configured backend; the channel is a recorder with uneven latency, standing in for a platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/channels/types.js';
import { deliverOutboxMessage, type DeliveryDeps } from '../../src/outbox/delivery.js';
import { startDeliveryWorkers } from '../../src/outbox/delivery-queue.js';
import { DeliveryScheduler, deliveryQueueFor } from '../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher, PRIORITY_BULK, PRIORITY_REPLY, writeOutbox } from '../../src/outbox/outbox.js';
import { jobIds } from '../../src/queue/jobs.js';
import { writeMessageRefs } from '../../src/outbox/message-refs.js';
import { deliveryTargets, openDeliveryTarget, silentLogger as logger, type DeliveryTarget } from './support/delivery-target.js';
import { waitFor } from '../support/wait-for.js';
import { RecordingChannel } from './support/recording-channel.js';

describe.each(deliveryTargets())('delivery on %s', (kind) => {
  let target: DeliveryTarget;
  let channel: RecordingChannel;
  let outbox: OutboxDispatcher;
  let deps: DeliveryDeps;

  beforeAll(async () => {
    target = await openDeliveryTarget(kind);
    channel = new RecordingChannel('web');
    outbox = new OutboxDispatcher(target.db.prisma, new DeliveryScheduler(target.queues, target.db.prisma, logger), logger);
    deps = { prisma: target.db.prisma, channels: new Map([['web' as const, channel]]), logger };
  });
  afterAll(async () => {
    await target?.close();
  });

  const write = (chatId: string, texts: string[], priority = PRIORITY_REPLY) =>
    target.db.prisma.$transaction((tx) =>
      writeOutbox(
        tx,
        texts.map((text) => ({ communityId: target.communityId, channel: 'web' as const, chatId, message: { text }, priority })),
      ),
    );

  const statusOf = async (id: string) => (await target.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } })).status;
  const outcomeOf = async (id: string) => (await deliverOutboxMessage(deps, id)).outcome;

  it('tells the channel which row it sends and whether anything is recorded about it (a ref), read in the claim', async () => {
    const prisma = target.db.prisma;
    const [plain] = await write('refs-chat', ['a reply about nothing']);
    const about = await prisma.$transaction(async (tx) => {
      const rows = await writeOutbox(tx, [{ communityId: target.communityId, channel: 'web' as const, chatId: 'refs-chat', message: { text: 'a card' }, priority: PRIORITY_REPLY }]);
      await writeMessageRefs(tx, rows, () => ({ subjectKind: 'ticket', subjectId: 'ticket-of-the-card', role: 'card' }));
      return rows[0]!;
    });
    expect(await outcomeOf(plain!.id)).toBe('sent');
    expect(await outcomeOf(about.id)).toBe('sent');
    const contexts = channel.sent.filter((s) => s.chatId === 'refs-chat').map((s) => [s.text, s.context]);
    expect(contexts).toEqual([
      ['a reply about nothing', { outboxId: plain!.id, hasRefs: false }],
      ['a card', { outboxId: about.id, hasRefs: true }],
    ]);
  });

  it('tells the channel the language a reply was written in, as its writer said, and sends the message as written', async () => {
    const [english, none, unsaid] = await target.db.prisma.$transaction((tx) =>
      writeOutbox(tx, [
        { communityId: target.communityId, channel: 'web' as const, chatId: 'locale-chat', message: { text: 'in English' }, chosenLocale: 'en' },
        { communityId: target.communityId, channel: 'web' as const, chatId: 'locale-chat', message: { text: '默认语言' }, chosenLocale: null },
        { communityId: target.communityId, channel: 'web' as const, chatId: 'locale-chat', message: { text: 'a notice' } },
      ]),
    );
    for (const row of [english!, none!, unsaid!]) expect(await outcomeOf(row.id)).toBe('sent');
    const sent = channel.sent.filter((s) => s.chatId === 'locale-chat');
    expect(sent.map((s) => [s.message, s.context?.chosenLocale])).toEqual([
      [{ text: 'in English' }, 'en'],
      [{ text: '默认语言' }, null],
      [{ text: 'a notice' }, undefined],
    ]);
    expect(sent[2]!.context).not.toHaveProperty('chosenLocale');
  });

  it('delivers each chat’s messages in the order written, with ten workers at once', async () => {
    const workers = startDeliveryWorkers(target.queues, deps, { concurrency: 10 });
    try {
      const chats = ['order-a', 'order-b', 'order-c'];
      const texts = Array.from({ length: 12 }, (_, i) => `m${i}`);
      for (const chat of chats) await outbox.dispatch(await write(chat, texts));
      const prisma = target.db.prisma;
      await waitFor(async () => (await prisma.outboxMessage.count({ where: { chatId: { in: chats }, status: 'sent' } })) === 36, '36 messages sent');
      for (const chat of chats) expect(channel.textsTo(chat)).toEqual(texts);
      const rows = await prisma.outboxMessage.findMany({ where: { chatId: { in: chats } } });
      expect(rows.filter((r) => !(r.status === 'sent' && r.externalMessageId && r.sentAt && r.attempts === 1))).toEqual([]);
    } finally {
      await workers.close();
    }
  });

  it('holds a message while an earlier one to the same chat is unfinished, but not behind bulk', async () => {
    const [bulk] = await write('held', ['bulk notice'], PRIORITY_BULK);
    const [first, second] = await write('held', ['first reply', 'second reply']);
    await target.db.prisma.outboxMessage.update({ where: { id: first!.id }, data: { status: 'retrying' } });

    expect(await outcomeOf(second!.id)).toBe('wait');
    expect(await statusOf(second!.id)).toBe('pending');

    expect(await outcomeOf(first!.id)).toBe('sent');
    expect(await outcomeOf(second!.id)).toBe('sent');
    // The bulk row written before them is still unsent, and held neither reply.
    expect(await statusOf(bulk!.id)).toBe('pending');
    expect(await outcomeOf(bulk!.id)).toBe('sent');
  });

  it('queues a message behind an unfinished one parked, and wakes it when that one is sent', async () => {
    const [first] = await write('parked', ['one']);
    const [second] = await write('parked', ['two']);
    await outbox.dispatch([first!, second!]);
    const queue = target.queues.queue(deliveryQueueFor('web'));
    const jobOf = (id: string) => queue.getJob(jobIds.deliveries({ outboxId: id }));
    expect(await (await jobOf(first!.id))!.getState()).not.toBe('delayed');
    expect(await (await jobOf(second!.id))!.getState()).toBe('delayed');

    const workers = startDeliveryWorkers(target.queues, deps, { concurrency: 2 });
    try {
      // Woken long before its 60 s safety delay runs out.
      await waitFor(() => channel.textsTo('parked').length === 2, 'both sent');
      expect(channel.textsTo('parked')).toEqual(['one', 'two']);
    } finally {
      await workers.close();
    }
  });

  it('lets go of a parked message whose wake-up was lost (a crash right after the send before it)', async () => {
    const [first] = await write('stranded', ['one']);
    const [second] = await write('stranded', ['two']);
    await outbox.dispatch([first!, second!]);
    const queue = target.queues.queue(deliveryQueueFor('web'));
    const secondJob = () => queue.getJob(jobIds.deliveries({ outboxId: second!.id }));
    expect(await (await secondJob())!.getState()).toBe('delayed');
    // The first went out, then the process died before waking the second.
    await (await queue.getJob(jobIds.deliveries({ outboxId: first!.id })))!.remove();
    await target.db.prisma.outboxMessage.update({ where: { id: first!.id }, data: { status: 'sent', sentAt: new Date() } });

    await outbox.sweep(60_000, 60_000);
    expect(await (await secondJob())!.getState()).not.toBe('delayed');
    const workers = startDeliveryWorkers(target.queues, deps, { concurrency: 2 });
    try {
      await waitFor(() => channel.textsTo('stranded').length === 1, 'the stranded message sent');
      expect(channel.textsTo('stranded')).toEqual(['two']);
    } finally {
      await workers.close();
    }
  });

  it('sends a message once however often its job runs', async () => {
    const [row] = await write('once', ['only once']);
    const results = await Promise.all([1, 2, 3].map(() => outcomeOf(row!.id)));
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    expect(channel.textsTo('once')).toHaveLength(1);
  });

  it('marks a blocked recipient unreachable and does not retry; keeps a retryable failure for retry', async () => {
    const prisma = target.db.prisma;
    const account = await prisma.chatAccount.create({ data: { communityId: target.communityId, channel: 'web', externalId: 'blocked-person' } });
    const [blocked] = await prisma.$transaction((tx) =>
      writeOutbox(tx, [{ communityId: target.communityId, channel: 'web', chatId: 'blocked', chatAccountId: account.id, message: { text: 'x' } }]),
    );
    const [flaky] = await write('flaky', ['y']);
    channel.failWith = (chatId) =>
      chatId === 'blocked'
        ? new ChannelSendError('bot was blocked by the user', false)
        : chatId === 'flaky'
          ? new ChannelSendError('bad gateway', true)
          : undefined;
    try {
      expect(await outcomeOf(blocked!.id)).toBe('failed');
      expect(await statusOf(blocked!.id)).toBe('failed');
      expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: account.id } })).unreachableAt).not.toBeNull();

      await expect(deliverOutboxMessage(deps, flaky!.id)).rejects.toThrow('bad gateway');
      const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: flaky!.id } });
      expect(row).toMatchObject({ status: 'retrying', attempts: 1, lastError: 'bad gateway' });
    } finally {
      channel.failWith = undefined;
    }
    expect(await outcomeOf(flaky!.id)).toBe('sent');
  });

  it('gives up a message the platform rejects, keeping the person reachable, and sends them the next one', async () => {
    const prisma = target.db.prisma;
    const account = await prisma.chatAccount.create({ data: { communityId: target.communityId, channel: 'web', externalId: 'rejected-person' } });
    const [rejected, next] = await prisma.$transaction((tx) =>
      writeOutbox(tx, [
        { communityId: target.communityId, channel: 'web', chatId: 'rejected', chatAccountId: account.id, message: { text: 'far too long' } },
        { communityId: target.communityId, channel: 'web', chatId: 'rejected', chatAccountId: account.id, message: { text: 'fine' } },
      ]),
    );
    channel.failWith = (_chatId, text) => (text === 'far too long' ? ChannelSendError.rejected('Bad Request: message is too long') : undefined);
    try {
      expect(await outcomeOf(rejected!.id)).toBe('failed');
      expect(await target.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: rejected!.id } })).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'Bad Request: message is too long',
      });
      expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: account.id } })).unreachableAt).toBeNull();
      expect(await outcomeOf(next!.id)).toBe('sent');
      expect(channel.textsTo('rejected')).toEqual(['fine']);
    } finally {
      channel.failWith = undefined;
    }
  });

  it('takes over a row left sending only when asked to and only once its claim is old', async () => {
    const [row] = await write('abandoned', ['lost in flight']);
    await target.db.prisma.outboxMessage.update({ where: { id: row!.id }, data: { status: 'sending', claimedAt: new Date(Date.now() - 5_000) } });
    expect((await deliverOutboxMessage(deps, row!.id)).outcome).toBe('skipped');
    expect((await deliverOutboxMessage(deps, row!.id, { reclaimAfterMs: 10_000 })).outcome).toBe('skipped');
    expect((await deliverOutboxMessage(deps, row!.id, { reclaimAfterMs: 1_000 })).outcome).toBe('sent');
    expect(channel.textsTo('abandoned')).toEqual(['lost in flight']);
  });

  it('sweeps up rows never queued, rows a dead worker left sending, and rows whose job the queue lost', async () => {
    const prisma = target.db.prisma;
    const [neverQueued] = await write('swept', ['never queued']);
    const [stuck] = await write('swept-2', ['stuck sending']);
    const [lost] = await write('swept-3', ['job lost']);
    await prisma.outboxMessage.update({ where: { id: stuck!.id }, data: { status: 'sending', claimedAt: new Date(Date.now() - 10 * 60_000) } });
    await outbox.dispatch([lost!]);
    const queue = target.queues.queue(deliveryQueueFor('web'));
    await (await queue.getJob(jobIds.deliveries({ outboxId: lost!.id })))!.remove();
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await prisma.outboxMessage.update({ where: { id: lost!.id }, data: { createdAt: longAgo, enqueuedAt: longAgo } });

    expect(await outbox.sweep(0, 60_000)).toBe(3);
    const workers = startDeliveryWorkers(target.queues, deps, { concurrency: 2 });
    try {
      await waitFor(
        async () => (await Promise.all([neverQueued, stuck, lost].map((r) => statusOf(r!.id)))).every((s) => s === 'sent'),
        'swept rows sent',
      );
      // Nothing left to hand over, and nothing sent twice.
      expect(await outbox.sweep(0, 60_000)).toBe(0);
      for (const chat of ['swept', 'swept-2', 'swept-3']) expect(channel.textsTo(chat)).toHaveLength(1);
    } finally {
      await workers.close();
    }
  });
});
