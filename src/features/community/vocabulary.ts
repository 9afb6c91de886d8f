/**
 * The community's fixed vocabularies (docs/domain.md, "Who is who"): staff roles, service-team skills and household
 * priority flags. Stored as these English words; shown through locales (`community.role.*`,
 * `community.skill.*`, `community.flag.*`).
 */

/** Roles a person can hold; they combine, each with its own term. */
export const ROLES = [
  'committee',
  'steward',
  'council',
  'representative',
  'liaison',
  'patrol',
  'service_team',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles tied to an area (a steward answers for it; councils and patrols work in it). */
export const AREA_ROLES: readonly Role[] = ['steward', 'council', 'patrol'];

/** What a service-team member can do. */
export const SKILLS = ['plumbing', 'electrical', 'heating', 'drains', 'carpentry', 'masonry', 'cleaning'] as const;
export type Skill = (typeof SKILLS)[number];

/** Household priority flags (docs/domain.md rule 7: served first, free or low-cost). */
export const HOUSEHOLD_FLAGS = ['elderly', 'disabled', 'ill', 'low_income', 'veteran_family'] as const;
export type HouseholdFlag = (typeof HOUSEHOLD_FLAGS)[number];

/** Flags that shorten deadlines (docs/domain.md rule 7: 老、弱、病、残 served promptly). */
export const PROMPT_SERVICE_FLAGS: readonly HouseholdFlag[] = ['elderly', 'disabled', 'ill'];

/** Elected roles serve three-year terms (docs/domain.md rule 9). */
export const TERM_YEARS = 3;
