/** Feature modules: what one is (feature-module.ts) and the installed list as one (installed-features.ts). */
export type { ChannelAbilities, FeatureContext, FeatureContribution, FeatureModule, StaffChatHooks, StartedChannels } from './feature-module.js';
export { declaredEffects, installFeatures, type InstalledFeatures } from './installed-features.js';
