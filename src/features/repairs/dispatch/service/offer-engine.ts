/**
 * Offers repair jobs to the service team, in the caller's transaction (issue 14):
 *
 * - `dispatchJob` — a job filed, declined, timed out or handed back: the rules pick the next
 *   member (rules/eligibility.ts), or every eligible member for an emergency. Each gets an offer
 *   row with its expiry, a notice in their own chat with accept and decline (buttons, or numbered
 *   replies where the channel has none) and, after commit, a delayed job that ends the offer when
 *   it runs out. Someone could take it but is answering another offer: the job waits, and goes
 *   out as soon as an offer is answered (`dispatchWaiting`, priority households first). Nobody
 *   may take it: the area's steward hears in their chat, the staff chats and the team's chat see it.
 *   The team's chat (bound `service_team`) also hears of every emergency and of who took each job.
 * - `answerOffer` — accept or decline, by the member it was offered to (policy `job.accept` /
 *   `job.decline`). Accepting is a guarded update of the work order (still `offered`, held by
 *   nobody, at the version read): a job is never held by two members. The first to accept an
 *   emergency takes it and the others' offers are withdrawn and they are told.
 * - `expireOffer` — the delayed job: an offer still open at its expiry ends, and the next member is asked.
 *
 * Every one of them takes the community's dispatch lock first (dispatch-lock.ts) and publishes
 * `work_order.changed` for each change.
 */
import { runAfterCommit, queueAfterCommit } from '../../../../db/after-commit.js';
import type { Tx } from '../../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { areaAncestry } from '../../../policy/area-ancestry.js';
import { checkAudited } from '../../../policy/audited-check.js';
import type { DenialReason } from '../../../policy/denials.js';
import { nearestStewards, boundAccounts } from '../../../tickets/scheduling/staff-directory.js';
import { nextStatus } from '../../rules/work-order-state.js';
import type { WorkOrderChange } from '../../work-order-events.js';
import { planOffers, whyNobody, type Candidate, type IneligibleReason } from '../rules/eligibility.js';
import { waitingJobOrder } from '../rules/job-order.js';
import { offerExpiresAt, offerHasExpired } from '../rules/offer-timing.js';
import { loadCandidates } from './candidates.js';
import { clockOf, type DispatchDeps } from './dispatch-deps.js';
import { lockDispatch, tryLockDispatch } from './dispatch-lock.js';
import { loadJob, type JobFacts } from './job-facts.js';
import { jobSubject } from './job-subject.js';
import { jobDetails } from './job-words.js';
import { writeStaffLine, writeTeamPost } from './staff-lines.js';
import { memberName } from './member-names.js';

/** Statuses a job may be offered from. */
const OFFERABLE = ['received', 'offered', 'unassigned'] as const;
/** Waiting jobs looked at after an offer ends: enough for the members it freed, bounded per answer. */
const WAITING_PER_PASS = 20;

export type DispatchOutcome = { kind: 'offered'; offerIds: string[]; memberIds: string[] } | { kind: 'waiting' } | { kind: 'nobody' } | { kind: 'not_offerable' };

/** Offers the job to the next member(s), or says it waits or that nobody may take it. */
export async function dispatchJob(tx: Tx, deps: DispatchDeps, workOrderId: string, actorId?: string): Promise<DispatchOutcome> {
  const job = await loadJob(tx, workOrderId);
  if (!job) return { kind: 'not_offerable' };
  await lockDispatch(tx, job.communityId);
  return dispatchLocked(tx, deps, workOrderId, actorId);
}

/** As `dispatchJob` when no other dispatch of the community is under way; `busy` (nothing done) when one is. */
export async function dispatchJobIfFree(tx: Tx, deps: DispatchDeps, workOrderId: string): Promise<DispatchOutcome | { kind: 'busy' }> {
  const job = await loadJob(tx, workOrderId);
  if (!job) return { kind: 'not_offerable' };
  if (!(await tryLockDispatch(tx, job.communityId))) return { kind: 'busy' };
  return dispatchLocked(tx, deps, workOrderId);
}

async function dispatchLocked(tx: Tx, deps: DispatchDeps, workOrderId: string, actorId?: string): Promise<DispatchOutcome> {
  // Read again under the lock: what was read before it may have changed.
  const job = await loadJob(tx, workOrderId);
  if (!job || !(OFFERABLE as readonly string[]).includes(job.status)) return { kind: 'not_offerable' };
  if ((await tx.dispatchOffer.count({ where: { workOrderId, status: 'open' } })) > 0) return { kind: 'not_offerable' };
  const now = clockOf(deps);
  const areaIds = job.areaId ? await areaAncestry(tx, job.areaId) : [];
  const candidates = await loadCandidates(tx, job.communityId, job.id, now);
  const plan = planOffers({ skill: job.skill, areaIds, emergency: job.emergency }, candidates, now, job.timezone);
  if (plan.kind === 'wait') return { kind: 'waiting' };
  if (plan.kind === 'nobody') {
    if (job.status === 'unassigned') return { kind: 'nobody' };
    await moveJob(tx, deps, job, 'nobody', actorId ? { actorId } : {});
    await tellNobodyCanTake(tx, deps, job, now, whyNobody({ skill: job.skill, areaIds, emergency: job.emergency }, candidates, now, job.timezone));
    return { kind: 'nobody' };
  }

  const expiresAt = offerExpiresAt(deps.timing, job.emergency, now);
  await moveJob(tx, deps, job, 'offer', { publish: false });
  const offerIds: string[] = [];
  for (const memberId of plan.memberIds) {
    const offer = await tx.dispatchOffer.create({ data: { workOrderId: job.id, memberId, offeredAt: now, expiresAt }, select: { id: true } });
    offerIds.push(offer.id);
    await publish(tx, deps, job, 'offer', { memberId, ...(actorId ? { actorId } : {}) });
    queueAfterCommit(tx, await writeOfferNotice(tx, deps, job, memberId));
  }
  scheduleTimeouts(tx, deps, offerIds.map((id) => ({ id, expiresAt })));
  // An emergency is the whole team's business: its chat hears of it too.
  if (job.emergency) await writeTeamPost(tx, deps, job, (locale) => deps.translator.t(locale, 'dispatch.team.emergency', { job: jobDetails(deps.translator, locale, job), count: offerIds.length }));
  return { kind: 'offered', offerIds, memberIds: plan.memberIds };
}

export type AnswerOutcome =
  | { status: 'accepted' | 'declined'; number: string }
  | { status: 'taken' | 'withdrawn' | 'expired' | 'answered'; number: string }
  | { status: 'not_offered'; number: string }
  | { status: 'denied'; number: string; reason: DenialReason };

/**
 * The member's answer to their open offer of the job `workOrderId`. `taken`: someone else holds it
 * now; `withdrawn`: staff took the offer back; `expired`: it ran out before the answer;
 * `answered`: they answered it already.
 */
export async function answerOffer(
  tx: Tx,
  deps: DispatchDeps,
  input: { actor: Extract<Actor, { kind: 'person' }>; workOrderId: string; answer: 'accept' | 'decline' },
): Promise<AnswerOutcome> {
  const first = await loadJob(tx, input.workOrderId);
  if (!first) return { status: 'not_offered', number: '' };
  await lockDispatch(tx, first.communityId);
  const job = (await loadJob(tx, input.workOrderId))!;
  const memberId = input.actor.residentId;
  const now = clockOf(deps);
  const offers = await tx.dispatchOffer.findMany({ where: { workOrderId: job.id, memberId }, orderBy: { offeredAt: 'desc' }, take: 1 });
  const offer = offers[0];
  if (!offer) return { status: 'not_offered', number: job.number };
  const action = input.answer === 'accept' ? 'job.accept' : 'job.decline';
  const decision = await checkAudited(tx, { communityId: job.communityId, actor: input.actor, action, subject: await jobSubject(tx, job, memberId), target: { type: 'work_order', id: job.id }, now });
  if (!decision.allowed) return { status: 'denied', number: job.number, reason: decision.reason };
  if (offer.status !== 'open') {
    // Withdrawn: another member took it first, or staff took the offer back (reassigned, cancelled).
    if (offer.status === 'withdrawn') return { status: job.memberId && job.memberId !== memberId ? 'taken' : 'withdrawn', number: job.number };
    return { status: offer.status === 'expired' ? 'expired' : 'answered', number: job.number };
  }
  // The timeout job may not have run yet: an offer past its expiry is not taken any more.
  if (offerHasExpired(offer.expiresAt, now)) {
    await endOffer(tx, deps, job, offer.id, memberId, 'expired', now);
    await dispatchAfterOfferEnded(tx, deps, job.id);
    return { status: 'expired', number: job.number };
  }

  if (input.answer === 'decline') {
    await tx.dispatchOffer.updateMany({ where: { id: offer.id, status: 'open' }, data: { status: 'declined', answeredAt: now } });
    await publish(tx, deps, job, 'declined', { memberId, actorId: memberId });
    await recordAudit(tx, { communityId: job.communityId, actor: input.actor, action: 'job.decline', subjectType: 'work_order', subjectId: job.id, details: { offerId: offer.id } });
    await dispatchAfterOfferEnded(tx, deps, job.id);
    cancelTimeouts(tx, deps, [offer.id]);
    return { status: 'declined', number: job.number };
  }

  const to = nextStatus(job.status, 'accept');
  // The guard: still offered, held by nobody, unchanged since read. Two accepts cannot both pass it.
  const taken = to
    ? await tx.workOrder.updateMany({
        where: { id: job.id, status: 'offered', memberId: null, version: job.version },
        data: { status: to, memberId, acceptedAt: now, version: { increment: 1 } },
      })
    : { count: 0 };
  if (taken.count === 0) return { status: 'taken', number: job.number };
  await tx.dispatchOffer.update({ where: { id: offer.id }, data: { status: 'accepted', answeredAt: now } });
  const others = await tx.dispatchOffer.findMany({ where: { workOrderId: job.id, status: 'open' }, select: { id: true, memberId: true } });
  if (others.length > 0) {
    await tx.dispatchOffer.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { status: 'withdrawn', answeredAt: now } });
    for (const other of others) queueAfterCommit(tx, await tellMember(tx, deps, other.memberId, 'dispatch.offer.taken', { number: job.number }));
  }
  await publish(tx, deps, job, 'accept', { memberId, actorId: memberId });
  await recordAudit(tx, { communityId: job.communityId, actor: input.actor, action: 'job.accept', subjectType: 'work_order', subjectId: job.id, details: { offerId: offer.id } });
  const name = await memberName(tx, memberId);
  await writeStaffLine(tx, deps, job, (locale) => deps.translator.t(locale, 'dispatch.staff.accepted', { number: job.number, name }));
  await writeTeamPost(tx, deps, job, (locale) => deps.translator.t(locale, 'dispatch.team.accepted', { number: job.number, name }));
  cancelTimeouts(tx, deps, [offer.id, ...others.map((o) => o.id)]);
  // The member (and those whose offers were withdrawn) answer no offer now: waiting jobs may go to them.
  await dispatchWaiting(tx, deps, job.communityId);
  return { status: 'accepted', number: job.number };
}

export type ExpiryOutcome = 'gone' | 'answered' | 'not_due' | 'expired';

/** The offer's timeout: ends it if still open and due, then asks the next member. */
export async function expireOffer(tx: Tx, deps: DispatchDeps, offerId: string): Promise<{ outcome: ExpiryOutcome; dueAt?: Date }> {
  const found = await tx.dispatchOffer.findUnique({ where: { id: offerId }, select: { workOrderId: true } });
  if (!found) return { outcome: 'gone' };
  const first = await loadJob(tx, found.workOrderId);
  if (!first) return { outcome: 'gone' };
  await lockDispatch(tx, first.communityId);
  const offer = await tx.dispatchOffer.findUnique({ where: { id: offerId } });
  const job = await loadJob(tx, found.workOrderId);
  if (!offer || !job) return { outcome: 'gone' };
  if (offer.status !== 'open') return { outcome: 'answered' };
  const now = clockOf(deps);
  if (!offerHasExpired(offer.expiresAt, now)) return { outcome: 'not_due', dueAt: offer.expiresAt };
  await endOffer(tx, deps, job, offer.id, offer.memberId, 'expired', now);
  await dispatchAfterOfferEnded(tx, deps, job.id);
  return { outcome: 'expired' };
}

/**
 * Jobs waiting for a free member, priority households first: each offered if someone may take
 * it now. Called whenever an offer ends (a member may be free) and by the sweep.
 *
 * A job no free member has the skill for, while a member who has it answers another offer, waits
 * on without being looked at: it cannot go out now, and the jobs behind it — other trades, whose
 * members may be free — are not held up by it (at most {@link WAITING_PER_PASS} are looked at).
 */
export async function dispatchWaiting(tx: Tx, deps: DispatchDeps, communityId: string): Promise<number> {
  await lockDispatch(tx, communityId);
  const waiting = await tx.workOrder.findMany({
    where: { communityId, status: { in: ['received', 'offered'] }, offers: { none: { status: 'open' } } },
    select: { id: true, emergency: true, priority: true, createdAt: true, skill: true },
  });
  if (waiting.length === 0) return 0;
  const team = (await loadCandidates(tx, communityId, null, clockOf(deps))).filter((c) => !c.away);
  const canDo = (member: Candidate, skill: string | null) => skill === null || member.skills.includes(skill);
  // Waiting jobs wait for a member answering no offer: once none is left, the rest wait on.
  let free = team.filter((c) => !c.answeringAnotherOffer);
  let offered = 0;
  let looked = 0;
  for (const job of waitingJobOrder(waiting)) {
    if (free.length === 0 || looked === WAITING_PER_PASS) break;
    if (!job.emergency && !free.some((c) => canDo(c, job.skill)) && team.some((c) => c.answeringAnotherOffer && canDo(c, job.skill))) continue;
    looked += 1;
    const outcome = await dispatchLocked(tx, deps, job.id);
    if (outcome.kind !== 'offered') continue;
    offered += 1;
    if (!job.emergency) free = free.filter((c) => !outcome.memberIds.includes(c.residentId));
  }
  return offered;
}

/** After an offer of this job ended: the job goes on if no other offer of it is open, then waiting jobs. */
async function dispatchAfterOfferEnded(tx: Tx, deps: DispatchDeps, workOrderId: string): Promise<void> {
  const job = await loadJob(tx, workOrderId);
  if (!job) return;
  await dispatchLocked(tx, deps, workOrderId);
  await dispatchWaiting(tx, deps, job.communityId);
}

async function endOffer(tx: Tx, deps: DispatchDeps, job: JobFacts, offerId: string, memberId: string, status: 'expired', now: Date): Promise<void> {
  const ended = await tx.dispatchOffer.updateMany({ where: { id: offerId, status: 'open' }, data: { status, answeredAt: now } });
  if (ended.count === 0) return;
  await publish(tx, deps, job, 'expired', { memberId });
  queueAfterCommit(tx, await tellMember(tx, deps, memberId, 'dispatch.offer.expired', { number: job.number }));
}

/** Moves the job's status by `move` under its version (`publish: false`: the caller publishes per member). */
async function moveJob(
  tx: Tx,
  deps: DispatchDeps,
  job: JobFacts,
  move: 'offer' | 'nobody',
  options: { actorId?: string; publish?: boolean },
): Promise<void> {
  const to = nextStatus(job.status, move);
  if (!to) throw new Error(`work order ${job.id}: ${move} does not apply in ${job.status}`);
  const moved = await tx.workOrder.updateMany({ where: { id: job.id, version: job.version }, data: { status: to, version: { increment: 1 } } });
  // Under the dispatch lock nothing else changes the row; a miss is a bug, and rolls the change back.
  if (moved.count === 0) throw new Error(`work order ${job.id} changed under the dispatch lock`);
  job.status = to;
  job.version += 1;
  if (options.publish !== false) await publish(tx, deps, job, move, options.actorId ? { actorId: options.actorId } : {});
}

export async function publish(tx: Tx, deps: DispatchDeps, job: JobFacts, kind: WorkOrderChange['kind'], who: { memberId?: string; actorId?: string }): Promise<void> {
  await deps.events.publish(tx, 'work_order.changed', { communityId: job.communityId, workOrderId: job.id, ticketId: job.ticketId, kind, ...who });
}

/** The offer in the member's own chats, with accept and decline. */
export async function writeOfferNotice(tx: Tx, deps: DispatchDeps, job: JobFacts, memberId: string): Promise<QueuedOutboxRow[]> {
  const minutes = job.emergency ? deps.timing.emergencyOfferMinutes : deps.timing.offerMinutes;
  const accounts = await boundAccounts(tx, job.communityId, [memberId]);
  const rows: QueuedOutboxRow[] = [];
  for (const chatAccountId of accounts) {
    const locale = await accountLocale(tx, chatAccountId);
    rows.push(
      ...(await deps.notifier.write(tx, {
        chatAccountId,
        key: job.emergency ? 'dispatch.offer.emergency' : 'dispatch.offer.new',
        vars: { job: jobDetails(deps.translator, locale, job), minutes, number: job.number },
        commands: [
          { labelKey: 'dispatch.offer.accept', command: `/accept ${job.number}` },
          { labelKey: 'dispatch.offer.decline', command: `/decline ${job.number}` },
        ],
      })),
    );
  }
  return rows;
}

async function accountLocale(tx: Tx, chatAccountId: string): Promise<string> {
  const account = await tx.chatAccount.findUniqueOrThrow({ where: { id: chatAccountId }, select: { locale: true, community: { select: { defaultLocale: true } } } });
  return account.locale ?? account.community.defaultLocale;
}

/** A notice to every chat of one member. */
export async function tellMember(tx: Tx, deps: DispatchDeps, memberId: string, key: string, vars: Record<string, string | number>): Promise<QueuedOutboxRow[]> {
  const resident = await tx.resident.findUnique({ where: { id: memberId }, select: { communityId: true } });
  if (!resident) return [];
  const rows: QueuedOutboxRow[] = [];
  for (const chatAccountId of await boundAccounts(tx, resident.communityId, [memberId])) rows.push(...(await deps.notifier.write(tx, { chatAccountId, key, vars })));
  return rows;
}

const WHY_KEYS: Readonly<Record<IneligibleReason, string>> = {
  offered_before: 'dispatch.nobody.why.offered_before',
  away: 'dispatch.nobody.why.away',
  off_hours: 'dispatch.nobody.why.off_hours',
  outside_area: 'dispatch.nobody.why.outside_area',
  missing_skill: 'dispatch.nobody.why.missing_skill',
  answering_another_offer: 'dispatch.nobody.why.answering_another_offer',
};

/** Why nobody took it, in words: "asked 3 · away 1…", or that the team has nobody for it at all. */
function whyWords(deps: DispatchDeps, locale: string, why: Partial<Record<IneligibleReason, number>>): string {
  const parts = (Object.keys(WHY_KEYS) as IneligibleReason[]).filter((reason) => (why[reason] ?? 0) > 0).map((reason) => deps.translator.t(locale, WHY_KEYS[reason], { count: why[reason]! }));
  return parts.length > 0 ? parts.join(deps.translator.t(locale, 'dispatch.nobody.why.separator')) : deps.translator.t(locale, 'dispatch.nobody.why.no_team');
}

/** Nobody may take the job: the area's steward in their own chat, the staff chats (with why) and the team's chat. */
async function tellNobodyCanTake(tx: Tx, deps: DispatchDeps, job: JobFacts, now: Date, why: Partial<Record<IneligibleReason, number>>): Promise<void> {
  const stewards = await nearestStewards(tx, job.communityId, job.areaId, now);
  for (const chatAccountId of await boundAccounts(tx, job.communityId, stewards)) {
    const locale = await accountLocale(tx, chatAccountId);
    queueAfterCommit(
      tx,
      await deps.notifier.write(tx, { chatAccountId, key: 'dispatch.nobody.steward', vars: { job: jobDetails(deps.translator, locale, job), number: job.number, why: whyWords(deps, locale, why) } }),
    );
  }
  await writeStaffLine(tx, deps, job, (locale) =>
    deps.translator.t(locale, 'dispatch.nobody.staff', { job: jobDetails(deps.translator, locale, job), number: job.number, why: whyWords(deps, locale, why) }),
  );
  await writeTeamPost(tx, deps, job, (locale) => deps.translator.t(locale, 'dispatch.nobody.team', { job: jobDetails(deps.translator, locale, job), number: job.number }));
}

function scheduleTimeouts(tx: Tx, deps: DispatchDeps, offers: { id: string; expiresAt: Date }[]): void {
  if (offers.length === 0) return;
  const registered = runAfterCommit(tx, async () => {
    await deps.timeouts.schedule(offers).catch((error: unknown) => {
      // The offers are committed: the sweep at start finds open offers without a job.
      deps.logger.warn({ offers: offers.length, err: error instanceof Error ? error.name : 'unknown' }, 'offer timeouts not scheduled');
    });
  });
  if (!registered) deps.logger.debug({ offers: offers.length }, 'offer timeouts left to the sweep');
}

function cancelTimeouts(tx: Tx, deps: DispatchDeps, offerIds: string[]): void {
  runAfterCommit(tx, async () => {
    // A job left behind finds its offer answered and does nothing.
    await deps.timeouts.cancel(offerIds).catch(() => undefined);
  });
}
