/**
 * The locale keys that name the vocabulary's words for people (`community.role.*`,
 * `community.skill.*`): one set, so the chat (who am I, my data) and the command line call a
 * role by the same name.
 */
import type { Role, Skill } from './vocabulary.js';

/** A role's name, e.g. 包片干部 / area steward. */
export const ROLE_LABEL_KEYS: Readonly<Record<Role, string>> = {
  committee: 'community.role.committee',
  steward: 'community.role.steward',
  council: 'community.role.council',
  representative: 'community.role.representative',
  liaison: 'community.role.liaison',
  patrol: 'community.role.patrol',
  service_team: 'community.role.service_team',
  admin: 'community.role.admin',
};

/** A service-team skill's name, e.g. 水暖 / plumbing. */
export const SKILL_LABEL_KEYS: Readonly<Record<Skill, string>> = {
  plumbing: 'community.skill.plumbing',
  electrical: 'community.skill.electrical',
  heating: 'community.skill.heating',
  drains: 'community.skill.drains',
  carpentry: 'community.skill.carpentry',
  masonry: 'community.skill.masonry',
  cleaning: 'community.skill.cleaning',
};
