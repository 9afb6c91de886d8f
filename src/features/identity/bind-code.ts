/**
 * Binding a chat account with a code, as the bind flow asks for it: a person's code binds at
 * once; a household's code lists the household's members for the person to say which one they
 * are, and binds at that answer. Wrong codes count toward the account's limit
 * (`bind-throttle.ts`); a code is used up by one guarded update, so two accounts racing for it
 * cannot both bind. Wrong codes also count toward the community-wide limit, per origin (the
 * account, or the web chat browser's network address, hashed): when it pauses binding, the staff
 * hear of it once per pause (`binding-closed.ts`), and everyone who sends a code meanwhile is told
 * binding is paused and until when — their code is not looked at. Runs inside the
 * conversation's transaction.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { Logger } from '../../log/logger.js';
import { recordAudit } from '../audit/record-audit.js';
import {
  afterGoodCode,
  afterWrongCode,
  bindGate,
  communityBindGate,
  communityWrongCodes,
  DEFAULT_BIND_LIMITS,
  DEFAULT_COMMUNITY_BIND_LIMITS,
  type BindLimits,
  type CommunityBindLimits,
} from './bind-throttle.js';
import type { EventPublisher } from '../../events/index.js';
import { lockBindingPause, noteBindingClosed, runningPause } from './binding-closed.js';
import { consumeInviteCode, lookUpInviteCode } from './invite-codes.js';
import { holdsStaffRole } from './staff-binding.js';

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
  /** This account tried too many wrong codes: it may try again at `until`. */
  | { status: 'locked'; until: Date }
  /** Binding is paused for the whole community (many wrong codes from many origins): the code was not looked at. */
  | { status: 'paused'; until: Date }
  | { status: 'already_bound'; name: string }
  /** The member picked is not (or no longer) in the code's household. */
  | { status: 'not_member' }
  /** The member picked holds a staff role: a household's code cannot bind them (they need a personal code from an admin). */
  | { status: 'staff_member' };

export interface BindRequest {
  communityId: string;
  chatAccountId: string;
  /** The code as the person typed it. */
  code: string;
  now?: Date;
  limits?: BindLimits;
  communityLimits?: CommunityBindLimits;
  /**
   * Where the message came from, as the channel names it (the web chat: its browser's network
   * address, hashed). Absent: the account itself is the origin.
   */
  origin?: string | undefined;
  /** `binding.closed` is published on it when the community-wide limit closes binding, once per closing (the staff chat's alert). */
  events?: EventPublisher;
  log?: Logger;
}

/**
 * Where the account stands before any code: already bound, locked (its own wrong codes), binding
 * paused for the whole community, waiting for staff to check its binding request (it may still
 * bind with a code), or free to try.
 */
export type BindStatus =
  | { status: 'visitor' }
  | { status: 'bound'; name: string }
  | { status: 'locked'; until: Date }
  | { status: 'paused'; until: Date }
  | { status: 'pending'; number: number };

/** The account's binding state, for the flows to say so before asking for a code or a request's details. */
export async function bindStatus(tx: Tx, chatAccountId: string, now: Date = new Date()): Promise<BindStatus> {
  const account = await readAccount(tx, chatAccountId);
  if (account.resident) return { status: 'bound', name: account.resident.name };
  const gate = bindGate(throttleOf(account), now);
  if (!gate.open) return { status: 'locked', until: gate.until };
  const pause = await runningPause(tx, account.communityId, now);
  if (pause) return { status: 'paused', until: pause.until };
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
  // Paused for everyone: the code is not looked at, so a good one is neither used up nor counted.
  const paused = await communityPause(tx, request, now);
  if (paused) return { status: 'paused', until: paused };

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
      await recordMiss(tx, request, now);
      // This wrong code may be the one that pauses binding for everyone (announced once); this
      // person's code was wrong all the same, and they are told so.
      await communityPause(tx, request, now);
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

/**
 * The person picked who they are after a household's code: checks the code again, then binds —
 * unless the member holds a staff role (the code stays unused for the household's others).
 */
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
  // Picking a staff member would hand over their role to whoever holds the household's slip.
  if (await holdsStaffRole(tx, member.id, now)) return { status: 'staff_member' };
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
      communityId: true,
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

/**
 * Until when binding is paused for the community, or null when it is open. A pause already
 * running is read; otherwise the capped count of recent wrong codes may start one now (announced
 * to the staff once, however many attempts find it at the same moment).
 */
async function communityPause(tx: Tx, request: BindRequest, now: Date): Promise<Date | null> {
  const running = await runningPause(tx, request.communityId, now);
  if (running) return running.until;
  const limits = request.communityLimits ?? DEFAULT_COMMUNITY_BIND_LIMITS;
  if (communityBindGate((await recentWrongCodes(tx, request.communityId, now, limits)).wrongCodes, now, limits).open) return null;
  // Counted again under the lock staff take to lift a pause: a lift that committed meanwhile has
  // forgotten the count, and must not be undone by a pause started from the count before it.
  await lockBindingPause(tx, request.communityId);
  const { wrongCodes, origins } = await recentWrongCodes(tx, request.communityId, now, limits);
  const gate = communityBindGate(wrongCodes, now, limits);
  if (gate.open) return null;
  const closed = await noteBindingClosed(
    tx,
    { communityId: request.communityId, now, until: gate.until, wrongCodes, origins, windowMs: limits.windowMs },
    { events: request.events, log: request.log },
  );
  // Null: another attempt started it a moment ago.
  return closed?.until ?? (await runningPause(tx, request.communityId, now))?.until ?? gate.until;
}

/** The origin a wrong code is counted against: the channel's, or the account itself. */
function originOf(request: BindRequest): string {
  return request.origin ?? `account:${request.chatAccountId}`;
}

/** Keeps one wrong code for the community-wide window; rows that have left it go. */
async function recordMiss(tx: Tx, request: BindRequest, now: Date): Promise<void> {
  const limits = request.communityLimits ?? DEFAULT_COMMUNITY_BIND_LIMITS;
  await tx.bindCodeMiss.deleteMany({ where: { communityId: request.communityId, at: { lte: new Date(now.getTime() - limits.windowMs) } } });
  await tx.bindCodeMiss.create({ data: { communityId: request.communityId, origin: originOf(request), at: now }, select: { id: true } });
}

/** Wrong codes typed in the community within the window (each origin's share, capped), and from how many origins. */
async function recentWrongCodes(tx: Tx, communityId: string, now: Date, limits: CommunityBindLimits): Promise<{ wrongCodes: number; origins: number }> {
  const since = new Date(now.getTime() - limits.windowMs);
  const perOrigin = await tx.bindCodeMiss.groupBy({ by: ['origin'], where: { communityId, at: { gt: since } }, _count: { _all: true } });
  return {
    wrongCodes: communityWrongCodes(
      perOrigin.map((row) => row._count._all),
      limits,
    ),
    origins: perOrigin.length,
  };
}
