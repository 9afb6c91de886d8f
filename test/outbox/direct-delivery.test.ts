/**
 * Replies sent straight from the process that wrote them (`sendRepliesDirectly`): the same
 * claim, pacing and record as a job, without the queue's round trips — and everything that
 * cannot go at once falls back to the queue: a chat's later messages keep their order, a
 * retryable failure is retried by a job, bulk messages and one-at-a-time (WeChat) accounts stay
 * on the queue. Real database and queues on every configured backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError, type ChannelName } from '../../src/channels/types.js';
import { startDeliveryWorkers, type DeliveryWorkers } from '../../src/outbox/delivery-queue.js';
import { DeliveryScheduler, deliveryQueueFor } from '../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher, PRIORITY_BULK, PRIORITY_REPLY, writeOutbox } from '../../src/outbox/outbox.js';
import { jobIds } from '../../src/queue/jobs.js';
import { deliveryTargets, openDeliveryTarget, silentLogger as logger, type DeliveryTarget } from './support/delivery-target.js';
import { RecordingChannel, until } from './support/recording-channel.js';

describe.each(deliveryTargets())('direct delivery of replies on %s', (kind) => {
  let target: DeliveryTarget;
  let outbox: OutboxDispatcher;
  let workers: DeliveryWorkers | undefined;

  beforeEach(async () => {
    target = await openDeliveryTarget(kind);
    outbox = new OutboxDispatcher(target.db.prisma, new DeliveryScheduler(target.queues, target.db.prisma, logger), logger);
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await target?.close();
  });

  function start(channels: RecordingChannel[]) {
    const started = startDeliveryWorkers(
      target.queues,
      { prisma: target.db.prisma, channels: new Map(channels.map((c) => [c.name, c])), logger },
      { concurrency: 4, pacer: target.pacer },
    );
    workers = started;
    outbox.sendRepliesDirectly((rows) => started.deliverNow(rows));
    return started;
  }

  async function send(channel: ChannelName, chatId: string, texts: string[], priority = PRIORITY_REPLY) {
    const rows = await target.db.prisma.$transaction((tx) =>
      writeOutbox(
        tx,
        texts.map((text) => ({ communityId: target.communityId, channel, chatId, message: { text }, priority })),
      ),
    );
    await outbox.dispatch(rows);
    return rows;
  }

  const jobOf = (channel: ChannelName, id: string) => target.queues.queue(deliveryQueueFor(channel)).getJob(jobIds.deliveries({ outboxId: id }));
  const rowOf = (id: string) => target.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } });

  it('sends a reply without a job and records it like one', async () => {
    const web = new RecordingChannel('web');
    const started = start([web]);
    const [row] = await send('web', 'direct-1', ['hello']);
    await until(() => web.sent.length === 1, 'the reply sent');
    await until(async () => (await rowOf(row!.id)).status === 'sent', 'the reply recorded');
    const recorded = await rowOf(row!.id);
    expect(recorded.externalMessageId).toBeTruthy();
    expect(recorded.attempts).toBe(1);
    expect(await jobOf('web', row!.id)).toBeUndefined();
    expect(started.counts.get('web')).toMatchObject({ sent: 1, direct: 1 });
  });

  it('keeps a chat’s order: the first reply goes at once, the rest follow it through the queue', async () => {
    const web = new RecordingChannel('web', { latency: { minMs: 20, maxMs: 40 } });
    const started = start([web]);
    const texts = ['one', 'two', 'three', 'four'];
    await send('web', 'direct-order', texts);
    await send('web', 'direct-order', ['five']);
    await until(() => web.textsTo('direct-order').length === 5, 'five replies sent');
    expect(web.textsTo('direct-order')).toEqual([...texts, 'five']);
    expect(started.counts.get('web')!.sent).toBe(5);
  });

  it('leaves bulk messages to the queue', async () => {
    const web = new RecordingChannel('web');
    const started = start([web]);
    const rows = await send('web', 'direct-bulk', ['notice'], PRIORITY_BULK);
    await until(() => web.sent.length === 1, 'the notice sent');
    await until(async () => (await rowOf(rows[0]!.id)).status === 'sent', 'the notice recorded');
    expect(started.counts.get('web')!.direct).toBe(0);
  });

  it('hands a reply that failed for now to a job, which sends it once', async () => {
    const web = new RecordingChannel('web');
    let failures = 0;
    web.failWith = () => (failures++ === 0 ? new ChannelSendError('platform hiccup', true) : undefined);
    start([web]);
    const [row] = await send('web', 'direct-retry', ['try again']);
    await until(async () => (await rowOf(row!.id)).status === 'sent', 'the reply sent on the retry', 30_000);
    expect(web.textsTo('direct-retry')).toEqual(['try again']);
    expect((await rowOf(row!.id)).attempts).toBe(2);
  });

  it('sends a one-at-a-time account’s replies (WeChat) through its queue only', async () => {
    const wechat = new RecordingChannel('wechat', { pacing: { perAccount: { max: 10, perMs: 1000, jitterMs: 10 } } });
    const started = start([wechat]);
    await send('wechat', 'direct-wechat', ['你好']);
    await until(() => wechat.sent.length === 1, 'the reply sent');
    expect(started.counts.get('wechat')!.direct).toBe(0);
  });
});
