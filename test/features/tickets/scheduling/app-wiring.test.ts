/**
 * The whole app wires the ticket clock and open data: the digest schedulers are installed at
 * start with DIGEST_HOUR, a ticket change published on the app's bus reminds its steward once it
 * commits (the clock hears `ticket.changed`, the app's workers run the job), and Open311
 * answers on the served HTTP port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCommitted, transactionWithAfterCommit } from '../../../../src/db/after-commit.js';
import { QueueNames } from '../../../../src/queue/names.js';
import { digestSchedulerId } from '../../../../src/features/tickets/scheduling/ticket-digests.js';
import { startTestApp, type TestApp } from '../../../support/app.js';
import { databaseTargets } from '../../../support/database.js';
import { createTicket, outboxTexts, seedTicketCommunity } from './seed.js';
import { waitFor } from '../../../support/wait-for.js';

describe.each(databaseTargets())('ticket scheduling in the app on %s', (target) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(target, { DIGEST_HOUR: '7' }, undefined, { serve: true });
  });
  afterAll(() => t?.close());

  it('installs the community’s digest schedulers at the configured hour', async () => {
    const schedulers = await t.app.queues.queue(QueueNames.ticketDigests).getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern]).sort()).toEqual([
      [digestSchedulerId(t.app.communityId, 'daily'), '0 7 * * *'],
      [digestSchedulerId(t.app.communityId, 'weekly'), '0 7 * * 1'],
    ]);
  });

  it('runs deadline jobs through the app’s bus and workers', async () => {
    const c = await seedTicketCommunity(t.app.database.prisma, { communityId: t.app.communityId });
    // A telegram account: the web chat's delivery would mark a made-up browser session unreachable.
    await t.app.database.prisma.chatAccount.update({ where: { id: c.stewardAccountId }, data: { channel: 'telegram' } });
    const ticket = await createTicket(t.app.database.prisma, c.communityId, { areaId: c.laneId, firstResponseDueAt: new Date(Date.now() - 1_000) });
    const committed = await transactionWithAfterCommit(t.app.database.prisma, (tx) =>
      t.app.events.publish(tx, 'ticket.changed', { communityId: c.communityId, ticketId: ticket.id, eventId: 'changed', kind: 'filed' }),
    );
    await finishCommitted(committed, t.app.outbox);
    const [reminder] = await waitFor(async () => {
      const texts = await outboxTexts(t.app.database.prisma, c.stewardChatId);
      return texts.length > 0 ? texts : undefined;
    }, 'the steward reminder');
    expect(reminder!.text).toContain(ticket.number);
  });

  it('serves Open311', async () => {
    const response = await t.app.http.inject({ method: 'GET', url: '/open311/v2/services.json' });
    expect(response.statusCode).toBe(200);
    expect(Array.isArray(response.json())).toBe(true);
  });
});
