/**
 * Live updates for open staff pages: a committed change reaches every process's pages (on
 * PostgreSQL through pg_notify, so a second process hears it too); a rolled-back one reaches none;
 * another community's changes are not told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCommitted, transactionWithAfterCommit } from '../../src/db/after-commit.js';
import { EventBus } from '../../src/events/index.js';
import '../../src/features/tickets/service/index.js';
import { LiveUpdates, type LiveChange } from '../../src/staff-web/shell/live-updates.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';

const NO_OUTBOX = { dispatch: async () => {} };

describe.each(databaseTargets())('live updates (%s)', (target) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(target);
  });
  afterAll(async () => {
    await db?.close();
  });

  /** One "process": its own bus and hub, hearing other processes through the database's LISTEN. */
  async function process(communityId: string) {
    const bus = new EventBus();
    const live = new LiveUpdates(bus, communityId, db.listen);
    await live.start();
    const heard: LiveChange[] = [];
    live.subscribe((change) => heard.push(change));
    return { bus, live, heard };
  }

  async function change(bus: EventBus, communityId: string, ticketId: string, rollBack = false) {
    const committed = await transactionWithAfterCommit(db.prisma, async (tx) => {
      await bus.publish(tx, 'ticket.changed', { communityId, ticketId, eventId: 'e1', kind: 'staff_reply' } as never);
      if (rollBack) throw new Error('rolled back');
    }).catch(() => null);
    if (committed) await finishCommitted(committed, NO_OUTBOX);
  }

  it('tells a committed change to its own and (on PostgreSQL) other processes, and nothing rolled back', async () => {
    const one = await process('community-a');
    const two = await process('community-a');
    const elsewhere = await process('community-b');
    await change(one.bus, 'community-a', 'rolled-back', true);
    await change(one.bus, 'community-a', 'ticket-1');
    await waitFor(() => one.heard.length > 0 || undefined, 'the change heard');
    expect(one.heard).toEqual([{ kind: 'ticket', id: 'ticket-1' }]);
    if (db.listen) {
      await waitFor(() => two.heard.length > 0 || undefined, 'the change heard by the other process');
      expect(two.heard).toEqual([{ kind: 'ticket', id: 'ticket-1' }]);
    }
    expect(elsewhere.heard).toEqual([]);
    for (const p of [one, two, elsewhere]) await p.live.stop();
  });
});
