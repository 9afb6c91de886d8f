/**
 * Dispatch's ears on `work_order.changed`, inside the change's transaction: a job `filed` is
 * offered at once (so the filing and its first offer commit together); a job the resident says is
 * `not_fixed` is back with the same member (the resident side moved it), who is told.
 */
import type { EventSubscriber } from '../../../../events/index.js';
import { queueAfterCommit } from '../../../../db/after-commit.js';
import type { DispatchDeps } from './dispatch-deps.js';
import { loadJob } from './job-facts.js';
import { dispatchJob, tellMember } from './offer-engine.js';

export function listenForWorkOrders(events: EventSubscriber, deps: DispatchDeps): void {
  events.on('work_order.changed', async (tx, change) => {
    if (change.kind === 'filed') {
      await dispatchJob(tx, deps, change.workOrderId);
      return;
    }
    if (change.kind === 'not_fixed') {
      const job = await loadJob(tx, change.workOrderId);
      if (job?.memberId) queueAfterCommit(tx, await tellMember(tx, deps, job.memberId, 'dispatch.member.not_fixed', { number: job.number }));
    }
  });
}
