/** The preferences module: the person's language (`set_language`, flows/language.yaml). */
import { z } from 'zod';
import type { FeatureModule } from '../../modules/index.js';
import { setLanguageEffect } from './set-language.js';

export const preferences: FeatureModule = {
  name: 'preferences',
  effects: {
    /** Remembers the person's language: args `{ locale: "zh-CN" | "en" }`, returns `{ locale }`. */
    set_language: { args: { locale: z.string() } },
  },
  install: ({ translator }) => ({ effects: new Map([['set_language', setLanguageEffect(translator.locales)]]) }),
};
