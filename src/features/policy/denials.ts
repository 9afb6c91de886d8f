/**
 * Why an action was refused, as a code a feature can turn into a polite answer
 * (`policy.denied.*`). Codes say what the person can do about it, never what the subject holds.
 */

/** Every reason a refusal can give. */
export const DENIAL_REASONS = [
  /** An unbound chat account asked for something personal: bind first. */
  'not_bound',
  /** The account is already bound to a person. */
  'already_bound',
  /** Only the person themself may do this. */
  'not_yourself',
  /** The subject belongs to another household. */
  'not_your_household',
  /** The subject belongs to another household group than the one the person heads. */
  'not_your_group',
  /** The person's area role does not reach the subject's area. */
  'outside_your_area',
  /** A service-team job that is someone else's. */
  'not_assigned_to_you',
  /** A service-team job needing a skill the member does not have. */
  'missing_skill',
  /** No role the person holds (in its current term) allows this. */
  'role_required',
  /** The subject belongs to another community. */
  'other_community',
] as const;

/** One of `DENIAL_REASONS`. */
export type DenialReason = (typeof DENIAL_REASONS)[number];

const MESSAGE_KEYS: Record<DenialReason, string> = {
  not_bound: 'policy.denied.not_bound',
  already_bound: 'policy.denied.already_bound',
  not_yourself: 'policy.denied.not_yourself',
  not_your_household: 'policy.denied.not_your_household',
  not_your_group: 'policy.denied.not_your_group',
  outside_your_area: 'policy.denied.outside_your_area',
  not_assigned_to_you: 'policy.denied.not_assigned_to_you',
  missing_skill: 'policy.denied.missing_skill',
  role_required: 'policy.denied.role_required',
  other_community: 'policy.denied.other_community',
};

/** The locale key of a polite sentence for a refusal (no variables). */
export function denialMessageKey(reason: DenialReason): string {
  return MESSAGE_KEYS[reason];
}
