/**
 * Staff and their terms in the staff console (admins: `staff.manage`): the list of who holds
 * which role, where and until when; giving a role (the staff service's `addStaffIn`, as
 * `linli staff add` does); moving a term's last day; ending a term now. Every change is checked
 * with `checkAudited` and written to the audit log in its transaction.
 *
 * An admin's term is never ended when no other admin would be left, now or at a later last day
 * set for it (unless another admin's term runs past that day): the community would lock itself
 * out of its own console (only the server's command line could let anyone in again).
 * Staff changes of one community take a lock first, so two admins ending each other's terms at
 * once cannot both pass that check.
 */
import type { PrismaClient, Tx } from '../../db/prisma-types.js';
import { recordAudit } from '../../features/audit/record-audit.js';
import { addStaffIn, StaffLookupError, type AddStaffResult, type StaffLookupProblem } from '../../features/community/staff.js';
import { parseLastDay, planStaff, type StaffProblem } from '../../features/community/staff-rules.js';
import { ROLES, SKILLS, type Role, type Skill } from '../../features/community/vocabulary.js';
import type { Actor } from '../../features/policy/actor.js';
import { checkAudited } from '../../features/policy/audited-check.js';
import type { DenialReason } from '../../features/policy/denials.js';
import { isTermCurrent } from '../../features/policy/terms.js';
import { maskPhone } from '../../features/privacy/mask.js';

/** One term of one role, as the staff list shows it. */
export interface StaffTerm {
  assignmentId: string;
  residentId: string;
  name: string;
  maskedPhone: string | null;
  householdCode: string | null;
  role: Role;
  areaPath: string | null;
  skills: Skill[];
  startsOn: Date;
  endsOn: Date | null;
  /** current: counts now; upcoming: starts later; ended: over. */
  state: 'current' | 'upcoming' | 'ended';
}

export type Denied = { status: 'denied'; reason: DenialReason };

export interface ListStaffInput {
  communityId: string;
  actor: Actor;
  now: Date;
  /** Also terms that have ended (default: current and upcoming only). */
  includeEnded?: boolean;
}

/** Every term (current and upcoming; ended ones too when asked), by role, area and name; ended terms last. */
export async function listStaff(db: Tx, input: ListStaffInput): Promise<{ status: 'listed'; terms: StaffTerm[] } | Denied> {
  const { communityId, actor, now } = input;
  const decision = await checkAudited(db, { communityId, actor, action: 'staff.manage', subject: { communityId }, target: { type: 'community', id: communityId }, now });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  const rows = await db.roleAssignment.findMany({
    where: { communityId, ...(input.includeEnded ? {} : { OR: [{ endsOn: null }, { endsOn: { gte: now } }] }) },
    select: {
      id: true,
      role: true,
      skills: true,
      startsOn: true,
      endsOn: true,
      area: { select: { path: true } },
      resident: { select: { id: true, name: true, phone: true, household: { select: { code: true } } } },
    },
  });
  const terms = rows
    .filter((row): row is typeof row & { role: Role } => (ROLES as readonly string[]).includes(row.role))
    .map(
      (row): StaffTerm => ({
        assignmentId: row.id,
        residentId: row.resident.id,
        name: row.resident.name,
        maskedPhone: row.resident.phone ? maskPhone(row.resident.phone) : null,
        householdCode: row.resident.household?.code ?? null,
        role: row.role,
        areaPath: row.area?.path ?? null,
        skills: SKILLS.filter((skill) => row.skills.includes(skill)),
        startsOn: row.startsOn,
        endsOn: row.endsOn,
        state: termState(row, now),
      }),
    );
  const ended = (term: StaffTerm) => (term.state === 'ended' ? 1 : 0);
  terms.sort(
    (a, b) =>
      ended(a) - ended(b) ||
      ROLES.indexOf(a.role) - ROLES.indexOf(b.role) ||
      (a.areaPath ?? '').localeCompare(b.areaPath ?? '', 'zh-CN') ||
      a.name.localeCompare(b.name, 'zh-CN') ||
      a.startsOn.getTime() - b.startsOn.getTime() ||
      a.assignmentId.localeCompare(b.assignmentId),
  );
  return { status: 'listed', terms };
}

function termState(term: { startsOn: Date; endsOn: Date | null }, now: Date): StaffTerm['state'] {
  if (isTermCurrent(term, now)) return 'current';
  return term.startsOn.getTime() > now.getTime() ? 'upcoming' : 'ended';
}

// ---------------------------------------------------------------- giving a role

export interface AddTermInput {
  communityId: string;
  actor: Actor;
  now: Date;
  /** The community's time zone: a last day is the end of that day there. */
  timezone: string;
  /** As typed in the form. */
  name: string;
  role: string;
  area?: string;
  /** Comma-separated, or one per ticked box. */
  skills?: string | readonly string[];
  phone?: string;
  /** Last day, YYYY-MM-DD; empty: the role's default (three years for elected roles, else open). */
  ends?: string;
  /** Also hand out a personal binding code, valid this many days (shown once). */
  inviteTtlDays?: number;
}

export type AddTermOutcome =
  | { status: 'added'; result: AddStaffResult }
  /** What was typed is not a plan (no name, unknown role, a steward without area…). */
  | { status: 'invalid'; problem: StaffProblem }
  /** The area does not exist, or the name fits several people (type their phone too). */
  | { status: 'lookup_failed'; problem: StaffLookupProblem }
  | Denied;

/** Gives a person a role from `now` (see `addStaffIn`: a resident found by name and phone, or a new person). */
export function addTerm(prisma: PrismaClient, input: AddTermInput): Promise<AddTermOutcome> {
  const { communityId, actor, now } = input;
  return prisma.$transaction(async (tx): Promise<AddTermOutcome> => {
    const decision = await checkAudited(tx, { communityId, actor, action: 'staff.manage', subject: { communityId }, target: { type: 'community', id: communityId }, now });
    if (!decision.allowed) return { status: 'denied', reason: decision.reason };
    const checked = planStaff(
      {
        name: input.name,
        role: input.role,
        area: input.area,
        skills: typeof input.skills === 'string' || input.skills === undefined ? input.skills : input.skills.join(','),
        phone: input.phone,
        ends: input.ends,
      },
      now,
      input.timezone,
    );
    if (!checked.ok) return { status: 'invalid', problem: checked.problem };
    await lockStaff(tx, communityId);
    try {
      const result = await addStaffIn(tx, {
        communityId,
        plan: checked.plan,
        actor,
        ...(input.inviteTtlDays !== undefined ? { inviteTtlDays: input.inviteTtlDays } : {}),
      });
      return { status: 'added', result };
    } catch (error) {
      // Thrown before anything was written: the transaction commits the check's row and nothing else.
      if (error instanceof StaffLookupError) return { status: 'lookup_failed', problem: error.problem };
      throw error;
    }
  });
}

// ---------------------------------------------------------------- changing a term

export interface ChangeTermEndInput {
  communityId: string;
  actor: Actor;
  assignmentId: string;
  /** The new last day, YYYY-MM-DD; empty: open-ended. */
  ends: string;
  timezone: string;
  now: Date;
}

export type TermChangeOutcome =
  | { status: 'changed'; endsOn: Date | null }
  | { status: 'not_found' }
  /** The term is over already: give the role again instead. */
  | { status: 'already_ended' }
  | { status: 'bad_date'; date: string }
  /** A last day that has passed would end the term: ending is its own, checked action. */
  | { status: 'ends_in_past'; date: string }
  | { status: 'before_start'; date: string }
  /** Ending this admin's term would leave the community without an admin. */
  | { status: 'last_admin' }
  | Denied;

/** Moves the last day of a term that has not ended (later, earlier but not past, or open-ended). */
export function changeTermEnd(prisma: PrismaClient, input: ChangeTermEndInput): Promise<TermChangeOutcome> {
  const { communityId, actor, now } = input;
  return prisma.$transaction(async (tx): Promise<TermChangeOutcome> => {
    const found = await findTerm(tx, input);
    if (found.status !== 'found') return found;
    const { term } = found;
    const typed = input.ends.trim();
    let endsOn: Date | null = null;
    if (typed !== '') {
      endsOn = parseLastDay(typed, input.timezone);
      if (!endsOn) return { status: 'bad_date', date: typed };
      if (endsOn.getTime() <= now.getTime()) return { status: 'ends_in_past', date: typed };
      if (endsOn.getTime() < term.startsOn.getTime()) return { status: 'before_start', date: typed };
      // An admin's last day is an end like ending now, only later: someone must still be admin after it.
      if (term.role === 'admin' && !(await adminAfter(tx, communityId, term.id, endsOn))) return { status: 'last_admin' };
    }
    await tx.roleAssignment.update({ where: { id: term.id }, data: { endsOn } });
    await recordAudit(tx, {
      communityId,
      actor,
      action: 'staff.manage',
      subjectType: 'role_assignment',
      subjectId: term.id,
      details: { residentId: term.residentId, areaId: term.areaId, role: term.role, change: 'term_end_changed', endsOn: endsOn?.toISOString() ?? null },
    });
    return { status: 'changed', endsOn };
  });
}

export interface EndTermInput {
  communityId: string;
  actor: Actor;
  assignmentId: string;
  now: Date;
}

/** Ends a term at `now` (the role counts no more from this instant); never the last admin's. */
export function endTermNow(prisma: PrismaClient, input: EndTermInput): Promise<TermChangeOutcome> {
  const { communityId, actor, now } = input;
  return prisma.$transaction(async (tx): Promise<TermChangeOutcome> => {
    const found = await findTerm(tx, input);
    if (found.status !== 'found') return found;
    const { term } = found;
    if (term.role === 'admin' && isTermCurrent(term, now)) {
      const otherAdmins = await tx.roleAssignment.count({
        where: {
          communityId,
          role: 'admin',
          id: { not: term.id },
          startsOn: { lte: now },
          OR: [{ endsOn: null }, { endsOn: { gte: now } }],
        },
      });
      if (otherAdmins === 0) return { status: 'last_admin' };
    }
    // A term counts up to and including its end: ending a millisecond before `now` makes it over now.
    const endsOn = new Date(now.getTime() - 1);
    await tx.roleAssignment.update({ where: { id: term.id }, data: { endsOn } });
    await recordAudit(tx, {
      communityId,
      actor,
      action: 'staff.manage',
      subjectType: 'role_assignment',
      subjectId: term.id,
      details: { residentId: term.residentId, areaId: term.areaId, role: term.role, change: 'term_ended' },
    });
    return { status: 'changed', endsOn };
  });
}

/** Whether another admin's term covers the moment after `lastMoment` (begun by then, not ended by then). */
async function adminAfter(tx: Tx, communityId: string, exceptTermId: string, lastMoment: Date): Promise<boolean> {
  const others = await tx.roleAssignment.count({
    where: {
      communityId,
      role: 'admin',
      id: { not: exceptTermId },
      startsOn: { lte: lastMoment },
      OR: [{ endsOn: null }, { endsOn: { gt: lastMoment } }],
    },
  });
  return others > 0;
}

/** The policy check (audited), the community's staff lock, then the term, if it is there and not over. */
async function findTerm(tx: Tx, input: { communityId: string; actor: Actor; assignmentId: string; now: Date }) {
  const { communityId, actor, now } = input;
  const decision = await checkAudited(tx, {
    communityId,
    actor,
    action: 'staff.manage',
    subject: { communityId },
    target: { type: 'role_assignment', id: input.assignmentId },
    now,
  });
  if (!decision.allowed) return { status: 'denied' as const, reason: decision.reason };
  await lockStaff(tx, communityId);
  const term = await tx.roleAssignment.findFirst({
    where: { id: input.assignmentId, communityId },
    select: { id: true, residentId: true, role: true, areaId: true, startsOn: true, endsOn: true },
  });
  if (!term) return { status: 'not_found' as const };
  if (term.endsOn && term.endsOn.getTime() < now.getTime()) return { status: 'already_ended' as const };
  return { status: 'found' as const, term };
}

/** One staff change per community at a time, to the end of the transaction. */
async function lockStaff(tx: Tx, communityId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`staff:${communityId}`}))`;
}
