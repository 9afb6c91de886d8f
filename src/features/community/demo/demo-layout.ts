/**
 * Where the demo community's households live, after the seed community (团结路社区): mostly
 * bungalow lanes (平房区: lane → courtyard) and some apartment buildings (楼寓: building →
 * entrance). Place names are data for a synthetic community, not interface text.
 */
import type { Random } from './prng.js';

export const BUNGALOW_ZONE = '平房区';
export const APARTMENT_ZONE = '楼寓';

/** Share of households in bungalow lanes ("社区基本上是平房区"). */
const BUNGALOW_SHARE = 0.75;
/** About this many households per lane. */
const HOUSEHOLDS_PER_LANE = 150;
/** Courtyard sizes in a lane. */
const COURTYARD_MIN = 5;
const COURTYARD_MAX = 14;
/** Apartment buildings: six floors, two flats a landing, two to four entrances. */
const FLOORS = 6;
const FLATS_PER_FLOOR = 2;

/** Lane names (巷), used in this order. */
export const LANE_NAMES: readonly string[] = [
  '团结巷', '和平巷', '幸福巷', '建设巷', '光明巷', '友谊巷', '民主巷', '胜利巷', '红旗巷', '前进巷',
  '新华巷', '文化巷', '东风巷', '解放巷', '振兴巷', '育才巷', '永安巷', '长青巷', '春晖巷', '丰收巷',
];

/** One dwelling's place: the area it belongs to (a courtyard or an entrance) and its address. */
export interface DemoDwelling {
  zone: string;
  /** The lane or building (depth 2): groups and stewards are organised by it. */
  block: string;
  /** Area path of the courtyard or entrance (depth 3): 平房区/团结巷/3号院. */
  areaPath: string;
  address: string;
}

/** Dwellings for `households` households, in walking order (lane by lane, building by building). */
export function layDwellings(households: number, random: Random): DemoDwelling[] {
  const bungalows = Math.round(households * BUNGALOW_SHARE);
  return [...layLanes(bungalows, random), ...layBuildings(households - bungalows, random)];
}

function layLanes(total: number, random: Random): DemoDwelling[] {
  if (total === 0) return [];
  const laneCount = Math.min(LANE_NAMES.length, Math.max(1, Math.round(total / HOUSEHOLDS_PER_LANE)));
  const sizes = splitWithJitter(total, laneCount, 0.15, random);
  const dwellings: DemoDwelling[] = [];
  sizes.forEach((size, laneIndex) => {
    const lane = LANE_NAMES[laneIndex]!;
    let courtyard = 0;
    let left = size;
    while (left > 0) {
      courtyard += 1;
      let inCourtyard = Math.min(left, random.int(COURTYARD_MIN, COURTYARD_MAX));
      // No courtyard of one or two left over at the end of a lane: the last one takes them.
      if (left - inCourtyard < 3) inCourtyard = left;
      for (let door = 1; door <= inCourtyard; door++) {
        dwellings.push({
          zone: BUNGALOW_ZONE,
          block: lane,
          areaPath: `${BUNGALOW_ZONE}/${lane}/${courtyard}号院`,
          address: `${lane}${courtyard}号院${door}号`,
        });
      }
      left -= inCourtyard;
    }
  });
  return dwellings;
}

function layBuildings(total: number, random: Random): DemoDwelling[] {
  const dwellings: DemoDwelling[] = [];
  let building = 0;
  while (dwellings.length < total) {
    building += 1;
    const block = `${building}号楼`;
    const entrances = random.int(2, 4);
    for (let entrance = 1; entrance <= entrances && dwellings.length < total; entrance++) {
      for (let floor = 1; floor <= FLOORS && dwellings.length < total; floor++) {
        for (let flat = 1; flat <= FLATS_PER_FLOOR && dwellings.length < total; flat++) {
          dwellings.push({
            zone: APARTMENT_ZONE,
            block,
            areaPath: `${APARTMENT_ZONE}/${block}/${entrance}单元`,
            address: `${block}${entrance}单元${floor}0${flat}`,
          });
        }
      }
    }
  }
  return dwellings;
}

/** Splits `total` into `parts` sizes that vary by about ±`jitter` and add up exactly. */
export function splitWithJitter(total: number, parts: number, jitter: number, random: Random): number[] {
  const weights = Array.from({ length: parts }, () => 1 + (random.next() * 2 - 1) * jitter);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((w / sum) * total));
  let missing = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % parts, missing--) sizes[i]! += 1;
  return sizes;
}

/** Splits a list into `count` runs of neighbours whose sizes differ by at most one. */
export function evenRuns<T>(items: readonly T[], count: number): T[][] {
  const runs: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(items.length / count) + (i < items.length % count ? 1 : 0);
    runs.push(items.slice(start, start + size));
    start += size;
  }
  return runs;
}
