/**
 * Who holds a role in the demo community, chosen among its own residents (the seed community's
 * staff, liaisons, patrols and repair team are neighbours): five committee members, one steward
 * for each group of lanes or buildings, four liaisons, three patrol leaders — twenty people at
 * full scale — and a twelve-person service team whose skills cover every trade. The result is
 * what an operator would type into `linli staff add`, so it goes through the same rules.
 */
import type { StaffRequest } from '../staff-rules.js';
import { SKILLS } from '../vocabulary.js';
import { DEMO_REFERENCE_YEAR, type DemoHousehold, type DemoMember } from './demo-households.js';
import { APARTMENT_ZONE, BUNGALOW_ZONE, evenRuns } from './demo-layout.js';
import type { Random } from './prng.js';

const COMMITTEE_MEMBERS = 5;
/** Bungalow lanes and apartment buildings are shared out among this many stewards each. */
const LANE_STEWARDS = 6;
const BUILDING_STEWARDS = 2;
const LIAISONS = 4;
/** Patrol leaders and the zone each patrols. */
const PATROL_ZONES: readonly string[] = [BUNGALOW_ZONE, BUNGALOW_ZONE, APARTMENT_ZONE];
const SERVICE_TEAM = 12;
/** A service-team member has a second trade this often. */
const SECOND_SKILL_SHARE = 0.4;

interface Candidate {
  member: DemoMember;
  household: DemoHousehold;
}

/** Staff requests for the demo community, in the order they are added. */
export function chooseDemoStaff(households: readonly DemoHousehold[], random: Random): StaffRequest[] {
  const chosen = new Set<DemoMember>();
  const everyone: Candidate[] = households.flatMap((household) => household.members.map((member) => ({ member, household })));
  const pickFrom = (pool: readonly Candidate[], minAge: number, maxAge: number): Candidate | undefined => {
    const fitting = pool.filter(({ member }) => {
      const age = DEMO_REFERENCE_YEAR - member.birthYear;
      return member.phone !== '' && age >= minAge && age <= maxAge && !chosen.has(member);
    });
    if (fitting.length === 0) return undefined;
    const candidate = random.pick(fitting);
    chosen.add(candidate.member);
    return candidate;
  };
  const requests: StaffRequest[] = [];
  const request = (candidate: Candidate | undefined, role: string, extra: Partial<StaffRequest> = {}) => {
    if (candidate) requests.push({ name: candidate.member.name, phone: candidate.member.phone, role, ...extra });
  };

  for (let i = 0; i < COMMITTEE_MEMBERS; i++) request(pickFrom(everyone, 35, 60), 'committee');

  for (const [zone, stewards] of [
    [BUNGALOW_ZONE, LANE_STEWARDS],
    [APARTMENT_ZONE, BUILDING_STEWARDS],
  ] as const) {
    const blocks = [...new Set(households.filter((h) => h.dwelling.zone === zone).map((h) => h.dwelling.block))];
    if (blocks.length === 0) continue;
    for (const run of evenRuns(blocks, Math.min(stewards, blocks.length))) {
      // A steward lives in the lanes or buildings they answer for, and holds one role per area.
      const steward = pickFrom(
        everyone.filter(({ household }) => household.dwelling.zone === zone && run.includes(household.dwelling.block)),
        30,
        60,
      );
      for (const block of run) request(steward, 'steward', { area: `${zone}/${block}` });
    }
  }

  for (let i = 0; i < LIAISONS; i++) request(pickFrom(everyone, 40, 68), 'liaison');

  const zones = new Set(households.map((h) => h.dwelling.zone));
  for (const zone of PATROL_ZONES) {
    if (zones.has(zone)) request(pickFrom(everyone, 25, 55), 'patrol', { area: zone });
  }

  for (let i = 0; i < SERVICE_TEAM; i++) {
    // Every trade is covered; some members have a second one.
    const skills = [SKILLS[i % SKILLS.length]!];
    if (random.chance(SECOND_SKILL_SHARE)) {
      const second = random.pick(SKILLS.filter((s) => s !== skills[0]));
      skills.push(second);
    }
    request(pickFrom(everyone, 25, 58), 'service_team', { skills: skills.join(',') });
  }
  return requests;
}
