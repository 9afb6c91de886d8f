/**
 * Invite codes: a one-time code the office hands to a household (the person then says which
 * member they are) or to one person (staff, an approved request). Created here, looked up and
 * used up by binding (`bind-code.ts`). The code itself is returned once and never stored: the
 * database keeps only its hash (`invite-code-format.ts`). A person has one working personal code
 * at a time: a new one (a lost slip, `linli staff add` run again) ends the earlier unused ones.
 * Household codes are not replaced: several members may each be handed one.
 */
import type { PrismaClient, Tx } from '../../db/prisma-types.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Actor } from '../policy/actor.js';
import { areaAncestry } from '../policy/area-ancestry.js';
import { assertCan } from '../policy/policy.js';
import { assertMayBindStaff } from './staff-binding.js';
import { formatCode, generateCode, hashCode, isWellFormedCode, normalizeCode } from './invite-code-format.js';

/** How long a code stays valid unless the office says otherwise. */
export const DEFAULT_TTL_DAYS = 7;
const DAY_MS = 24 * 60 * 60_000;

export type InviteTarget = { householdId: string; residentId?: undefined } | { residentId: string; householdId?: undefined };

export type CreateInviteCodeInput = InviteTarget & {
  communityId: string;
  /** Days until the code expires (default 7). */
  ttlDays?: number;
  /** Who asks for it: the operator (`linli invite`), or staff whose area covers the household. */
  actor: Actor;
  now?: Date;
};

/** Thrown when the household or person named does not exist in the community. */
export class InviteTargetNotFoundError extends Error {
  override readonly name = 'InviteTargetNotFoundError';
  constructor(readonly target: 'household' | 'resident') {
    super(`no such ${target} in this community`);
  }
}

/**
 * Creates a code for a household or a person and records it in the audit log. Returns the code
 * as people should see it (`ABCD-EFGH`) — the only time it exists in the clear.
 *
 * @example
 * const { code, expiresAt } = await createInviteCode(prisma, { communityId, householdId, actor: { kind: 'operator' } });
 */
export async function createInviteCode(db: PrismaClient | Tx, input: CreateInviteCodeInput): Promise<{ code: string; expiresAt: Date }> {
  const ttlDays = input.ttlDays ?? DEFAULT_TTL_DAYS;
  if (!Number.isFinite(ttlDays) || ttlDays <= 0 || ttlDays > 365) throw new RangeError('ttlDays must be more than 0 and at most 365');
  // The code and its audit row exist together or not at all.
  if (isClient(db)) return db.$transaction((tx) => createInviteCode(tx, input));
  const tx = db as Tx;
  const { communityId } = input;
  const areaId = await targetArea(tx, input);
  const now = input.now ?? new Date();
  assertCan(input.actor, 'invite.create', { communityId, areaIds: areaId ? await areaAncestry(tx, areaId) : [] }, { now });
  // A personal code for someone on the staff is a way into their role: admins only.
  if (input.residentId !== undefined) await assertMayBindStaff(tx, input.actor, communityId, input.residentId, now);

  const replaced = input.residentId
    ? (await tx.inviteCode.updateMany({ where: { communityId, residentId: input.residentId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } })).count
    : 0;
  const code = generateCode();
  const expiresAt = new Date(now.getTime() + ttlDays * DAY_MS);
  const row = await tx.inviteCode.create({
    data: {
      communityId,
      codeHash: hashCode(code),
      householdId: input.householdId ?? null,
      residentId: input.residentId ?? null,
      // Made and expiring on the same clock, so its life is exactly the days it was given.
      createdAt: now,
      expiresAt,
    },
    select: { id: true },
  });
  await recordAudit(tx, {
    communityId,
    actor: input.actor,
    action: 'invite.create',
    subjectType: input.householdId ? 'household' : 'resident',
    subjectId: input.householdId ?? input.residentId!,
    details: { inviteCodeId: row.id, ttlDays, ...(replaced > 0 ? { replaced } : {}) },
  });
  return { code: formatCode(code), expiresAt };
}

/** The client, not a transaction: only the client can connect (a transaction has `$transaction` too). */
function isClient(db: PrismaClient | Tx): db is PrismaClient {
  return typeof (db as { $connect?: unknown }).$connect === 'function';
}

/** The area the code's household lives in (null for staff who live elsewhere). */
async function targetArea(tx: Tx, input: CreateInviteCodeInput): Promise<string | null> {
  if (input.householdId !== undefined) {
    const household = await tx.household.findFirst({ where: { id: input.householdId, communityId: input.communityId }, select: { areaId: true } });
    if (!household) throw new InviteTargetNotFoundError('household');
    return household.areaId;
  }
  const resident = await tx.resident.findFirst({
    where: { id: input.residentId, communityId: input.communityId },
    select: { household: { select: { areaId: true } } },
  });
  if (!resident) throw new InviteTargetNotFoundError('resident');
  return resident.household?.areaId ?? null;
}

/** A typed code, looked up. `malformed`: not even shaped like a code (not counted as a guess). */
export type CodeLookup =
  | { status: 'malformed' }
  | { status: 'unknown' }
  | { status: 'used' | 'expired'; id: string }
  | { status: 'valid'; id: string; householdId: string | null; residentId: string | null };

/** Finds a typed code in the community and says whether it can still be used. */
export async function lookUpInviteCode(tx: Tx, communityId: string, typed: string, now: Date): Promise<CodeLookup> {
  if (!isWellFormedCode(normalizeCode(typed))) return { status: 'malformed' };
  const row = await tx.inviteCode.findUnique({
    where: { codeHash: hashCode(typed) },
    select: { id: true, communityId: true, householdId: true, residentId: true, expiresAt: true, usedAt: true },
  });
  if (!row || row.communityId !== communityId) return { status: 'unknown' };
  if (row.usedAt) return { status: 'used', id: row.id };
  if (row.expiresAt.getTime() <= now.getTime()) return { status: 'expired', id: row.id };
  return { status: 'valid', id: row.id, householdId: row.householdId, residentId: row.residentId };
}

/**
 * Uses a code up, once: a guarded update that only an unused, unexpired code passes. When two
 * accounts race for one code exactly one gets `true`.
 */
export async function consumeInviteCode(tx: Tx, codeId: string, chatAccountId: string, now: Date): Promise<boolean> {
  const used = await tx.inviteCode.updateMany({
    where: { id: codeId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now, usedByAccountId: chatAccountId },
  });
  return used.count === 1;
}
