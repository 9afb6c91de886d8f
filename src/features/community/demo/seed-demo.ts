/**
 * `linli demo seed`: fills the community with the synthetic demo community. The households go in
 * the way an office's roster file would — as roster rows through the roster's own apply — and
 * the staff through the staff service, so seeding exercises the import path and the staff
 * rules. Seeding again with the same seed changes nothing (every count "unchanged").
 *
 * A community whose roster holds households the demo would not create is refused: the demo must
 * never mix invented people into a real roster.
 */
import type { PrismaClient } from '../../../db/prisma-types.js';
import { PRIMARY_LOCALE, type Translator } from '../../../i18n/translator.js';
import type { Actor } from '../../policy/actor.js';
import { currentTermWhere } from '../../policy/terms.js';
import { applyRoster, type RosterImportSuccess, type RosterProgressListener } from '../roster/index.js';
import { rosterTranslator } from '../roster/roster-locales.js';
import { rosterWording } from '../roster/roster-vocabulary.js';
import { addStaffIn, type AddStaffResult } from '../staff.js';
import { planStaff } from '../staff-rules.js';
import { demoRosterRows, generateDemoCommunity, type DemoOptions } from './demo-community.js';

/** Some sixty role checks on a busy machine: far more than they take. */
const STAFF_TRANSACTION_TIMEOUT_MS = 60_000;

export interface SeedDemoOptions extends DemoOptions {
  prisma: PrismaClient;
  communityId: string;
  /** The community's time zone (terms are counted in it). */
  timeZone: string;
  actor: Actor;
  translator?: Translator;
  onProgress?: RosterProgressListener;
  now?: Date;
}

/** What the community holds after seeding. */
export interface DemoTotals {
  households: number;
  residents: number;
  groups: number;
  /** Groups that have a head (all of them, in the demo). */
  groupsWithHead: number;
  /** People with a current role other than the service team. */
  staff: number;
  serviceTeam: number;
}

export type SeedDemoResult =
  | {
      ok: true;
      roster: RosterImportSuccess;
      staff: Record<AddStaffResult['status'], number>;
      totals: DemoTotals;
    }
  /** The community already has households the demo does not know: nothing was written. */
  | { ok: false; reason: 'foreign_roster'; foreignHouseholds: number };

/** Seeds the demo community; see the file comment. */
export async function seedDemoCommunity(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const { prisma, communityId, actor } = options;
  const now = options.now ?? new Date();
  const demo = generateDemoCommunity(options);

  const codes = demo.households.map((h) => h.code);
  const foreignHouseholds = await prisma.household.count({ where: { communityId, code: { notIn: codes } } });
  if (foreignHouseholds > 0) return { ok: false, reason: 'foreign_roster', foreignHouseholds };

  const translator = rosterTranslator(options.translator);
  const rows = demoRosterRows(demo.households, rosterWording(translator, PRIMARY_LOCALE).yes);
  const roster = await applyRoster({
    prisma,
    communityId,
    rows,
    translator,
    currentYear: now.getFullYear(),
    audit: { actor },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (!roster.ok) {
    // The generator and the roster rules disagree: a bug, not something an operator can fix.
    const first = roster.problems[0];
    throw new Error(`demo roster rejected: ${roster.problems.length} problem(s), first ${first?.code} on line ${first?.line}`);
  }

  const plans = demo.staff.map((request) => {
    const checked = planStaff(request, now, options.timeZone);
    if (!checked.ok) throw new Error(`demo staff rejected: ${checked.problem.code}`);
    return checked.plan;
  });
  // All staff or none: an interrupted seed leaves no half-staffed community behind.
  const staff = await prisma.$transaction(
    async (tx) => {
      const counts: Record<AddStaffResult['status'], number> = { created: 0, updated: 0, unchanged: 0 };
      for (const plan of plans) counts[(await addStaffIn(tx, { communityId, plan, actor })).status] += 1;
      return counts;
    },
    { timeout: STAFF_TRANSACTION_TIMEOUT_MS, maxWait: STAFF_TRANSACTION_TIMEOUT_MS },
  );

  return { ok: true, roster, staff, totals: await demoTotals(prisma, communityId, now) };
}

/** Counts what the community holds now. */
export async function demoTotals(prisma: PrismaClient, communityId: string, now: Date = new Date()): Promise<DemoTotals> {
  const [households, residents, groups, groupsWithHead, staff, serviceTeam] = await Promise.all([
    prisma.household.count({ where: { communityId } }),
    prisma.resident.count({ where: { communityId } }),
    prisma.householdGroup.count({ where: { communityId } }),
    prisma.householdGroup.count({ where: { communityId, headId: { not: null } } }),
    prisma.roleAssignment.groupBy({ by: ['residentId'], where: { communityId, role: { not: 'service_team' }, ...currentTermWhere(now) } }),
    prisma.roleAssignment.groupBy({ by: ['residentId'], where: { communityId, role: 'service_team', ...currentTermWhere(now) } }),
  ]);
  return { households, residents, groups, groupsWithHead, staff: staff.length, serviceTeam: serviceTeam.length };
}
