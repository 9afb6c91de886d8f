/**
 * The scheduler's listener of `ticket.changed` (service/ticket-change.ts): told of every ticket
 * change inside the ticket service's transaction, it
 * - measures satisfaction again when the change is a rating (`recordRatingEffects`, in that same
 *   transaction, so an alert exists exactly when the rating does), and
 * - once the transaction has committed, schedules the deadline jobs of the ticket's new version
 *   (`runAfterCommit`, src/db/after-commit.ts) — never for a change rolled back.
 *
 * A transaction opened without after-commit support (the command line) leaves the jobs to the
 * hourly sweep and the alert rows to the outbox sweep.
 */
import { queueAfterCommit, runAfterCommit } from '../../../db/after-commit.js';
import type { Tx } from '../../../db/prisma-types.js';
import type { Logger } from '../../../log/logger.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { TicketChange } from '../service/ticket-change.js';

export interface TicketClockListenerDeps {
  schedule: (ticketId: string) => Promise<unknown>;
  recordRatingEffects: (tx: Tx, ticketId: string) => Promise<QueuedOutboxRow[]>;
  logger: Logger;
}

/** Event kinds that change nothing the deadline jobs read (the escalations are the jobs' own). */
const NOT_SCHEDULING = new Set(['escalated', 'internal_note', 'rating_asked']);

export class TicketClockListener {
  constructor(private readonly deps: TicketClockListenerDeps) {}

  async ticketChanged(tx: Tx, change: TicketChange): Promise<void> {
    if (NOT_SCHEDULING.has(change.kind)) return;
    if (change.kind === 'rated') queueAfterCommit(tx, await this.deps.recordRatingEffects(tx, change.ticketId));
    const scheduled = runAfterCommit(tx, async () => {
      // The change has committed whatever happens here: a failure is the hourly sweep's to mend.
      await this.deps.schedule(change.ticketId).catch((error: unknown) => {
        this.deps.logger.warn({ ticketId: change.ticketId, err: error instanceof Error ? error.name : 'unknown' }, 'scheduling deadline jobs failed');
      });
    });
    if (!scheduled) this.deps.logger.debug({ ticketId: change.ticketId }, 'deadline jobs left to the sweep');
  }
}
