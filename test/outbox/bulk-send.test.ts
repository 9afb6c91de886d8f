/**
 * Bulk sends on every backend: one row per recipient, progress readable at any time, and a
 * crash in the middle (workers stopped dead with sends in flight) followed by a restart that
 * loses nothing and sends twice only what was in flight. Also a crash between writing a bulk
 * send and queueing it. The channel records what reached the "platform".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/channels/types.js';
import { bulkSendProgress, createBulkSend, type BulkSendProgress, type BulkWriteProgress } from '../../src/outbox/bulk-send.js';
import { startDeliveryWorkers, type DeliveryWorkerOptions, type DeliveryWorkers } from '../../src/outbox/delivery-queue.js';
import { DeliveryScheduler } from '../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher } from '../../src/outbox/outbox.js';
import { jobsInHand } from '../../src/outbox/platform-pacing.js';
import { deliveryTargets, openDeliveryTarget, silentLogger as logger, type DeliveryTarget } from './support/delivery-target.js';
import { waitFor } from '../support/wait-for.js';
import { RecordingChannel } from './support/recording-channel.js';

describe.each(deliveryTargets())('bulk sends on %s', (kind) => {
  let target: DeliveryTarget;
  let outbox: OutboxDispatcher;
  const running: DeliveryWorkers[] = [];

  beforeEach(async () => {
    target = await openDeliveryTarget(kind);
    outbox = new OutboxDispatcher(target.db.prisma, new DeliveryScheduler(target.queues, target.db.prisma, logger), logger);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((workers) => workers.close(true)));
    await target?.close();
  });

  function start(channel: RecordingChannel, options: Partial<DeliveryWorkerOptions> = {}): DeliveryWorkers {
    const workers = startDeliveryWorkers(
      target.queues,
      { prisma: target.db.prisma, channels: new Map([[channel.name, channel]]), logger },
      { concurrency: 4, pacer: target.pacer, ...options },
    );
    running.push(workers);
    return workers;
  }

  const recipients = (n: number) => Array.from({ length: n }, (_, i) => ({ channel: 'telegram' as const, chatId: `r${i}` }));
  const write = (n: number) =>
    target.db.prisma.$transaction((tx) =>
      createBulkSend(tx, { communityId: target.communityId, purpose: 'test', recipients: recipients(n), message: { text: 'notice' } }),
    );
  const progress = (id: string) => bulkSendProgress(target.db.prisma, id);
  /** How many times each recipient got the message. */
  const deliveries = (channel: RecordingChannel, n: number) =>
    Array.from({ length: n }, (_, i) => channel.sent.filter((s) => s.chatId === `r${i}`).length);

  it('counts progress as it goes: sent, given up, still to do', async () => {
    const telegram = new RecordingChannel('telegram', { pacing: { perAccount: { max: 100, perMs: 1000 } } });
    const unreachable = new Set(['r3', 'r7', 'r11']);
    telegram.failWith = (chatId) => (unreachable.has(chatId) ? new ChannelSendError('Forbidden: bot was blocked by the user', false) : undefined);
    const bulk = await write(30);
    expect(await progress(bulk.bulkSendId)).toEqual({ bulkSendId: bulk.bulkSendId, total: 30, sent: 0, failed: 0, unfinished: 30, done: false });

    await outbox.dispatch(bulk.rows);
    start(telegram);
    const readings: BulkSendProgress[] = [];
    await waitFor(async () => {
      const now = await progress(bulk.bulkSendId);
      readings.push(now);
      return now.done;
    }, 'the bulk send done');

    expect(readings.at(-1)).toEqual({ bulkSendId: bulk.bulkSendId, total: 30, sent: 27, failed: 3, unfinished: 0, done: true });
    for (const [i, reading] of readings.entries()) {
      expect(reading.sent + reading.failed + reading.unfinished).toBe(30);
      if (i > 0) expect(reading.sent).toBeGreaterThanOrEqual(readings[i - 1]!.sent);
    }
    expect(deliveries(telegram, 30).filter((n) => n !== 1)).toHaveLength(3);
  });

  it('writes 3,076 recipients (every household of the community) 1,000 rows a statement, reporting as it goes, then counts their delivery', async () => {
    const total = 3_076;
    const prisma = target.db.prisma;
    const reports: BulkWriteProgress[] = [];
    const bulk = await prisma.$transaction(
      (tx) =>
        createBulkSend(
          tx,
          { communityId: target.communityId, purpose: 'test', recipients: recipients(total), message: { text: 'notice' } },
          { onProgress: (progress) => void reports.push(progress) },
        ),
      { timeout: 60_000 },
    );
    // One report per statement: three of 1,000 rows and the remaining 76.
    expect(reports).toEqual([...Array.from({ length: 3 }, (_, i) => (i + 1) * 1000), total].map((written) => ({ written, total })));
    expect(new Set(bulk.rows.map((row) => row.id)).size).toBe(total);
    // Written in the order given (a chat's messages go out in `seq` order), across chunks too.
    const order = await prisma.outboxMessage.findMany({ where: { bulkSendId: bulk.bulkSendId }, orderBy: { seq: 'asc' }, select: { id: true, chatId: true } });
    expect(order.map((row) => row.chatId)).toEqual(recipients(total).map((r) => r.chatId));
    expect(order.map((row) => row.id)).toEqual(bulk.rows.map((row) => row.id));
    const perRecipient = await prisma.outboxMessage.groupBy({ by: ['chatId'], where: { bulkSendId: bulk.bulkSendId }, _count: { _all: true } });
    expect(perRecipient).toHaveLength(total);
    expect(perRecipient.every((group) => group._count._all === 1)).toBe(true);
    expect(await progress(bulk.bulkSendId)).toEqual({ bulkSendId: bulk.bulkSendId, total, sent: 0, failed: 0, unfinished: total, done: false });

    await outbox.dispatch(bulk.rows);
    expect(await prisma.outboxMessage.count({ where: { bulkSendId: bulk.bulkSendId, status: 'queued' } })).toBe(total);

    const telegram = new RecordingChannel('telegram', { latency: { minMs: 0, maxMs: 2 } });
    const workers = start(telegram, { concurrency: 8 });
    await waitFor(() => telegram.sent.length >= 200, '200 sent');
    await workers.close();
    const midway = await progress(bulk.bulkSendId);
    expect(midway.sent).toBeGreaterThanOrEqual(200);
    expect(midway.sent).toBe(telegram.sent.length);
    expect(midway).toMatchObject({ total, failed: 0, unfinished: total - midway.sent, done: false });
  }, 120_000);

  it('sends each recipient their own rendering when one is given', async () => {
    const telegram = new RecordingChannel('telegram');
    const { rows } = await target.db.prisma.$transaction((tx) =>
      createBulkSend(tx, {
        communityId: target.communityId,
        purpose: 'test',
        recipients: [
          { channel: 'telegram', chatId: 'zh', message: { text: '通知' } },
          { channel: 'telegram', chatId: 'en' },
        ],
        message: { text: 'notice' },
      }),
    );
    await outbox.dispatch(rows);
    start(telegram);
    await waitFor(() => telegram.sent.length === 2, 'both sent');
    expect(telegram.textsTo('zh')).toEqual(['通知']);
    expect(telegram.textsTo('en')).toEqual(['notice']);
  });

  it('resumes after the workers die mid-send: nothing lost, only messages in flight sent twice', async () => {
    const total = 120;
    const concurrency = 4;
    const telegram = new RecordingChannel('telegram', { latency: { minMs: 10, maxMs: 30 }, pacing: { perAccount: { max: 300, perMs: 1000 } } });
    const crashSafe = { concurrency, lockDurationMs: 1_000, stalledIntervalMs: 300 };
    const bulk = await write(total);
    await outbox.dispatch(bulk.rows);
    const first = start(telegram, crashSafe);
    await waitFor(() => telegram.sent.length >= 40, '40 sent');

    // The crash: sends reach the platform but never come back; the workers stop dead.
    telegram.crashed = true;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await first.close(true);
    // Unlike a killed process, the stopped workers' jobs whose slot had begun still claim their
    // row and send (into the crashed platform): count what is in flight once every claimed row
    // has reached it — each row `sending` is a send that never came back — and stays so.
    const sending = () => target.db.prisma.outboxMessage.count({ where: { bulkSendId: bulk.bulkSendId, status: 'sending' } });
    const sent = () => target.db.prisma.outboxMessage.count({ where: { bulkSendId: bulk.bulkSendId, status: 'sent' } });
    let settledLooks = 0;
    await waitFor(async () => {
      const hung = telegram.sent.length - (await sent());
      settledLooks = (await sending()) === hung ? settledLooks + 1 : 0;
      return settledLooks >= 10;
    }, 'every claimed row at the crashed platform');
    const inFlight = await sending();
    expect(inFlight).toBeGreaterThan(0);
    // Jobs in hand claim only once their slot begins; sends that hang hold at most all of them.
    expect(inFlight).toBeLessThanOrEqual(jobsInHand(concurrency, { max: 300, perMs: 1000 }));
    const before = await progress(bulk.bulkSendId);
    expect(before.sent).toBeLessThan(total);

    // The restart: new workers, and the start-up sweep.
    telegram.crashed = false;
    start(telegram, crashSafe);
    await outbox.sweep(0, 60_000);
    await waitFor(async () => (await progress(bulk.bulkSendId)).done, 'the bulk send done after the restart');

    expect(await progress(bulk.bulkSendId)).toMatchObject({ sent: total, failed: 0, unfinished: 0 });
    const counts = deliveries(telegram, total);
    expect(counts.filter((n) => n === 0)).toHaveLength(0);
    const twice = counts.filter((n) => n > 1);
    expect(twice.every((n) => n === 2)).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(inFlight);
  });

  it('resumes a bulk send written but never queued (a crash right after the commit)', async () => {
    const telegram = new RecordingChannel('telegram');
    const bulk = await write(25);
    start(telegram);
    expect(await outbox.sweep(0, 60_000)).toBe(25);
    await waitFor(async () => (await progress(bulk.bulkSendId)).done, 'the bulk send done');
    expect(deliveries(telegram, 25).every((n) => n === 1)).toBe(true);
  });
});
