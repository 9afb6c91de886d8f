/**
 * Sends whose claims are asked for at the same moment are claimed together (claim-batch.ts):
 * each row still goes once, a chat's second message is not let go beside its first, and a row
 * asked for twice at once goes once. Real database on every configured backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutboxMessage } from '../../src/outbox/delivery.js';
import { deliveryTargets, openDeliveryTarget, silentLogger as logger, writeTexts, type DeliveryTarget } from './support/delivery-target.js';
import { RecordingChannel } from './support/recording-channel.js';

describe.each(deliveryTargets())('claims asked for together on %s', (kind) => {
  let target: DeliveryTarget;

  beforeEach(async () => {
    target = await openDeliveryTarget(kind);
  });
  afterEach(async () => {
    await target?.close();
  });

  it('sends each of many rows claimed at once exactly once, keeps a chat’s order, and sends a row asked for twice once', async () => {
    const web = new RecordingChannel('web', { latency: { minMs: 0, maxMs: 0 } });
    const deps = { prisma: target.db.prisma, channels: new Map([[web.name, web]]), logger };
    const chats = Array.from({ length: 30 }, (_, i) => `claim-together-${i}`);
    const [first, second] = await writeTexts(target, 'web', chats[0]!, ['first', 'second']);
    const rest = [];
    for (const chatId of chats.slice(1)) rest.push(...(await writeTexts(target, 'web', chatId, ['hi'])));

    // The chat's two messages, the others, and one of them a second time, all at the same moment.
    const asked = [first!, second!, ...rest, rest[0]!];
    const results = await Promise.all(asked.map((row) => deliverOutboxMessage(deps, row.id)));

    expect(results[0]!.outcome).toBe('sent');
    // The second waits for the first (it is not sent beside it).
    expect(results[1]!.outcome).toBe('wait');
    expect(results.slice(2, -1).map((result) => result.outcome)).toEqual(rest.map(() => 'sent'));
    // Asked for twice at once: one of the two sent it, the other found it taken.
    expect([results[2]!.outcome, results[results.length - 1]!.outcome].sort()).toEqual(['sent', 'skipped']);
    // Every chat got one message, the first chat its first only.
    const perChat = new Map<string, string[]>();
    for (const send of web.sent) perChat.set(send.chatId, [...(perChat.get(send.chatId) ?? []), send.message.text ?? '']);
    expect(perChat.size).toBe(chats.length);
    expect(perChat.get(chats[0]!)).toEqual(['first']);
    for (const chatId of chats.slice(1)) expect(perChat.get(chatId), chatId).toEqual(['hi']);
    expect((await target.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: second!.id } })).status).toBe('pending');

    // Once the first is sent, the second goes, in order.
    expect((await deliverOutboxMessage(deps, second!.id)).outcome).toBe('sent');
    expect(web.sent.filter((send) => send.chatId === chats[0]).map((send) => send.message.text)).toEqual(['first', 'second']);
  });
});
