/**
 * Work asked for inside a transaction — outbox rows to queue, a task such as scheduling deadline
 * jobs — happens only once that transaction has committed, in the order asked, and never for one
 * rolled back; code in a transaction opened some other way is told nobody will do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCommitted, queueAfterCommit, runAfterCommit, transactionWithAfterCommit } from '../../src/db/after-commit.js';
import type { QueuedOutboxRow } from '../../src/outbox/outbox.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';

describe.each(databaseTargets())('after-commit work on %s', (target) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(target);
  });
  afterAll(() => db?.close());

  const recordingOutbox = () => {
    const dispatched: QueuedOutboxRow[][] = [];
    return { dispatched, dispatch: async (rows: readonly QueuedOutboxRow[]) => void dispatched.push([...rows]) };
  };

  it('queues the rows (the owner’s own first) and runs the tasks after the commit, seeing what was committed', async () => {
    const outbox = recordingOutbox();
    const seen: string[] = [];
    const committed = await transactionWithAfterCommit(db.prisma, async (tx) => {
      const community = await seedCommunity(tx, { slug: 'after-commit-1' });
      expect(queueAfterCommit(tx, [{ id: 'notice', priority: 1 }])).toBe(true);
      expect(
        runAfterCommit(tx, async () => {
          // Another connection sees the change: the transaction has committed by now.
          seen.push((await db.prisma.community.findUnique({ where: { id: community.id } }))?.slug ?? 'invisible');
        }),
      ).toBe(true);
      runAfterCommit(tx, async () => void seen.push('second'));
      expect(seen).toEqual([]);
      return community.id;
    });
    expect(seen).toEqual([]);
    await finishCommitted(committed, outbox, [{ id: 'reply', priority: 1 }]);
    expect(outbox.dispatched).toEqual([[{ id: 'reply', priority: 1 }, { id: 'notice', priority: 1 }]]);
    expect(seen).toEqual(['after-commit-1', 'second']);
  });

  it('does nothing of what a rolled-back transaction asked for', async () => {
    const ran: string[] = [];
    await expect(
      transactionWithAfterCommit(db.prisma, async (tx) => {
        queueAfterCommit(tx, [{ id: 'lost', priority: 1 }]);
        runAfterCommit(tx, async () => void ran.push('task'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(ran).toEqual([]);
  });

  it('tells code in a transaction opened some other way that nobody will do it (the sweeps will)', async () => {
    const answers = await db.prisma.$transaction(async (tx) => [queueAfterCommit(tx, [{ id: 'x', priority: 1 }]), runAfterCommit(tx, async () => {})]);
    expect(answers).toEqual([false, false]);
  });

  it('keeps each transaction’s work apart when several run at once', async () => {
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        transactionWithAfterCommit(db.prisma, async (tx) => {
          await seedCommunity(tx, { slug: `after-commit-${name}` });
          queueAfterCommit(tx, [{ id: name, priority: 1 }]);
        }),
      ),
    );
    expect(results.map((r) => r.rows.map((row) => row.id))).toEqual([['a'], ['b'], ['c']]);
  });
});
