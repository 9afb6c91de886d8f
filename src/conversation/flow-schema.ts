/**
 * The shape of a flow definition (`flows/*.yaml`), checked with zod, and the compiled form the
 * engine runs. Cross-checks that need the whole set of flows (targets exist, keys exist in every
 * locale, no unreachable steps…) live in `flow-loader.ts`.
 */
import { z } from 'zod';
import { ARGUMENT_SHAPE_NAMES, type ArgumentShape } from './argument-shapes.js';
import type { Json } from './engine-types.js';

/** Where a `next` may point besides a step id: the run ends there. */
export const END = 'end';

/** Steps that wait for the person's answer; every other kind runs straight through. */
export const ASK_KINDS = ['text', 'number', 'choice', 'photo', 'location', 'confirm'] as const;
/** Steps that run without waiting. */
export const PASS_KINDS = ['say', 'branch', 'effect', 'goto'] as const;
export const STEP_KINDS = [...PASS_KINDS, ...ASK_KINDS] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Longest text accepted anywhere; a step's own `max` may only be lower. */
export const MAX_TEXT_LENGTH = 2000;

// Ids and choice values travel in signed button data (Telegram allows 64 bytes): keep them short.
const idPattern = /^[a-z][a-z0-9_]{0,31}$/;
const idMessage = 'must be 1–32 lowercase letters, digits and "_", starting with a letter';
const stepId = z
  .string()
  .regex(idPattern, idMessage)
  .refine((id) => id !== END, `"${END}" is reserved for "the run ends here"`);
const flowId = z.string().regex(idPattern, idMessage);
const nextRef = z.string().regex(idPattern, `must be a step id or "${END}"`);
const localeKey = z
  .string()
  .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)+$/, 'must be a dotted locale key such as flows.main_menu.prompt');
/** Names starting with "_" are kept for the engine's own bookkeeping in the run's data. */
const saveName = z.string().regex(/^[a-z][A-Za-z0-9_]*$/, 'must start with a lowercase letter (letters, digits, "_")');
const choiceValue = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, 'must be 1–32 letters, digits, "_", "." or "-"');
const length = z.number().int('must be a whole number').min(0).max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH}`);

const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]),
);

const common = {
  id: stepId,
  /** Locale key shown when the person asks for help at this step (instead of the general help). */
  help: localeKey.optional(),
};
const withNext = { ...common, next: nextRef.optional() };

const sayStep = z.strictObject({ ...withNext, kind: z.literal('say'), prompt: localeKey });

/** Checked shapes a text answer may be required to have (the engine says why one is refused). */
export const TEXT_FORMATS = ['phone'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

const textStep = z.strictObject({
  ...withNext,
  kind: z.literal('text'),
  prompt: localeKey,
  save: saveName,
  /** Short name of this answer in a confirm step's "which answer to change" list. */
  label: localeKey.optional(),
  min: length.default(1),
  max: length.default(500),
  /** `phone`: a mainland mobile or landline number, saved as digits only. */
  format: z.enum(TEXT_FORMATS).optional(),
});

const numberStep = z.strictObject({
  ...withNext,
  kind: z.literal('number'),
  prompt: localeKey,
  save: saveName,
  label: localeKey.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(true),
});

const choiceOption = z.strictObject({
  value: choiceValue,
  label: localeKey,
  /** Locale key listing other words that pick this choice, "a|b|c". */
  words: localeKey.optional(),
  next: nextRef.optional(),
});

/** A saved value, or a field of one (`result.status`). */
const savedPath = z.string().regex(/^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/, 'must name a saved value');

/** Most choices one question offers (listed ones included): more do not fit a chat screen. */
export const MAX_CHOICES = 20;

const choiceStep = z
  .strictObject({
    ...withNext,
    kind: z.literal('choice'),
    prompt: localeKey,
    save: saveName.optional(),
    label: localeKey.optional(),
    /**
     * A saved list of `{ value, label }` offered first, labels shown as they are (names of a
     * household's members, say). The fixed `choices` follow it.
     */
    choices_from: savedPath.optional(),
    choices: z.array(choiceOption).max(MAX_CHOICES, `may have at most ${MAX_CHOICES} choices`).default([]),
  })
  .refine((step) => step.choices.length > 0 || step.choices_from !== undefined, {
    message: 'needs at least one choice (or choices_from)',
    path: ['choices'],
  });

const photoStep = z.strictObject({
  ...withNext,
  kind: z.literal('photo'),
  prompt: localeKey,
  save: saveName,
  label: localeKey.optional(),
  optional: z.boolean().default(false),
});

const locationStep = z.strictObject({
  ...withNext,
  kind: z.literal('location'),
  prompt: localeKey,
  /** The prompt where the channel cannot send a location: asks for the place in words only. */
  typed_prompt: localeKey.optional(),
  save: saveName,
  label: localeKey.optional(),
  /** Length limits for an address typed as text. */
  min: length.default(2),
  max: length.default(200),
});

const editTarget = z.strictObject({ step: stepId, label: localeKey });

const confirmStep = z.strictObject({
  ...withNext,
  kind: z.literal('confirm'),
  prompt: localeKey,
  /**
   * A list: the person picks which answer to change, answers again and comes back here.
   * A step id: the person goes back to that step and walks on from there.
   */
  edit: z.union([stepId, z.array(editTarget).min(1)]).optional(),
});

const branchStep = z.strictObject({
  ...common,
  kind: z.literal('branch'),
  on: savedPath,
  cases: z.record(z.string(), nextRef),
  default: nextRef,
});

const effectStep = z.strictObject({
  ...withNext,
  kind: z.literal('effect'),
  effect: z.string().min(1),
  /** Values; a string "{{name}}" is replaced by the saved value itself. */
  args: z.record(z.string(), json).default({}),
  save: saveName.optional(),
});

const gotoStep = z.strictObject({ ...common, kind: z.literal('goto'), flow: flowId });

/** One zod schema per step kind; the loader picks by `kind` so an unknown kind gets a clear message. */
export const stepSchemas = {
  say: sayStep,
  text: textStep,
  number: numberStep,
  choice: choiceStep,
  photo: photoStep,
  location: locationStep,
  confirm: confirmStep,
  branch: branchStep,
  effect: effectStep,
  goto: gotoStep,
} as const satisfies Record<StepKind, z.ZodType>;

/** Who may use a flow: anyone, or only a person whose account is bound (a resident or staff). */
export const AUDIENCES = ['everyone', 'resident'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Where a flow may run: any chat, or only one-to-one (binding, personal data). */
export const CHAT_KINDS = ['any', 'private'] as const;
export type FlowChat = (typeof CHAT_KINDS)[number];

/**
 * The flow a visitor is taken to instead of a flow meant for residents: it explains how to bind
 * and offers to start. Must exist when any flow has `audience: resident`.
 */
export const RESIDENT_GATE_FLOW = 'resident_only';

/** The flow every conversation starts at and returns to (`/menu`): the engine needs it. */
export const MENU_FLOW = 'main_menu';

/** Slash commands the engine answers itself; a flow may claim one only for its argument form. */
export const BUILT_IN_COMMANDS = ['cancel', 'back', 'help', 'menu', 'start'] as const;

const slashName = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be 1–32 lowercase letters, digits and "_" (no "/")');

/** A flow started by a command: `/bind CODE`, or its words in the person's language (`绑定 CODE`). */
const flowCommand = z.strictObject({
  /** Slash command names, without "/". */
  slash: z.union([slashName, z.array(slashName).min(1)]).transform((names) => (Array.isArray(names) ? names : [names])),
  /** Locale key listing words that start the flow, "a|b|c". */
  words: localeKey.optional(),
  /** The run's data name the text after the command is saved under (absent: the flow takes none). */
  argument: saveName.optional(),
  /**
   * A message of this shape alone (`85D6-5BDA`) starts the flow too, saved as the argument —
   * in a private chat, whenever the person is not being asked for words of their own.
   */
  alone: z.enum(ARGUMENT_SHAPE_NAMES as [ArgumentShape, ...ArgumentShape[]]).optional(),
});

/** The file's top level; steps are checked one by one with `stepSchemas`. */
export const flowFileSchema = z.strictObject({
  id: flowId,
  /** For people reading the file; not shown to residents. */
  description: z.string().optional(),
  /** Locale key shown for `help` anywhere in this flow unless the step has its own. */
  help: localeKey.optional(),
  audience: z.enum(AUDIENCES).default('everyone'),
  chat: z.enum(CHAT_KINDS).default('any'),
  command: flowCommand.optional(),
  steps: z.array(z.unknown()).min(1, 'needs at least one step'),
});

export type FlowCommand = z.output<typeof flowCommand>;

export type SayStep = z.output<typeof sayStep>;
export type TextStep = z.output<typeof textStep>;
export type NumberStep = z.output<typeof numberStep>;
export type ChoiceStep = z.output<typeof choiceStep>;
export type ChoiceOption = z.output<typeof choiceOption>;
export type PhotoStep = z.output<typeof photoStep>;
export type LocationStep = z.output<typeof locationStep>;
export type ConfirmStep = z.output<typeof confirmStep>;
export type EditTarget = z.output<typeof editTarget>;
export type BranchStep = z.output<typeof branchStep>;
export type EffectStep = z.output<typeof effectStep>;
export type GotoStep = z.output<typeof gotoStep>;
export type StepDefinition =
  | SayStep
  | TextStep
  | NumberStep
  | ChoiceStep
  | PhotoStep
  | LocationStep
  | ConfirmStep
  | BranchStep
  | EffectStep
  | GotoStep;

/** A step as the engine runs it: `next` resolved (the following step, or `end`). */
export type Step = StepDefinition & { next: string };
/** A step of one kind, as the engine runs it. */
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;
/** A step that waits for the person's answer. */
export type AskStep = StepOf<(typeof ASK_KINDS)[number]>;

/** A checked flow, ready to run. */
export interface Flow {
  id: string;
  /** Path shown in problems, e.g. `flows/main_menu.yaml`. */
  file: string;
  help?: string;
  audience: Audience;
  chat: FlowChat;
  command?: FlowCommand;
  /** The first step's id. */
  start: string;
  steps: ReadonlyMap<string, Step>;
  /** The step that saves each name (the last one in file order when several do). */
  savedBy: ReadonlyMap<string, Step>;
}

/** The flows the engine knows, loaded and checked once at start. */
export interface FlowRegistry {
  get(id: string): Flow | undefined;
  ids(): string[];
}

/** Whether a step waits for the person. */
export function isAskStep(step: Step): step is AskStep {
  return askKinds.has(step.kind);
}

const askKinds: ReadonlySet<string> = new Set(ASK_KINDS);
