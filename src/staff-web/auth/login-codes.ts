/**
 * One-time sign-in codes for the staff console. A staff member asks for one on the sign-in page
 * (the bot sends it to their bound chats) or an operator prints one (`linli staff login <name>`);
 * they type their name and the code. Codes are eight digits (easy on a phone's keypad), valid
 * for ten minutes, used once, stored only as a keyed hash (not unique: eight digits repeat among
 * all the codes ever issued, so a code is looked up with the people of the name typed).
 *
 * Guessing is limited two ways, neither of which lets one address lock anybody out:
 * - per network origin: `MISSES_PER_ORIGIN` wrong codes in `MISS_WINDOW_MS` and that address is
 *   refused until the window passes (other addresses are not affected). A refused address writes
 *   nothing more: one audit row says when it became refused.
 * - per person: every wrong code typed with a name counts against each staff member of that name.
 *   After `MISSES_PER_PERSON` of them since their newest code from the bot was issued, all their
 *   unused codes from the bot are void. Guessing gains nothing, and the person simply asks for a
 *   new code, which only their own chat receives. Codes printed by `linli staff login` are never
 *   voided: the operator hands them over in person, often to someone with no chat bound, and
 *   voiding them would let a stranger who guesses keep that staff member out of the console
 *   altogether; guessing one is still held back by the per-address limit.
 * Both counts are taken under an advisory lock (the address's, then each person's, in a fixed
 * order), so many guesses sent at once are counted one after another and cannot all see fewer
 * misses than the limit. Every refusal is audited (`staff.sign_in`, with the reason and the
 * origin's hash). Codes expired more than a day and misses older than a day are pruned whenever
 * a new code is issued.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { Tx } from '../../db/prisma-types.js';
import { recordAudit } from '../../features/audit/record-audit.js';
import { STAFF_ROLES } from '../../features/policy/grants.js';
import { currentTermWhere } from '../../features/policy/terms.js';

export const LOGIN_CODE_TTL_MS = 10 * 60_000;
export const MISS_WINDOW_MS = 15 * 60_000;
export const MISSES_PER_ORIGIN = 10;
export const MISSES_PER_PERSON = 5;
const CODE_DIGITS = 8;
/** Expired codes and old misses are kept this long (for a look at what just happened), then pruned. */
const KEEP_OLD_MS = 24 * 3_600_000;

/** "1234 5678": two groups, read aloud or copied from a chat without mistakes. */
export function formatLoginCode(digits: string): string {
  return `${digits.slice(0, 4)} ${digits.slice(4)}`;
}

/** The digits of what was typed (full-width digits, spaces and dashes allowed); null if it cannot be a code. */
export function normaliseLoginCode(typed: string): string | null {
  const digits = typed.normalize('NFKC').replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${CODE_DIGITS}}$`).test(digits) ? digits : null;
}

export function hashLoginCode(key: string, digits: string): string {
  return createHmac('sha256', key).update(digits).digest('base64url');
}

/** Current staff of the community named exactly so (trimmed, case-insensitive). */
export async function staffByName(tx: Tx, communityId: string, name: string, now: Date): Promise<{ id: string; name: string }[]> {
  const wanted = name.normalize('NFKC').trim();
  if (wanted === '' || wanted.length > 100) return [];
  return tx.resident.findMany({
    where: { communityId, name: { equals: wanted, mode: 'insensitive' }, roles: { some: { role: { in: [...STAFF_ROLES] }, ...currentTermWhere(now) } } },
    select: { id: true, name: true },
    take: 5,
  });
}

/** Whether the person holds a staff role today (only they may sign in). */
export async function isCurrentStaff(tx: Tx, residentId: string, now: Date): Promise<boolean> {
  const role = await tx.roleAssignment.findFirst({ where: { residentId, role: { in: [...STAFF_ROLES] }, ...currentTermWhere(now) }, select: { id: true } });
  return role !== null;
}

export interface IssueLoginCodeInput {
  communityId: string;
  residentId: string;
  /** Where it is handed out: the bot's chat or the command line. */
  via: 'chat' | 'cli';
  key: string;
  now: Date;
}

/** A new code for the person (earlier unused ones stay valid until they expire); old codes and misses are pruned. */
export async function issueLoginCode(tx: Tx, input: IssueLoginCodeInput): Promise<{ code: string; expiresAt: Date }> {
  await pruneSignInRecords(tx, input.communityId, input.now);
  const digits = Array.from({ length: CODE_DIGITS }, () => randomInt(10)).join('');
  const expiresAt = new Date(input.now.getTime() + LOGIN_CODE_TTL_MS);
  await tx.staffLoginCode.create({
    data: {
      communityId: input.communityId,
      residentId: input.residentId,
      purpose: 'login',
      via: input.via,
      codeHash: hashLoginCode(input.key, digits),
      expiresAt,
      createdAt: input.now,
    },
  });
  return { code: formatLoginCode(digits), expiresAt };
}

/** Deletes the community's codes (and setup tokens) expired more than a day ago and its misses older than a day. */
export async function pruneSignInRecords(tx: Tx, communityId: string, now: Date): Promise<void> {
  const before = new Date(now.getTime() - KEEP_OLD_MS);
  await tx.staffLoginCode.deleteMany({ where: { communityId, expiresAt: { lt: before } } });
  await tx.staffLoginMiss.deleteMany({ where: { communityId, createdAt: { lt: before } } });
}

export type SignInRefusal =
  /** The name and code do not match a valid code (also: no such staff member; never said apart). */
  | 'wrong_code'
  /** Too many wrong codes against this person: their codes from the bot are void, a new one must be asked for. */
  | 'codes_voided'
  /** Too many wrong codes from this network address lately. */
  | 'too_many_from_here';

export type SignInOutcome = { status: 'signed_in'; residentId: string } | { status: 'refused'; reason: SignInRefusal; retryAfterMs?: number };

export interface SignInInput {
  communityId: string;
  name: string;
  typedCode: string;
  /** A keyed hash of the browser's address. */
  origin: string;
  key: string;
  now: Date;
}

/** Checks a name and code (see the file's comment); on success the code is used up. */
export async function signInWithCode(tx: Tx, input: SignInInput): Promise<SignInOutcome> {
  const { communityId, origin, now } = input;
  await lockFor(tx, `staff-sign-in-origin:${communityId}:${origin}`);
  const windowStart = new Date(now.getTime() - MISS_WINDOW_MS);
  const fromHere = await tx.staffLoginMiss.findMany({
    where: { communityId, origin, createdAt: { gt: windowStart } },
    select: { createdAt: true },
    orderBy: { createdAt: 'asc' },
    take: MISSES_PER_ORIGIN,
  });
  if (fromHere.length >= MISSES_PER_ORIGIN) {
    // Already refused (and audited when it became so): nothing more is written for it.
    const retryAfterMs = fromHere[0]!.createdAt.getTime() + MISS_WINDOW_MS - now.getTime();
    return { status: 'refused', reason: 'too_many_from_here', retryAfterMs };
  }

  const people = (await staffByName(tx, communityId, input.name, now)).map((person) => person.id).sort();
  for (const residentId of people) await lockFor(tx, `staff-sign-in-person:${residentId}`);
  const digits = normaliseLoginCode(input.typedCode);
  if (digits && people.length > 0) {
    const match = await tx.staffLoginCode.findFirst({
      where: { communityId, purpose: 'login', codeHash: hashLoginCode(input.key, digits), residentId: { in: people }, usedAt: null, voidedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
      select: { id: true, residentId: true },
    });
    if (match?.residentId) {
      const used = await tx.staffLoginCode.updateMany({ where: { id: match.id, usedAt: null, voidedAt: null }, data: { usedAt: now } });
      if (used.count === 1) return { status: 'signed_in', residentId: match.residentId };
    }
  }

  // A miss: one row counts it against the address (and the first person of the name), one more
  // row against each further person of the name.
  await tx.staffLoginMiss.create({ data: { communityId, origin, residentId: people[0] ?? null, createdAt: now } });
  for (const residentId of people.slice(1)) await tx.staffLoginMiss.create({ data: { communityId, origin: null, residentId, createdAt: now } });
  if (fromHere.length + 1 === MISSES_PER_ORIGIN) await auditRefusal(tx, communityId, null, 'too_many_from_here', origin);

  let voided = false;
  for (const residentId of people) {
    const voidedNow = await voidIfGuessed(tx, communityId, residentId, now);
    voided ||= voidedNow;
    await auditRefusal(tx, communityId, residentId, voidedNow ? 'codes_voided' : 'wrong_code', origin);
  }
  if (people.length === 0) await auditRefusal(tx, communityId, null, 'wrong_code', origin);
  return { status: 'refused', reason: voided ? 'codes_voided' : 'wrong_code' };
}

/** Holds a transaction-scoped advisory lock named `name` until the transaction ends. */
async function lockFor(tx: Tx, name: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))`;
}

/**
 * Voids the person's unused codes from the bot once `MISSES_PER_PERSON` wrong codes were tried
 * against them since the newest was issued (the caller holds the person's lock). Codes printed on
 * the command line stay (the file's comment says why).
 */
async function voidIfGuessed(tx: Tx, communityId: string, residentId: string, now: Date): Promise<boolean> {
  const fromBot = { communityId, residentId, purpose: 'login', via: 'chat', usedAt: null, voidedAt: null };
  const newest = await tx.staffLoginCode.findFirst({ where: { ...fromBot, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
  if (!newest) return false;
  const misses = await tx.staffLoginMiss.count({ where: { communityId, residentId, createdAt: { gte: newest.createdAt } } });
  if (misses < MISSES_PER_PERSON) return false;
  await tx.staffLoginCode.updateMany({ where: fromBot, data: { voidedAt: now } });
  return true;
}

async function auditRefusal(tx: Tx, communityId: string, residentId: string | null, reason: SignInRefusal, origin: string): Promise<void> {
  await recordAudit(tx, {
    communityId,
    actor: { kind: 'system' },
    via: 'console',
    action: 'staff.sign_in',
    subjectType: 'resident',
    subjectId: residentId,
    details: { outcome: 'refused', reason, origin },
  });
}
