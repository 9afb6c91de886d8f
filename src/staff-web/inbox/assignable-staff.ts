/**
 * Whom a ticket may be assigned to from the console: people of the community holding a staff
 * role (committee, steward, council, admin) in its current term. The ticket page lists them and
 * the assign form is checked against the same condition, so the list and the check cannot differ.
 */
import type { Prisma, Tx } from '../../db/prisma-types.js';
import { STAFF_ROLES } from '../../features/policy/grants.js';
import { currentTermWhere } from '../../features/policy/terms.js';

function currentStaffWhere(communityId: string, now: Date): Prisma.ResidentWhereInput {
  return { communityId, roles: { some: { communityId, role: { in: [...STAFF_ROLES] }, ...currentTermWhere(now) } } };
}

/** Current staff by name. */
export async function assignableStaff(db: Tx, communityId: string, now: Date): Promise<{ residentId: string; name: string }[]> {
  const people = await db.resident.findMany({ where: currentStaffWhere(communityId, now), orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, name: true } });
  return people.map((p) => ({ residentId: p.id, name: p.name }));
}

/** Whether `residentId` is one of them. */
export async function isAssignableStaff(db: Tx, communityId: string, residentId: string, now: Date): Promise<boolean> {
  return (await db.resident.findFirst({ where: { ...currentStaffWhere(communityId, now), id: residentId }, select: { id: true } })) !== null;
}
