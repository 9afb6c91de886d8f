/** A work order as the policy reads it (`JobSubject`): its area's ancestry, skill and holder. */
import type { Tx } from '../../../../db/prisma-types.js';
import type { Skill } from '../../../community/vocabulary.js';
import { areaAncestry } from '../../../policy/area-ancestry.js';
import type { JobSubject } from '../../../policy/subjects.js';
import type { JobFacts } from './job-facts.js';

/** `assignee`: who it is offered to or held by (default: its holder). */
export async function jobSubject(tx: Tx, job: JobFacts, assignee: string | null = job.memberId): Promise<JobSubject> {
  return {
    communityId: job.communityId,
    jobId: job.id,
    skill: job.skill as Skill | null,
    areaIds: job.areaId ? await areaAncestry(tx, job.areaId) : [],
    assigneeResidentId: assignee,
  };
}
