/** The worker of the `ticket-digests` queue: each job (scheduled or catch-up) sends one digest. */
import type { LinliWorker, QueueBackend } from '../../../queue/backend.js';
import { parseJobPayload } from '../../../queue/jobs.js';
import { QueueNames } from '../../../queue/names.js';
import type { DigestJob, TicketDigests } from './ticket-digests.js';

export function startDigestWorker(queues: QueueBackend, digests: TicketDigests): LinliWorker<DigestJob> {
  return queues.worker(
    QueueNames.ticketDigests,
    async (job) => {
      const { communityId, kind } = parseJobPayload(QueueNames.ticketDigests, job.data);
      return (await digests.send(communityId, kind)).sent;
    },
    { concurrency: 1 },
  );
}
