/**
 * Replies sent straight from the process that wrote them (`sendRepliesDirectly`): the same
 * claim, pacing and record as a job, without the queue's round trips — and everything that
 * cannot go at once falls back to the queue: a chat's later messages keep their order, a
 * retryable failure is retried by a job, bulk messages and one-at-a-time (WeChat) accounts stay
 * on the queue. Real database and queues on every configured backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError, type ChannelName } from '../../src/channels/types.js';
import type { DeliveryWorkers } from '../../src/outbox/delivery-queue.js';
import { deliveryQueueFor } from '../../src/outbox/delivery-scheduler.js';
import { PRIORITY_BULK, PRIORITY_REPLY, writeOutbox, type OutboxDispatcher } from '../../src/outbox/outbox.js';
import { jobIds } from '../../src/queue/jobs.js';
import { deliveryTargets, dispatcherFor, openDeliveryTarget, startDirectDelivery, writeTexts, type DeliveryTarget } from './support/delivery-target.js';
import { waitFor } from '../support/wait-for.js';
import { RecordingChannel } from './support/recording-channel.js';

describe.each(deliveryTargets())('direct delivery of replies on %s', (kind) => {
  let target: DeliveryTarget;
  let outbox: OutboxDispatcher;
  let workers: DeliveryWorkers | undefined;

  beforeEach(async () => {
    target = await openDeliveryTarget(kind);
    outbox = dispatcherFor(target);
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await target?.close();
  });

  function start(channels: RecordingChannel[]) {
    workers = startDirectDelivery(target, outbox, channels);
    return workers;
  }

  async function send(channel: ChannelName, chatId: string, texts: string[], priority = PRIORITY_REPLY) {
    const rows = await writeTexts(target, channel, chatId, texts, priority);
    await outbox.dispatch(rows);
    return rows;
  }

  const jobOf = (channel: ChannelName, id: string) => target.queues.queue(deliveryQueueFor(channel)).getJob(jobIds.deliveries({ outboxId: id }));
  const rowOf = (id: string) => target.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } });

  it('sends a reply without a job and records it like one', async () => {
    const web = new RecordingChannel('web');
    const started = start([web]);
    const [row] = await send('web', 'direct-1', ['hello']);
    await waitFor(() => web.sent.length === 1, 'the reply sent');
    await waitFor(async () => (await rowOf(row!.id)).status === 'sent', 'the reply recorded');
    await waitFor(() => started.counts.get('web')!.sent === 1, 'the send counted');
    const recorded = await rowOf(row!.id);
    expect(recorded.externalMessageId).toBeTruthy();
    expect(recorded.attempts).toBe(1);
    expect(await jobOf('web', row!.id)).toBeUndefined();
    expect(started.counts.get('web')).toMatchObject({ sent: 1, direct: 1 });
  });

  it('sends a chat’s replies one after another, in order, with no job at all when the chat is unpaced', async () => {
    const web = new RecordingChannel('web', { latency: { minMs: 20, maxMs: 40 } });
    const started = start([web]);
    const texts = ['one', 'two', 'three', 'four'];
    const rows = await send('web', 'direct-order', texts);
    // Written while those are on their way: it waits for them (queued), and still comes last.
    await send('web', 'direct-order', ['five']);
    await waitFor(() => web.textsTo('direct-order').length === 5, 'five replies sent');
    expect(web.textsTo('direct-order')).toEqual([...texts, 'five']);
    // Counted once recorded, a moment after the channel saw the send.
    await waitFor(() => started.counts.get('web')!.sent === 5, 'five sends recorded');
    expect(started.counts.get('web')!.direct).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(await jobOf('web', row.id)).toBeUndefined();
  });

  it('queues the rest of a chat’s replies, in order and at the chat’s pace, when its budget says "not yet"', async () => {
    const telegram = new RecordingChannel('telegram', {
      latency: { minMs: 5, maxMs: 5 },
      pacing: { perAccount: { max: 100, perMs: 1000 }, perChat: () => ({ max: 1, perMs: 300 }) },
    });
    const started = start([telegram]);
    await send('telegram', '4242', ['a', 'b', 'c']);
    await waitFor(() => telegram.textsTo('4242').length === 3, 'three replies sent');
    expect(telegram.textsTo('4242')).toEqual(['a', 'b', 'c']);
    const times = telegram.timesTo('4242');
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(300 - 20);
    // The first went at once; the others waited for the chat's budget (the gaps above) — through
    // the queue, unless the machine was so slow that their slot had come by the time they were written.
    await waitFor(() => started.counts.get('telegram')!.sent === 3, 'three sends recorded');
    expect(started.counts.get('telegram')!.direct).toBeGreaterThanOrEqual(1);
  });

  it('sends a bulk message written after a chat’s replies once they are out', async () => {
    const web = new RecordingChannel('web');
    start([web]);
    const rows = await target.db.prisma.$transaction((tx) =>
      writeOutbox(tx, [
        { communityId: target.communityId, channel: 'web', chatId: 'direct-mixed', message: { text: 'reply' }, priority: PRIORITY_REPLY },
        { communityId: target.communityId, channel: 'web', chatId: 'direct-mixed', message: { text: 'notice' }, priority: PRIORITY_BULK },
      ]),
    );
    await outbox.dispatch(rows);
    await waitFor(() => web.textsTo('direct-mixed').length === 2, 'both sent');
    expect(web.textsTo('direct-mixed')).toEqual(['reply', 'notice']);
  });

  it('leaves bulk messages to the queue', async () => {
    const web = new RecordingChannel('web');
    const started = start([web]);
    const rows = await send('web', 'direct-bulk', ['notice'], PRIORITY_BULK);
    await waitFor(() => web.sent.length === 1, 'the notice sent');
    await waitFor(async () => (await rowOf(rows[0]!.id)).status === 'sent', 'the notice recorded');
    expect(started.counts.get('web')!.direct).toBe(0);
  });

  it('hands a reply that failed for now to a job, which sends it once', async () => {
    const web = new RecordingChannel('web');
    let failures = 0;
    web.failWith = () => (failures++ === 0 ? new ChannelSendError('platform hiccup', true) : undefined);
    start([web]);
    const [row] = await send('web', 'direct-retry', ['try again']);
    await waitFor(async () => (await rowOf(row!.id)).status === 'sent', 'the reply sent on the retry');
    expect(web.textsTo('direct-retry')).toEqual(['try again']);
    expect((await rowOf(row!.id)).attempts).toBe(2);
  });

  it('after a crash mid-send, the sweep hands a reply with no job to the queue once its claim is old; a fresh claim is left to its sender', async () => {
    const web = new RecordingChannel('web');
    start([web]);
    // Two replies claimed straight from a writer (no job): one by a process that died a while
    // ago, one by a process still sending it.
    const [abandoned] = await target.db.prisma.$transaction((tx) =>
      writeOutbox(tx, [{ communityId: target.communityId, channel: 'web', chatId: 'direct-crash', message: { text: 'lost?' } }]),
    );
    const [live] = await target.db.prisma.$transaction((tx) =>
      writeOutbox(tx, [{ communityId: target.communityId, channel: 'web', chatId: 'direct-live', message: { text: 'on its way' } }]),
    );
    const claimed = (id: string, agoMs: number) =>
      target.db.prisma.outboxMessage.update({ where: { id }, data: { status: 'sending', attempts: 1, claimedAt: new Date(Date.now() - agoMs) } });
    await claimed(abandoned!.id, 70_000);
    await claimed(live!.id, 5_000);

    expect(await outbox.sweep(30_000, 60_000)).toBe(1);
    await waitFor(async () => (await rowOf(abandoned!.id)).status === 'sent', 'the abandoned reply sent');
    expect(web.textsTo('direct-crash')).toEqual(['lost?']);
    expect(web.textsTo('direct-live')).toEqual([]);
    expect((await rowOf(live!.id)).status).toBe('sending');
  });

  it('sends a one-at-a-time account’s replies (WeChat) through its queue only', async () => {
    const wechat = new RecordingChannel('wechat', { pacing: { perAccount: { max: 10, perMs: 1000, jitterMs: 10 } } });
    const started = start([wechat]);
    await send('wechat', 'direct-wechat', ['你好']);
    await waitFor(() => wechat.sent.length === 1, 'the reply sent');
    expect(started.counts.get('wechat')!.direct).toBe(0);
  });
});
