/**
 * A run's collected data seen from prompts and effects: the variables a message shows
 * (`{{name}}`, in the person's language) and the arguments an effect receives.
 */
import type { Vars } from '../i18n/translator.js';
import type { Json } from './engine-types.js';
import type { Flow, Step } from './flow-schema.js';

/** What rendering needs from the engine context. */
export interface Renderer {
  t(key: string, vars?: Vars): string;
}

/** A choice listed from saved data (`choices_from`): a value to store and text to show as it is. */
export interface ListedChoice {
  value: string;
  text: string;
}

/**
 * Listed values are record ids and codes: any length up to this (a UUID is 36), since a button
 * carries a long value as its digest (`choice-value-token.ts`).
 */
const LISTED_VALUE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const MAX_LISTED_LABEL = 64;

/** A saved choice list holds an entry that cannot be offered: a bug in the effect that saved it. */
export class ListedChoiceError extends Error {
  override readonly name = 'ListedChoiceError';
}

/**
 * The choices saved at `path`: a list of `{ value, label }`, offered in its order. Nothing is
 * ever left out quietly: an entry of any other shape, a value that is not an id, an empty label
 * or a value listed twice throws, naming the path and position (never the entry, which may be a
 * name), so the fault shows in tests instead of as a person missing from a list.
 */
export function listedChoices(data: Readonly<Record<string, Json>>, path: string): ListedChoice[] {
  const list = lookup(data, path);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ListedChoiceError(`choices at "${path}" are not a list`);
  const out: ListedChoice[] = [];
  const seen = new Set<string>();
  list.forEach((item, index) => {
    const bad = (why: string) => new ListedChoiceError(`choice ${index + 1} at "${path}": ${why}`);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad('not a { value, label }');
    const { value, label } = item;
    if (typeof value !== 'string' || !LISTED_VALUE.test(value)) throw bad('the value is not an id of at most 128 letters, digits, "_", ".", ":" or "-"');
    if (seen.has(value)) throw bad('the value is listed twice');
    if (typeof label !== 'string' || label.trim() === '') throw bad('the label is empty');
    seen.add(value);
    out.push({ value, text: [...label.trim()].slice(0, MAX_LISTED_LABEL).join('') });
  });
  return out;
}

/** Reads `a.b.c` from the run's data; undefined when any part is missing. */
export function lookup(data: Readonly<Record<string, Json>>, path: string): Json | undefined {
  if (!path.includes('.')) return data[path];
  let value: Json | undefined = data;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, Json>)[part];
  }
  return value;
}

const WHOLE_PLACEHOLDER = /^\{\{\s*([\w.]+)\s*\}\}$/;
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/**
 * Builds an effect's arguments: `"{{name}}"` alone becomes the saved value itself (a number
 * stays a number), a placeholder inside longer text is written into it.
 */
export function resolveArgs(template: Json, data: Readonly<Record<string, Json>>): Json {
  if (typeof template === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(template);
    if (whole) return lookup(data, whole[1]!) ?? null;
    if (!template.includes('{{')) return template;
    return template.replace(PLACEHOLDER, (_all, name: string) => {
      const value = lookup(data, name);
      return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
  }
  if (Array.isArray(template)) return template.map((item) => resolveArgs(item, data));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(template)) out[key] = resolveArgs(value, data);
    return out;
  }
  return template;
}

/**
 * The variables prompts may show: every saved answer as the person should read it (a choice
 * by its label, a skipped photo as "none", a pin by its place), and each field of a saved
 * object as `name.field`. Names starting with "_" are the engine's own and stay hidden.
 */
export function displayVars(flow: Flow, data: Readonly<Record<string, Json>>, render: Renderer | undefined): Vars {
  const vars: Vars = {};
  for (const key in data) {
    if (key.charCodeAt(0) === 95 /* _ */) continue;
    const value = data[key]!;
    vars[key] = displayValue(value, flow.savedBy.get(key), render, data);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const field in value) {
        const inner = value[field];
        if (typeof inner === 'string' || typeof inner === 'number') vars[`${key}.${field}`] = inner;
      }
    }
  }
  return vars;
}

/** Without a renderer (a caller that has no translator at hand) words fall back to plain values. */
function displayValue(
  value: Json,
  step: Step | undefined,
  render: Renderer | undefined,
  data: Readonly<Record<string, Json>>,
): string | number | undefined {
  if (value === null) return render ? render.t('engine.value.none') : '';
  if (step?.kind === 'choice') {
    const option = step.choices.find((c) => c.value === value);
    if (option) return render ? render.t(option.label) : String(value);
    const listed = step.choices_from ? listedChoices(data, step.choices_from).find((c) => c.value === value) : undefined;
    return listed ? listed.text : String(value);
  }
  if (step?.kind === 'photo') return render ? render.t('engine.value.photo_attached') : '';
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return render ? render.t(value ? 'engine.value.yes' : 'engine.value.no') : String(value);
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number').join(', ');
  return placeText(value);
}

/** A saved location: the typed address, the pin's label, or its coordinates. */
function placeText(value: { [key: string]: Json }): string | undefined {
  if (typeof value.address === 'string') return value.address;
  if (typeof value.label === 'string' && value.label) return value.label;
  if (typeof value.latitude === 'number' && typeof value.longitude === 'number') {
    return `${value.latitude.toFixed(5)}, ${value.longitude.toFixed(5)}`;
  }
  return undefined;
}
