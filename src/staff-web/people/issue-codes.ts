/**
 * Binding codes handed out from the staff console: one for a household (any member sends it and
 * says who they are) or one for a person. Through the identity feature's `createInviteCode`, the
 * one way a code is made (hash kept, audit row); checked here first with `checkAudited`, so a
 * refused attempt leaves its audit row too. The code is returned once: nothing can show it again.
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import { createInviteCode } from '../../features/identity/invite-codes.js';
import { checkBindsStaff } from '../../features/identity/staff-binding.js';
import type { Actor } from '../../features/policy/actor.js';
import { areaAncestry } from '../../features/policy/area-ancestry.js';
import { checkAudited } from '../../features/policy/audited-check.js';
import type { DenialReason } from '../../features/policy/denials.js';

export type IssuedCode =
  | {
      status: 'issued';
      /** As people type it (`ABCD-EFGH`): shown once. */
      code: string;
      expiresAt: Date;
      /** Whom it binds: the household's code, or the person's name. */
      forHousehold: string | null;
      forPerson: string | null;
    }
  | { status: 'not_found' }
  | { status: 'denied'; reason: DenialReason };

export interface IssueHouseholdCodeInput {
  communityId: string;
  actor: Actor;
  /** The household's code. */
  householdCode: string;
  /** Days the code stays valid (default 7). */
  ttlDays?: number;
  now: Date;
}

export interface IssuePersonCodeInput {
  communityId: string;
  actor: Actor;
  residentId: string;
  ttlDays?: number;
  now: Date;
}

/** A code for a household, if the viewer may hand one out there (`invite.create`, the household's area). */
export function issueHouseholdCode(prisma: PrismaClient, input: IssueHouseholdCodeInput): Promise<IssuedCode> {
  const { communityId, actor, now } = input;
  return prisma.$transaction(async (tx): Promise<IssuedCode> => {
    const household = await tx.household.findUnique({
      where: { communityId_code: { communityId, code: input.householdCode.trim() } },
      select: { id: true, code: true, areaId: true },
    });
    if (!household) return { status: 'not_found' };
    const decision = await checkAudited(tx, {
      communityId,
      actor,
      action: 'invite.create',
      subject: { communityId, areaIds: await areaAncestry(tx, household.areaId) },
      target: { type: 'household', id: household.id },
      now,
    });
    if (!decision.allowed) return { status: 'denied', reason: decision.reason };
    const made = await createInviteCode(tx, { communityId, householdId: household.id, actor, now, ...ttl(input.ttlDays) });
    return { status: 'issued', ...made, forHousehold: household.code, forPerson: null };
  });
}

/**
 * A personal code (ends the person's earlier unused one), if the viewer may hand one out where
 * they live — and, for someone who holds a staff role, only if the viewer manages staff.
 */
export function issuePersonCode(prisma: PrismaClient, input: IssuePersonCodeInput): Promise<IssuedCode> {
  const { communityId, actor, now } = input;
  return prisma.$transaction(async (tx): Promise<IssuedCode> => {
    const person = await tx.resident.findFirst({
      where: { id: input.residentId, communityId },
      select: { id: true, name: true, household: { select: { areaId: true } } },
    });
    if (!person) return { status: 'not_found' };
    const decision = await checkAudited(tx, {
      communityId,
      actor,
      action: 'invite.create',
      // A person without a household (staff who live elsewhere): only staff of the whole community.
      subject: { communityId, areaIds: person.household ? await areaAncestry(tx, person.household.areaId) : [] },
      target: { type: 'resident', id: person.id },
      now,
    });
    if (!decision.allowed) return { status: 'denied', reason: decision.reason };
    // Someone on the staff: their code is a way into their role, so only those who manage staff.
    const staff = await checkBindsStaff(tx, { communityId, actor, residentId: person.id, auditAction: 'invite.create', target: { type: 'resident', id: person.id }, now });
    if (!staff.allowed) return { status: 'denied', reason: staff.reason };
    const made = await createInviteCode(tx, { communityId, residentId: person.id, actor, now, ...ttl(input.ttlDays) });
    return { status: 'issued', ...made, forHousehold: null, forPerson: person.name };
  });
}

function ttl(days: number | undefined): { ttlDays?: number } {
  return days === undefined ? {} : { ttlDays: days };
}
