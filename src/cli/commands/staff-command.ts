/**
 * `linli staff add …` gives a person a role and prints a one-time binding code for them;
 * `linli staff list` shows who holds which role now, phones masked;
 * `linli staff login <name>` prints a one-time code to sign in to the staff console (`/staff`).
 */
import type { Command } from 'commander';
import { StaffLookupError, addStaff, listStaff, type AddStaffResult, type StaffLookupProblem } from '../../features/community/staff.js';
import { planStaff, type StaffPlan, type StaffProblem, type StaffRequest } from '../../features/community/staff-rules.js';
import { AREA_ROLES, ROLES, SKILLS, TERM_YEARS } from '../../features/community/vocabulary.js';
import { maskPhone } from '../../features/privacy/mask.js';
import { OPERATOR } from './operator.js';
import { recordAudit } from '../../features/audit/record-audit.js';
import { deriveKey } from '../../security/derived-key.js';
import { resolveSecret } from '../../security/secret.js';
import { issueLoginCode, LOGIN_CODE_TTL_MS, staffByName } from '../../staff-web/auth/login-codes.js';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { formatDay, formatMinute, roleChoices, roleLabel, skillChoices, skillLabel } from './labels.js';
import { parseDays, DEFAULT_INVITE_DAYS } from './invite-days.js';

interface StaffAddOptions {
  name: string;
  role: string;
  area?: string;
  skills?: string;
  phone?: string;
  ends?: string;
  days?: string;
}

export function registerStaffCommands(program: Command, runtime: CliRuntime): void {
  const staff = program.command('staff').description(runtime.t('cli.help.staff'));

  staff
    .command('add')
    .description(runtime.t('cli.help.staff_add', { years: TERM_YEARS }))
    .requiredOption('--name <name>', runtime.t('cli.help.option_name'))
    .requiredOption('--role <role>', runtime.t('cli.help.option_role', { roles: ROLES.join(', ') }))
    .option('--area <area path>', runtime.t('cli.help.option_area'))
    .option('--skills <a,b>', runtime.t('cli.help.option_skills', { skills: SKILLS.join(', ') }))
    .option('--phone <phone>', runtime.t('cli.help.option_phone'))
    .option('--ends <date>', runtime.t('cli.help.option_ends'))
    .option('--days <n>', runtime.t('cli.help.option_days', { days: DEFAULT_INVITE_DAYS }))
    .action(async (options: StaffAddOptions) => {
      const days = parseDays(options.days);
      const plan = checkedPlan(runtime, options);
      const { prisma, communityId, timezone } = await runtime.community();
      let result: AddStaffResult;
      try {
        result = await addStaff(prisma, { communityId, plan, actor: OPERATOR, inviteTtlDays: days });
      } catch (error) {
        if (error instanceof StaffLookupError) throw lookupError(runtime, error.problem);
        throw error;
      }
      printAdded(runtime, plan, result, timezone);
    });

  staff
    .command('login')
    .description(runtime.t('cli.help.staff_login'))
    .argument('<name>', runtime.t('cli.help.option_name'))
    .action(async (name: string) => {
      const { prisma, communityId } = await runtime.community();
      const key = deriveKey(resolveSecret(runtime.config.LINLI_SECRET, runtime.config.DATA_DIR), 'staff-login-code');
      const now = new Date();
      const issued = await prisma.$transaction(async (tx) => {
        const people = await staffByName(tx, communityId, name, now);
        if (people.length !== 1) return { count: people.length } as const;
        const code = await issueLoginCode(tx, { communityId, residentId: people[0]!.id, via: 'cli', key, now });
        await recordAudit(tx, { communityId, actor: OPERATOR, action: 'staff.login_code', subjectType: 'resident', subjectId: people[0]!.id });
        return { count: 1, code } as const;
      });
      if (issued.count === 0) throw new CliError('cli.staff.login_not_staff', { name }, EXIT_FAILED);
      if (!issued.code) throw new CliError('cli.staff.login_ambiguous', { name, count: issued.count }, EXIT_FAILED);
      runtime.print(runtime.t('cli.staff.login_code', { name, code: issued.code.code, minutes: LOGIN_CODE_TTL_MS / 60_000 }));
    });

  staff
    .command('list')
    .description(runtime.t('cli.help.staff_list'))
    .action(async () => {
      const { prisma, communityId, timezone } = await runtime.community();
      const listings = await listStaff(prisma, communityId);
      if (listings.length === 0) {
        runtime.print(runtime.t('cli.staff.list_empty'));
        return;
      }
      for (const role of ROLES) {
        const holders = listings.filter((listing) => listing.role === role);
        if (holders.length === 0) continue;
        runtime.print(runtime.t('cli.staff.list_role', { role: roleLabel(runtime, role), count: holders.length }));
        for (const holder of holders) {
          const parts = [
            holder.name,
            holder.phone ? maskPhone(holder.phone) : runtime.t('cli.staff.no_phone'),
            holder.householdCode ? runtime.t('cli.staff.household', { code: holder.householdCode }) : runtime.t('cli.staff.no_household'),
            holder.areaPath ?? '',
            holder.skills.map((skill) => skillLabel(runtime, skill)).join(runtime.t('cli.list_separator')),
            holder.endsOn ? runtime.t('cli.staff.until', { date: formatDay(holder.endsOn, timezone) }) : '',
          ];
          runtime.print(`  ${parts.filter(Boolean).join('  ')}`);
        }
      }
    });
}

/** The plan, or the first problem with what was typed as a usage error. */
function checkedPlan(runtime: CliRuntime, options: StaffAddOptions): StaffPlan {
  const request: StaffRequest = {
    name: options.name,
    role: options.role,
    area: options.area,
    skills: options.skills,
    phone: options.phone,
    ends: options.ends,
  };
  const checked = planStaff(request, new Date(), runtime.config.COMMUNITY_TIMEZONE);
  if (!checked.ok) throw planError(runtime, checked.problem);
  return checked.plan;
}

function planError(runtime: CliRuntime, problem: StaffProblem): CliError {
  const usage = (key: string, vars: Record<string, string | number> = {}) => new CliError(key, vars, EXIT_USAGE);
  switch (problem.code) {
    case 'name_missing':
      return usage('cli.staff.problem.name_missing');
    case 'unknown_role':
      return usage('cli.staff.problem.unknown_role', { role: problem.role, roles: roleChoices(runtime, ROLES) });
    case 'area_required':
      return usage('cli.staff.problem.area_required', { role: roleLabel(runtime, problem.role) });
    case 'area_not_allowed':
      return usage('cli.staff.problem.area_not_allowed', { role: roleLabel(runtime, problem.role), roles: roleChoices(runtime, AREA_ROLES) });
    case 'skills_required':
      return usage('cli.staff.problem.skills_required', { skills: skillChoices(runtime, SKILLS) });
    case 'skills_not_allowed':
      return usage('cli.staff.problem.skills_not_allowed', { role: roleLabel(runtime, problem.role) });
    case 'unknown_skill':
      return usage('cli.staff.problem.unknown_skill', { skill: problem.skill, skills: skillChoices(runtime, SKILLS) });
    case 'bad_phone':
      return usage('cli.staff.problem.bad_phone', { phone: problem.phone });
    case 'bad_date':
      return usage('cli.staff.problem.bad_date', { date: problem.date });
    case 'ends_in_past':
      return usage('cli.staff.problem.ends_in_past', { date: problem.date });
  }
}

function lookupError(runtime: CliRuntime, problem: StaffLookupProblem): CliError {
  switch (problem.code) {
    case 'area_not_found':
      return new CliError('cli.staff.problem.area_not_found', { area: problem.area }, EXIT_FAILED);
    case 'ambiguous_person':
      return new CliError('cli.staff.problem.ambiguous_person', { name: problem.name, count: problem.count }, EXIT_FAILED);
  }
}

function printAdded(runtime: CliRuntime, plan: StaffPlan, result: AddStaffResult, timezone: string): void {
  const role = roleLabel(runtime, plan.role);
  const statusKey =
    result.status === 'created' ? 'cli.staff.added' : result.status === 'updated' ? 'cli.staff.skills_updated' : 'cli.staff.already_holds';
  runtime.print(runtime.t(statusKey, { name: plan.name, role }));
  runtime.print(
    result.newPerson
      ? runtime.t('cli.staff.person_new')
      : result.householdCode
        ? runtime.t('cli.staff.person_resident', { code: result.householdCode })
        : runtime.t('cli.staff.person_known'),
  );
  if (plan.areaPath) runtime.print(runtime.t('cli.staff.area', { area: plan.areaPath }));
  if (plan.skills.length > 0) {
    runtime.print(runtime.t('cli.staff.skills', { skills: plan.skills.map((skill) => skillLabel(runtime, skill)).join(runtime.t('cli.list_separator')) }));
  }
  if (result.endsOn) {
    runtime.print(runtime.t('cli.staff.term_until', { date: formatDay(result.endsOn, timezone) }));
  } else {
    runtime.print(runtime.t('cli.staff.term_open'));
  }
  if (result.invite) {
    runtime.print(runtime.t('cli.invite.code', { code: result.invite.code }));
    runtime.print(runtime.t('cli.invite.expires', { date: formatMinute(result.invite.expiresAt, timezone) }));
    runtime.print(runtime.t('cli.invite.how_person'));
  }
}
