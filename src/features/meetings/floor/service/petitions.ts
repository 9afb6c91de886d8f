/**
 * Petitions to call an extraordinary assembly (docs/domain.md rule 3). A representative or a
 * resident starts one (and signs it); others sign in chat. Each signature keeps what the signer
 * counted for when they signed; the roster's totals are read at each signing. The first signature
 * that reaches any threshold makes it binding: which threshold and the counts are kept, and the
 * committee is told at once (in the same transaction, sent after commit).
 */
import type { Tx } from '../../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { checkAudited } from '../../../policy/audited-check.js';
import type { DenialReason } from '../../../policy/denials.js';
import { signaturesNeeded, thresholdMet, type PetitionCounts, type PetitionThreshold } from '../rules/petition-thresholds.js';
import type { FloorDeps } from './floor-deps.js';
import { rosterTotals, signerFacts, yearIn } from './roster-counts.js';

type Person = Extract<Actor, { kind: 'person' }>;

export interface PetitionState {
  id: string;
  number: string;
  title: string;
  status: string;
  thresholdMet: PetitionThreshold | null;
  signed: PetitionCounts;
  totals: PetitionCounts;
}

export type SignOutcome =
  | { status: 'signed' | 'already' | 'binding'; petition: PetitionState; rows: QueuedOutboxRow[] }
  | { status: 'not_found' | 'closed' }
  | { status: 'denied'; reason: DenialReason };

async function timezoneOf(tx: Tx, communityId: string): Promise<{ timezone: string; defaultLocale: string }> {
  return tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { timezone: true, defaultLocale: true } });
}

async function checkSign(tx: Tx, actor: Person, now: Date, target: string | null): Promise<DenialReason | null> {
  const decision = await checkAudited(tx, {
    communityId: actor.communityId,
    actor,
    action: 'petition.sign',
    subject: { communityId: actor.communityId, residentId: actor.residentId },
    target: { type: 'petition', id: target },
    now,
  });
  return decision.allowed ? null : decision.reason;
}

/** Starts a petition (QZ-YYYY-NNNNN) and signs it for its starter. */
export async function startPetition(tx: Tx, deps: FloorDeps, actor: Person, input: { title: string; reason: string }): Promise<SignOutcome> {
  const now = deps.now();
  const denied = await checkSign(tx, actor, now, null);
  if (denied) return { status: 'denied', reason: denied };
  const { timezone } = await timezoneOf(tx, actor.communityId);
  const year = yearIn(now, timezone);
  const count = await tx.petition.count({ where: { communityId: actor.communityId, number: { startsWith: `QZ-${year}-` } } });
  const petition = await tx.petition.create({
    data: { communityId: actor.communityId, number: `QZ-${year}-${String(count + 1).padStart(5, '0')}`, startedById: actor.residentId, title: input.title, reason: input.reason, createdAt: now },
  });
  await recordAudit(tx, { communityId: actor.communityId, actor, action: 'petition.started', subjectType: 'petition', subjectId: petition.id });
  return signPetition(tx, deps, actor, petition.number);
}

/** Signs a petition by its number; the one that reaches a threshold makes it binding. */
export async function signPetition(tx: Tx, deps: FloorDeps, actor: Person, typedNumber: string): Promise<SignOutcome> {
  const now = deps.now();
  const petition = await tx.petition.findUnique({ where: { communityId_number: { communityId: actor.communityId, number: typedNumber.trim().toUpperCase() } } });
  if (!petition) return { status: 'not_found' };
  const denied = await checkSign(tx, actor, now, petition.id);
  if (denied) return { status: 'denied', reason: denied };
  if (petition.status === 'withdrawn') return { status: 'closed' };
  const { timezone } = await timezoneOf(tx, actor.communityId);
  const existing = await tx.petitionSignature.findUnique({ where: { petitionId_residentId: { petitionId: petition.id, residentId: actor.residentId } } });
  if (!existing) {
    const facts = await signerFacts(tx, actor.residentId, now, timezone);
    await tx.petitionSignature.create({ data: { petitionId: petition.id, residentId: actor.residentId, ...facts, signedAt: now } });
  }
  const totals = await rosterTotals(tx, actor.communityId, now, timezone);
  const signed = await signatureCounts(tx, petition.id);
  const state = (status: string, met: PetitionThreshold | null): PetitionState => ({ id: petition.id, number: petition.number, title: petition.title, status, thresholdMet: met, signed, totals });
  if (existing) return { status: 'already', petition: state(petition.status, petition.thresholdMet as PetitionThreshold | null), rows: [] };
  if (petition.status === 'binding') return { status: 'signed', petition: state('binding', petition.thresholdMet as PetitionThreshold | null), rows: [] };
  const met = thresholdMet(signed, totals);
  if (!met) return { status: 'signed', petition: state('open', null), rows: [] };
  // Guarded: two last signatures at once make it binding once.
  const bound = await tx.petition.updateMany({ where: { id: petition.id, status: 'open' }, data: { status: 'binding', thresholdMet: met, counts: { signed, totals }, bindingAt: now } });
  if (bound.count === 0) return { status: 'signed', petition: state('binding', met), rows: [] };
  await recordAudit(tx, { communityId: actor.communityId, actor, action: 'petition.binding', subjectType: 'petition', subjectId: petition.id, details: { threshold: met, signed: signed[met], total: totals[met] } });
  const rows = await deps.staffAlerts.toCommittee(tx, {
    communityId: actor.communityId,
    text: (locale) =>
      deps.translator.t(locale, 'meetings.petition.binding_alert', {
        number: petition.number,
        title: petition.title,
        threshold: deps.translator.t(locale, THRESHOLD_KEYS[met]),
        signed: signed[met],
        total: totals[met],
        needed: signaturesNeeded(met, totals[met]),
      }),
  });
  return { status: 'binding', petition: state('binding', met), rows };
}

/** The locale key naming each threshold. */
export const THRESHOLD_KEYS: Record<PetitionThreshold, string> = {
  representatives: 'meetings.petition.threshold.representatives',
  adults: 'meetings.petition.threshold.adults',
  households: 'meetings.petition.threshold.households',
  groups: 'meetings.petition.threshold.groups',
};

/** What the signatures count for, each as its signer counted when signing (households and groups once). */
export async function signatureCounts(tx: Tx, petitionId: string): Promise<PetitionCounts> {
  const signatures = await tx.petitionSignature.findMany({ where: { petitionId }, select: { isRepresentative: true, isAdult: true, householdId: true, groupId: true } });
  return {
    representatives: signatures.filter((s) => s.isRepresentative).length,
    adults: signatures.filter((s) => s.isAdult).length,
    households: new Set(signatures.map((s) => s.householdId).filter((id) => id !== null)).size,
    groups: new Set(signatures.map((s) => s.groupId).filter((id) => id !== null)).size,
  };
}
