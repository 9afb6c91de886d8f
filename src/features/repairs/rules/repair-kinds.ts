/**
 * What a resident can report as broken, and the service-team skill each needs (docs/domain.md:
 * 更生便民服务队 — plumbers, electricians, heating fitters, drain clearers, carpenters, masons).
 * Shown through locales (`repairs.kind.*`).
 */
import type { Skill } from '../../community/vocabulary.js';

export const REPAIR_KINDS = ['water_leak', 'no_water', 'power', 'heating', 'drain', 'roof', 'doors_windows', 'masonry', 'other'] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];

/** The skill a member needs for a kind; null = any member of the team may take it ("other"). */
const SKILL_OF: Readonly<Record<RepairKind, Skill | null>> = {
  water_leak: 'plumbing',
  no_water: 'plumbing',
  power: 'electrical',
  heating: 'heating',
  drain: 'drains',
  roof: 'masonry',
  doors_windows: 'carpentry',
  masonry: 'masonry',
  other: null,
};

export function skillFor(kind: RepairKind): Skill | null {
  return SKILL_OF[kind];
}

export function isRepairKind(value: string): value is RepairKind {
  return (REPAIR_KINDS as readonly string[]).includes(value);
}

/** Dangers that make a request an emergency at once (the resident is told the emergency numbers). */
export const DANGERS = ['gas', 'sparking', 'collapse'] as const;
export type Danger = (typeof DANGERS)[number];
