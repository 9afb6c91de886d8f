/**
 * The send-time step that places a ticket's messages in the Telegram staff chat, on a real
 * database, from each outbox row's message ref and the ticket's thread: the card opens the ticket's topic once and records it before posting; later messages
 * find it; a send that fails after the topic was made does not make another on its retry; two
 * processes racing keep one recorded topic; a chat that refuses topics gets the message plainly;
 * in a plain group lines reply to the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSendError, type Channel, type OutboundMessage, type SendContext, type SendResult } from '../../src/channels/types.js';
import { writeMessageRefs, type MessageRole } from '../../src/outbox/message-refs.js';
import { writeOutbox } from '../../src/outbox/outbox.js';
import { StaffThreadChannel, type ForumTopics } from '../../src/inbox/staff-thread-channel.js';
import { createLogger } from '../../src/log/logger.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';

class FakeTelegram implements Channel, ForumTopics {
  readonly name = 'telegram' as const;
  readonly capabilities = { buttons: true, photos: true, locations: true, maxTextLength: 4096 };
  readonly sends: { chatId: string; message: OutboundMessage }[] = [];
  readonly topics: { chatId: string; name: string; id: string }[] = [];
  readonly topicStates: { topicId: string; open: boolean }[] = [];
  failNextSend = false;
  refuseTopics = false;
  private nextMessage = 100;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    if (this.failNextSend) {
      this.failNextSend = false;
      throw new ChannelSendError('telegram sendMessage: network error ECONNRESET', true);
    }
    this.sends.push({ chatId, message });
    return { externalMessageId: String(this.nextMessage++) };
  }

  async createForumTopic(chatId: string, name: string): Promise<string> {
    if (this.refuseTopics) throw ChannelSendError.rejected('telegram createForumTopic: 400 Bad Request: the chat is not a forum');
    const id = String(1000 + this.topics.length);
    this.topics.push({ chatId, name, id });
    return id;
  }

  async setForumTopicOpen(_chatId: string, topicId: string, open: boolean): Promise<void> {
    this.topicStates.push({ topicId, open });
  }
}

const CHAT = '-1001234567890';

describe.each(databaseTargets())('staff thread sender on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  let counter = 0;
  const logger = createLogger('silent');

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma)).id;
  }, 60_000);
  afterAll(() => db?.close());

  async function ticketWithThread(forum: boolean): Promise<string> {
    counter += 1;
    const ticket = await db.prisma.ticket.create({
      data: {
        communityId,
        number: `MQ-2026-${String(counter).padStart(5, '0')}`,
        year: 2026,
        seq: counter,
        kind: 'complaint',
        category: 'other',
        description: '测试',
        firstResponseDueAt: new Date(),
      },
    });
    await db.prisma.staffThread.create({ data: { ticketId: ticket.id, channel: 'telegram', chatId: CHAT, forum, topicName: 'MQ-2026 topic' } });
    return ticket.id;
  }

  /** An outbox row of the ticket's thread (its ref says which part), as delivery hands it on. */
  async function written(ticketId: string, role: MessageRole, action?: string): Promise<[OutboundMessage, SendContext]> {
    const message: OutboundMessage = { text: role === 'topic' ? '' : `${role} text` };
    const [row] = await db.prisma.$transaction(async (tx) => {
      const rows = await writeOutbox(tx, [{ communityId, channel: 'telegram', chatId: CHAT, message }]);
      await writeMessageRefs(tx, rows, () => ({ subjectKind: 'ticket', subjectId: ticketId, role, ...(action ? { action } : {}) }));
      return rows;
    });
    return [message, { outboxId: row!.id }];
  }

  const send = async (sender: StaffThreadChannel, ticketId: string, role: MessageRole, action?: string) => sender.send(CHAT, ...(await written(ticketId, role, action)));

  it('opens the topic with the card, records it, and posts every later message into it', async () => {
    const inner = new FakeTelegram();
    const sender = new StaffThreadChannel(inner, db.prisma, logger);
    const ticketId = await ticketWithThread(true);
    await send(sender, ticketId, 'card');
    await send(sender, ticketId, 'line');
    await send(sender, ticketId, 'topic', 'close');
    expect(inner.topics).toEqual([{ chatId: CHAT, name: 'MQ-2026 topic', id: '1000' }]);
    expect(inner.sends.map((s) => s.message)).toEqual([
      { text: 'card text', threadId: '1000' },
      { text: 'line text', threadId: '1000' },
    ]);
    expect(inner.topicStates).toEqual([{ topicId: '1000', open: false }]);
    expect(await db.prisma.staffThread.findFirst({ where: { ticketId } })).toMatchObject({ topicId: '1000', cardMessageId: '100' });
  });

  it('does not open a second topic when the card’s send fails after the topic was made (the retry finds it)', async () => {
    const inner = new FakeTelegram();
    const sender = new StaffThreadChannel(inner, db.prisma, logger);
    const ticketId = await ticketWithThread(true);
    const card = await written(ticketId, 'card');
    inner.failNextSend = true;
    await expect(sender.send(CHAT, ...card)).rejects.toThrow('ECONNRESET');
    await sender.send(CHAT, ...card);
    expect(inner.topics).toHaveLength(1);
    expect(inner.sends).toHaveLength(1);
    expect(inner.sends[0]!.message.threadId).toBe(inner.topics[0]!.id);
  });

  it('keeps the first recorded topic when two processes open one for the same ticket', async () => {
    const inner = new FakeTelegram();
    const ticketId = await ticketWithThread(true);
    const a = new StaffThreadChannel(inner, db.prisma, logger);
    const b = new StaffThreadChannel(inner, db.prisma, logger);
    const [card, line] = [await written(ticketId, 'card'), await written(ticketId, 'line')];
    await Promise.all([a.send(CHAT, ...card), b.send(CHAT, ...line)]);
    const recorded = (await db.prisma.staffThread.findFirstOrThrow({ where: { ticketId } })).topicId;
    expect(new Set(inner.sends.map((s) => s.message.threadId))).toEqual(new Set([recorded]));
  });

  it('posts in the chat itself when Telegram refuses topics there', async () => {
    const inner = new FakeTelegram();
    inner.refuseTopics = true;
    const sender = new StaffThreadChannel(inner, db.prisma, logger);
    const ticketId = await ticketWithThread(true);
    await send(sender, ticketId, 'card');
    expect(inner.sends).toHaveLength(1);
    expect(inner.sends[0]!.message.threadId).toBeUndefined();
    expect((await db.prisma.staffThread.findFirstOrThrow({ where: { ticketId } })).topicId).toBeNull();
  });

  it('in a plain group: records the card and puts later messages under it; topic steps do nothing', async () => {
    const inner = new FakeTelegram();
    const sender = new StaffThreadChannel(inner, db.prisma, logger);
    const ticketId = await ticketWithThread(false);
    const card = await send(sender, ticketId, 'card');
    await send(sender, ticketId, 'prompt', 'resolve');
    expect(await send(sender, ticketId, 'topic', 'close')).toEqual({ externalMessageId: '' });
    expect(inner.topics).toEqual([]);
    expect(inner.sends[1]!.message.replyToMessageId).toBe(card.externalMessageId);
    expect(inner.topicStates).toEqual([]);
  });

  it('passes messages with no ref to a ticket through unchanged', async () => {
    const inner = new FakeTelegram();
    const sender = new StaffThreadChannel(inner, db.prisma, logger);
    const message = { text: '你好', choices: [{ label: 'a', data: 'c|x|y|z' }] };
    const [row] = await db.prisma.$transaction((tx) => writeOutbox(tx, [{ communityId, channel: 'telegram', chatId: '42', message }]));
    await sender.send('42', message, { outboxId: row!.id });
    await sender.send('42', message);
    expect(inner.sends).toEqual([
      { chatId: '42', message },
      { chatId: '42', message },
    ]);
  });

  it('posts an alert about a ticket plainly: only the thread’s own messages go to its topic', async () => {
    const inner = new FakeTelegram();
    const sender = new StaffThreadChannel(inner, db.prisma, logger);
    const ticketId = await ticketWithThread(true);
    await send(sender, ticketId, 'card');
    await send(sender, ticketId, 'alert');
    expect(inner.sends.map((s) => s.message.threadId)).toEqual(['1000', undefined]);
  });

  it('reopens a closed topic when the ref says open', async () => {
    const inner = new FakeTelegram();
    const sender = new StaffThreadChannel(inner, db.prisma, logger);
    const ticketId = await ticketWithThread(true);
    await send(sender, ticketId, 'card');
    await send(sender, ticketId, 'topic', 'close');
    await send(sender, ticketId, 'topic', 'open');
    expect(inner.topicStates).toEqual([
      { topicId: '1000', open: false },
      { topicId: '1000', open: true },
    ]);
  });
});
