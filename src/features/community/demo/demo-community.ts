/**
 * The demo community as an office would hand it over: roster rows (one per resident, as a
 * roster file has them) and the staff to add. Deterministic: the same seed and scale give the
 * same rows and staff, byte for byte.
 */
import type { RosterRow } from '../roster/roster-row.js';
import type { StaffRequest } from '../staff-rules.js';
import { generateHouseholds, type DemoHousehold } from './demo-households.js';
import { chooseDemoStaff } from './demo-staff.js';
import { seededRandom } from './prng.js';

/** The seed community's size (docs/domain.md, "The demonstration community"): 3,076 households, 8,689 residents. */
export const DEMO_HOUSEHOLDS = 3076;
export const DEMO_RESIDENTS = 8689;
export const DEFAULT_DEMO_SEED = 1;

export interface DemoOptions {
  seed?: number;
  /** Default DEMO_HOUSEHOLDS. */
  households?: number;
  /** Default: the seed community's residents per household times `households`. */
  residents?: number;
}

export interface DemoCommunity {
  households: DemoHousehold[];
  staff: StaffRequest[];
}

/** Residents for a number of households, at the seed community's 8,689 / 3,076 per household. */
export function demoResidentsFor(households: number): number {
  return Math.round((households * DEMO_RESIDENTS) / DEMO_HOUSEHOLDS);
}

/** Generates the community; throws RangeError when the residents do not fit the households. */
export function generateDemoCommunity(options: DemoOptions = {}): DemoCommunity {
  const households = options.households ?? DEMO_HOUSEHOLDS;
  const residents = options.residents ?? demoResidentsFor(households);
  // Households and staff draw from separate sequences: a change in one never reshuffles the other.
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const list = generateHouseholds(households, residents, seededRandom(seed));
  const staff = chooseDemoStaff(list, seededRandom(seed ^ 0x5eed5eed));
  return { households: list, staff };
}

/**
 * The households as roster rows, the way a file would carry them: household fields repeated on
 * each member's row, flags as their stored words, language as its code, and `yes` (a word the
 * roster accepts, e.g. 是) on each group head's row. Lines are numbered as under a header row.
 */
export function demoRosterRows(households: readonly DemoHousehold[], yes: string): RosterRow[] {
  const rows: RosterRow[] = [];
  for (const household of households) {
    household.members.forEach((member, index) => {
      rows.push({
        line: rows.length + 2,
        householdCode: household.code,
        areaPath: household.dwelling.areaPath,
        address: household.dwelling.address,
        memberName: member.name,
        phone: member.phone,
        birthYear: String(member.birthYear),
        flags: household.flags.join(','),
        groupCode: household.groupCode,
        groupHead: household.groupHeadIndex === index ? yes : '',
        language: member.locale,
      });
    });
  }
  return rows;
}
