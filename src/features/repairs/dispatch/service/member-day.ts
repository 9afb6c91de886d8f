/**
 * A member's day in chat (issue 14): the jobs in their hands in the order to do them
 * (rules/job-order.ts), and the moves they make on one — on the way, done with a service record
 * (what was done, materials and their cost, the fee the household pays, an after photo) — and
 * "away" / "back". Each checks the policy with the member's own roles (`job.report_done` for
 * their own job, `job.receive` for their availability), is audited, moves the work order under
 * its version, and publishes `work_order.changed` (the resident side tells the resident).
 */
import type { Tx } from '../../../../db/prisma-types.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { checkAudited } from '../../../policy/audited-check.js';
import type { DenialReason } from '../../../policy/denials.js';
import { startOfLocalDay } from '../../../tickets/rules/local-time.js';
import { loadTicketSettings } from '../../../tickets/service/ticket-settings-store.js';
import { nextStatus } from '../../rules/work-order-state.js';
import { dayOrder } from '../rules/job-order.js';
import { HELD_STATUSES } from './candidates.js';
import { clockOf, type DispatchDeps } from './dispatch-deps.js';
import { lockDispatch } from './dispatch-lock.js';
import { loadJob, readWindows, type JobFacts } from './job-facts.js';
import { jobSubject } from './job-subject.js';
import { memberName } from './member-names.js';
import { dispatchJob, dispatchWaiting, publish } from './offer-engine.js';
import { writeStaffLine } from './staff-lines.js';

type Person = Extract<Actor, { kind: 'person' }>;

export interface MemberDay {
  /** Jobs held now, in the order to do them. */
  jobs: JobFacts[];
  /** Jobs they finished today (the community's day). */
  doneToday: number;
  away: boolean;
}

/** The member's jobs in hand, in order, how many they finished today, and whether they are away. */
export async function memberDay(tx: Tx, memberId: string, communityId: string, now: Date): Promise<MemberDay> {
  const timezone = (await loadTicketSettings(tx, communityId)).timezone;
  const held = await tx.workOrder.findMany({
    where: { memberId, communityId, status: { in: [...HELD_STATUSES] } },
    select: { id: true, status: true, emergency: true, priority: true, createdAt: true, homeWindows: true },
  });
  const ordered = dayOrder(held.map((row) => ({ ...row, homeFrom: readWindows(row.homeWindows)[0]?.from ?? null })));
  const jobs: JobFacts[] = [];
  for (const row of ordered) {
    const job = await loadJob(tx, row.id);
    if (job) jobs.push(job);
  }
  const doneToday = await tx.workOrder.count({ where: { memberId, communityId, doneAt: { gte: startOfLocalDay(now, timezone) } } });
  const terms = await tx.serviceMember.findUnique({ where: { residentId: memberId }, select: { awaySince: true } });
  return { jobs, doneToday, away: terms?.awaySince != null };
}

/** What a member's move on their job came to. */
export type MemberMoveOutcome =
  | { status: 'ok'; number: string }
  | { status: 'not_found' }
  | { status: 'not_now'; number: string }
  | { status: 'denied'; number: string; reason: DenialReason };

/** The service record a member gives when the job is done. */
export interface ServiceRecord {
  workDone: string;
  /** What was used, as typed (empty: none). */
  materials: string;
  materialsCostCents: number;
  feeCents: number;
  afterPhoto: string | null;
}

export const SERVICE_RECORD_LIMITS = { workDoneMax: 500, materialsMax: 200, centsMax: 10_000_000 } as const;

/**
 * "On the way" (`on_the_way`), "done" with the record (`done`), or "give it back" (`release`,
 * 退单: offered to the next member at once, not to them again), by the member who holds the job.
 */
export async function memberMove(
  tx: Tx,
  deps: DispatchDeps,
  input: { actor: Person; workOrderId: string; move: 'on_the_way' | 'done' | 'release'; record?: ServiceRecord },
): Promise<MemberMoveOutcome> {
  const first = await loadJob(tx, input.workOrderId);
  if (!first || first.communityId !== input.actor.communityId) return { status: 'not_found' };
  await lockDispatch(tx, first.communityId);
  const job = (await loadJob(tx, input.workOrderId))!;
  const now = clockOf(deps);
  const decision = await checkAudited(tx, { communityId: job.communityId, actor: input.actor, action: 'job.report_done', subject: await jobSubject(tx, job), target: { type: 'work_order', id: job.id }, now });
  if (!decision.allowed) return { status: 'denied', number: job.number, reason: decision.reason };
  const to = nextStatus(job.status, input.move);
  if (!to) return { status: 'not_now', number: job.number };
  const record = input.move === 'done' ? input.record : undefined;
  if (input.move === 'done' && !record) return { status: 'not_now', number: job.number };
  const moved = await tx.workOrder.updateMany({
    where: { id: job.id, version: job.version, memberId: input.actor.residentId },
    data: {
      status: to,
      version: { increment: 1 },
      ...(input.move === 'on_the_way' ? { onTheWayAt: now } : {}),
      ...(input.move === 'release' ? { memberId: null, onTheWayAt: null } : {}),
      ...(record
        ? {
            doneAt: now,
            workDone: record.workDone,
            materials: record.materials === '' ? [] : [{ name: record.materials, quantity: 1, costCents: record.materialsCostCents }],
            feeCents: record.feeCents,
            afterPhotos: record.afterPhoto ? [record.afterPhoto] : [],
          }
        : {}),
    },
  });
  if (moved.count === 0) return { status: 'not_now', number: job.number };
  await publish(tx, deps, job, input.move, { memberId: input.actor.residentId, actorId: input.actor.residentId });
  await recordAudit(tx, {
    communityId: job.communityId,
    actor: input.actor,
    action: { done: 'job.report_done', on_the_way: 'job.on_the_way', release: 'job.release' }[input.move],
    subjectType: 'work_order',
    subjectId: job.id,
    ...(record ? { details: { feeCents: record.feeCents, materialsCostCents: record.materialsCostCents, photo: record.afterPhoto !== null } } : {}),
  });
  if (input.move !== 'on_the_way') {
    const name = await memberName(tx, input.actor.residentId);
    const key = input.move === 'done' ? 'dispatch.staff.done' : 'dispatch.staff.released';
    await writeStaffLine(tx, deps, job, (locale) => deps.translator.t(locale, key, { number: job.number, name }));
  }
  if (input.move === 'release') await dispatchJob(tx, deps, job.id, input.actor.residentId);
  return { status: 'ok', number: job.number };
}

/** "Away" (offered nothing until back) or "back" (waiting jobs may go to them at once). */
export async function setAway(tx: Tx, deps: DispatchDeps, actor: Person, away: boolean): Promise<'away' | 'back' | { denied: DenialReason }> {
  const now = clockOf(deps);
  await lockDispatch(tx, actor.communityId);
  const decision = await checkAudited(tx, {
    communityId: actor.communityId,
    actor,
    action: 'job.receive',
    subject: { communityId: actor.communityId, jobId: '', skill: null, areaIds: [], assigneeResidentId: null },
    target: { type: 'service_member', id: actor.residentId },
    now,
  });
  if (!decision.allowed) return { denied: decision.reason };
  await tx.serviceMember.upsert({
    where: { residentId: actor.residentId },
    create: { residentId: actor.residentId, communityId: actor.communityId, awaySince: away ? now : null },
    update: { awaySince: away ? now : null },
  });
  await recordAudit(tx, { communityId: actor.communityId, actor, action: away ? 'service_member.away' : 'service_member.back', subjectType: 'service_member', subjectId: actor.residentId });
  if (!away) await dispatchWaiting(tx, deps, actor.communityId);
  return away ? 'away' : 'back';
}
