/** The worker of the `ticket-deadlines` queue: each job runs `TicketDeadlines.handle`. */
import type { LinliWorker, QueueBackend } from '../../../queue/backend.js';
import { parseJobPayload } from '../../../queue/jobs.js';
import { QueueNames } from '../../../queue/names.js';
import type { DeadlineJob, TicketDeadlines } from './ticket-deadlines.js';

export function startDeadlineWorker(queues: QueueBackend, deadlines: TicketDeadlines): LinliWorker<DeadlineJob> {
  return queues.worker(
    QueueNames.ticketDeadlines,
    async (job) => deadlines.handle(parseJobPayload(QueueNames.ticketDeadlines, job.data)),
    { concurrency: 5 },
  );
}
