/**
 * A burst of replies beyond the direct sends a channel runs at once: the rest wait in line in
 * the process that wrote them, not as queue jobs, and go out in order per chat, at the account's
 * pace. A process that dies with replies in line loses none: the sweep queues them, and only the
 * one that was on its way can go twice. Real database and queues on every configured backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelPacing } from '../../src/channels/types.js';
import { startDeliveryWorkers, type DeliveryWorkers } from '../../src/outbox/delivery-queue.js';
import { deliveryQueueFor } from '../../src/outbox/delivery-scheduler.js';
import { directLineLength, directSlots } from '../../src/outbox/direct-line.js';
import type { OutboxDispatcher, QueuedOutboxRow } from '../../src/outbox/outbox.js';
import { jobIds } from '../../src/queue/jobs.js';
import { deliveryTargets, dispatcherFor, openDeliveryTarget, silentLogger as logger, writeTexts, type DeliveryTarget } from './support/delivery-target.js';
import { waitFor } from '../support/wait-for.js';
import { RecordingChannel } from './support/recording-channel.js';

/** 50 a second for the account: a few slots, a line of a few seconds' sends. */
const PACING: ChannelPacing = { perAccount: { max: 50, perMs: 1000 } };
/** How much later than its slot a send may start on a busy machine, at most, for this test. */
const SLOT_TO_SEND_MS = 100;

describe.each(deliveryTargets())('replies waiting in line for a direct send on %s', (kind) => {
  let target: DeliveryTarget;
  const opened: DeliveryWorkers[] = [];

  beforeEach(async () => {
    target = await openDeliveryTarget(kind);
  });
  afterEach(async () => {
    for (const workers of opened.splice(0)) await workers.close(true);
    await target?.close();
  });

  function start(channel: RecordingChannel): { workers: DeliveryWorkers; outbox: OutboxDispatcher } {
    const workers = startDeliveryWorkers(
      target.queues,
      { prisma: target.db.prisma, channels: new Map([[channel.name, channel]]), logger },
      { concurrency: 1, pacer: target.pacer },
    );
    opened.push(workers);
    const outbox = dispatcherFor(target);
    outbox.sendRepliesDirectly((rows) => workers.deliverNow(rows));
    return { workers, outbox };
  }

  const jobOf = (id: string) => target.queues.queue(deliveryQueueFor('telegram')).getJob(jobIds.deliveries({ outboxId: id }));

  it('sends a burst of many chats straight from the writer, each chat in order, at the account’s pace', async () => {
    const telegram = new RecordingChannel('telegram', { latency: { minMs: 5, maxMs: 15 }, pacing: PACING });
    const { workers, outbox } = start(telegram);
    const chats = Array.from({ length: 30 }, (_, i) => `70${i}`);
    expect(chats.length).toBeGreaterThan(directSlots(1, PACING.perAccount));
    // Each chat's turn dispatches its own replies, as turns do: far more chats than slots at once.
    const written: QueuedOutboxRow[] = [];
    for (const chatId of chats) written.push(...(await writeTexts(target, 'telegram', chatId, ['first', 'second'])));
    await Promise.all(chats.map((_, i) => outbox.dispatch(written.slice(i * 2, i * 2 + 2))));

    await waitFor(() => telegram.sent.length === chats.length * 2, 'every reply sent', 20_000);
    for (const chatId of chats) expect(telegram.textsTo(chatId)).toEqual(['first', 'second']);
    // None went through a job: those beyond the slots waited in line.
    await waitFor(() => workers.counts.get('telegram')!.sent === chats.length * 2, 'every send recorded');
    expect(workers.counts.get('telegram')!.direct).toBe(chats.length * 2);
    for (const row of written) expect(await jobOf(row.id)).toBeUndefined();
    // The account's budget held: no second has more than 50 sends, give or take the moments between
    // a slot and its send (a claim and the chat's pacing: longer on a busy machine). Sent without
    // the gate, all 60 would have gone within a fraction of that.
    const starts = telegram.sent.map((s) => s.startedAt).sort((a, b) => a - b);
    for (let i = 0; i + 50 < starts.length; i += 1) expect(starts[i + 50]! - starts[i]!).toBeGreaterThanOrEqual(1000 - SLOT_TO_SEND_MS);
  });

  it('queues what finds the line full, and still sends every chat in order', async () => {
    const slow: ChannelPacing = { perAccount: { max: 4, perMs: 100 } };
    const telegram = new RecordingChannel('telegram', { latency: { minMs: 5, maxMs: 10 }, pacing: slow });
    const { workers, outbox } = start(telegram);
    const room = directSlots(1, slow.perAccount) + directLineLength(slow.perAccount);
    const chats = Array.from({ length: room + 10 }, (_, i) => `71${i}`);
    const written: QueuedOutboxRow[] = [];
    for (const chatId of chats) written.push(...(await writeTexts(target, 'telegram', chatId, ['only'])));
    await Promise.all(written.map((row) => outbox.dispatch([row])));

    await waitFor(() => telegram.sent.length === chats.length, 'every reply sent', 60_000);
    for (const chatId of chats) expect(telegram.textsTo(chatId)).toEqual(['only']);
    await waitFor(() => workers.counts.get('telegram')!.sent === chats.length, 'every send recorded');
    // At least the ten beyond the room went as jobs.
    expect(workers.counts.get('telegram')!.direct).toBeLessThanOrEqual(chats.length - 10);
  }, 90_000);

  it('after the writer dies with replies in line, the sweep sends each once; only the one on its way can go twice', async () => {
    // The writer's process: its one slot's send reaches the platform and never returns; the
    // other chats wait in line behind it, their rows still pending.
    const dying = new RecordingChannel('telegram', { latency: { minMs: 0, maxMs: 0 }, pacing: { perAccount: { max: 5, perMs: 1000 } } });
    dying.crashed = true;
    const first = start(dying);
    const chats = ['7201', '7202', '7203', '7204', '7205'];
    const written: QueuedOutboxRow[] = [];
    for (const chatId of chats) written.push(...(await writeTexts(target, 'telegram', chatId, ['hello'])));
    await Promise.all(written.map((row) => first.outbox.dispatch([row])));
    await waitFor(() => dying.sent.length === 1, 'the first send under way');
    // It is gone: its queue worker takes no more jobs (its line is stuck forever).
    await first.workers.workers.get('telegram')!.close(true);

    // The next process sweeps: the replies in line were never claimed, the one on its way is taken over.
    const next = new RecordingChannel('telegram', { pacing: { perAccount: { max: 50, perMs: 1000 } } });
    const second = start(next);
    expect(await second.outbox.sweep(0, 0)).toBe(chats.length);
    await waitFor(() => next.sent.length === chats.length, 'every reply sent by the next process', 20_000);
    for (const chatId of chats) expect(next.textsTo(chatId)).toEqual(['hello']);
    const onItsWay = dying.sent[0]!.chatId;
    expect(chats).toContain(onItsWay);
    expect(dying.sent).toHaveLength(1);
  });
});
