/**
 * Idle conversations are reminded, then closed, by delayed jobs — never "on the next message".
 * Each timer carries the conversation's version when it was set; any later turn bumps the
 * version, so an outdated timer finds nothing to do.
 */
import type { LinliQueue, LinliWorker, QueueBackend } from '../queue/backend.js';
import { jobIds, parseJobPayload, type JobPayload } from '../queue/jobs.js';
import { QueueNames } from '../queue/names.js';
import type { ConversationService, ScheduleIdle } from './conversation-service.js';

type TimeoutJob = JobPayload<'conversation-timeouts'>;

export function idleScheduler(queue: LinliQueue<TimeoutJob>): ScheduleIdle {
  return async (conversationId, version, stage, delayMs) => {
    const payload: TimeoutJob = { conversationId, version, stage };
    await queue.add('idle', payload, {
      jobId: jobIds['conversation-timeouts'](payload),
      delay: delayMs,
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
    });
  };
}

export function startIdleWorker(queues: QueueBackend, service: ConversationService): LinliWorker<TimeoutJob> {
  return queues.worker(
    QueueNames.conversationTimeouts,
    async (job) => {
      const { conversationId, version, stage } = parseJobPayload(QueueNames.conversationTimeouts, job.data);
      return service.handleIdle(conversationId, version, stage);
    },
    { concurrency: 5 },
  );
}
