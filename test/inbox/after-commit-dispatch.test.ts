/**
 * Rows written inside another feature's transaction reach the queue once it commits, never before
 * (a queued job for an invisible row would find nothing), and rows of a rolled-back transaction
 * are let go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterCommitDispatch } from '../../src/inbox/after-commit-dispatch.js';
import { createLogger } from '../../src/log/logger.js';
import { writeOutbox, type QueuedOutboxRow } from '../../src/outbox/outbox.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { until } from './support.js';

describe.each(databaseTargets())('after-commit dispatch on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await db.prisma.community.create({ data: { slug: 'after-commit', name: '测试社区' } })).id;
  }, 60_000);
  afterAll(() => db?.close());

  const entry = () => ({ communityId, channel: 'web' as const, chatId: 's1', message: { text: 'hi' } });

  it('dispatches rows after their transaction commits, and only pending ones', async () => {
    const dispatched: QueuedOutboxRow[][] = [];
    let seenInside = false;
    const after = new AfterCommitDispatch(db.prisma, { dispatch: async (rows) => void dispatched.push([...rows]) }, createLogger('silent'), { intervalMs: 20 });
    let written: QueuedOutboxRow[] = [];
    await db.prisma.$transaction(async (tx) => {
      written = await writeOutbox(tx, [entry(), entry()]);
      after.watch(written);
      // Held open across several looks: nothing may be dispatched while it is.
      await new Promise((resolve) => setTimeout(resolve, 120));
      seenInside = dispatched.length > 0;
    });
    expect(seenInside).toBe(false);
    await until(() => (dispatched.length > 0 ? true : undefined), 'the dispatch');
    expect(dispatched.flat().map((row) => row.id).sort()).toEqual(written.map((row) => row.id).sort());
    await after.stop();
  });

  it('lets go of rows whose transaction rolled back', async () => {
    const dispatched: QueuedOutboxRow[] = [];
    let now = 0;
    const after = new AfterCommitDispatch(db.prisma, { dispatch: async (rows) => void dispatched.push(...rows) }, createLogger('silent'), {
      intervalMs: 20,
      giveUpMs: 1_000,
      now: () => now,
    });
    await db.prisma
      .$transaction(async (tx) => {
        after.watch(await writeOutbox(tx, [entry()]));
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = 5_000;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dispatched).toEqual([]);
    expect((after as unknown as { waiting: Map<string, unknown> }).waiting.size).toBe(0);
    await after.stop();
  });
});
