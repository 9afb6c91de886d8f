/**
 * Binding a chat account with a code, as the bind flow asks for it: a person's code binds at
 * once; a household's code lists the household's members for the person to say which one they
 * are, and binds at that answer. Wrong codes count toward the account's limit
 * (`bind-throttle.ts`); a code is used up by one guarded update, so two accounts racing for it
 * cannot both bind. When the community-wide limit closes binding, the staff hear of it once per
 * closing (`binding-closed.ts`). Runs inside the conversation's transaction.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { Logger } from '../../log/logger.js';
import { recordAudit } from '../audit/record-audit.js';
import { afterGoodCode, afterWrongCode, bindGate, communityBindGate, DEFAULT_BIND_LIMITS, DEFAULT_COMMUNITY_BIND_LIMITS, type BindLimits } from './bind-throttle.js';
import { noteBindingClosed, type BindingClosedObserver } from './binding-closed.js';
import { consumeInviteCode, lookUpInviteCode } from './invite-codes.js';

/** What trying a code came to. */
export type BindOutcome =
  | { status: 'bound'; residentId: string; name: string; address: string | null }
  /** A household's code: the person says which member they are (`householdMembers`), then binds. */
  | { status: 'household'; householdId: string }
  | { status: 'used' }
  | { status: 'expired' }
  /** A well-formed code that does not exist here: counted; `triesLeft` before the lock. */
  | { status: 'invalid'; triesLeft: number }
  /** Not shaped like a code at all (a typo, a sentence): not counted. */
  | { status: 'malformed' }
  | { status: 'locked'; until: Date }
  | { status: 'already_bound'; name: string }
  /** The member picked is not (or no longer) in the code's household. */
  | { status: 'not_member' };

export interface BindRequest {
  communityId: string;
  chatAccountId: string;
  /** The code as the person typed it. */
  code: string;
  now?: Date;
  limits?: BindLimits;
  /** Hears when the community-wide limit closes binding, once per closing (the staff chat's alert). */
  closedObserver?: BindingClosedObserver;
  log?: Logger;
}

/**
 * Where the account stands before any code: already bound, locked, waiting for staff to check
 * its binding request (it may still bind with a code), or free to try.
 */
export type BindStatus =
  | { status: 'visitor' }
  | { status: 'bound'; name: string }
  | { status: 'locked'; until: Date }
  | { status: 'pending'; number: number };

/** The account's binding state, for the flows to say so before asking for a code or a request's details. */
export async function bindStatus(tx: Tx, chatAccountId: string, now: Date = new Date()): Promise<BindStatus> {
  const account = await readAccount(tx, chatAccountId);
  if (account.resident) return { status: 'bound', name: account.resident.name };
  const gate = bindGate(throttleOf(account), now);
  if (!gate.open) return { status: 'locked', until: gate.until };
  const waiting = await tx.bindingRequest.findFirst({ where: { chatAccountId, status: 'pending' }, select: { number: true } });
  return waiting ? { status: 'pending', number: waiting.number } : { status: 'visitor' };
}

/** Tries a typed code: binds with a person's code, lists members for a household's. */
export async function tryBindCode(tx: Tx, request: BindRequest): Promise<BindOutcome> {
  const now = request.now ?? new Date();
  const account = await readAccount(tx, request.chatAccountId);
  if (account.resident) return { status: 'already_bound', name: account.resident.name };
  const gate = bindGate(throttleOf(account), now);
  if (!gate.open) return { status: 'locked', until: gate.until };
  const recent = await recentWrongCodes(tx, request.communityId, now);
  const community = communityBindGate(recent, now);
  if (!community.open) {
    // Usually announced by the wrong code that closed it; this catches wrong codes typed at the
    // same moment, each of which counted the others' as not there yet.
    await announceClosing(tx, request, now, community.until, recent);
    return { status: 'locked', until: community.until };
  }

  const code = await lookUpInviteCode(tx, request.communityId, request.code, now);
  switch (code.status) {
    case 'malformed':
      return { status: 'malformed' };
    case 'unknown': {
      const counted = afterWrongCode(throttleOf(account), now, request.limits ?? DEFAULT_BIND_LIMITS);
      await tx.chatAccount.update({
        where: { id: account.id },
        data: { bindFailures: counted.state.failures, bindWindowStart: counted.state.windowStart, bindLockedUntil: counted.state.lockedUntil },
        select: { id: true },
      });
      // This wrong code may be the one that closes binding for everyone.
      const after = await recentWrongCodes(tx, request.communityId, now);
      const closing = communityBindGate(after, now);
      if (!closing.open) await announceClosing(tx, request, now, closing.until, after);
      return counted.lockedUntil ? { status: 'locked', until: counted.lockedUntil } : { status: 'invalid', triesLeft: counted.triesLeft };
    }
    case 'used':
    case 'expired':
      return { status: code.status };
    case 'valid':
      break;
  }
  if (code.residentId) return bindWithCode(tx, request, code.id, code.residentId, now);
  return { status: 'household', householdId: code.householdId! };
}

/** A household's address and members, in roster order, for the person to say which one they are. */
export async function householdMembers(tx: Tx, householdId: string): Promise<{ address: string; members: { id: string; name: string }[] }> {
  const household = await tx.household.findUniqueOrThrow({
    where: { id: householdId },
    select: { address: true, residents: { select: { id: true, name: true }, orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] } },
  });
  return { address: household.address, members: household.residents };
}

/** The person picked who they are after a household's code: checks the code again, then binds. */
export async function bindHouseholdMember(tx: Tx, request: BindRequest & { residentId: string }): Promise<BindOutcome> {
  const now = request.now ?? new Date();
  const account = await readAccount(tx, request.chatAccountId);
  if (account.resident) return { status: 'already_bound', name: account.resident.name };
  const code = await lookUpInviteCode(tx, request.communityId, request.code, now);
  if (code.status === 'used' || code.status === 'expired') return { status: code.status };
  if (code.status !== 'valid' || !code.householdId) return { status: 'invalid', triesLeft: 0 };
  const member = await tx.resident.findFirst({
    where: { id: request.residentId, householdId: code.householdId, communityId: request.communityId },
    select: { id: true },
  });
  if (!member) return { status: 'not_member' };
  return bindWithCode(tx, request, code.id, member.id, now);
}

/** Uses the code up and binds the account; a code another account took a moment ago is `used`. */
async function bindWithCode(tx: Tx, request: BindRequest, codeId: string, residentId: string, now: Date): Promise<BindOutcome> {
  if (!(await consumeInviteCode(tx, codeId, request.chatAccountId, now))) return { status: 'used' };
  const resident = await linkAccount(tx, request.chatAccountId, residentId, now);
  await recordAudit(tx, {
    communityId: request.communityId,
    actor: { kind: 'visitor', chatAccountId: request.chatAccountId, communityId: request.communityId },
    action: 'account.bind',
    subjectType: 'resident',
    subjectId: residentId,
    details: { inviteCodeId: codeId, chatAccountId: request.chatAccountId },
  });
  return { status: 'bound', residentId, name: resident.name, address: resident.household?.address ?? null };
}

/** Binds an account to a person and clears its wrong-code count. */
export async function linkAccount(
  tx: Tx,
  chatAccountId: string,
  residentId: string,
  now: Date,
): Promise<{ name: string; household: { address: string } | null }> {
  const cleared = afterGoodCode();
  await tx.chatAccount.update({
    where: { id: chatAccountId },
    data: { residentId, boundAt: now, bindFailures: cleared.failures, bindWindowStart: cleared.windowStart, bindLockedUntil: cleared.lockedUntil },
    select: { id: true },
  });
  return tx.resident.findUniqueOrThrow({ where: { id: residentId }, select: { name: true, household: { select: { address: true } } } });
}

async function readAccount(tx: Tx, chatAccountId: string) {
  return tx.chatAccount.findUniqueOrThrow({
    where: { id: chatAccountId },
    select: {
      id: true,
      bindFailures: true,
      bindWindowStart: true,
      bindLockedUntil: true,
      resident: { select: { name: true } },
    },
  });
}

function throttleOf(account: { bindFailures: number; bindWindowStart: Date | null; bindLockedUntil: Date | null }) {
  return { failures: account.bindFailures, windowStart: account.bindWindowStart, lockedUntil: account.bindLockedUntil };
}

/** Tells the staff (once per closing) that the community-wide limit has closed binding. */
async function announceClosing(tx: Tx, request: BindRequest, now: Date, until: Date, wrongCodes: number): Promise<void> {
  await noteBindingClosed(
    tx,
    { communityId: request.communityId, now, until, wrongCodes, windowMs: DEFAULT_COMMUNITY_BIND_LIMITS.windowMs },
    { observer: request.closedObserver, log: request.log },
  );
}

/** Wrong codes typed in the community by accounts whose count started within the community window. */
async function recentWrongCodes(tx: Tx, communityId: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - DEFAULT_COMMUNITY_BIND_LIMITS.windowMs);
  const sum = await tx.chatAccount.aggregate({ _sum: { bindFailures: true }, where: { communityId, bindWindowStart: { gt: since } } });
  return sum._sum.bindFailures ?? 0;
}
