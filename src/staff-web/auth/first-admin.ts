/**
 * The first administrator of a fresh install (like the first-run page of Gitea or Grafana): while
 * the community has no administrator, every start prints a one-time setup address. Opening it
 * asks for the administrator's name (and phone, optional); sending the form makes that person an
 * administrator and signs them in. The address is valid until used (each start replaces the
 * previous one, so only the newest printed address works); once an administrator exists, no
 * address is printed and every setup address is refused.
 */
import { randomBytes } from 'node:crypto';
import type { Tx } from '../../db/prisma-types.js';
import { recordAudit } from '../../features/audit/record-audit.js';
import { addStaffIn } from '../../features/community/staff.js';
import { planStaff, type StaffProblem } from '../../features/community/staff-rules.js';
import { currentTermWhere } from '../../features/policy/terms.js';
import { hashLoginCode, pruneSignInRecords } from './login-codes.js';

/** Until used; a year is only there because every code carries an expiry. */
const SETUP_TOKEN_TTL_MS = 365 * 24 * 3_600_000;

export async function hasAdministrator(tx: Tx, communityId: string, now: Date): Promise<boolean> {
  const admin = await tx.roleAssignment.findFirst({ where: { communityId, role: 'admin', ...currentTermWhere(now) }, select: { id: true } });
  return admin !== null;
}

/** A new setup token when the community has no administrator (earlier ones void); null otherwise. */
export async function issueSetupToken(tx: Tx, input: { communityId: string; key: string; now: Date }): Promise<string | null> {
  if (await hasAdministrator(tx, input.communityId, input.now)) return null;
  await pruneSignInRecords(tx, input.communityId, input.now);
  await tx.staffLoginCode.updateMany({
    where: { communityId: input.communityId, purpose: 'setup', usedAt: null, voidedAt: null },
    data: { voidedAt: input.now },
  });
  const token = randomBytes(24).toString('base64url');
  await tx.staffLoginCode.create({
    data: {
      communityId: input.communityId,
      purpose: 'setup',
      via: 'start',
      codeHash: hashLoginCode(input.key, token),
      expiresAt: new Date(input.now.getTime() + SETUP_TOKEN_TTL_MS),
      createdAt: input.now,
    },
  });
  return token;
}

/** Whether a setup token can still be used (the page shows the form only then). */
export async function setupTokenValid(tx: Tx, input: { communityId: string; token: string; key: string; now: Date }): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(input.token)) return false;
  if (await hasAdministrator(tx, input.communityId, input.now)) return false;
  const row = await tx.staffLoginCode.findFirst({
    where: { communityId: input.communityId, purpose: 'setup', codeHash: hashLoginCode(input.key, input.token), usedAt: null, voidedAt: null, expiresAt: { gt: input.now } },
    select: { id: true },
  });
  return row !== null;
}

/** `createFirstAdmin` throws `StaffLookupError` (ambiguous_person) when the name is several residents'. */
export { StaffLookupError } from '../../features/community/staff.js';

export type FirstAdminOutcome =
  | { status: 'created'; residentId: string }
  | { status: 'gone' }
  | { status: 'invalid'; problem: StaffProblem };

export interface FirstAdminInput {
  communityId: string;
  token: string;
  name: string;
  phone?: string;
  key: string;
  timezone: string;
  now: Date;
}

/** Uses the token and makes the person an administrator (found on the roster by name and phone, or added). */
export async function createFirstAdmin(tx: Tx, input: FirstAdminInput): Promise<FirstAdminOutcome> {
  if (!(await setupTokenValid(tx, input))) return { status: 'gone' };
  const planned = planStaff({ name: input.name, role: 'admin', ...(input.phone ? { phone: input.phone } : {}) }, input.now, input.timezone);
  if (!planned.ok) return { status: 'invalid', problem: planned.problem };
  // Used by a guarded update: two browsers sending the form at once make one administrator.
  const used = await tx.staffLoginCode.updateMany({
    where: { communityId: input.communityId, purpose: 'setup', codeHash: hashLoginCode(input.key, input.token), usedAt: null, voidedAt: null },
    data: { usedAt: input.now },
  });
  if (used.count !== 1) return { status: 'gone' };
  // Several residents of that name and no phone to tell them apart: thrown, so the transaction
  // rolls back and the token stays usable for a second try with the phone.
  const added = await addStaffIn(tx, { communityId: input.communityId, plan: planned.plan, actor: { kind: 'system' } });
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: { kind: 'system' },
    via: 'console',
    action: 'staff.first_admin',
    subjectType: 'resident',
    subjectId: added.residentId,
    details: { assignmentId: added.assignmentId },
  });
  return { status: 'created', residentId: added.residentId };
}
