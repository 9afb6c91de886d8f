/**
 * What an input means at a question: an answer to save, a wrong answer with its reason, a
 * button from an earlier question, or a confirm step's cancel / edit. Pure; the engine acts on
 * the reading.
 */
import type { Vars } from '../i18n/translator.js';
import { characterCount, normalizePhone, parseNumberAnswer } from './answer-parsing.js';
import { matchChoice, type OfferedChoice } from './choice-matching.js';
import { tokenMeans } from './choice-value-token.js';
import type { EngineChoice, EngineContext, EngineInput, EngineMessage, FlowState, Json } from './engine-types.js';
import { displayVars, listedChoices, type ListedChoice } from './flow-data.js';
import { MAX_CHOICES, type AskStep, type ChoiceOption, type Flow, type StepOf } from './flow-schema.js';

type ChoiceStep = StepOf<'choice'>;
type ConfirmStep = StepOf<'confirm'>;

/** What reading and rendering need from the engine context (an EngineContext fits). */
export type RenderContext = Pick<EngineContext, 'locale' | 't' | 'words'>;

/** What an answer means at the current step. */
export type Reading =
  | { type: 'answer'; value: Json | undefined; next: string }
  | { type: 'wrong'; reason: EngineMessage }
  | { type: 'stale' }
  | { type: 'cancel' }
  | { type: 'pick-edit' }
  | { type: 'edit'; target: string; returnHere: boolean };

/**
 * Engine bookkeeping kept in the run's data (saved names may not start with "_"), so the
 * service persists it with the answers: a confirm step showing its "which answer?" list, and
 * the confirm step to come back to after changing one answer.
 */
export const PHASE = '_phase';
export const RETURN_TO = '_returnTo';
/** How many times each effect step of the run has been passed (see the engine's `effectKey`). */
export const PASSES = '_passes';

/** Reads an input as an answer to the question the person is at. */
export function readAnswer(flow: Flow, step: AskStep, state: FlowState, input: EngineInput, ctx: RenderContext): Reading {
  if (input.kind === 'choice' && (input.runId !== state.runId || input.stepId !== state.stepId)) return { type: 'stale' };
  switch (step.kind) {
    case 'text': {
      if (input.kind === 'choice') return { type: 'stale' };
      if (input.kind !== 'text') return wrong('engine.reason.expect_text');
      const text = input.text.trim();
      const length = characterCount(text);
      if (length < step.min) return wrong('engine.reason.too_short', { min: step.min, length });
      if (length > step.max) return wrong('engine.reason.too_long', { max: step.max, length });
      if (step.format === 'phone') {
        const phone = normalizePhone(text);
        return phone === undefined ? wrong('engine.reason.phone') : { type: 'answer', value: phone, next: step.next };
      }
      return { type: 'answer', value: text, next: step.next };
    }
    case 'number': {
      if (input.kind === 'choice') return { type: 'stale' };
      if (input.kind !== 'text') return wrong('engine.reason.not_a_number');
      const value = parseNumberAnswer(input.text);
      if (value === undefined) return wrong('engine.reason.not_a_number');
      if (step.integer && !Number.isInteger(value)) return wrong('engine.reason.not_integer');
      const tooSmall = step.min !== undefined && value < step.min;
      const tooLarge = step.max !== undefined && value > step.max;
      if ((tooSmall || tooLarge) && step.min !== undefined && step.max !== undefined) {
        return wrong('engine.reason.out_of_range', { min: step.min, max: step.max });
      }
      if (tooSmall) return wrong('engine.reason.too_small', { min: step.min });
      if (tooLarge) return wrong('engine.reason.too_large', { max: step.max });
      return { type: 'answer', value, next: step.next };
    }
    case 'choice':
      return readChoice(step, state.data, input, ctx, displayVars(flow, state.data, ctx));
    case 'photo': {
      const skipReason = step.optional ? 'engine.reason.expect_photo_or_skip' : 'engine.reason.expect_photo';
      if (input.kind === 'photo') return { type: 'answer', value: input.ref, next: step.next };
      if (input.kind === 'choice') return step.optional && tokenMeans(input.value, 'skip') ? { type: 'answer', value: null, next: step.next } : { type: 'stale' };
      if (input.kind === 'text' && step.optional && isSkip(input.text, ctx)) return { type: 'answer', value: null, next: step.next };
      return wrong(skipReason);
    }
    case 'location': {
      if (input.kind === 'location') {
        const place: Record<string, Json> = { latitude: input.latitude, longitude: input.longitude };
        if (input.label) place.label = input.label;
        return { type: 'answer', value: place, next: step.next };
      }
      if (input.kind === 'choice') return { type: 'stale' };
      if (input.kind !== 'text') return { type: 'wrong', reason: { key: 'engine.reason.expect_location', typedKey: 'engine.reason.expect_address' } };
      const address = input.text.trim();
      const length = characterCount(address);
      if (length < step.min) return wrong('engine.reason.too_short', { min: step.min, length });
      if (length > step.max) return wrong('engine.reason.too_long', { max: step.max, length });
      return { type: 'answer', value: { address }, next: step.next };
    }
    case 'confirm':
      return state.data[PHASE] === 'edit' ? readEditPick(step, input, ctx) : readConfirm(step, input, ctx);
  }
}

function wrong(key: string, vars?: Vars): Reading {
  return { type: 'wrong', reason: vars ? { key, vars } : { key } };
}

/** A choice as a question offers it: one of the step's own, or one listed from saved data. */
export type Option = ChoiceOption | ListedChoice;

/**
 * The choices a choice step offers now: those listed from saved data first, then its own. A
 * list too long to offer is an error, not a shorter list: a household member left off would
 * have no way to say who they are.
 */
export function choiceOptions(step: ChoiceStep, data: Readonly<Record<string, Json>>): Option[] {
  const listed = step.choices_from ? listedChoices(data, step.choices_from) : [];
  if (listed.length + step.choices.length > MAX_CHOICES) {
    throw new Error(`step "${step.id}" would offer ${listed.length + step.choices.length} choices; at most ${MAX_CHOICES} fit`);
  }
  return [...listed, ...step.choices];
}

function readChoice(step: ChoiceStep, data: Readonly<Record<string, Json>>, input: EngineInput, ctx: RenderContext, vars: Vars): Reading {
  const options = choiceOptions(step, data);
  let option: Option | undefined;
  if (input.kind === 'choice') {
    option = options.find((c) => tokenMeans(input.value, c.value));
    if (!option) return { type: 'stale' };
  } else if (input.kind === 'text') {
    const offered: OfferedChoice[] = options.map((c) =>
      'text' in c ? { text: c.text } : c.words ? { labelKey: c.label, wordsKey: c.words } : { labelKey: c.label },
    );
    const index = matchChoice(offered, input.text, ctx, vars, true);
    option = index === undefined ? undefined : options[index];
  }
  if (!option) return wrong('engine.reason.not_a_choice', { count: options.length });
  return { type: 'answer', value: option.value, next: ('next' in option ? option.next : undefined) ?? step.next };
}

const CONFIRM_OPTIONS = [
  { value: 'yes', labelKey: 'engine.confirm.yes', wordsKey: 'engine.words.yes' },
  { value: 'edit', labelKey: 'engine.confirm.edit', wordsKey: 'engine.words.edit' },
  { value: 'cancel', labelKey: 'engine.confirm.cancel', wordsKey: 'engine.commands.cancel' },
] as const;

function confirmOptions(step: ConfirmStep) {
  return step.edit ? CONFIRM_OPTIONS : CONFIRM_OPTIONS.filter((o) => o.value !== 'edit');
}

export function confirmChoices(step: ConfirmStep): EngineChoice[] {
  return confirmOptions(step).map((o) => ({ labelKey: o.labelKey, value: o.value }));
}

export function editChoices(step: ConfirmStep): EngineChoice[] {
  return (Array.isArray(step.edit) ? step.edit : []).map((t) => ({ labelKey: t.label, value: `edit:${t.step}` }));
}

function readConfirm(step: ConfirmStep, input: EngineInput, ctx: RenderContext): Reading {
  let value: string | undefined;
  const options = confirmOptions(step);
  if (input.kind === 'choice') {
    const pressed = input.value;
    value = options.find((o) => tokenMeans(pressed, o.value))?.value;
    if (value === undefined) return { type: 'stale' };
  } else if (input.kind === 'text') {
    const index = matchChoice(options, input.text, ctx, undefined, false);
    value = index === undefined ? undefined : options[index]!.value;
  }
  switch (value) {
    case 'yes':
      return { type: 'answer', value: undefined, next: step.next };
    case 'cancel':
      return { type: 'cancel' };
    case 'edit': {
      if (typeof step.edit === 'string') return { type: 'edit', target: step.edit, returnHere: false };
      const targets = step.edit ?? [];
      if (targets.length === 1) return { type: 'edit', target: targets[0]!.step, returnHere: true };
      return { type: 'pick-edit' };
    }
    default:
      return wrong('engine.reason.confirm');
  }
}

function readEditPick(step: ConfirmStep, input: EngineInput, ctx: RenderContext): Reading {
  const targets = Array.isArray(step.edit) ? step.edit : [];
  let index: number | undefined;
  if (input.kind === 'choice') {
    index = targets.findIndex((t) => tokenMeans(input.value, `edit:${t.step}`));
    if (index < 0) return { type: 'stale' };
  } else if (input.kind === 'text') {
    index = matchChoice(targets.map((t) => ({ labelKey: t.label })), input.text, ctx, undefined, true);
  }
  const target = index === undefined ? undefined : targets[index];
  if (!target) return wrong('engine.reason.not_a_choice', { count: targets.length });
  return { type: 'edit', target: target.step, returnHere: true };
}

/**
 * The skip choice typed: its label, one of its words, or its number — where a chat has no buttons
 * the choice is shown as "1. 跳过", so "1" must take it as the choice steps' numbers do.
 */
function isSkip(text: string, ctx: RenderContext): boolean {
  return matchChoice([{ labelKey: 'engine.choice.skip', wordsKey: 'engine.words.skip' }], text, ctx, undefined, false) === 0;
}
