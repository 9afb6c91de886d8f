/**
 * Words the command line shows for stored values (roles, skills) and how it shows dates: in the
 * operator's language, dates in the community's time zone.
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { Role, Skill } from '../../features/community/vocabulary.js';
import { ROLE_LABEL_KEYS, SKILL_LABEL_KEYS } from '../../features/community/vocabulary-labels.js';
import type { CliRuntime } from '../linli-runtime.js';

/** "居委会委员 (committee)": the name in the operator's language and the word to type. */
export function roleLabel(runtime: CliRuntime, role: Role): string {
  return runtime.t(ROLE_LABEL_KEYS[role]);
}

export function skillLabel(runtime: CliRuntime, skill: Skill): string {
  return runtime.t(SKILL_LABEL_KEYS[skill]);
}

/** Every role as "word (name)", for help texts and the unknown-role message. */
export function roleChoices(runtime: CliRuntime, roles: readonly Role[]): string {
  return roles.map((role) => `${role} (${roleLabel(runtime, role)})`).join(', ');
}

export function skillChoices(runtime: CliRuntime, skills: readonly Skill[]): string {
  return skills.map((skill) => `${skill} (${skillLabel(runtime, skill)})`).join(', ');
}

/** 2027-06-30 in the community's time zone. */
export function formatDay(date: Date, timeZone: string): string {
  return format(date, 'yyyy-MM-dd', { in: tz(timeZone) });
}

/** 2027-06-30 18:05 in the community's time zone. */
export function formatMinute(date: Date, timeZone: string): string {
  return format(date, 'yyyy-MM-dd HH:mm', { in: tz(timeZone) });
}

/** 8,689 (English) / 8689 (Chinese): numbers as the operator's language writes them. */
export function formatCount(runtime: CliRuntime, value: number): string {
  return new Intl.NumberFormat(runtime.locale).format(value);
}
