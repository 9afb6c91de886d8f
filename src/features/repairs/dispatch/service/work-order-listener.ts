/**
 * Dispatch's ears on `work_order.changed`, inside the change's transaction: a job `filed` is
 * offered at once (so the filing and its first offer commit together) when no other dispatch of
 * the community is under way; when one is (a member's answer, another filing), the filing commits
 * without waiting for it — a resident's confirm never waits on the team — and the job is offered
 * in a transaction of its own right after (or, should that fail, by the next pass over the waiting
 * jobs: an offer ending, the start-up sweep); a job the resident says is
 * `not_fixed` is back with the same member (the resident side moved it), who is told with the
 * resident's words; a job
 * `cancel`led — by staff, or with its ticket withdrawn or merged — has its open offers withdrawn
 * and timeouts removed, the member who held it told (unless they cancelled it), and the members
 * it freed offered the jobs waiting for them.
 */
import { finishCommitted, queueAfterCommit, runAfterCommit, runsAfterCommit, transactionWithAfterCommit } from '../../../../db/after-commit.js';
import type { PrismaClient } from '../../../../db/prisma-types.js';
import type { OutboxDispatcher } from '../../../../outbox/outbox.js';
import type { EventSubscriber } from '../../../../events/index.js';
import { clockOf, type DispatchDeps } from './dispatch-deps.js';
import { lockDispatch } from './dispatch-lock.js';
import { loadJob } from './job-facts.js';
import { dispatchJob, dispatchJobIfFree, dispatchWaiting, tellMember } from './offer-engine.js';
import { withdrawOffers } from './withdraw-offers.js';

/** What offering a filed job after its filing's commit takes. */
export interface LaterDispatch {
  prisma: PrismaClient;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
}

/** Its own transaction's limits: as the sweep's. */
const LATER_DISPATCH_TIMEOUT_MS = 20_000;
/** When it failed: tried again after these. */
const LATER_DISPATCH_RETRY_MS = [5_000, 30_000, 120_000];

export function listenForWorkOrders(events: EventSubscriber, deps: DispatchDeps, later?: LaterDispatch): void {
  const offerAfterCommit = (workOrderId: string, attempt = 0) => async (): Promise<void> => {
    if (!later) return;
    try {
      const committed = await transactionWithAfterCommit(later.prisma, (tx) => dispatchJob(tx, deps, workOrderId), {
        timeout: LATER_DISPATCH_TIMEOUT_MS,
        maxWait: LATER_DISPATCH_TIMEOUT_MS,
      });
      await finishCommitted(committed, later.outbox);
    } catch (error) {
      // Most likely the lock's holder outlasted the wait: try again a little later, a few times;
      // after that (or after a restart) the next pass over waiting jobs offers it.
      const retryInMs = LATER_DISPATCH_RETRY_MS[attempt];
      deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown', workOrderId, retryInMs: retryInMs ?? null }, 'offering a filed job after its filing failed');
      if (retryInMs !== undefined) setTimeout(() => void offerAfterCommit(workOrderId, attempt + 1)(), retryInMs).unref();
    }
  };
  events.on('work_order.changed', async (tx, change) => {
    if (change.kind === 'filed') {
      // Nobody to run work after this commit (the command line, a test's own transaction): offered in it, waiting if need be.
      if (!later || !runsAfterCommit(tx)) {
        await dispatchJob(tx, deps, change.workOrderId);
        return;
      }
      const outcome = await dispatchJobIfFree(tx, deps, change.workOrderId);
      // Not awaited by the filing's owner: it waits for the lock, and the resident's turn need not.
      if (outcome.kind === 'busy') runAfterCommit(tx, async () => void offerAfterCommit(change.workOrderId)());
      return;
    }
    if (change.kind === 'cancel') {
      const job = await loadJob(tx, change.workOrderId);
      if (!job) return;
      await lockDispatch(tx, job.communityId);
      await withdrawOffers(tx, deps, job, clockOf(deps));
      if (change.memberId && change.memberId !== change.actorId) queueAfterCommit(tx, await tellMember(tx, deps, change.memberId, 'dispatch.member.cancelled', { number: job.number }));
      await dispatchWaiting(tx, deps, job.communityId);
      return;
    }
    if (change.kind === 'not_fixed') {
      const job = await loadJob(tx, change.workOrderId);
      if (!job?.memberId) return;
      // The resident's words came with it as a message on the ticket, in this same transaction.
      const said = await tx.ticketEvent.findFirst({ where: { ticketId: job.ticketId, kind: 'resident_message' }, orderBy: { createdAt: 'desc' }, select: { text: true } });
      const words = said?.text?.trim();
      queueAfterCommit(
        tx,
        await tellMember(tx, deps, job.memberId, words ? 'dispatch.member.not_fixed_words' : 'dispatch.member.not_fixed', { number: job.number, ...(words ? { words } : {}) }),
      );
    }
  });
}
