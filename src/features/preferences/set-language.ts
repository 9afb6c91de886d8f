/** Effect `set_language`: remembers the language a person chose. */
import type { EffectHandler } from '../../conversation/effects.js';

export function setLanguageEffect(supportedLocales: readonly string[]): EffectHandler {
  return async (ctx, args) => {
    const locale = args['locale'];
    if (typeof locale !== 'string' || !supportedLocales.includes(locale)) {
      throw new Error(`set_language: unsupported locale ${String(locale)}`);
    }
    await ctx.tx.chatAccount.update({ where: { id: ctx.chatAccountId }, data: { locale } });
    return { locale };
  };
}
