/**
 * The order jobs are taken in. Pure.
 *
 * - Waiting jobs (no member free to be offered them yet) go out emergencies first, then priority
 *   households (elderly, disabled, ill, low income: served first, docs/domain.md rule 7), then
 *   the oldest.
 * - A member's day: the job they are on the way to first, then emergencies, priority households,
 *   the earliest time someone is home, the oldest.
 */

export interface WaitingJob {
  id: string;
  emergency: boolean;
  priority: boolean;
  createdAt: Date;
}

export function waitingJobOrder<J extends WaitingJob>(jobs: readonly J[]): J[] {
  return [...jobs].sort(
    (a, b) => Number(b.emergency) - Number(a.emergency) || Number(b.priority) - Number(a.priority) || a.createdAt.getTime() - b.createdAt.getTime() || compareIds(a.id, b.id),
  );
}

export interface DayJob extends WaitingJob {
  status: string;
  /** The start of the first window someone is home, if the resident gave one. */
  homeFrom: Date | null;
}

export function dayOrder<J extends DayJob>(jobs: readonly J[]): J[] {
  return [...jobs].sort(
    (a, b) =>
      Number(b.status === 'on_the_way') - Number(a.status === 'on_the_way') ||
      Number(b.emergency) - Number(a.emergency) ||
      Number(b.priority) - Number(a.priority) ||
      homeTime(a) - homeTime(b) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      compareIds(a.id, b.id),
  );
}

function homeTime(job: DayJob): number {
  return job.homeFrom === null ? Number.POSITIVE_INFINITY : job.homeFrom.getTime();
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
