/**
 * When a petition for an extraordinary assembly binds (docs/domain.md rule 3): any one of
 * at least ⅓ of the representatives, ⅕ of the residents aged 18 and over, ⅕ of the households or
 * ⅓ of the resident groups. "At least" includes the threshold: compared in integers
 * (3·signers ≥ total), so ⅓ of 20 representatives needs 7, ⅕ of 100 households 20. A roster
 * with none of a kind (no groups) never binds through that kind.
 */

export const PETITION_THRESHOLDS = ['representatives', 'adults', 'households', 'groups'] as const;
export type PetitionThreshold = (typeof PETITION_THRESHOLDS)[number];

/** The roster's totals, or the signatures' counts, per kind. */
export type PetitionCounts = Record<PetitionThreshold, number>;

/** The denominator of each threshold: ⅓ or ⅕. */
const FRACTION: Record<PetitionThreshold, number> = { representatives: 3, adults: 5, households: 5, groups: 3 };

/** Whether `signed` of `total` reaches the threshold of `kind`. */
export function reaches(kind: PetitionThreshold, signed: number, total: number): boolean {
  return total > 0 && FRACTION[kind] * signed >= total;
}

/** How many signatures of a kind are needed (the smallest n with fraction·n ≥ total). */
export function signaturesNeeded(kind: PetitionThreshold, total: number): number {
  return Math.ceil(total / FRACTION[kind]);
}

/** The first threshold reached, in the rule's order, or null while none is. */
export function thresholdMet(signed: PetitionCounts, totals: PetitionCounts): PetitionThreshold | null {
  return PETITION_THRESHOLDS.find((kind) => reaches(kind, signed[kind], totals[kind])) ?? null;
}

/** Aged 18 or over by the birth year alone (the roster keeps no full birth date). */
export function isAdultBy(birthYear: number | null, year: number): boolean {
  return birthYear !== null && year - birthYear >= 18;
}
