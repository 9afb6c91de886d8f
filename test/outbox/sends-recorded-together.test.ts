/**
 * Sends that finish at the same moment are recorded together (one statement for those finishing
 * while a record is being written): each row still gets its own outcome and platform message id,
 * and the one whose chat has another message to go says so, for that one to be woken. Real
 * database on every configured backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutboxMessage } from '../../src/outbox/delivery.js';
import { deliveryTargets, openDeliveryTarget, silentLogger as logger, writeTexts, type DeliveryTarget } from './support/delivery-target.js';
import { RecordingChannel } from './support/recording-channel.js';

describe.each(deliveryTargets())('sends recorded together on %s', (kind) => {
  let target: DeliveryTarget;

  beforeEach(async () => {
    target = await openDeliveryTarget(kind);
  });
  afterEach(async () => {
    await target?.close();
  });

  it('records each of many sends finishing at once with its own message id, and says which chat has more', async () => {
    const web = new RecordingChannel('web', { latency: { minMs: 0, maxMs: 0 } });
    const deps = { prisma: target.db.prisma, channels: new Map([[web.name, web]]), logger };
    const chats = Array.from({ length: 40 }, (_, i) => `together-${i}`);
    // The first chat has a second message still to go after the one sent here.
    const [firstOfChat0, waiting] = await writeTexts(target, 'web', chats[0]!, ['hi', 'and more']);
    const rows = [firstOfChat0!];
    for (const chatId of chats.slice(1)) rows.push(...(await writeTexts(target, 'web', chatId, ['hi'])));

    const results = await Promise.all(rows.map((row) => deliverOutboxMessage(deps, row.id)));

    expect(results.map((result) => result.outcome)).toEqual(rows.map(() => 'sent'));
    results.forEach((result, i) => expect(result.outcome === 'sent' && result.chatHasMore, chats[i]).toBe(i === 0));
    const recorded = await target.db.prisma.outboxMessage.findMany({ where: { id: { in: rows.map((row) => row.id) } } });
    expect(recorded.every((row) => row.status === 'sent')).toBe(true);
    // Each row has the id the platform gave its own send.
    const idsByChat = new Map(web.sent.map((send, i) => [send.chatId, String(i + 1)]));
    for (const row of recorded) expect(row.externalMessageId).toBe(idsByChat.get(row.chatId));
    expect((await target.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: waiting!.id } })).status).toBe('pending');
  });
});
