/**
 * Replies claimed by the statement that writes them (`claimsOnWrite`): on a channel that nothing
 * paces, a reply is written `sending` and goes out from the writing process with no claim of its
 * own — unless an earlier message to its chat is still to go, when it is written as any row and
 * waits its turn. A chat's order holds, a reply that fails for now holds the rest of its chat
 * behind its retry, and a reply whose writer died before sending it is sent once by the sweep.
 * Real database and queues on every configured backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/channels/types.js';
import { SqlParams, sqlRunnerFor, sqlTimestamp, utcTimestamp } from '../../src/db/sql.js';
import type { DeliveryWorkers } from '../../src/outbox/delivery-queue.js';
import { deliveryQueueFor } from '../../src/outbox/delivery-scheduler.js';
import { claimedRowOf, outboxInsertSql, type OutboxDispatcher, type OutboxEntry, type QueuedOutboxRow } from '../../src/outbox/outbox.js';
import { jobIds } from '../../src/queue/jobs.js';
import { deliveryTargets, dispatcherFor, openDeliveryTarget, startDirectDelivery, writeTexts, type DeliveryTarget } from './support/delivery-target.js';
import { waitFor } from '../support/wait-for.js';
import { RecordingChannel } from './support/recording-channel.js';

describe.each(deliveryTargets())('replies claimed as they are written, on %s', (kind) => {
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
    workers = startDirectDelivery(target, outbox, channels, { claimsOnWrite: true });
    return workers;
  }

  /** Writes the replies as a turn does when its channel claims on write; the rows as the turn hands them on. */
  async function writeClaimed(chatId: string, texts: string[]): Promise<QueuedOutboxRow[]> {
    const params = new SqlParams();
    const entries: OutboxEntry[] = texts.map((text) => ({ communityId: target.communityId, channel: 'web', chatId, message: { text }, chosenLocale: null }));
    const at = utcTimestamp(params.add(sqlTimestamp(new Date())));
    const insert = outboxInsertSql(entries, params, undefined, at);
    const written = await sqlRunnerFor(target.db.prisma).query<{ id: string; status: string }>(insert.sql, params.values);
    const sending = new Set(written.filter((row) => row.status === 'sending').map((row) => row.id));
    return insert.rows.map((row, i) => (sending.has(row.id) ? { ...row, claimed: claimedRowOf(entries[i]!) } : row));
  }

  const rowOf = (id: string) => target.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
  const jobOf = (id: string) => target.queues.queue(deliveryQueueFor('web')).getJob(jobIds.deliveries({ outboxId: id }));

  it('claims only where nothing paces the channel and this process sends', async () => {
    expect(outbox.claimsOnWrite('web')).toBe(false);
    start([
      new RecordingChannel('web'),
      new RecordingChannel('telegram', { pacing: { perAccount: { max: 30, perMs: 1000 }, perChat: () => ({ max: 1, perMs: 1000 }) } }),
    ]);
    expect(outbox.claimsOnWrite('web')).toBe(true);
    expect(outbox.claimsOnWrite('telegram')).toBe(false);
  });

  it('sends a chat’s replies written claimed in order, each once, with no claim and no job of their own', async () => {
    const web = new RecordingChannel('web', { latency: { minMs: 10, maxMs: 30 } });
    const started = start([web]);
    const rows = await writeClaimed('claimed-order', ['one', 'two', 'three']);
    for (const row of rows) expect(await rowOf(row.id)).toMatchObject({ status: 'sending', attempts: 1 });
    await outbox.dispatch(rows);
    await waitFor(() => web.textsTo('claimed-order').length === 3, 'three replies sent');
    expect(web.textsTo('claimed-order')).toEqual(['one', 'two', 'three']);
    for (const row of rows) {
      await waitFor(async () => (await rowOf(row.id)).status === 'sent', 'the reply recorded');
      expect((await rowOf(row.id)).attempts).toBe(1);
      expect(await jobOf(row.id)).toBeUndefined();
    }
    await waitFor(() => started.counts.get('web')!.direct === 3, 'three sent straight');
  });

  it('writes a reply unclaimed while an earlier message to its chat is still to go, and sends it after that one', async () => {
    const web = new RecordingChannel('web');
    start([web]);
    const earlier = await writeTexts(target, 'web', 'claimed-behind', ['earlier']);
    const later = await writeClaimed('claimed-behind', ['later']);
    expect(later[0]!.claimed).toBeUndefined();
    expect((await rowOf(later[0]!.id)).status).toBe('pending');
    await outbox.dispatch(later);
    await outbox.dispatch(earlier);
    await waitFor(() => web.textsTo('claimed-behind').length === 2, 'both sent');
    expect(web.textsTo('claimed-behind')).toEqual(['earlier', 'later']);
  });

  it('holds the rest of a chat’s claimed replies behind one that failed for now, and sends them after its retry, in order', async () => {
    const web = new RecordingChannel('web');
    let failures = 0;
    web.failWith = (_chatId, text) => (text === 'first' && failures++ === 0 ? new ChannelSendError('platform hiccup', true) : undefined);
    start([web]);
    const rows = await writeClaimed('claimed-retry', ['first', 'second', 'third']);
    await outbox.dispatch(rows);
    await waitFor(async () => (await Promise.all(rows.map((row) => rowOf(row.id)))).every((row) => row.status === 'sent'), 'all three sent', 30_000);
    expect(web.textsTo('claimed-retry')).toEqual(['first', 'second', 'third']);
    // The two never tried were let go of unspent: one attempt each, the retried one two.
    expect((await Promise.all(rows.map((row) => rowOf(row.id)))).map((row) => row.attempts)).toEqual([2, 1, 1]);
  });

  it('after the writer died before sending, the sweep sends a claimed reply once its claim is old; a fresh one is left to its writer', async () => {
    const web = new RecordingChannel('web');
    start([web]);
    const [abandoned] = await writeClaimed('claimed-crash', ['lost?']);
    const [live] = await writeClaimed('claimed-live', ['on its way']);
    await target.db.prisma.outboxMessage.update({ where: { id: abandoned!.id }, data: { claimedAt: new Date(Date.now() - 70_000) } });

    expect(await outbox.sweep(30_000, 60_000)).toBe(1);
    await waitFor(async () => (await rowOf(abandoned!.id)).status === 'sent', 'the abandoned reply sent');
    expect(web.textsTo('claimed-crash')).toEqual(['lost?']);
    expect(web.textsTo('claimed-live')).toEqual([]);
    expect((await rowOf(live!.id)).status).toBe('sending');
  });
});
