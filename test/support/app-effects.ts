/**
 * The effects the app's modules declare (`APP_FEATURES`): what start-up and `npm run flows:check`
 * check the real flows against, for tests that load those flows without starting an app.
 */
import { APP_FEATURES } from '../../src/app.js';
import { declaredEffects } from '../../src/modules/index.js';

export const APP_EFFECTS = declaredEffects(APP_FEATURES);
