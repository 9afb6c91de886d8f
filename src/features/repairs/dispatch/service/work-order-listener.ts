/**
 * Dispatch's ears on `work_order.changed`, inside the change's transaction: a job `filed` is
 * offered at once (so the filing and its first offer commit together); a job the resident says is
 * `not_fixed` is back with the same member (the resident side moved it), who is told with the
 * resident's words; a job
 * `cancel`led — by staff, or with its ticket withdrawn or merged — has its open offers withdrawn
 * and timeouts removed, the member who held it told (unless they cancelled it), and the members
 * it freed offered the jobs waiting for them.
 */
import { queueAfterCommit } from '../../../../db/after-commit.js';
import type { EventSubscriber } from '../../../../events/index.js';
import { clockOf, type DispatchDeps } from './dispatch-deps.js';
import { lockDispatch } from './dispatch-lock.js';
import { loadJob } from './job-facts.js';
import { dispatchJob, dispatchWaiting, tellMember } from './offer-engine.js';
import { withdrawOffers } from './withdraw-offers.js';

export function listenForWorkOrders(events: EventSubscriber, deps: DispatchDeps): void {
  events.on('work_order.changed', async (tx, change) => {
    if (change.kind === 'filed') {
      await dispatchJob(tx, deps, change.workOrderId);
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
