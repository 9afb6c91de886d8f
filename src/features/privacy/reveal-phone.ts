/**
 * Showing a person's full phone number to staff (to call them back): allowed by the policy
 * (`resident.reveal_phone`), and every attempt is audited — a refused one too, with
 * `details.denied = true` and the reason, so probing for numbers leaves a trace.
 *
 * A binding request's number (someone not bound yet, to call and check who they are) is shown to
 * whoever may decide the request (`binding.approve`, scoped like `linli approve` without a
 * household: to the household of the one person on the roster with that name and phone, else to
 * staff of the whole community), audited under the same action with the request as subject.
 */
import type { PrismaClient, Tx } from '../../db/prisma-types.js';
import type { Logger } from '../../log/logger.js';
import { recordAudit } from '../audit/record-audit.js';
import { rosterMatch } from '../identity/roster-match.js';
import { actorVia, type Actor } from '../policy/actor.js';
import { areaAncestry } from '../policy/area-ancestry.js';
import type { DenialReason } from '../policy/denials.js';
import { loadResidentSubject } from '../policy/load-subjects.js';
import { checkAudited } from '../policy/audited-check.js';

/** The audit action of every reveal attempt (the policy action of the same name). */
export const REVEAL_PHONE_ACTION = 'resident.reveal_phone';

/** The number, or why not (`not_found`: no such person in the community). */
export type RevealPhoneResult =
  /** `phone` is null when none is on record. */
  | { ok: true; phone: string | null }
  | { ok: false; reason: DenialReason | 'not_found' };

/** Whose number, who asks, in which community. */
export interface RevealPhoneRequest {
  actor: Actor;
  residentId: string;
  communityId: string;
  /** When terms are judged (default: now). */
  now?: Date;
  log?: Logger;
}

/** The resident's full phone number if the actor may see it; the attempt is audited either way (own transaction). */
export function revealPhone(prisma: PrismaClient, request: RevealPhoneRequest): Promise<RevealPhoneResult> {
  return prisma.$transaction((tx) => revealPhoneIn(tx, request));
}

/**
 * `revealPhone` inside the caller's transaction (a flow effect, an inbox action). The refusal's
 * audit row is written in that transaction too: a caller that rolls back on refusal loses it, so
 * commit after a refusal.
 */
export async function revealPhoneIn(tx: Tx, request: RevealPhoneRequest): Promise<RevealPhoneResult> {
  const { actor, residentId, communityId } = request;
  const subject = await loadResidentSubject(tx, communityId, residentId);
  // Nothing to audit about a person who is not there (no row to point at).
  if (!subject) return { ok: false, reason: 'not_found' };
  const decision = await checkAudited(tx, {
    communityId,
    actor,
    action: 'resident.reveal_phone',
    subject,
    target: { type: 'resident', id: residentId },
    auditAction: REVEAL_PHONE_ACTION,
    now: request.now ?? new Date(),
  });
  const audit = { communityId, actor, action: REVEAL_PHONE_ACTION, subjectType: 'resident', subjectId: residentId };
  if (!decision.allowed) {
    request.log?.info({ residentId, via: actorVia(actor), reason: decision.reason }, 'phone reveal refused');
    return { ok: false, reason: decision.reason };
  }
  const resident = await tx.resident.findUniqueOrThrow({ where: { id: residentId }, select: { phone: true } });
  await recordAudit(tx, { ...audit, details: { numberOnRecord: resident.phone !== null } });
  request.log?.info({ residentId, via: actorVia(actor) }, 'phone revealed');
  return { ok: true, phone: resident.phone };
}

/** Whose number (a binding request, by the number the person was told), who asks, in which community. */
export interface RevealRequestPhoneRequest {
  actor: Actor;
  communityId: string;
  number: number;
  now?: Date;
  log?: Logger;
}

/** The full number a binding request gave, if the actor may decide the request; audited either way, in the caller's transaction. */
export async function revealRequestPhoneIn(tx: Tx, request: RevealRequestPhoneRequest): Promise<RevealPhoneResult> {
  const { actor, communityId, number } = request;
  const row = await tx.bindingRequest.findUnique({
    where: { communityId_number: { communityId, number } },
    select: { id: true, name: true, phone: true },
  });
  if (!row) return { ok: false, reason: 'not_found' };
  const match = await rosterMatch(tx, communityId, row);
  const areaIds = match?.household ? await areaAncestry(tx, match.household.areaId) : [];
  const decision = await checkAudited(tx, {
    communityId,
    actor,
    action: 'binding.approve',
    subject: { communityId, areaIds },
    target: { type: 'binding_request', id: row.id },
    auditAction: REVEAL_PHONE_ACTION,
    details: { number },
    now: request.now ?? new Date(),
  });
  const audit = { communityId, actor, action: REVEAL_PHONE_ACTION, subjectType: 'binding_request', subjectId: row.id };
  if (!decision.allowed) {
    request.log?.info({ bindingRequestId: row.id, via: actorVia(actor), reason: decision.reason }, 'phone reveal refused');
    return { ok: false, reason: decision.reason };
  }
  await recordAudit(tx, { ...audit, details: { number } });
  request.log?.info({ bindingRequestId: row.id, via: actorVia(actor) }, 'phone revealed');
  return { ok: true, phone: row.phone };
}
