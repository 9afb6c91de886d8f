/**
 * Names of the effects a flow may call, with the arguments each takes. The conversation
 * service implements them; the flow loader only checks that flows call them correctly.
 */

/** What an effect takes: argument names a flow must give (and may not exceed). */
export interface EffectSignature {
  args: readonly string[];
}

/** The effects that exist today. Add one here when its implementation lands. */
export const KNOWN_EFFECTS = {
  /** Remembers the person's language: args `{ locale: "zh-CN" | "en" }`, returns `{ locale }`. */
  set_language: { args: ['locale'] },
} as const satisfies Record<string, EffectSignature>;

/**
 * Variables the service adds to every message it renders, so prompts may use them although no
 * step saves them.
 */
export const SERVICE_VARS = ['officePhone', 'communityName'] as const;
