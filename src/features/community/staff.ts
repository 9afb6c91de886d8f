/**
 * Staff: giving a person a role (committee, steward of an area, service team with skills…) and
 * listing who holds which role now. A person is found among the community's residents by name
 * (and phone, when given) — most staff are neighbours — or added as a person without a
 * household. Adding a role someone already holds changes nothing, so the demo seed and a
 * repeated command are harmless. Every change is written to the audit log in the same
 * transaction; the binding code, when asked for, too.
 */
import type { PrismaClient, Tx } from '../../db/prisma-types.js';
import { recordAudit } from '../audit/record-audit.js';
import { createInviteCode } from '../identity/invite-codes.js';
import type { Actor } from '../policy/actor.js';
import { assertCan } from '../policy/policy.js';
import { currentTermWhere } from '../policy/terms.js';
import type { StaffPlan } from './staff-rules.js';
import { ROLES, SKILLS, type Role, type Skill } from './vocabulary.js';

/** Why the database side of adding staff failed. */
export type StaffLookupProblem =
  | { code: 'area_not_found'; area: string }
  | { code: 'ambiguous_person'; name: string; count: number };

export class StaffLookupError extends Error {
  constructor(readonly problem: StaffLookupProblem) {
    super(`staff: ${problem.code}`);
    this.name = 'StaffLookupError';
  }
}

export interface AddStaffInput {
  communityId: string;
  plan: StaffPlan;
  actor: Actor;
  /** Also issue a one-time binding code for the person, valid this many days. */
  inviteTtlDays?: number;
}

export interface AddStaffResult {
  /** created: a new role; updated: the same role with other skills; unchanged: nothing to do. */
  status: 'created' | 'updated' | 'unchanged';
  residentId: string;
  assignmentId: string;
  /** True when the person was not known and was added without a household. */
  newPerson: boolean;
  /** The household the person lives in, when known. */
  householdCode: string | null;
  endsOn: Date | null;
  invite?: { code: string; expiresAt: Date };
}

/** Gives the planned role to the person it names; throws StaffLookupError for an unknown area or an ambiguous name. */
export function addStaff(prisma: PrismaClient, input: AddStaffInput): Promise<AddStaffResult> {
  return prisma.$transaction((tx) => addStaffIn(tx, input));
}

/** `addStaff` inside the caller's transaction (the demo seed adds all its staff in one). */
export async function addStaffIn(tx: Tx, { communityId, plan, actor, inviteTtlDays }: AddStaffInput): Promise<AddStaffResult> {
  assertCan(actor, 'staff.manage', { communityId });
  let areaId: string | null = null;
  if (plan.areaPath) {
    const area = await tx.area.findUnique({ where: { communityId_path: { communityId, path: plan.areaPath } }, select: { id: true } });
    if (!area) throw new StaffLookupError({ code: 'area_not_found', area: plan.areaPath });
    areaId = area.id;
  }

  const person = await findOrAddPerson(tx, communityId, plan);
  const current = await tx.roleAssignment.findFirst({
    where: { communityId, residentId: person.id, role: plan.role, areaId, ...currentTermWhere(plan.startsOn) },
    orderBy: { createdAt: 'asc' },
    select: { id: true, skills: true, endsOn: true },
  });

  let status: AddStaffResult['status'];
  let assignmentId: string;
  let endsOn: Date | null;
  if (!current) {
    const created = await tx.roleAssignment.create({
      data: { communityId, residentId: person.id, role: plan.role, areaId, skills: plan.skills, startsOn: plan.startsOn, endsOn: plan.endsOn },
      select: { id: true },
    });
    status = 'created';
    assignmentId = created.id;
    endsOn = plan.endsOn;
  } else if (!sameSkills(current.skills, plan.skills)) {
    await tx.roleAssignment.update({ where: { id: current.id }, data: { skills: plan.skills } });
    status = 'updated';
    assignmentId = current.id;
    endsOn = current.endsOn;
  } else {
    status = 'unchanged';
    assignmentId = current.id;
    endsOn = current.endsOn;
  }

  if (status !== 'unchanged') {
    await recordAudit(tx, {
      communityId,
      actor,
      action: 'staff.manage',
      subjectType: 'role_assignment',
      subjectId: assignmentId,
      // Ids as well as the assignment: removing the person deletes their roles, and the row
      // must still say whose role it was.
      details: {
        residentId: person.id,
        areaId,
        change: status === 'created' ? 'role_added' : 'skills_changed',
        role: plan.role,
        skills: [...plan.skills],
        personAdded: person.isNew,
      },
    });
  }

  const result: AddStaffResult = {
    status,
    residentId: person.id,
    assignmentId,
    newPerson: person.isNew,
    householdCode: person.householdCode,
    endsOn,
  };
  if (inviteTtlDays !== undefined) {
    result.invite = await createInviteCode(tx, { communityId, residentId: person.id, ttlDays: inviteTtlDays, actor });
  }
  return result;
}

interface FoundPerson {
  id: string;
  isNew: boolean;
  householdCode: string | null;
}

/**
 * The resident the plan names: by name and phone when a phone is given, else by name alone;
 * several matches are refused (the operator adds --phone). No match: a person without a
 * household (staff who live elsewhere).
 */
async function findOrAddPerson(tx: Tx, communityId: string, plan: StaffPlan): Promise<FoundPerson> {
  const matches = await tx.resident.findMany({
    where: { communityId, name: plan.name, ...(plan.phone ? { phone: plan.phone } : {}) },
    select: { id: true, household: { select: { code: true } } },
    take: 2,
    orderBy: { createdAt: 'asc' },
  });
  if (matches.length > 1) {
    const count = await tx.resident.count({ where: { communityId, name: plan.name, ...(plan.phone ? { phone: plan.phone } : {}) } });
    throw new StaffLookupError({ code: 'ambiguous_person', name: plan.name, count });
  }
  const match = matches[0];
  if (match) return { id: match.id, isNew: false, householdCode: match.household?.code ?? null };
  const created = await tx.resident.create({
    data: { communityId, householdId: null, name: plan.name, phone: plan.phone },
    select: { id: true },
  });
  return { id: created.id, isNew: true, householdCode: null };
}

function sameSkills(stored: readonly string[], planned: readonly Skill[]): boolean {
  return stored.length === planned.length && planned.every((skill) => stored.includes(skill));
}

/** One current role of one person, as `linli staff list` shows it. */
export interface StaffListing {
  residentId: string;
  name: string;
  /** Digits only, or null; shown masked. */
  phone: string | null;
  householdCode: string | null;
  role: Role;
  areaPath: string | null;
  skills: Skill[];
  startsOn: Date;
  endsOn: Date | null;
}

/** Every role whose term is current, by role (vocabulary order), area and name. */
export async function listStaff(prisma: PrismaClient | Tx, communityId: string, now: Date = new Date()): Promise<StaffListing[]> {
  const assignments = await prisma.roleAssignment.findMany({
    where: { communityId, ...currentTermWhere(now) },
    select: {
      role: true,
      skills: true,
      startsOn: true,
      endsOn: true,
      area: { select: { path: true } },
      resident: { select: { id: true, name: true, phone: true, household: { select: { code: true } } } },
    },
  });
  const listings = assignments
    .filter((a): a is typeof a & { role: Role } => (ROLES as readonly string[]).includes(a.role))
    .map((a) => ({
      residentId: a.resident.id,
      name: a.resident.name,
      phone: a.resident.phone,
      householdCode: a.resident.household?.code ?? null,
      role: a.role,
      areaPath: a.area?.path ?? null,
      skills: SKILLS.filter((skill) => a.skills.includes(skill)),
      startsOn: a.startsOn,
      endsOn: a.endsOn,
    }));
  return listings.sort(
    (a, b) =>
      ROLES.indexOf(a.role) - ROLES.indexOf(b.role) ||
      (a.areaPath ?? '').localeCompare(b.areaPath ?? '', 'zh-CN') ||
      a.name.localeCompare(b.name, 'zh-CN') ||
      a.residentId.localeCompare(b.residentId),
  );
}
