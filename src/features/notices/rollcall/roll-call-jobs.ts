/**
 * The roll-call's stages as delayed queue jobs (`notice-roll-calls`), keyed by alert and stage:
 * added after the commit that sends an alert (`notice.sent`, heard after commit), due at T1 and
 * T2. A job runs its stage in a transaction of its own and sends what it wrote after commit; one
 * run before its moment (hosts' clocks apart) fails and is tried again. At start every alert sent
 * within the last day gets its jobs again (an existing one is left alone: same id), and a stage
 * already done does nothing (its audit row, `escalate.ts`): a restart loses and repeats none.
 */
import { finishCommitted, transactionWithAfterCommit } from '../../../db/after-commit.js';
import type { LinliQueue, LinliWorker, QueueBackend } from '../../../queue/backend.js';
import { jobIds, parseJobPayload, type JobPayload } from '../../../queue/jobs.js';
import { QueueNames } from '../../../queue/names.js';
import { parseNoticeSettings } from '../rules/notice-settings.js';
import type { NoticeAnswerDeps } from '../answers/answer-deps.js';
import { GONE_OUT_STATUSES } from '../answers/gone-out.js';
import { runRollCallStage, type StageOutcome } from './escalate.js';
import { ROLL_CALL_STAGES, stageDueAt } from './rules/escalation-times.js';

export type RollCallJob = JobPayload<'notice-roll-calls'>;

/** How far back the sweep at start looks: longer than the latest T2 the settings allow. */
const SWEEP_BACK_MS = 25 * 3_600_000;

/** Thrown when a stage's job runs before its moment: the queue tries it again later. */
export class RollCallNotDueError extends Error {
  override readonly name = 'RollCallNotDueError';
  constructor(readonly dueAt: Date) {
    super(`roll-call stage ran before ${dueAt.toISOString()}`);
  }
}

export class RollCallJobs {
  constructor(
    private readonly deps: NoticeAnswerDeps,
    private readonly queue: LinliQueue<RollCallJob>,
  ) {}

  /** Adds both stages' jobs of an alert, each due at its moment counted from `sentAt`. */
  async schedule(noticeId: string, sentAt: Date): Promise<void> {
    const community = await this.deps.prisma.community.findUniqueOrThrow({ where: { id: this.deps.communityId }, select: { noticeSettings: true } });
    const settings = parseNoticeSettings(community.noticeSettings);
    for (const stage of ROLL_CALL_STAGES) {
      const payload: RollCallJob = { noticeId, stage };
      await this.queue.add('roll-call', payload, {
        jobId: jobIds['notice-roll-calls'](payload),
        delay: Math.max(0, stageDueAt(sentAt, settings, stage).getTime() - this.deps.now().getTime()),
        attempts: 8,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: true,
        removeOnFail: true,
      });
    }
  }

  /** At start: every recent alert's stages are due again (none doubled, none lost). */
  async sweep(): Promise<number> {
    const since = new Date(this.deps.now().getTime() - SWEEP_BACK_MS);
    const alerts = await this.deps.prisma.notice.findMany({
      where: { communityId: this.deps.communityId, kind: 'alert', status: { in: [...GONE_OUT_STATUSES] }, sentAt: { gte: since } },
      select: { id: true, sentAt: true },
    });
    for (const alert of alerts) await this.schedule(alert.id, alert.sentAt!);
    return alerts.length;
  }
}

/** Runs one stage's job: its lists written and sent after commit. */
export async function runRollCallJob(deps: NoticeAnswerDeps, job: RollCallJob): Promise<StageOutcome> {
  const committed = await transactionWithAfterCommit(deps.prisma, (tx) => runRollCallStage(tx, deps, job.noticeId, job.stage, deps.now()), { timeout: 30_000, maxWait: 20_000 });
  const result = committed.value;
  await finishCommitted(committed, deps.outbox, result.outcome === 'sent' ? result.rows : []);
  if (result.outcome === 'not_due') throw new RollCallNotDueError(result.dueAt);
  if (result.outcome === 'sent') deps.logger.info({ noticeId: job.noticeId, stage: job.stage, households: result.households, recipients: result.recipients }, 'roll-call lists sent');
  return result;
}

export function startRollCallWorker(queues: QueueBackend, deps: NoticeAnswerDeps): LinliWorker<RollCallJob> {
  return queues.worker(QueueNames.noticeRollCalls, async (job) => runRollCallJob(deps, parseJobPayload(QueueNames.noticeRollCalls, job.data)), { concurrency: 2 });
}
