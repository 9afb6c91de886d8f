/**
 * The event bus's contract: listeners run one after another, in the order they subscribed, with
 * the change's own transaction — so what they write commits or rolls back with the change, and a
 * listener that throws rolls the change back; listeners for after the commit run only once it has
 * committed, never for a change rolled back, and are skipped where nobody runs after-commit work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCommitted, transactionWithAfterCommit } from '../../src/db/after-commit.js';
import type { Tx } from '../../src/db/prisma-types.js';
import { EventBus } from '../../src/events/index.js';
import { seedCommunity } from '../support/community.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

declare module '../../src/events/app-events.js' {
  interface AppEvents {
    /** Only in this test: something was noted in a community. */
    'test.noted': { communityId: string; note: string };
  }
}

const noOutbox = { dispatch: async () => {} };

describe.each(databaseTargets())('the event bus on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma, { slug: 'event-bus' })).id;
  });
  afterAll(() => db?.close());

  /** An audit row standing for what a change or a listener writes. */
  const write = (tx: Tx, action: string, note: string) =>
    tx.auditLog.create({ data: { communityId, via: 'system', action, subjectType: 'test', subjectId: note } });
  const rowsOf = async (note: string) =>
    (await db.prisma.auditLog.findMany({ where: { communityId, subjectId: note }, orderBy: { createdAt: 'asc' } })).map((row) => row.action);

  /** A change that writes its row, then publishes. */
  const change = (bus: EventBus, note: string, fail?: 'after') =>
    transactionWithAfterCommit(db.prisma, async (tx) => {
      await write(tx, 'change', note);
      await bus.publish(tx, 'test.noted', { communityId, note });
      if (fail) throw new Error('the change failed after publishing');
    });

  it('runs the listeners in the order they subscribed, each with the change’s transaction', async () => {
    const bus = new EventBus();
    const heard: string[] = [];
    bus.on('test.noted', async (tx, event) => {
      // The change's own row is visible: the listener is inside its transaction.
      expect(await tx.auditLog.count({ where: { subjectId: event.note, action: 'change' } })).toBe(1);
      heard.push('first');
      await write(tx, 'first', event.note);
    });
    bus.on('test.noted', async (tx, event) => {
      heard.push('second');
      await write(tx, 'second', event.note);
    });
    await change(bus, 'in-order');
    expect(heard).toEqual(['first', 'second']);
    expect((await rowsOf('in-order')).sort()).toEqual(['change', 'first', 'second']);
  });

  it('rolls a listener’s write back with the change', async () => {
    const bus = new EventBus();
    bus.on('test.noted', (tx, event) => write(tx, 'listener', event.note).then(() => undefined));
    await expect(change(bus, 'rolled-back', 'after')).rejects.toThrow('the change failed after publishing');
    expect(await rowsOf('rolled-back')).toEqual([]);
  });

  it('rolls the change back when a listener throws, and later listeners are not called', async () => {
    const bus = new EventBus();
    const heard: string[] = [];
    bus.on('test.noted', async (tx, event) => {
      await write(tx, 'before-failure', event.note);
      throw new Error('the listener failed');
    });
    bus.on('test.noted', async () => void heard.push('after'));
    await expect(change(bus, 'listener-threw')).rejects.toThrow('the listener failed');
    expect(await rowsOf('listener-threw')).toEqual([]);
    expect(heard).toEqual([]);
  });

  it('runs a committed listener after the commit only, never for a change rolled back', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.onCommitted('test.noted', async (event) => {
      // Another connection sees the change: it has committed.
      seen.push(`${event.note}:${(await rowsOf(event.note)).join(',')}`);
    });
    const committed = await change(bus, 'committed');
    expect(seen).toEqual([]);
    await finishCommitted(committed, noOutbox);
    expect(seen).toEqual(['committed:change']);

    await expect(change(bus, 'never', 'after')).rejects.toThrow();
    expect(seen).toEqual(['committed:change']);
  });

  it('skips a committed listener where the transaction was opened without after-commit work (the sweeps take over)', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.onCommitted('test.noted', async (event) => void seen.push(event.note));
    await db.prisma.$transaction((tx) => bus.publish(tx, 'test.noted', { communityId, note: 'plain' }));
    expect(seen).toEqual([]);
  });
});
