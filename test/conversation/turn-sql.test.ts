/**
 * A turn saved in one statement: the new state only if the version read is still current, and
 * then also the runs begun and ended and the replies; on a stale version nothing at all. Real
 * database on every configured backend, alone and inside a transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInTransaction, sqlRunnerFor } from '../../src/db/sql.js';
import { turnWriteSql, type TurnWrite, type TurnWriteResult } from '../../src/conversation/turn-sql.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';

describe.each(databaseTargets())('a turn written in one statement on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  let chatAccountId: string;
  let chat = 0;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma)).id;
    chatAccountId = (await db.prisma.chatAccount.create({ data: { communityId, channel: 'web', externalId: 'x' } })).id;
  });
  afterAll(() => db?.close());

  const newConversation = () =>
    db.prisma.conversation.create({ data: { communityId, chatAccountId, channel: 'web', chatId: `chat-${++chat}` } });

  const reply = (chatId: string, text: string) => ({ communityId, channel: 'web' as const, chatId, chatAccountId, message: { text } });

  const run = async (write: TurnWrite) => {
    const statement = turnWriteSql(write);
    const [result] = await sqlRunnerFor(db.prisma).query<TurnWriteResult>(statement.sql, statement.values);
    return { updated: result!.updated, rows: statement.rows };
  };

  it('saves the state, begins the run and writes the replies in order, at the given instant', async () => {
    const conversation = await newConversation();
    const now = new Date('2026-03-04T05:06:07.089Z');
    const { updated, rows } = await run({
      conversation,
      result: {
        state: { flowId: 'menu', runId: 'run-a', stepId: 'pick', data: { name: '王芳', n: 2 }, history: ['pick'], wrongAnswers: 1 },
        runsStarted: [{ runId: 'run-a', flowId: 'menu' }],
        runsEnded: [],
      },
      keepVersion: false,
      idleStage: 0,
      replies: [reply(conversation.chatId, 'one'), reply(conversation.chatId, 'two')],
      now,
    });
    expect(updated).toBe(1);
    const saved = await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(saved).toMatchObject({ version: conversation.version + 1, flowRunId: 'run-a', flowId: 'menu', stepId: 'pick', wrongAnswers: 1, idleStage: 0 });
    expect(saved.data).toEqual({ name: '王芳', n: 2 });
    expect(saved.history).toEqual(['pick']);
    expect(saved.lastActivityAt.toISOString()).toBe(now.toISOString());
    expect(saved.updatedAt.toISOString()).toBe(now.toISOString());
    const flowRun = await db.prisma.flowRun.findUniqueOrThrow({ where: { id: 'run-a' } });
    expect(flowRun).toMatchObject({ conversationId: conversation.id, flowId: 'menu', status: 'active', endedAt: null });
    expect(flowRun.startedAt.toISOString()).toBe(now.toISOString());
    const outbox = await db.prisma.outboxMessage.findMany({ where: { chatId: conversation.chatId }, orderBy: { seq: 'asc' } });
    expect(outbox.map((row) => [row.id, row.payload, row.status, row.priority])).toEqual([
      [rows[0]!.id, { text: 'one' }, 'pending', 1],
      [rows[1]!.id, { text: 'two' }, 'pending', 1],
    ]);
  });

  it('writes the replies claimed for sending at once when asked, and names them; on a stale version none', async () => {
    const conversation = await newConversation();
    const now = new Date('2026-03-04T05:06:07.089Z');
    const write = (version: number): TurnWrite => ({
      conversation: { id: conversation.id, version },
      result: { state: null, runsStarted: [], runsEnded: [] },
      keepVersion: false,
      idleStage: 0,
      replies: [reply(conversation.chatId, 'one'), reply(conversation.chatId, 'two')],
      now,
      claimReplies: true,
    });
    const statement = turnWriteSql(write(conversation.version));
    const [result] = await sqlRunnerFor(db.prisma).query<TurnWriteResult>(statement.sql, statement.values);
    expect(result).toMatchObject({ updated: 1, sending: statement.rows.map((row) => row.id) });
    const outbox = await db.prisma.outboxMessage.findMany({ where: { chatId: conversation.chatId }, orderBy: { seq: 'asc' } });
    expect(outbox.map((row) => [row.id, row.status, row.attempts, row.claimedAt?.toISOString()])).toEqual(
      statement.rows.map((row) => [row.id, 'sending', 1, now.toISOString()]),
    );

    const stale = turnWriteSql(write(conversation.version));
    const [refused] = await sqlRunnerFor(db.prisma).query<TurnWriteResult>(stale.sql, stale.values);
    expect(refused).toMatchObject({ updated: 0, sending: [] });
    expect(await db.prisma.outboxMessage.count({ where: { chatId: conversation.chatId } })).toBe(2);

    // Those two still to go: the next turn's reply waits behind them, unclaimed.
    const next = turnWriteSql(write(conversation.version + 1));
    const [behind] = await sqlRunnerFor(db.prisma).query<TurnWriteResult>(next.sql, next.values);
    expect(behind).toMatchObject({ updated: 1, sending: [] });
    expect(await db.prisma.outboxMessage.count({ where: { chatId: conversation.chatId, status: 'pending' } })).toBe(2);
  });

  it('writes nothing at all when the version read is no longer current', async () => {
    const conversation = await newConversation();
    await db.prisma.conversation.update({ where: { id: conversation.id }, data: { version: { increment: 1 } } });
    const { updated } = await run({
      conversation,
      result: { state: { flowId: 'menu', runId: 'run-stale', stepId: 'pick', data: {}, history: [], wrongAnswers: 0 }, runsStarted: [{ runId: 'run-stale', flowId: 'menu' }], runsEnded: [] },
      keepVersion: false,
      idleStage: 0,
      replies: [reply(conversation.chatId, 'lost')],
      now: new Date(),
    });
    expect(updated).toBe(0);
    expect(await db.prisma.flowRun.findUnique({ where: { id: 'run-stale' } })).toBeNull();
    expect(await db.prisma.outboxMessage.count({ where: { chatId: conversation.chatId } })).toBe(0);
    expect((await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).flowRunId).toBeNull();
  });

  it('ends an earlier run once, and writes a run begun and ended in the same turn as ended', async () => {
    const conversation = await newConversation();
    const first = await run({
      conversation,
      result: { state: { flowId: 'language', runId: 'run-old', stepId: 'choose', data: {}, history: [], wrongAnswers: 0 }, runsStarted: [{ runId: 'run-old', flowId: 'language' }], runsEnded: [] },
      keepVersion: false,
      idleStage: 0,
      replies: [],
      now: new Date(),
    });
    expect(first.updated).toBe(1);
    const now = new Date('2026-05-06T07:08:09.010Z');
    const second = await run({
      conversation: { id: conversation.id, version: conversation.version + 1 },
      result: {
        state: null,
        runsStarted: [{ runId: 'run-brief', flowId: 'help' }],
        runsEnded: [
          { runId: 'run-old', how: 'completed' },
          { runId: 'run-brief', how: 'cancelled' },
          { runId: 'run-brief', how: 'completed' },
        ],
      },
      keepVersion: false,
      idleStage: 1,
      replies: [],
      now,
    });
    expect(second.updated).toBe(1);
    const old = await db.prisma.flowRun.findUniqueOrThrow({ where: { id: 'run-old' } });
    expect([old.status, old.endedAt?.toISOString()]).toEqual(['completed', now.toISOString()]);
    const brief = await db.prisma.flowRun.findUniqueOrThrow({ where: { id: 'run-brief' } });
    expect([brief.status, brief.endedAt?.toISOString()]).toEqual(['cancelled', now.toISOString()]);
    const saved = await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(saved).toMatchObject({ flowRunId: null, flowId: null, stepId: null, idleStage: 1, version: conversation.version + 2 });

    // Ending it again (a late timer) leaves the recorded end alone.
    const third = await run({
      conversation: { id: conversation.id, version: conversation.version + 2 },
      result: { state: null, runsStarted: [], runsEnded: [{ runId: 'run-old', how: 'timed_out' }] },
      keepVersion: false,
      idleStage: 0,
      replies: [],
      now: new Date(),
    });
    expect(third.updated).toBe(1);
    expect((await db.prisma.flowRun.findUniqueOrThrow({ where: { id: 'run-old' } })).status).toBe('completed');
  });

  it('keeping the version writes only the replies', async () => {
    const conversation = await newConversation();
    const { updated } = await run({
      conversation,
      result: { state: null, runsStarted: [], runsEnded: [] },
      keepVersion: true,
      idleStage: 0,
      replies: [reply(conversation.chatId, 'button refused')],
      now: new Date(),
    });
    expect(updated).toBe(1);
    expect((await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).version).toBe(conversation.version);
    expect(await db.prisma.outboxMessage.count({ where: { chatId: conversation.chatId } })).toBe(1);
  });

  it('inside a transaction, is undone with it', async () => {
    const conversation = await newConversation();
    const statement = turnWriteSql({
      conversation,
      result: { state: { flowId: 'menu', runId: 'run-undone', stepId: 'pick', data: {}, history: [], wrongAnswers: 0 }, runsStarted: [{ runId: 'run-undone', flowId: 'menu' }], runsEnded: [] },
      keepVersion: false,
      idleStage: 0,
      replies: [reply(conversation.chatId, 'undone')],
      now: new Date(),
    });
    await expect(
      db.prisma.$transaction(async (tx) => {
        const [result] = await runInTransaction<TurnWriteResult>(tx, statement.sql, statement.values);
        expect(result!.updated).toBe(1);
        throw new Error('an effect failed after the save');
      }),
    ).rejects.toThrow('an effect failed');
    expect(await db.prisma.flowRun.findUnique({ where: { id: 'run-undone' } })).toBeNull();
    expect(await db.prisma.outboxMessage.count({ where: { chatId: conversation.chatId } })).toBe(0);
    expect((await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).version).toBe(conversation.version);
  });
});
