/**
 * One-time sign-in codes for the staff console. A staff member asks for one on the sign-in page
 * (the bot sends it to their bound chats) or an operator prints one (`linli staff login <name>`);
 * they type their name and the code. Codes are eight digits (easy on a phone's keypad), valid
 * for ten minutes, used once, stored only as a keyed hash.
 *
 * Guessing is limited two ways, neither of which lets one address lock anybody else out:
 * - per network origin: `MISSES_PER_ORIGIN` wrong codes in `MISS_WINDOW_MS` and that address is
 *   refused until the window passes (other addresses are not affected);
 * - per person: after `MISSES_PER_PERSON` wrong codes against a person since their newest code was
 *   issued, all their unused codes are void. Guessing gains nothing, and the person simply asks
 *   for a new code, which only their own chat receives.
 * Every refusal is audited (`staff.sign_in`, with the reason and the origin's hash).
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

/** A new code for the person (earlier unused ones stay valid until they expire). */
export async function issueLoginCode(tx: Tx, input: IssueLoginCodeInput): Promise<{ code: string; expiresAt: Date }> {
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

export type SignInRefusal =
  /** The name and code do not match a valid code (also: no such staff member; never said apart). */
  | 'wrong_code'
  /** Too many wrong codes against this person: their codes are void, a new one must be asked for. */
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
  const windowStart = new Date(now.getTime() - MISS_WINDOW_MS);
  const fromHere = await tx.staffLoginMiss.findMany({
    where: { communityId, origin, createdAt: { gt: windowStart } },
    select: { createdAt: true },
    orderBy: { createdAt: 'asc' },
    take: MISSES_PER_ORIGIN,
  });
  if (fromHere.length >= MISSES_PER_ORIGIN) {
    const retryAfterMs = fromHere[0]!.createdAt.getTime() + MISS_WINDOW_MS - now.getTime();
    await auditRefusal(tx, communityId, null, 'too_many_from_here', origin);
    return { status: 'refused', reason: 'too_many_from_here', retryAfterMs };
  }

  const people = await staffByName(tx, communityId, input.name, now);
  const digits = normaliseLoginCode(input.typedCode);
  if (digits && people.length > 0) {
    const used = await tx.staffLoginCode.updateManyAndReturn({
      where: {
        codeHash: hashLoginCode(input.key, digits),
        communityId,
        purpose: 'login',
        residentId: { in: people.map((p) => p.id) },
        usedAt: null,
        voidedAt: null,
        expiresAt: { gt: now },
      },
      data: { usedAt: now },
      select: { residentId: true },
    });
    const residentId = used[0]?.residentId;
    if (residentId) return { status: 'signed_in', residentId };
  }

  // A miss: counted against the address, and against the person when the name is one person's.
  const person = people.length === 1 ? people[0]!.id : null;
  await tx.staffLoginMiss.create({ data: { communityId, origin, residentId: person, createdAt: now } });
  if (person && (await voidIfGuessed(tx, communityId, person, now))) {
    await auditRefusal(tx, communityId, person, 'codes_voided', origin);
    return { status: 'refused', reason: 'codes_voided' };
  }
  await auditRefusal(tx, communityId, person, 'wrong_code', origin);
  return { status: 'refused', reason: 'wrong_code' };
}

/** Voids the person's unused codes once `MISSES_PER_PERSON` wrong codes were tried since the newest was issued. */
async function voidIfGuessed(tx: Tx, communityId: string, residentId: string, now: Date): Promise<boolean> {
  const newest = await tx.staffLoginCode.findFirst({
    where: { communityId, residentId, purpose: 'login', usedAt: null, voidedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  if (!newest) return false;
  const misses = await tx.staffLoginMiss.count({ where: { communityId, residentId, createdAt: { gte: newest.createdAt } } });
  if (misses < MISSES_PER_PERSON) return false;
  await tx.staffLoginCode.updateMany({ where: { communityId, residentId, purpose: 'login', usedAt: null, voidedAt: null }, data: { voidedAt: now } });
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
