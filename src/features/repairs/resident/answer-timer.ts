/**
 * The resident's time to answer once the work is done (rules/answer-window.ts), as a delayed queue
 * job per work order and round (`repair-confirmations`, keyed `<work order>-r<returns>`: a "not
 * fixed" starts a new round). Set after the commit of `done`; removed after the commit of the
 * resident's answer or a cancellation; added again at start for every job still done (the same id:
 * one job, never two). When it fires it re-reads the work order and confirms it only if it is
 * still done in the same round and the time has come — and the ticket (resolved when the work was
 * done) asks the resident for its rating, as any ticket does.
 */
import { finishCommitted, transactionWithAfterCommit } from '../../../db/after-commit.js';
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { Logger } from '../../../log/logger.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { LinliQueue } from '../../../queue/backend.js';
import { jobIds, type JobPayload } from '../../../queue/jobs.js';
import { clockOf, loadTicketSettings, type TicketServiceDeps } from '../../tickets/service/index.js';
import { loadRepairSettings } from '../repair-settings-store.js';
import { answerDueAt } from '../rules/answer-window.js';
import type { WorkOrderChange } from '../work-order-events.js';
import { confirmWorkOrder } from './resident-repairs.js';

export type AnswerJob = JobPayload<'repair-confirmations'>;

export type AnswerOutcome = 'gone' | 'stale' | 'confirmed';

/** Thrown when the job fires before its time (clocks of two hosts apart): it is tried again later. */
export class AnswerNotDueError extends Error {
  constructor(readonly dueAt: Date) {
    super(`repair answer job ran before its time (${dueAt.toISOString()})`);
    this.name = 'AnswerNotDueError';
  }
}

export interface AnswerTimerDeps {
  prisma: PrismaClient;
  queue: LinliQueue<AnswerJob>;
  service: TicketServiceDeps;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
}

const orderSelect = {
  id: true,
  communityId: true,
  status: true,
  returns: true,
  doneAt: true,
  version: true,
  memberId: true,
  workDone: true,
  ticket: { select: { id: true, communityId: true, assigneeId: true } },
} as const;

export class RepairAnswerTimer {
  constructor(private readonly deps: AnswerTimerDeps) {}

  /** After a change committed: a job for a job done, none for one answered or cancelled. */
  async changed(change: WorkOrderChange): Promise<void> {
    if (change.kind === 'done') await this.schedule(change.workOrderId);
    else if (change.kind === 'not_fixed' || change.kind === 'confirm' || change.kind === 'cancel') await this.removeFor(change.workOrderId, change.kind);
  }

  /** Adds the job of the work order's current round, if it is done. */
  async schedule(workOrderId: string): Promise<boolean> {
    const order = await this.deps.prisma.workOrder.findUnique({ where: { id: workOrderId }, select: orderSelect });
    if (!order || order.status !== 'done' || !order.doneAt) return false;
    const dueAt = await this.dueAt(order.communityId, order.doneAt);
    const payload: AnswerJob = { workOrderId, round: order.returns };
    await this.deps.queue.add('answer', payload, {
      jobId: jobIds['repair-confirmations'](payload),
      delay: Math.max(0, dueAt.getTime() - clockOf(this.deps.service).getTime()),
      attempts: 8,
      backoff: { type: 'exponential', delay: 5_000 },
      // Gone once done or given up, so the start-up sweep can add the same id again if it still matters.
      removeOnComplete: true,
      removeOnFail: true,
    });
    return true;
  }

  /** Every work order of the community still waiting for an answer gets its job again (one lost with a crash is back). */
  async sweep(communityId: string): Promise<number> {
    const done = await this.deps.prisma.workOrder.findMany({ where: { communityId, status: 'done' }, select: { id: true } });
    for (const order of done) await this.schedule(order.id);
    return done.length;
  }

  /** Runs one job: confirms the work order if it still waits for this round's answer. */
  async handle(job: AnswerJob): Promise<AnswerOutcome> {
    const committed = await transactionWithAfterCommit(this.deps.prisma, async (tx): Promise<AnswerOutcome> => {
      const order = await tx.workOrder.findUnique({ where: { id: job.workOrderId }, select: orderSelect });
      if (!order) return 'gone';
      if (order.status !== 'done' || order.returns !== job.round || !order.doneAt) return 'stale';
      const dueAt = await this.dueAt(order.communityId, order.doneAt, tx);
      const now = clockOf(this.deps.service);
      if (dueAt.getTime() > now.getTime()) throw new AnswerNotDueError(dueAt);
      const repair = { ...order.ticket, workOrder: order };
      const confirmed = await confirmWorkOrder(tx, this.deps.service, { repair, at: now });
      return confirmed.ok ? 'confirmed' : 'stale';
    });
    await finishCommitted(committed, this.deps.outbox);
    if (committed.value === 'confirmed') this.deps.logger.info({ workOrderId: job.workOrderId, round: job.round }, 'repair confirmed by the clock');
    return committed.value;
  }

  private async removeFor(workOrderId: string, kind: 'not_fixed' | 'confirm' | 'cancel'): Promise<void> {
    const order = await this.deps.prisma.workOrder.findUnique({ where: { id: workOrderId }, select: { returns: true } });
    if (!order) return;
    // "Not fixed" has already counted the round it ends.
    const round = kind === 'not_fixed' ? order.returns - 1 : order.returns;
    if (round < 0) return;
    await this.deps.queue.remove(jobIds['repair-confirmations']({ workOrderId, round }));
  }

  private async dueAt(communityId: string, doneAt: Date, db: Parameters<typeof loadRepairSettings>[0] = this.deps.prisma): Promise<Date> {
    const [settings, ticketSettings] = await Promise.all([loadRepairSettings(db, communityId), loadTicketSettings(db, communityId)]);
    return answerDueAt(doneAt, settings.confirmWithinDays, ticketSettings.timezone);
  }
}
