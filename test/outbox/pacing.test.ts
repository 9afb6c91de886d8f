/**
 * Paced delivery through the real workers on every backend: a chat's own budget, the account's
 * overall budget, a 429 that holds one account and not another, WeChat's one-at-a-time sending
 * with random gaps, and a reply that overtakes a running bulk send. Assertions are on the send
 * times the recording channel saw, with a tolerance; rates are small so the tests stay quick.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError, type ChannelName, type ChannelPacing } from '../../src/channels/types.js';
import { createBulkSend } from '../../src/outbox/bulk-send.js';
import { slotsWithinWindow } from '../../src/outbox/account-gate.js';
import { startDeliveryWorkers, type DeliveryWorkers } from '../../src/outbox/delivery-queue.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxDispatcher } from '../../src/outbox/outbox.js';
import { defaultPacing, isTelegramGroupChat } from '../../src/outbox/platform-pacing.js';
import { deliveryTargets, dispatcherFor, openDeliveryTarget, silentLogger as logger, writeTexts, type DeliveryTarget } from './support/delivery-target.js';
import { waitFor } from '../support/wait-for.js';
import { RecordingChannel } from './support/recording-channel.js';

/** Timer and round-trip noise between a granted slot and the recorded send, on a busy machine. */
const TOLERANCE_MS = 20;
const FIXED_LATENCY = { minMs: 5, maxMs: 5 };
/** The pacing cell keeps its backend's time (Redis TIME, the database's now()); on one machine it agrees with ours to a ms or two. */
const CLOCKS_MS = 5;

describe.each(deliveryTargets())('paced delivery on %s', (kind) => {
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

  function start(channels: RecordingChannel[], options: { concurrency?: number; defaults?: Partial<Record<ChannelName, ChannelPacing>> } = {}) {
    workers = startDeliveryWorkers(
      target.queues,
      { prisma: target.db.prisma, channels: new Map(channels.map((c) => [c.name, c])), logger },
      { concurrency: options.concurrency ?? 5, pacer: target.pacer, ...(options.defaults ? { defaultPacing: options.defaults } : {}) },
    );
  }

  async function send(channel: ChannelName, chatId: string, texts: string[], priority = PRIORITY_REPLY) {
    const rows = await writeTexts(target, channel, chatId, texts, priority);
    await outbox.dispatch(rows);
    return rows;
  }

  const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
  const texts = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('holds each chat to its own rate — people and groups differently — and keeps their order', async () => {
    const telegram = new RecordingChannel('telegram', {
      latency: FIXED_LATENCY,
      pacing: {
        perAccount: { max: 200, perMs: 1000 },
        perChat: (chatId) => (isTelegramGroupChat(chatId) ? { max: 1, perMs: 700 } : { max: 1, perMs: 300 }),
      },
    });
    start([telegram]);
    await send('telegram', '101', texts(5));
    await send('telegram', '102', texts(5));
    await send('telegram', '-500', texts(3));
    await waitFor(() => telegram.sent.length === 13, '13 messages sent');

    for (const chat of ['101', '102']) {
      expect(telegram.textsTo(chat)).toEqual(texts(5));
      for (const gap of gaps(telegram.timesTo(chat))) expect(gap).toBeGreaterThanOrEqual(300 - TOLERANCE_MS);
    }
    expect(telegram.textsTo('-500')).toEqual(texts(3));
    for (const gap of gaps(telegram.timesTo('-500'))) expect(gap).toBeGreaterThanOrEqual(700 - TOLERANCE_MS);
  });

  it('holds the account to its overall rate across many chats', async () => {
    const perAccount = { max: 20, perMs: 1000 };
    const telegram = new RecordingChannel('telegram', { latency: FIXED_LATENCY, pacing: { perAccount } });
    const begun = Date.now();
    start([telegram], { concurrency: 10 });
    const rows = await target.db.prisma.$transaction((tx) =>
      writeOutbox(
        tx,
        Array.from({ length: 30 }, (_, i) => ({ communityId: target.communityId, channel: 'telegram' as const, chatId: `c${i}`, message: { text: 'x' } })),
      ),
    );
    await outbox.dispatch(rows);
    await waitFor(() => telegram.sent.length === 30, '30 messages sent');

    // 20/s: a send starts only once its slot has begun, and the k-th slot is k slots after the
    // first (which is no earlier than the workers' start). A busy machine only makes sends later,
    // so this cannot fail for slowness; how fully the budget is used is bench:delivery's figure.
    const slot = slotsWithinWindow(perAccount).perMs / slotsWithinWindow(perAccount).max;
    const times = telegram.sent.map((s) => s.startedAt).sort((a, b) => a - b);
    times.forEach((time, k) => expect(time - begun, `send ${k}`).toBeGreaterThanOrEqual(k * slot - CLOCKS_MS));
  });

  it('pauses only the account that got a 429, for as long as the platform asked, without using an attempt', async () => {
    const telegram = new RecordingChannel('telegram', { latency: FIXED_LATENCY, pacing: { perAccount: { max: 50, perMs: 1000 } } });
    const wechat = new RecordingChannel('wechat', { latency: FIXED_LATENCY, pacing: { perAccount: { max: 50, perMs: 1000 } } });
    let limitedAt = 0;
    telegram.failWith = (chatId) => {
      if (chatId !== 't0' || limitedAt) return undefined;
      limitedAt = Date.now();
      return new ChannelSendError('Too Many Requests: retry after 1', true, 800);
    };
    const rows = await target.db.prisma.$transaction((tx) =>
      writeOutbox(
        tx,
        Array.from({ length: 10 }, (_, i) => ({ communityId: target.communityId, channel: 'telegram' as const, chatId: `t${i}`, message: { text: 'x' } })),
      ),
    );
    await outbox.dispatch(rows);
    start([telegram, wechat]);
    const attemptsUsed = new Map<string, number>();
    workers!.workers.get('telegram')!.on('completed', (job) => attemptsUsed.set(job.data.outboxId, job.attemptsMade));
    await waitFor(() => limitedAt > 0, 'the 429');
    const meanwhile = await target.db.prisma.$transaction((tx) =>
      writeOutbox(
        tx,
        Array.from({ length: 6 }, (_, i) => ({ communityId: target.communityId, channel: 'wechat' as const, chatId: `w${i}`, message: { text: 'meanwhile' } })),
      ),
    );
    await outbox.dispatch(meanwhile);
    await waitFor(() => telegram.sent.length === 10 && wechat.sent.length === 6, 'everything sent');

    // Sends already on their way when the 429 came back go; none starts after it until the pause is over.
    const pauseEnd = limitedAt + 800 - TOLERANCE_MS;
    expect(telegram.sent.filter((s) => s.startedAt > limitedAt + 5 && s.startedAt < pauseEnd)).toEqual([]);
    expect(telegram.sent.filter((s) => s.startedAt >= pauseEnd).length).toBeGreaterThanOrEqual(3);
    // The other account went on while this one waited.
    expect(wechat.sent.filter((s) => s.startedAt > limitedAt && s.startedAt < pauseEnd).length).toBeGreaterThan(0);

    // Completed on its first counted attempt: the 429 did not use one.
    await waitFor(() => attemptsUsed.has(rows[0]!.id), 'the limited message’s job completed');
    expect(attemptsUsed.get(rows[0]!.id)).toBe(1);
    await waitFor(() => workers!.counts.get('telegram')!.sent === 10, 'every send recorded');
    expect(workers!.counts.get('telegram')!.platformPauses).toBe(1);
  });

  it('sends WeChat messages one at a time, with a random gap between the configured bounds', async () => {
    const wechat = new RecordingChannel('wechat', { latency: FIXED_LATENCY });
    const defaults = defaultPacing({
      TELEGRAM_MAX_PER_SECOND: 30,
      TELEGRAM_MAX_PER_CHAT_PER_SECOND: 1,
      TELEGRAM_MAX_PER_GROUP_PER_MINUTE: 20,
      WECHAT_MIN_SEND_INTERVAL_MS: 100,
      WECHAT_MAX_SEND_INTERVAL_MS: 250,
    });
    start([wechat], { concurrency: 10, defaults });
    for (let i = 0; i < 6; i += 1) await send('wechat', `room${i}@chatroom`, ['notice']);
    await waitFor(() => wechat.sent.length === 6, 'six messages sent');

    expect(wechat.maxInFlight).toBe(1);
    for (const gap of gaps(wechat.sent.map((s) => s.startedAt))) expect(gap).toBeGreaterThanOrEqual(100 - TOLERANCE_MS);
  });

  it('lets a reply overtake a running bulk send: at most one bulk message takes a slot between its queueing and its turn', async () => {
    const telegram = new RecordingChannel('telegram', {
      latency: FIXED_LATENCY,
      pacing: { perAccount: { max: 20, perMs: 1000 }, perChat: () => ({ max: 1, perMs: 1000 }) },
    });
    start([telegram]);
    // When each job took its slot of the account's budget (the worker picked it up).
    const pickedUp: { outboxId: string; at: number }[] = [];
    workers!.workers.get('telegram')!.on('active', (job) => pickedUp.push({ outboxId: job.data.outboxId, at: Date.now() }));
    const recipients = Array.from({ length: 60 }, (_, i) => ({ channel: 'telegram' as const, chatId: `r${i}` }));
    const bulk = await target.db.prisma.$transaction((tx) =>
      createBulkSend(tx, { communityId: target.communityId, purpose: 'test', recipients, message: { text: 'notice' } }),
    );
    await outbox.dispatch(bulk.rows);
    await waitFor(() => telegram.sent.length >= 10, 'the bulk send under way');

    const [reply] = await send('telegram', 'person', ['your answer']);
    // From here the reply is on the queue (writing it is the caller's part, not delivery's).
    const queuedAt = Date.now();
    await waitFor(() => telegram.textsTo('person').length === 1, 'the reply sent');
    const replyPickedUp = pickedUp.find((p) => p.outboxId === reply!.id)!.at;

    const bulkAhead = pickedUp.filter((p) => p.outboxId !== reply!.id && p.at > queuedAt && p.at < replyPickedUp);
    expect(bulkAhead.length).toBeLessThanOrEqual(1);
    // It really overtook: the bulk send was still going.
    await waitFor(() => telegram.sent.some((s) => s.chatId !== 'person' && s.startedAt > telegram.timesTo('person')[0]!), 'bulk messages after the reply');
  });
});
