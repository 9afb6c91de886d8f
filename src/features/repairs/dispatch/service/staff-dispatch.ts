/**
 * Staff's hand on a repair job (issue 14: 转单, cancel, take over), from the staff chat or the
 * console, in the caller's transaction: the policy (`job.dispatch`: committee, admins, the area's
 * stewards and councils) with the refusal audited, the dispatch lock, the move under the work
 * order's version, open offers withdrawn and their members told, the member who held it told,
 * `work_order.changed` and the audit row.
 *
 * - reassign: to a named member (offered to them alone), or to the next eligible member (whoever
 *   had it is not asked again); nobody left goes to the steward and staff as any job does.
 * - take over: held at once by a named member, or by the staff member themselves.
 * - cancel: ended; the member who held it and those with an open offer are told.
 */
import { queueAfterCommit, runAfterCommit } from '../../../../db/after-commit.js';
import type { Tx } from '../../../../db/prisma-types.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { checkAudited } from '../../../policy/audited-check.js';
import type { DenialReason } from '../../../policy/denials.js';
import { activeRoleWhere } from '../../../tickets/scheduling/staff-directory.js';
import { nextStatus } from '../../rules/work-order-state.js';
import { offerExpiresAt } from '../rules/offer-timing.js';
import { clockOf, type DispatchDeps } from './dispatch-deps.js';
import { lockDispatch } from './dispatch-lock.js';
import { loadJob, type JobFacts } from './job-facts.js';
import { jobSubject } from './job-subject.js';
import { memberName } from './member-names.js';
import { dispatchJob, dispatchWaiting, publish, tellMember, writeOfferNotice } from './offer-engine.js';
import { withdrawOffers } from './withdraw-offers.js';
import { writeStaffLine } from './staff-lines.js';

export type StaffDispatchMove = 'reassign' | 'take_over' | 'cancel';

export type StaffDispatchOutcome =
  | { status: 'done'; number: string; memberName: string | null }
  | { status: 'not_found' }
  | { status: 'not_now'; number: string; jobStatus: string }
  | { status: 'member_not_found' | 'member_ambiguous'; number: string }
  | { status: 'denied'; number: string; reason: DenialReason };

export interface StaffDispatchInput {
  actor: Actor;
  workOrderId: string;
  move: StaffDispatchMove;
  /** Reassign or take over: a service-team member by name; absent = the next member, or the staff member themselves. */
  memberName?: string;
  /** The same by id (the console's list of the team). */
  memberId?: string;
}

export async function staffDispatch(tx: Tx, deps: DispatchDeps, input: StaffDispatchInput): Promise<StaffDispatchOutcome> {
  const first = await loadJob(tx, input.workOrderId);
  if (!first) return { status: 'not_found' };
  await lockDispatch(tx, first.communityId);
  const job = (await loadJob(tx, input.workOrderId))!;
  const now = clockOf(deps);
  const decision = await checkAudited(tx, {
    communityId: job.communityId,
    actor: input.actor,
    action: 'job.dispatch',
    subject: await jobSubject(tx, job),
    target: { type: 'work_order', id: job.id },
    details: { move: input.move },
    now,
  });
  if (!decision.allowed) return { status: 'denied', number: job.number, reason: decision.reason };
  const to = nextStatus(job.status, input.move);
  if (!to) return { status: 'not_now', number: job.number, jobStatus: job.status };

  let memberId: string | null = null;
  if (input.memberId) {
    const found = await tx.resident.count({ where: { id: input.memberId, communityId: job.communityId, roles: { some: { role: 'service_team', ...activeRoleWhere(now) } } } });
    if (found === 0) return { status: 'member_not_found', number: job.number };
    memberId = input.memberId;
  } else if (input.memberName?.trim()) {
    const found = await teamMembersNamed(tx, job.communityId, input.memberName, now);
    if (found.length === 0) return { status: 'member_not_found', number: job.number };
    if (found.length > 1) return { status: 'member_ambiguous', number: job.number };
    memberId = found[0]!;
  } else if (input.move === 'take_over') {
    memberId = input.actor.kind === 'person' ? input.actor.residentId : null;
  }

  const actorId = input.actor.kind === 'person' ? input.actor.residentId : undefined;
  // A cancel's offers and holder are seen to by dispatch's listener of `cancel`, whoever cancels.
  if (input.move !== 'cancel') {
    await withdrawOffers(tx, deps, job, now);
    if (job.memberId && job.memberId !== memberId) queueAfterCommit(tx, await tellMember(tx, deps, job.memberId, 'dispatch.member.taken_away', { number: job.number }));
  }
  const moved = await tx.workOrder.updateMany({
    where: { id: job.id, version: job.version },
    data: {
      status: to,
      version: { increment: 1 },
      memberId: input.move === 'take_over' ? memberId : null,
      ...(input.move === 'take_over' ? { acceptedAt: now } : {}),
      ...(input.move === 'cancel' ? { cancelledAt: now } : {}),
    },
  });
  if (moved.count === 0) throw new Error(`work order ${job.id} changed under the dispatch lock`);
  // A cancel names the member who held it (they are told); the others the member it goes to.
  const about = input.move === 'cancel' ? job.memberId : memberId;
  await publish(tx, deps, job, input.move, { ...(about ? { memberId: about } : {}), ...(actorId ? { actorId } : {}) });
  await recordAudit(tx, { communityId: job.communityId, actor: input.actor, action: `job.${input.move}`, subjectType: 'work_order', subjectId: job.id, details: { memberId } });

  const name = memberId ? await memberName(tx, memberId) : null;
  if (input.move === 'reassign') {
    if (memberId) await offerTo(tx, deps, job.id, memberId, now, actorId);
    else await dispatchJob(tx, deps, job.id, actorId);
  }
  if (input.move === 'take_over' && memberId && memberId !== actorId) {
    queueAfterCommit(tx, await tellMember(tx, deps, memberId, 'dispatch.member.assigned', { number: job.number }));
  }
  // Members whose offers were withdrawn answer none now: jobs waiting for them may go out.
  await dispatchWaiting(tx, deps, job.communityId);
  const key = { reassign: 'dispatch.staff.reassigned', take_over: 'dispatch.staff.taken_over', cancel: 'dispatch.staff.cancelled' }[input.move];
  await writeStaffLine(tx, deps, job, (locale) => deps.translator.t(locale, key, { number: job.number, name: name ?? deps.translator.t(locale, 'dispatch.staff.next_member') }));
  return { status: 'done', number: job.number, memberName: name };
}

/** Current service-team members of this name (several: staff must say which). */
async function teamMembersNamed(tx: Tx, communityId: string, name: string, now: Date): Promise<string[]> {
  const found = await tx.resident.findMany({
    where: { communityId, name: { equals: name.trim(), mode: 'insensitive' }, roles: { some: { role: 'service_team', ...activeRoleWhere(now) } } },
    select: { id: true },
    take: 5,
  });
  return found.map((r) => r.id);
}

/** An offer to one named member, whatever the rules would pick (staff chose them). */
async function offerTo(tx: Tx, deps: DispatchDeps, workOrderId: string, memberId: string, now: Date, actorId?: string): Promise<void> {
  const job = (await loadJob(tx, workOrderId))!;
  const expiresAt = offerExpiresAt(deps.timing, job.emergency, now);
  const offer = await tx.dispatchOffer.create({ data: { workOrderId, memberId, offeredAt: now, expiresAt }, select: { id: true } });
  await publish(tx, deps, job, 'offer', { memberId, ...(actorId ? { actorId } : {}) });
  queueAfterCommit(tx, await writeOfferNotice(tx, deps, job, memberId));
  runAfterCommit(tx, async () => {
    await deps.timeouts.schedule([{ id: offer.id, expiresAt }]).catch(() => undefined);
  });
}
