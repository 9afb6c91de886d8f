/**
 * The demo community's people: households of one to seven members (exactly the requested number
 * of residents in all), their names, birth years, phones and priority flags, and ten-household
 * groups each with one head. Everything follows from the seed of the Random given: the same
 * seed gives the same community.
 *
 * Proportions are meant to look like the seed community (docs/domain.md): many elderly, many
 * low-income households, a good share of families with Uyghur names.
 */
import type { HouseholdFlag } from '../vocabulary.js';
import { evenRuns, layDwellings, type DemoDwelling } from './demo-layout.js';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES, UYGHUR_FEMALE, UYGHUR_MALE } from './names.js';
import type { Random } from './prng.js';

/** Ages are reckoned from this year, not today's: the community must not change with the clock. */
export const DEMO_REFERENCE_YEAR = 2025;
/** A household with someone this old or older is flagged elderly. */
const ELDERLY_AGE = 70;
/** About this many households per group (十户联包). */
const HOUSEHOLDS_PER_GROUP = 10;
/** Share of households whose names are Uyghur. */
const UYGHUR_SHARE = 0.35;

export interface DemoMember {
  name: string;
  /** Digits only, or '' (children, some of the very old). */
  phone: string;
  birthYear: number;
  /** '' = the community's default language. */
  locale: string;
  sex: 'm' | 'f';
}

export interface DemoHousehold {
  code: string;
  dwelling: DemoDwelling;
  flags: HouseholdFlag[];
  groupCode: string;
  /** The member who heads the household's group, if it is one of this household's. */
  groupHeadIndex: number | null;
  members: DemoMember[];
}

type Generation = 'elder' | 'adult' | 'child';

/** Household sizes and how often each occurs (city households, a little older than average). */
const SIZE_WEIGHTS: readonly (readonly [size: number, weight: number])[] = [
  [1, 18], [2, 30], [3, 26], [4, 14], [5, 8], [6, 3], [7, 1],
];

/** Who lives in a household of each size: generations, with weights. */
const COMPOSITIONS: Readonly<Record<number, readonly (readonly [Generation[], number])[]>> = {
  1: [[['elder'], 55], [['adult'], 45]],
  2: [[['elder', 'elder'], 40], [['adult', 'adult'], 35], [['elder', 'adult'], 15], [['adult', 'child'], 10]],
  3: [[['adult', 'adult', 'child'], 65], [['elder', 'elder', 'adult'], 15], [['elder', 'adult', 'child'], 10], [['adult', 'child', 'child'], 10]],
  4: [[['adult', 'adult', 'child', 'child'], 45], [['elder', 'adult', 'adult', 'child'], 40], [['elder', 'elder', 'adult', 'adult'], 15]],
  5: [[['elder', 'adult', 'adult', 'child', 'child'], 50], [['elder', 'elder', 'adult', 'adult', 'child'], 50]],
  6: [[['elder', 'elder', 'adult', 'adult', 'child', 'child'], 1]],
  7: [[['elder', 'elder', 'adult', 'adult', 'child', 'child', 'child'], 1]],
};
const MAX_SIZE = 7;

/** Builds `households` households with exactly `residents` members in all. */
export function generateHouseholds(households: number, residents: number, random: Random): DemoHousehold[] {
  if (households < 1 || residents < households || residents > households * MAX_SIZE) {
    throw new RangeError(`cannot place ${residents} residents in ${households} households`);
  }
  const dwellings = layDwellings(households, random);
  const sizes = householdSizes(households, residents, random);
  const phones = new PhoneBook(random);
  const codeWidth = Math.max(4, String(households).length);
  const list: DemoHousehold[] = dwellings.map((dwelling, index) => {
    const members = generateMembers(sizes[index]!, random, phones);
    return {
      code: `H${String(index + 1).padStart(codeWidth, '0')}`,
      dwelling,
      flags: householdFlags(members, random),
      groupCode: '',
      groupHeadIndex: null,
      members,
    };
  });
  formGroups(list, random);
  return list;
}

/** Sizes drawn from SIZE_WEIGHTS, then nudged one by one until they add up to `residents`. */
function householdSizes(households: number, residents: number, random: Random): number[] {
  const choices = SIZE_WEIGHTS.map(([size]) => size);
  const weights = SIZE_WEIGHTS.map(([, weight]) => weight);
  const sizes = Array.from({ length: households }, () => random.weighted(choices, weights));
  let difference = residents - sizes.reduce((a, b) => a + b, 0);
  while (difference !== 0) {
    const i = random.int(0, households - 1);
    if (difference > 0 && sizes[i]! < MAX_SIZE) {
      sizes[i]! += 1;
      difference -= 1;
    } else if (difference < 0 && sizes[i]! > 1) {
      sizes[i]! -= 1;
      difference += 1;
    }
  }
  return sizes;
}

function generateMembers(size: number, random: Random, phones: PhoneBook): DemoMember[] {
  const options = COMPOSITIONS[size]!;
  const generations = random.weighted(
    options.map(([composition]) => composition),
    options.map(([, weight]) => weight),
  );
  const uyghur = random.chance(UYGHUR_SHARE);
  const surname = random.weighted(
    SURNAMES.map(([name]) => name),
    SURNAMES.map(([, weight]) => weight),
  );
  const hasElders = generations.includes('elder');
  const hasAdults = generations.includes('adult');
  const elderYear = random.int(1935, 1965);
  const adultYear = hasElders ? Math.min(elderYear + random.int(22, 34), 2000) : random.int(1962, 2000);
  // Children of adults, or grown-up children of elders living with them.
  const childBase = hasAdults ? adultYear : elderYear;

  const taken = new Set<string>();
  const fathers = { elder: '', adult: '' };
  const members: DemoMember[] = [];
  const partnersSeen = { elder: 0, adult: 0 };
  for (const generation of generations) {
    // A couple is a man and a woman; a lone elder, adult or child is either.
    const sameGeneration = generations.filter((g) => g === generation).length;
    const sex: 'm' | 'f' =
      generation !== 'child' && sameGeneration === 2 ? (partnersSeen[generation]++ === 0 ? 'm' : 'f') : random.chance(0.5) ? 'm' : 'f';
    const birthYear =
      generation === 'elder'
        ? elderYear + random.int(-2, 2)
        : generation === 'adult'
          ? adultYear + random.int(-2, 2)
          : Math.min(childBase + random.int(22, 36), DEMO_REFERENCE_YEAR - 1);
    // Only the family's own line keeps the surname (wives keep theirs, as in China).
    const ownLine = sex === 'm' || generation === 'child' || sameGeneration === 1;
    const father = generation === 'child' ? fathers.adult || fathers.elder : generation === 'adult' ? fathers.elder : '';
    let name = '';
    let given = '';
    for (let attempt = 0; attempt < 50 && (name === '' || taken.has(name)); attempt++) {
      if (uyghur) {
        given = random.pick(sex === 'm' ? UYGHUR_MALE : UYGHUR_FEMALE);
        const fatherName = ownLine && father ? father : random.pick(UYGHUR_MALE);
        name = `${given}·${fatherName}`;
      } else {
        const familyName = ownLine ? surname : random.weighted(SURNAMES.map(([n]) => n), SURNAMES.map(([, w]) => w));
        const pool = sex === 'm' ? GIVEN_MALE : GIVEN_FEMALE;
        given = random.chance(0.7) ? random.pick(pool) + random.pick(pool) : random.pick(pool);
        name = familyName + given;
      }
    }
    // Practically never reached; a household must not list one name twice.
    if (taken.has(name)) name = `${name}${members.length + 1}`;
    taken.add(name);
    if (sex === 'm' && generation !== 'child' && !fathers[generation]) fathers[generation] = given;
    const age = DEMO_REFERENCE_YEAR - birthYear;
    members.push({
      name,
      phone: hasPhone(age, random) ? phones.next() : '',
      birthYear,
      locale: age >= 18 && random.chance(0.005) ? 'en' : '',
      sex,
    });
  }
  return members;
}

/** Children under 14 have no phone of their own; the very old often none. */
function hasPhone(age: number, random: Random): boolean {
  if (age < 14) return false;
  if (age < 18) return random.chance(0.4);
  if (age <= 75) return random.chance(0.95);
  return random.chance(0.35);
}

/** Priority flags in proportions like the seed community's: many elderly and low-income. */
function householdFlags(members: readonly DemoMember[], random: Random): HouseholdFlag[] {
  const elderly = members.some((m) => DEMO_REFERENCE_YEAR - m.birthYear >= ELDERLY_AGE);
  const flags: HouseholdFlag[] = [];
  if (elderly) flags.push('elderly');
  if (random.chance(elderly ? 0.08 : 0.03)) flags.push('disabled');
  if (random.chance(elderly ? 0.1 : 0.03)) flags.push('ill');
  if (random.chance(0.09)) flags.push('low_income');
  if (random.chance(0.02)) flags.push('veteran_family');
  return flags;
}

/**
 * Ten-household groups of neighbours: each lane or building is cut into runs of about ten
 * households; the head is a grown-up with a phone from one of them (the first such household
 * picked at random, so heads are spread over the run).
 */
function formGroups(households: DemoHousehold[], random: Random): void {
  const blocks = new Map<string, DemoHousehold[]>();
  for (const household of households) {
    const key = `${household.dwelling.zone}/${household.dwelling.block}`;
    blocks.set(key, [...(blocks.get(key) ?? []), household]);
  }
  const blockList = [...blocks.values()];
  const counts = apportion(
    blockList.map((block) => block.length),
    Math.max(blockList.length, Math.round(households.length / HOUSEHOLDS_PER_GROUP)),
  );
  const runs = blockList.flatMap((block, i) => evenRuns(block, counts[i]!));
  const codeWidth = Math.max(3, String(runs.length).length);
  runs.forEach((run, index) => {
    const code = `G${String(index + 1).padStart(codeWidth, '0')}`;
    for (const household of run) household.groupCode = code;
    const start = random.int(0, run.length - 1);
    for (let step = 0; step < run.length; step++) {
      const household = run[(start + step) % run.length]!;
      const head = household.members.findIndex((m) => m.phone !== '' && isWorkingAge(m));
      if (head >= 0) {
        household.groupHeadIndex = head;
        return;
      }
    }
    // No grown-up with a phone in the whole run: the first member of the first household leads.
    run[0]!.groupHeadIndex = 0;
  });
}

/**
 * Shares `total` groups among blocks in proportion to their sizes, at least one each (largest
 * remainders get the groups left over), so the community has about one group per ten households.
 */
function apportion(sizes: readonly number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  const extra = total - sizes.length;
  const quotas = sizes.map((size) => (size / sum) * extra);
  const counts = quotas.map((quota) => 1 + Math.floor(quota));
  const order = quotas.map((quota, i) => ({ i, rest: quota - Math.floor(quota) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i]! += 1;
    left -= 1;
  }
  return counts;
}

function isWorkingAge(member: DemoMember): boolean {
  const age = DEMO_REFERENCE_YEAR - member.birthYear;
  return age >= 25 && age <= 72;
}

/** Unique, obviously synthetic mobile numbers: 139 00xx xxxx. */
class PhoneBook {
  private readonly used = new Set<string>();
  constructor(private readonly random: Random) {}

  next(): string {
    for (;;) {
      const phone = `13900${String(this.random.int(0, 999_999)).padStart(6, '0')}`;
      if (!this.used.has(phone)) {
        this.used.add(phone);
        return phone;
      }
    }
  }
}
