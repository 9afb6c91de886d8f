/**
 * How an effect is declared to the flow check: the arguments it takes, each with its type (a zod
 * schema), and whether it only reads. Each module declares its own effects beside their code
 * (`src/features/<feature>/module.ts`); start-up and `npm run flows:check` check the flows
 * against the union of the installed modules' declarations (`declaredEffects`, src/modules/).
 *
 * An argument a flow gives as a literal (`locale: en`, `photos: null`) is checked against its
 * type; one built from saved answers (`"{{code}}"`) is known only when the flow runs.
 *
 * @example
 * const declarations = { set_language: { args: { locale: z.string() } } } satisfies EffectDeclarations;
 */
import { z } from 'zod';

/** What an effect takes: the arguments a flow must give (and may not exceed), with their types. */
export interface EffectSignature {
  args: Readonly<Record<string, z.ZodType>>;
  /** Only reads: run whenever reached, result never stored (see `ReadOnlyEffect`). */
  readOnly?: boolean;
}

/** Effects by name, as one module declares them or as the installed modules do together. */
export type EffectDeclarations = Readonly<Record<string, EffectSignature>>;

/** Argument types most effects use: words a person typed or picked (null: not given). */
export const EffectArg = {
  text: z.string().nullable(),
  /** A value a flow saved earlier as it was (a list of photos, a choice's value). */
  saved: z.unknown(),
  /** A number a person typed or picked (stars: 1–5), as words or a number. */
  number: z.union([z.string(), z.number()]).nullable(),
} as const;

/**
 * Variables the service adds to every message it renders, so prompts may use them although no
 * step saves them.
 */
export const SERVICE_VARS = ['office', 'communityName'] as const;

/** Why a literal argument does not fit its type, or undefined when it does. */
export function argumentTypeProblem(type: z.ZodType, value: unknown): string | undefined {
  const result = type.safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'wrong type');
}
