/**
 * Held and scheduled notices as delayed jobs (`notice-sends`), one per notice and time: the job
 * runs `NoticeService.sendDue`, which sends only a notice still held or scheduled for that very
 * time (a guarded update in the sending transaction), so a repeated job sends nothing twice. One
 * run early (clocks of two hosts apart) fails and is tried again. The sweep at start adds the job
 * of every notice still waiting (an existing one is left alone: same id), so a restart loses none.
 */
import type { LinliQueue, LinliWorker, QueueBackend } from '../../../queue/backend.js';
import { jobIds, parseJobPayload, type JobPayload } from '../../../queue/jobs.js';
import { QueueNames } from '../../../queue/names.js';
import type { NoticeService } from './notice-service.js';

export type NoticeSendJob = JobPayload<'notice-sends'>;

/** Thrown when a job runs before its notice's time: the queue tries again later. */
export class NoticeNotDueError extends Error {
  constructor(readonly noticeId: string) {
    super('notice job ran before its time');
    this.name = 'NoticeNotDueError';
  }
}

/** Adds the delayed job of a notice due at `sendAt`. */
export function noticeJobScheduler(queue: LinliQueue<NoticeSendJob>, now: () => Date): (noticeId: string, sendAt: Date) => Promise<void> {
  return async (noticeId, sendAt) => {
    const payload: NoticeSendJob = { noticeId, sendAt: sendAt.getTime() };
    await queue.add('notice-send', payload, {
      jobId: jobIds['notice-sends'](payload),
      delay: Math.max(0, sendAt.getTime() - now().getTime()),
      attempts: 8,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: true,
    });
  };
}

export function startNoticeSendWorker(queues: QueueBackend, service: NoticeService): LinliWorker<NoticeSendJob> {
  return queues.worker(
    QueueNames.noticeSends,
    async (job) => {
      const { noticeId, sendAt } = parseJobPayload(QueueNames.noticeSends, job.data);
      const outcome = await service.sendDue(noticeId, new Date(sendAt));
      if (outcome === 'early') throw new NoticeNotDueError(noticeId);
      return outcome;
    },
    { concurrency: 1 },
  );
}

/** At start: every notice still waiting has its job again. */
export async function sweepWaitingNotices(service: NoticeService, schedule: (noticeId: string, sendAt: Date) => Promise<void>): Promise<number> {
  const waiting = await service.waiting();
  for (const notice of waiting) await schedule(notice.id, notice.sendAt);
  return waiting.length;
}

export type NoticeProgressJob = JobPayload<'notice-progress'>;

/** Adds a notice's next progress tick, `delayMs` from now (the first at once). */
export function progressTicker(queue: LinliQueue<NoticeProgressJob>, delayMs: number): (noticeId: string, tick: number) => Promise<void> {
  return async (noticeId, tick) => {
    const payload: NoticeProgressJob = { noticeId, tick };
    await queue.add('notice-progress', payload, { jobId: jobIds['notice-progress'](payload), delay: tick === 0 ? 0 : delayMs, attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true, removeOnFail: true });
  };
}

/** Each tick looks once (`progressTick`) and adds the next until the report is written. */
export function startNoticeProgressWorker(queues: QueueBackend, tick: (noticeId: string) => Promise<'done' | 'continue' | 'none'>, next: (noticeId: string, tick: number) => Promise<void>): LinliWorker<NoticeProgressJob> {
  return queues.worker(
    QueueNames.noticeProgress,
    async (job) => {
      const payload = parseJobPayload(QueueNames.noticeProgress, job.data);
      const outcome = await tick(payload.noticeId);
      if (outcome === 'continue') await next(payload.noticeId, payload.tick + 1);
      return outcome;
    },
    { concurrency: 2 },
  );
}
