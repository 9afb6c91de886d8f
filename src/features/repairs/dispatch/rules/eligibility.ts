/**
 * Who may be offered a job, and in what order (issue 14: skill, area, working hours, load, who is
 * nearest to free). Pure: the service reads the members and their load, this decides.
 *
 * A member is eligible when they are not away, hold the skill the job needs (any member for a job
 * that names none), cover the job's area (an area covers everything under it; no areas = the whole
 * community), are at work now, and have not been offered this job before (declined, let it run
 * out, or had it withdrawn). An emergency goes to every such member at once, whatever the hour
 * and whatever else they were offered: a gas smell does not wait for office hours.
 *
 * Ranking: fewest jobs in hand first, then whoever has been free longest (never held a job counts
 * as free longest), then a fixed order (their id) so the same state gives the same answer.
 */
import type { WeeklyHours } from './working-hours.js';
import { worksAt } from './working-hours.js';

/** The job as dispatch reads it. */
export interface DispatchJob {
  /** The skill needed; null = any member. */
  skill: string | null;
  /** The job's area and its ancestors, nearest first; [] when the job has no area. */
  areaIds: readonly string[];
  emergency: boolean;
}

/** One service-team member as dispatch sees them at one moment. */
export interface Candidate {
  residentId: string;
  /** Skills of their current service-team roles. */
  skills: readonly string[];
  /** Areas they cover; [] = the whole community. */
  areaIds: readonly string[];
  hours: WeeklyHours;
  away: boolean;
  /** Jobs they hold now (accepted or on the way). */
  jobsInHand: number;
  /** They have an open offer of another job (a member answers one offer at a time). */
  answeringAnotherOffer: boolean;
  /** When they last finished or gave up a job; null = never held one. */
  freeSince: Date | null;
  /** This job was offered to them before. */
  offeredThisJobBefore: boolean;
}

export type IneligibleReason = 'away' | 'missing_skill' | 'outside_area' | 'off_hours' | 'offered_before' | 'answering_another_offer';

/** Why `candidate` may not be offered `job` now, or null when they may. */
export function whyIneligible(job: DispatchJob, candidate: Candidate, now: Date, timezone: string): IneligibleReason | null {
  if (candidate.away) return 'away';
  if (job.skill !== null && !candidate.skills.includes(job.skill)) return 'missing_skill';
  if (candidate.areaIds.length > 0 && !candidate.areaIds.some((area) => job.areaIds.includes(area))) return 'outside_area';
  if (candidate.offeredThisJobBefore) return 'offered_before';
  if (job.emergency) return null;
  if (!worksAt(candidate.hours, now, timezone)) return 'off_hours';
  if (candidate.answeringAnotherOffer) return 'answering_another_offer';
  return null;
}

/** Best first: fewest jobs in hand, free longest, then by id. */
export function rankCandidates<C extends Candidate>(candidates: readonly C[]): C[] {
  return [...candidates].sort(
    (a, b) =>
      a.jobsInHand - b.jobsInHand ||
      freeTime(a.freeSince) - freeTime(b.freeSince) ||
      (a.residentId < b.residentId ? -1 : a.residentId > b.residentId ? 1 : 0),
  );
}

function freeTime(since: Date | null): number {
  return since === null ? Number.NEGATIVE_INFINITY : since.getTime();
}

/**
 * What to do with a job now:
 * - `offer` to these members (one, or every eligible one for an emergency);
 * - `wait`: someone could take it but is answering another offer — the job is offered as soon as
 *   an offer is answered or runs out (priority jobs first: `waitingJobOrder`);
 * - `nobody`: no member may take it — the area's steward and the staff inbox take it up.
 */
export type DispatchPlan = { kind: 'offer'; memberIds: string[] } | { kind: 'wait' } | { kind: 'nobody' };

export function planOffers(job: DispatchJob, candidates: readonly Candidate[], now: Date, timezone: string): DispatchPlan {
  const eligible = candidates.filter((candidate) => whyIneligible(job, candidate, now, timezone) === null);
  if (eligible.length > 0) {
    const ranked = rankCandidates(eligible).map((candidate) => candidate.residentId);
    return { kind: 'offer', memberIds: job.emergency ? ranked : ranked.slice(0, 1) };
  }
  const busy = candidates.some((candidate) => whyIneligible(job, candidate, now, timezone) === 'answering_another_offer');
  return busy ? { kind: 'wait' } : { kind: 'nobody' };
}

/** Why nobody may take a job, for the staff: how many members each reason kept out (none with the skill: no member at all). */
export function whyNobody(job: DispatchJob, candidates: readonly Candidate[], now: Date, timezone: string): Partial<Record<IneligibleReason, number>> {
  const counts: Partial<Record<IneligibleReason, number>> = {};
  for (const candidate of candidates) {
    const reason = whyIneligible(job, candidate, now, timezone);
    if (reason) counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}
