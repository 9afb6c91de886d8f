/**
 * The rules for giving someone a staff role, apart from the database: which roles need an area,
 * which need skills, how long a term lasts (docs/domain.md rule 9: elected members serve three
 * years) and what a phone number must look like (the roster's rule). `planStaff` turns what the operator typed
 * into a plan, or names the first problem.
 */
import { TZDate } from '@date-fns/tz';
import { addYears } from 'date-fns/addYears';
import { parsePhone } from './roster/roster-cells.js';
import { AREA_ROLES, ROLES, SKILLS, TERM_YEARS, type Role, type Skill } from './vocabulary.js';

/** Roles the residents elect: their term ends TERM_YEARS after it starts unless told otherwise. */
export const ELECTED_ROLES: readonly Role[] = ['committee', 'council', 'representative'];

/** What the operator typed, as text. */
export interface StaffRequest {
  name: string;
  role: string;
  /** Area path as in the roster (平房区/团结巷). */
  area?: string | undefined;
  /** Comma-separated skills (service team only). */
  skills?: string | undefined;
  phone?: string | undefined;
  /** Last day of the term, YYYY-MM-DD. */
  ends?: string | undefined;
}

/** A checked request, ready for the database. */
export interface StaffPlan {
  name: string;
  role: Role;
  areaPath: string | null;
  skills: Skill[];
  /** Digits only, or null when none was given. */
  phone: string | null;
  startsOn: Date;
  /** null = open-ended. */
  endsOn: Date | null;
}

/** Why a request cannot be carried out; `code` is turned into a sentence by the caller. */
export type StaffProblem =
  | { code: 'name_missing' }
  | { code: 'unknown_role'; role: string }
  | { code: 'area_required'; role: Role }
  | { code: 'area_not_allowed'; role: Role }
  | { code: 'skills_required' }
  | { code: 'skills_not_allowed'; role: Role }
  | { code: 'unknown_skill'; skill: string }
  | { code: 'bad_phone'; phone: string }
  | { code: 'bad_date'; date: string }
  | { code: 'ends_in_past'; date: string };

export type StaffPlanResult = { ok: true; plan: StaffPlan } | { ok: false; problem: StaffProblem };

/**
 * The last instant of a YYYY-MM-DD day in the community's time zone (a term counts up to and
 * including its `endsOn`, so "ends 2027-06-30" serves through that whole day), or null for
 * anything that is not a real date.
 */
export function parseLastDay(text: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = new TZDate(year, month - 1, day, timeZone);
  // 2027-02-30 would roll over into March: refuse it instead.
  if (start.getFullYear() !== year || start.getMonth() !== month - 1 || start.getDate() !== day) return null;
  const nextDay = new TZDate(year, month - 1, day + 1, timeZone);
  return new Date(nextDay.getTime() - 1);
}

/** Elected roles end TERM_YEARS after the start; others are open-ended unless an end is given. */
export function defaultTermEnd(role: Role, startsOn: Date): Date | null {
  return ELECTED_ROLES.includes(role) ? addYears(startsOn, TERM_YEARS) : null;
}

function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

function isSkill(text: string): text is Skill {
  return (SKILLS as readonly string[]).includes(text);
}

/** Checks a request against the rules; `now` is the start of the term. */
export function planStaff(request: StaffRequest, now: Date, timeZone: string): StaffPlanResult {
  const fail = (problem: StaffProblem): StaffPlanResult => ({ ok: false, problem });
  const name = request.name.trim();
  if (!name) return fail({ code: 'name_missing' });
  const roleText = request.role.trim();
  if (!isRole(roleText)) return fail({ code: 'unknown_role', role: roleText });
  const role = roleText;

  const areaPath = request.area?.trim().replace(/^\/+|\/+$/g, '') || null;
  if (role === 'steward' && !areaPath) return fail({ code: 'area_required', role });
  if (areaPath && !AREA_ROLES.includes(role)) return fail({ code: 'area_not_allowed', role });

  const skillWords = (request.skills ?? '')
    .split(/[,，、\s]+/)
    .map((word) => word.trim())
    .filter(Boolean);
  if (role === 'service_team' && skillWords.length === 0) return fail({ code: 'skills_required' });
  if (role !== 'service_team' && skillWords.length > 0) return fail({ code: 'skills_not_allowed', role });
  const unknownSkill = skillWords.find((word) => !isSkill(word));
  if (unknownSkill !== undefined) return fail({ code: 'unknown_skill', skill: unknownSkill });
  // In vocabulary order, once each: the same skills typed in another order are the same plan.
  const skills = SKILLS.filter((skill) => skillWords.includes(skill));

  let phone: string | null = null;
  if (request.phone !== undefined && request.phone.trim() !== '') {
    // The roster's rule, so a person added here and listed in a roster file compare equal.
    const parsed = parsePhone(request.phone.trim());
    if (!parsed.ok || !parsed.value) return fail({ code: 'bad_phone', phone: request.phone.trim() });
    phone = parsed.value;
  }

  let endsOn = defaultTermEnd(role, now);
  if (request.ends !== undefined && request.ends.trim() !== '') {
    const lastInstant = parseLastDay(request.ends, timeZone);
    if (!lastInstant) return fail({ code: 'bad_date', date: request.ends.trim() });
    if (lastInstant.getTime() <= now.getTime()) return fail({ code: 'ends_in_past', date: request.ends.trim() });
    endsOn = lastInstant;
  }

  return { ok: true, plan: { name, role, areaPath, skills, phone, startsOn: now, endsOn } };
}
