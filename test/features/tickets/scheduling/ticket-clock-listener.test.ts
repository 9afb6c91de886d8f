/**
 * The scheduler as a listener of `ticket.changed`: called inside the ticket service's transaction, it
 * schedules the deadline jobs once that transaction has committed (never for one rolled back),
 * and measures satisfaction in the transaction that records a rating, dispatching any alert after
 * the commit. Transactions are opened as the app's turns open them (`transactionWithAfterCommit`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCommitted, transactionWithAfterCommit } from '../../../../src/db/after-commit.js';
import type { Tx } from '../../../../src/db/prisma-types.js';
import { databaseTargets } from '../../../support/database.js';
import { openSchedulingHarness, type SchedulingHarness } from './harness.js';
import { createTicket, outboxTexts, seedTicketCommunity, STAFF_CHAT_ID, type SeededCommunity } from './seed.js';
import { QueueNames } from '../../../../src/queue/names.js';
import { waitFor } from '../../../support/wait-for.js';

describe.each(databaseTargets())('ticket clock listener on %s', (target) => {
  let h: SchedulingHarness;
  let c: SeededCommunity;
  const prisma = () => h.db.prisma;
  const stewardChat = async (number: string) => (await outboxTexts(prisma(), c.stewardChatId)).filter((m) => m.text.includes(number));

  beforeAll(async () => {
    h = await openSchedulingHarness(target);
    c = await seedTicketCommunity(prisma());
  });
  afterAll(() => h?.close());
  /** A transaction as the app's turns run one: what it asked for after commit is done after it. */
  const turn = async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
    const committed = await transactionWithAfterCommit(prisma(), work);
    await finishCommitted(committed, h.outbox);
    return committed.value;
  };

  it('schedules a filed ticket’s deadlines after its transaction commits', async () => {
    const number = await turn(async (tx) => {
      const ticket = await tx.ticket.create({
        data: { communityId: c.communityId, number: 'MQ-2026-70001', year: 2026, seq: 70001, kind: 'complaint', category: 'fast', description: '…', areaId: c.laneId, firstResponseDueAt: new Date(Date.now() - 1_000) },
      });
      const event = await tx.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'filed' } });
      await h.scheduling.clock.ticketChanged(tx, { communityId: c.communityId, ticketId: ticket.id, eventId: event.id, kind: 'filed' });
      return ticket.number;
    });
    await waitFor(async () => (await stewardChat(number)).length === 1, 'the steward reminder');
  });

  it('schedules nothing for a change that was rolled back', async () => {
    // Every deadline job is added through this queue (the harness's one instance), which says so;
    // what a turn asks for after commit is done before the turn returns, so by then any would show.
    const deadlines = h.queues.queue(QueueNames.ticketDeadlines);
    const added: unknown[] = [];
    const onAdded = (job: { data: unknown }) => added.push(job.data);
    deadlines.on('waiting', onAdded);
    try {
      await expect(
        turn(async (tx) => {
          const ticket = await tx.ticket.create({
            data: { communityId: c.communityId, number: 'MQ-2026-70002', year: 2026, seq: 70002, kind: 'complaint', category: 'fast', description: '…', areaId: c.laneId, firstResponseDueAt: new Date(Date.now() - 1_000) },
          });
          await h.scheduling.clock.ticketChanged(tx, { communityId: c.communityId, ticketId: ticket.id, eventId: 'e', kind: 'filed' });
          throw new Error('the filing failed');
        }),
      ).rejects.toThrow('the filing failed');
    } finally {
      deadlines.off('waiting', onAdded);
    }
    expect(added).toEqual([]);
    expect(await stewardChat('MQ-2026-70002')).toEqual([]);
    expect(await prisma().ticket.count({ where: { number: 'MQ-2026-70002' } })).toBe(0);
  });

  it('schedules the new version’s jobs after a change, so the old version’s do nothing', async () => {
    // Filed with an answer due in an hour; then reopened with the clock already run out.
    const ticket = await createTicket(prisma(), c.communityId, { areaId: c.laneId, firstResponseDueAt: new Date(Date.now() + 3_600_000) });
    await h.scheduling.scheduleTicketDeadlines(ticket.id);
    await turn(async (tx) => {
      await tx.ticket.update({ where: { id: ticket.id }, data: { version: { increment: 1 }, firstResponseDueAt: new Date(Date.now() - 1_000) } });
      await h.scheduling.clock.ticketChanged(tx, { communityId: c.communityId, ticketId: ticket.id, eventId: 'e', kind: 'reopened' });
    });
    await waitFor(async () => (await stewardChat(ticket.number)).length === 1, 'the reminder of version 1');
    expect(await h.scheduling.deadlines.handle({ ticketId: ticket.id, version: 0, step: 'first_response' })).toBe('stale');
  });

  it('measures satisfaction when a rating lands and dispatches the alert after commit', async () => {
    const rated = async (stars: number) => {
      const at = new Date(Date.now() - 60_000);
      return createTicket(prisma(), c.communityId, {
        status: 'resolved',
        firstResponseDueAt: at,
        firstRespondedAt: at,
        resolvedAt: at,
        finishedAt: at,
        resolvedById: c.stewardId,
        rating: stars,
        ratedAt: at,
      });
    };
    const own = new Set<string>();
    for (let i = 0; i < 5; i += 1) own.add((await rated(5)).id);
    for (let i = 0; i < 4; i += 1) own.add((await rated(1)).id);
    const last = await createTicket(prisma(), c.communityId, { status: 'resolved', firstResponseDueAt: new Date(), resolvedById: c.stewardId, resolvedAt: new Date(), finishedAt: new Date() });
    await turn(async (tx) => {
      await tx.ticket.update({ where: { id: last.id }, data: { rating: 2, ratedAt: new Date(), version: { increment: 1 } } });
      await h.scheduling.clock.ticketChanged(tx, { communityId: c.communityId, ticketId: last.id, eventId: 'e', kind: 'rated' });
    });
    own.add(last.id);
    // The staff chat's messages of this test (an earlier test's ticket may still be escalating).
    const alerts = (await prisma().outboxMessage.findMany({ where: { communityId: c.communityId, chatId: STAFF_CHAT_ID }, include: { refs: true } })).filter(
      (row) => row.refs.length === 0 || row.refs.some((ref) => own.has(ref.subjectId)),
    );
    expect(alerts.map((a) => (a.payload as { text: string }).text.slice(0, 5))).toEqual(['满意率预警', '满意率预警']);
    await waitFor(async () => (await prisma().outboxMessage.count({ where: { id: { in: alerts.map((a) => a.id) }, status: 'pending' } })) === 0, 'the alerts to be queued');
  });
});
