/** The worker of the `fund-disclosures` queue: each job (scheduled or catch-up) sends one month's notice. */
import type { LinliWorker, QueueBackend } from '../../../queue/backend.js';
import { parseJobPayload } from '../../../queue/jobs.js';
import { QueueNames } from '../../../queue/names.js';
import type { DisclosureJob, FundDisclosures } from './fund-disclosures.js';

export function startDisclosureWorker(queues: QueueBackend, disclosures: FundDisclosures): LinliWorker<DisclosureJob> {
  return queues.worker(
    QueueNames.fundDisclosures,
    async (job) => {
      const { fundId } = parseJobPayload(QueueNames.fundDisclosures, job.data);
      return (await disclosures.send(fundId)).sent;
    },
    { concurrency: 1 },
  );
}
