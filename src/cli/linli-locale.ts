/**
 * The language the command line speaks: the operator's, not the residents'. `LINLI_LOCALE` wins,
 * then the POSIX settings in their usual order (`LC_ALL`, `LC_MESSAGES`, `LANG`); a value such
 * as `en_US.UTF-8` or `zh_CN.GB18030` picks English or Chinese. `C`, `POSIX` or an unknown
 * language falls back to the community's default language.
 */
import type { Translator } from '../i18n/translator.js';

const LOCALE_SETTINGS = ['LINLI_LOCALE', 'LC_ALL', 'LC_MESSAGES', 'LANG'] as const;

/** Picks the operator's language among the translator's locales, else `fallback`. */
export function operatorLocale(env: NodeJS.ProcessEnv, translator: Translator, fallback: string): string {
  for (const setting of LOCALE_SETTINGS) {
    const value = env[setting]?.trim();
    if (!value) continue;
    // "en_US.UTF-8@euro" → "en_US"; the first setting that is present decides, as in POSIX.
    const language = value.split(/[.@]/)[0]!;
    return translator.match(language) ?? fallback;
  }
  return fallback;
}
