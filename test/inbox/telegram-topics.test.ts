/**
 * The Telegram channel's forum calls against the fake Bot API: a topic is opened, messages go into
 * it and under a given message, closing or reopening twice is no error, and a chat tells whether
 * it is a forum.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { ChannelSendError } from '../../src/channels/types.js';
import { createLogger } from '../../src/log/logger.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';

describe('telegram forum topics', () => {
  let telegram: FakeTelegramBotApi;
  let channel: TelegramChannel;

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ rateLimits: false });
    channel = new TelegramChannel({
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      dataDir: mkdtempSync(join(tmpdir(), 'linli-topics-')),
      maxPhotoBytes: 1024,
      logger: createLogger('silent'),
    });
  });
  afterAll(() => telegram?.close());

  it('opens a topic, posts into it and under a message, closes and reopens it (twice is fine)', async () => {
    const forum = telegram.createGroup({ type: 'supergroup', isForum: true });
    const topicId = await channel.createForumTopic(String(forum.id), 'MQ-2026-00001 环境卫生');
    const card = await channel.send(String(forum.id), { text: 'card', threadId: topicId });
    await channel.send(String(forum.id), { text: 'prompt', threadId: topicId, replyToMessageId: card.externalMessageId, forceReply: true });
    const [first, second] = telegram.sentTo(forum);
    expect(first).toMatchObject({ text: 'card', threadId: Number(topicId) });
    expect(second).toMatchObject({ text: 'prompt', threadId: Number(topicId), replyTo: Number(card.externalMessageId), forceReply: true });
    await channel.setForumTopicOpen(String(forum.id), topicId, false);
    await channel.setForumTopicOpen(String(forum.id), topicId, false);
    expect(telegram.world.topic(forum.id, Number(topicId))?.closed).toBe(true);
    await channel.setForumTopicOpen(String(forum.id), topicId, true);
    await channel.setForumTopicOpen(String(forum.id), topicId, true);
    expect(telegram.world.topic(forum.id, Number(topicId))?.closed).toBe(false);
  });

  it('tells a forum from a plain group, and a plain group refuses topics as a rejected message', async () => {
    const forum = telegram.createGroup({ type: 'supergroup', isForum: true });
    const plain = telegram.createGroup({ type: 'supergroup' });
    expect(await channel.isForum(String(forum.id))).toBe(true);
    expect(await channel.isForum(String(plain.id))).toBe(false);
    const error = await channel.createForumTopic(String(plain.id), 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).kind).toBe('rejected');
  });
});
