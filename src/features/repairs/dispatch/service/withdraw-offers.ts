/**
 * Open offers of a job taken back (staff reassigned, took over or cancelled it; its ticket was
 * withdrawn): each `withdrawn`, its member told, its timeout removed after commit.
 */
import { queueAfterCommit, runAfterCommit } from '../../../../db/after-commit.js';
import type { Tx } from '../../../../db/prisma-types.js';
import type { DispatchDeps } from './dispatch-deps.js';
import { tellMember } from './offer-engine.js';

export async function withdrawOffers(tx: Tx, deps: DispatchDeps, job: { id: string; number: string }, now: Date): Promise<number> {
  const open = await tx.dispatchOffer.findMany({ where: { workOrderId: job.id, status: 'open' }, select: { id: true, memberId: true } });
  if (open.length === 0) return 0;
  await tx.dispatchOffer.updateMany({ where: { id: { in: open.map((o) => o.id) } }, data: { status: 'withdrawn', answeredAt: now } });
  for (const offer of open) queueAfterCommit(tx, await tellMember(tx, deps, offer.memberId, 'dispatch.offer.withdrawn', { number: job.number }));
  runAfterCommit(tx, async () => {
    // A job left behind finds its offer answered and does nothing.
    await deps.timeouts.cancel(open.map((o) => o.id)).catch(() => undefined);
  });
  return open.length;
}
