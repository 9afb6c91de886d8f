/**
 * Binding a chat account to someone who holds a staff role hands over that role: the console's
 * sign-in code, for one, is sent to every account bound to the person. So a personal code for,
 * or an approved request that binds, a person with a current staff role needs `staff.manage`
 * (admins, the operator) besides the area check that lets stewards bind residents; and a
 * household's code cannot be used to pick such a member (they need a personal code from an
 * admin). Checked here for every path — console, chat, command line.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { AuditDetails } from '../audit/audit-details.js';
import type { Actor } from '../policy/actor.js';
import { checkAudited } from '../policy/audited-check.js';
import { STAFF_ROLES } from '../policy/grants.js';
import { assertCan, type Decision } from '../policy/policy.js';
import { currentTermWhere } from '../policy/terms.js';

/** Whether the person holds a staff role whose term runs at `now`. */
export async function holdsStaffRole(tx: Tx, residentId: string, now: Date): Promise<boolean> {
  const roles = await tx.roleAssignment.count({ where: { residentId, role: { in: [...STAFF_ROLES] }, ...currentTermWhere(now) } });
  return roles > 0;
}

export interface BindsStaffCheck {
  communityId: string;
  actor: Actor;
  /** The person the code or the approval would bind. */
  residentId: string;
  /** The audit row's name for a refusal (`invite.create`, `binding.approve`). */
  auditAction: string;
  /** What the refusal's audit row points at. */
  target: { type: string; id: string | null };
  details?: AuditDetails;
  now: Date;
}

/**
 * Allowed when the person holds no current staff role, or when the actor may manage staff; a
 * refusal is audited (the caller commits it).
 */
export async function checkBindsStaff(tx: Tx, check: BindsStaffCheck): Promise<Decision> {
  if (!(await holdsStaffRole(tx, check.residentId, check.now))) return { allowed: true };
  return checkAudited(tx, {
    communityId: check.communityId,
    actor: check.actor,
    action: 'staff.manage',
    subject: { communityId: check.communityId },
    target: check.target,
    auditAction: check.auditAction,
    ...(check.details ? { details: check.details } : {}),
    now: check.now,
  });
}

/** `checkBindsStaff` for code paths that throw: `PolicyDeniedError` (not audited: the caller's check is). */
export async function assertMayBindStaff(tx: Tx, actor: Actor, communityId: string, residentId: string, now: Date): Promise<void> {
  if (await holdsStaffRole(tx, residentId, now)) assertCan(actor, 'staff.manage', { communityId }, { now });
}
