/**
 * Reads `flows/*.yaml` once at start, checks each file against the schema and the whole set
 * against itself, the locales and the effects, and builds the registry the engine runs.
 * Problems name the file and the step so community staff can fix a flow without reading code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  BUILT_IN_COMMANDS,
  END,
  RESIDENT_GATE_FLOW,
  STEP_KINDS,
  flowFileSchema,
  isAskStep,
  stepSchemas,
  type Flow,
  type FlowRegistry,
  type Step,
  type StepDefinition,
  type StepKind,
} from './flow-schema.js';
import { argumentTypeProblem, SERVICE_VARS, type EffectSignature } from './effect-signature.js';

/** One problem found in a flow file. */
export interface FlowProblem {
  /** As shown to people, e.g. `flows/main_menu.yaml`. */
  file: string;
  /** The step's id, or `#3` for the third step when it has no usable id. */
  step?: string;
  message: string;
}

/** The text of one flow file and the path to show for it. */
export interface FlowSource {
  file: string;
  text: string;
}

/** What the loader needs from the locales (a `Translator` fits). */
export interface LocaleCatalogs {
  readonly locales: string[];
  has(key: string, locale: string): boolean;
  /** The entry with no variables filled in, so its `{{placeholders}}` can be checked. */
  t(locale: string, key: string): string;
}

export interface FlowLoadOptions {
  /** Effects flows may call: names, or names with their argument lists. */
  effects: readonly string[] | Readonly<Record<string, EffectSignature>>;
  /** When given, every key a flow uses must exist in every locale. */
  locales?: LocaleCatalogs;
  /** Variables available to every prompt besides saved answers (default: SERVICE_VARS). */
  serviceVars?: readonly string[];
  /** The flow visitors are taken to instead of a flow for residents (default: RESIDENT_GATE_FLOW). */
  gateFlow?: string;
}

export interface FlowLoadResult {
  registry: FlowRegistry;
  problems: FlowProblem[];
}

/** `flows/x.yaml: step "ask_name": next "foo" is not a step in this flow`. */
export function formatProblem(problem: FlowProblem): string {
  if (problem.step === undefined) return `${problem.file}: ${problem.message}`;
  const where = problem.step.startsWith('#') ? `step ${problem.step}` : `step "${problem.step}"`;
  return `${problem.file}: ${where}: ${problem.message}`;
}

/**
 * Thrown at start when flows have problems. The first line names the first problem (start-up
 * prints only that line) and how many more there are; the lines after it list the rest.
 */
export class FlowProblemsError extends Error {
  constructor(readonly problems: FlowProblem[]) {
    const [first, ...rest] = problems.map(formatProblem);
    const more = rest.length > 0 ? ` (and ${rest.length} more problem(s): npm run flows:check lists them)` : '';
    super([`${first ?? 'flows have problems'}${more}`, ...rest].join('\n'));
    this.name = 'FlowProblemsError';
  }
}

/** Reads every `*.yaml` / `*.yml` in a folder, in name order. */
export function readFlowSources(dir: string, shownDir = 'flows'): FlowSource[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => ({ file: `${shownDir}/${name}`, text: readFileSync(join(dir, name), 'utf8') }));
}

/** Loads and checks a folder of flows. */
export function loadFlows(dir: string, options: FlowLoadOptions, shownDir = 'flows'): FlowLoadResult {
  return compileFlows(readFlowSources(dir, shownDir), options);
}

/** Loads a folder of flows for start-up: any problem stops it. */
export function loadFlowsOrThrow(dir: string, options: FlowLoadOptions, shownDir = 'flows'): FlowRegistry {
  const { registry, problems } = loadFlows(dir, options, shownDir);
  if (problems.length > 0) throw new FlowProblemsError(problems);
  return registry;
}

/** Checks flow sources and builds a registry of the flows that parsed (problems say what did not). */
export function compileFlows(sources: readonly FlowSource[], options: FlowLoadOptions): FlowLoadResult {
  const problems: FlowProblem[] = [];
  const flows = new Map<string, Flow>();
  // A file with broken steps is still known (so `goto` to it is not reported too), but its
  // cross-checks would only repeat the same problem as "missing step" noise.
  const broken = new Set<Flow>();
  for (const source of sources) {
    const parsed = parseFlowFileOnce(source);
    problems.push(...parsed.problems);
    const flow = parsed.flow;
    if (!flow) continue;
    if (parsed.problems.length > 0) broken.add(flow);
    const expectedId = basename(source.file).replace(/\.ya?ml$/, '');
    if (flow.id !== expectedId) {
      problems.push({ file: source.file, message: `id "${flow.id}" must match the file name ("${expectedId}")` });
    }
    const other = flows.get(flow.id);
    if (other) {
      problems.push({ file: source.file, message: `flow id "${flow.id}" is also used by ${other.file}` });
      continue;
    }
    flows.set(flow.id, flow);
  }
  const effects = effectTable(options.effects);
  const serviceVars = new Set(options.serviceVars ?? SERVICE_VARS);
  for (const flow of flows.values()) {
    if (broken.has(flow)) continue;
    checkFlow(flow, flows, effects, options.locales, serviceVars, problems);
  }
  checkLoops(flows, problems);
  checkCommands(flows, options.locales, problems);
  checkAudience(flows, options.gateFlow ?? RESIDENT_GATE_FLOW, problems);
  const ids = [...flows.keys()];
  return { registry: { get: (id) => flows.get(id), ids: () => ids }, problems };
}

function effectTable(effects: FlowLoadOptions['effects']): Map<string, EffectSignature | undefined> {
  if (Array.isArray(effects)) return new Map(effects.map((name: string) => [name, undefined]));
  return new Map(Object.entries(effects as Record<string, EffectSignature>));
}

// ---------------------------------------------------------------- one file

/**
 * A file's parse depends on its name and text alone, and parsed flows are never changed: a process
 * that starts several apps on the same flows (tests, benches) parses each file once. Bounded, since
 * tests also compile flows written on the spot.
 */
const parsedFiles = new Map<string, { flow: Flow | undefined; problems: readonly FlowProblem[] }>();
const PARSED_FILES_KEPT = 200;

function parseFlowFileOnce(source: FlowSource): { flow: Flow | undefined; problems: readonly FlowProblem[] } {
  const key = `${source.file}\u0000${source.text}`;
  const known = parsedFiles.get(key);
  if (known) return known;
  const problems: FlowProblem[] = [];
  const parsed = { flow: parseFlowFile(source, problems), problems };
  if (parsedFiles.size >= PARSED_FILES_KEPT) parsedFiles.delete(parsedFiles.keys().next().value!);
  parsedFiles.set(key, parsed);
  return parsed;
}

function parseFlowFile(source: FlowSource, problems: FlowProblem[]): Flow | undefined {
  const file = source.file;
  let raw: unknown;
  try {
    raw = parseYaml(source.text);
  } catch (error) {
    problems.push({ file, message: `is not valid YAML: ${(error as Error).message.split('\n')[0]!.replace(/:$/, '')}` });
    return undefined;
  }
  const top = flowFileSchema.safeParse(raw);
  if (!top.success) {
    for (const issue of top.error.issues) problems.push({ file, message: describeIssue(issue, raw) });
    return undefined;
  }

  const definitions: StepDefinition[] = [];
  const seen = new Set<string>();
  top.data.steps.forEach((rawStep, index) => {
    const label = stepLabel(rawStep, index);
    if (rawStep === null || typeof rawStep !== 'object' || Array.isArray(rawStep)) {
      problems.push({ file, step: label, message: 'must be a mapping with id, kind and the kind’s fields' });
      return;
    }
    const kind = (rawStep as { kind?: unknown }).kind;
    if (typeof kind !== 'string' || !(STEP_KINDS as readonly string[]).includes(kind)) {
      const shown = kind === undefined ? 'no kind' : `unknown step kind "${String(kind)}"`;
      problems.push({ file, step: label, message: `${shown} (known kinds: ${STEP_KINDS.join(', ')})` });
      return;
    }
    const parsed = stepSchemas[kind as StepKind].safeParse(rawStep);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ file, step: label, message: describeIssue(issue, rawStep) });
      return;
    }
    const step = parsed.data as StepDefinition;
    if (seen.has(step.id)) {
      problems.push({ file, step: step.id, message: 'duplicate step id' });
      return;
    }
    seen.add(step.id);
    definitions.push(step);
  });
  if (definitions.length === 0) return undefined;

  // `next` defaults to the step below (the run ends after the last step).
  const steps = new Map<string, Step>();
  const savedBy = new Map<string, Step>();
  definitions.forEach((definition, index) => {
    const following = definitions[index + 1]?.id ?? END;
    const step = { ...definition, next: ('next' in definition && definition.next) || following } as Step;
    steps.set(step.id, step);
    const save = 'save' in step ? step.save : undefined;
    if (save) savedBy.set(save, step);
  });
  const flow: Flow = {
    id: top.data.id,
    file,
    start: definitions[0]!.id,
    steps,
    savedBy,
    audience: top.data.audience,
    chat: top.data.chat,
  };
  if (top.data.help) flow.help = top.data.help;
  if (top.data.command) flow.command = top.data.command;
  return flow;
}

function stepLabel(rawStep: unknown, index: number): string {
  const id = rawStep !== null && typeof rawStep === 'object' ? (rawStep as { id?: unknown }).id : undefined;
  return typeof id === 'string' && /^[a-z][a-z0-9_]*$/.test(id) ? id : `#${index + 1}`;
}

/** Turns a zod issue into a sentence naming the field. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const field = issue.path
    .map((part, i) => (typeof part === 'number' ? `[${part + 1}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
  if (issue.code === 'unrecognized_keys') {
    const where = field ? ` in "${field}"` : '';
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${where}`;
  }
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) return `"${field}" is required`;
  return field ? `"${field}": ${issue.message}` : issue.message;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

// ---------------------------------------------------------------- cross-checks

function checkFlow(
  flow: Flow,
  flows: ReadonlyMap<string, Flow>,
  effects: ReadonlyMap<string, EffectSignature | undefined>,
  locales: LocaleCatalogs | undefined,
  serviceVars: ReadonlySet<string>,
  problems: FlowProblem[],
): void {
  const file = flow.file;
  const saved = new Set(flow.savedBy.keys());
  // A command's argument arrives as saved data when the flow starts.
  if (flow.command?.argument) saved.add(flow.command.argument);
  const report = (step: string | undefined, message: string) =>
    problems.push(step === undefined ? { file, message } : { file, step, message });

  const checkKey = (step: string | undefined, what: string, key: string | undefined) => {
    if (!key || !locales) return;
    const unknown = new Set<string>();
    for (const locale of locales.locales) {
      if (!locales.has(key, locale)) {
        report(step, `${what} key "${key}" is missing from locales/${locale}.json`);
        continue;
      }
      for (const name of placeholders(locales.t(locale, key))) {
        if (!knownVariable(name, saved, serviceVars)) unknown.add(name);
      }
    }
    for (const name of unknown) report(step, `${what} key "${key}" uses {{${name}}}, which no step of this flow saves`);
  };
  const checkStepRef = (step: string, what: string, target: string, endAllowed: boolean) => {
    if (endAllowed && target === END) return;
    if (!flow.steps.has(target)) report(step, `${what} "${target}" is not a step in this flow`);
  };

  checkKey(undefined, 'help', flow.help);
  checkKey(undefined, 'command words', flow.command?.words);
  for (const step of flow.steps.values()) {
    const id = step.id;
    checkKey(id, 'help', step.help);
    if ('prompt' in step) checkKey(id, 'prompt', step.prompt);
    if ('label' in step) checkKey(id, 'label', step.label);
    if ('typed_prompt' in step) checkKey(id, 'typed_prompt', step.typed_prompt);
    if (step.kind !== 'branch' && step.kind !== 'goto') checkStepRef(id, 'next', step.next, true);

    switch (step.kind) {
      case 'text':
      case 'location':
        if (step.min > step.max) report(id, `min (${step.min}) is larger than max (${step.max})`);
        break;
      case 'number':
        if (step.min !== undefined && step.max !== undefined && step.min > step.max) {
          report(id, `min (${step.min}) is larger than max (${step.max})`);
        }
        break;
      case 'choice': {
        if (step.choices_from && !saved.has(step.choices_from.split('.')[0]!)) {
          report(id, `lists choices from "${step.choices_from}", which no step of this flow saves`);
        }
        const values = new Set<string>();
        for (const choice of step.choices) {
          if (values.has(choice.value)) report(id, `choice value "${choice.value}" is used twice`);
          values.add(choice.value);
          checkKey(id, 'choice label', choice.label);
          checkKey(id, 'choice words', choice.words);
          if (choice.next) checkStepRef(id, `choice "${choice.value}": next`, choice.next, true);
        }
        break;
      }
      case 'confirm':
        if (typeof step.edit === 'string') checkStepRef(id, 'edit', step.edit, false);
        else {
          for (const target of step.edit ?? []) {
            checkKey(id, 'edit label', target.label);
            const edited = flow.steps.get(target.step);
            if (!edited) report(id, `edit step "${target.step}" is not a step in this flow`);
            else if (!isAskStep(edited) || edited.kind === 'confirm' || !('save' in edited) || !edited.save) {
              report(id, `edit step "${target.step}" must be a question that saves an answer`);
            }
          }
        }
        break;
      case 'branch':
        if (!saved.has(step.on.split('.')[0]!)) report(id, `branches on "${step.on}", which no step of this flow saves`);
        for (const [value, target] of Object.entries(step.cases)) checkStepRef(id, `case "${value}"`, target, true);
        checkStepRef(id, 'default', step.default, true);
        break;
      case 'effect': {
        if (!effects.has(step.effect)) {
          report(id, `unknown effect "${step.effect}" (known: ${[...effects.keys()].join(', ') || 'none'})`);
          break;
        }
        const signature = effects.get(step.effect);
        if (signature) {
          for (const arg of Object.keys(signature.args)) if (!(arg in step.args)) report(id, `effect "${step.effect}" needs argument "${arg}"`);
          for (const [arg, value] of Object.entries(step.args)) {
            const type = signature.args[arg];
            if (!type) {
              report(id, `effect "${step.effect}" takes no argument "${arg}"`);
              continue;
            }
            // Only a literal is known before the flow runs; "{{answer}}" is whatever was saved.
            if (placeholders(JSON.stringify(value)).length > 0) continue;
            const problem = argumentTypeProblem(type, value);
            if (problem) report(id, `effect "${step.effect}" argument "${arg}": ${problem}`);
          }
        }
        for (const name of placeholders(JSON.stringify(step.args))) {
          if (!knownVariable(name, saved, serviceVars)) report(id, `argument uses {{${name}}}, which no step of this flow saves`);
        }
        break;
      }
      case 'goto':
        if (!flows.has(step.flow)) report(id, `goes to flow "${step.flow}", which does not exist in flows/`);
        break;
      default:
        break;
    }
  }
  for (const id of unreachableSteps(flow)) report(id, 'cannot be reached from the first step');
}

/**
 * Commands must say unambiguously which flow they start: each slash name and each word belongs
 * to one flow, and a built-in command (`/menu`…) may be claimed only for its argument form
 * (`/start <code>`, a Telegram deep link).
 */
function checkCommands(flows: ReadonlyMap<string, Flow>, locales: LocaleCatalogs | undefined, problems: FlowProblem[]): void {
  const slashOwner = new Map<string, Flow>();
  const wordOwner = new Map<string, Flow>();
  const builtIn: ReadonlySet<string> = new Set(BUILT_IN_COMMANDS);
  const builtInWords = new Map<string, string>();
  for (const locale of locales?.locales ?? []) {
    for (const command of BUILT_IN_COMMANDS) {
      const key = `engine.commands.${command}`;
      if (!locales!.has(key, locale)) continue;
      for (const word of splitWords(locales!.t(locale, key))) builtInWords.set(`${locale}\u0000${word}`, command);
    }
  }
  const shapeOwner = new Map<string, Flow>();
  for (const flow of flows.values()) {
    const command = flow.command;
    if (!command) continue;
    if (command.alone) {
      if (!command.argument) problems.push({ file: flow.file, message: `command "alone: ${command.alone}" needs an "argument" to save the message as` });
      const other = shapeOwner.get(command.alone);
      if (other) problems.push({ file: flow.file, message: `command "alone: ${command.alone}" is also claimed by ${other.file}` });
      else shapeOwner.set(command.alone, flow);
    }
    for (const name of command.slash) {
      if (builtIn.has(name) && !command.argument) {
        problems.push({
          file: flow.file,
          message: `command "/${name}" is built in; a flow may answer it only with an argument (give "argument")`,
        });
        continue;
      }
      const other = slashOwner.get(name);
      if (other) problems.push({ file: flow.file, message: `command "/${name}" is also claimed by ${other.file}` });
      else slashOwner.set(name, flow);
    }
    if (!command.words || !locales) continue;
    for (const locale of locales.locales) {
      if (!locales.has(command.words, locale)) continue;
      for (const word of splitWords(locales.t(locale, command.words))) {
        const key = `${locale}\u0000${word}`;
        const taken = builtInWords.get(key);
        if (taken) {
          problems.push({ file: flow.file, message: `command word "${word}" (${locale}) already means "${taken}"` });
          continue;
        }
        const other = wordOwner.get(key);
        if (other && other !== flow) problems.push({ file: flow.file, message: `command word "${word}" (${locale}) also starts ${other.file}` });
        else wordOwner.set(key, flow);
      }
    }
  }
}

function splitWords(entry: string): string[] {
  return entry
    .split('|')
    .map((word) => word.normalize('NFKC').trim().toLowerCase())
    .filter(Boolean);
}

/** Flows for residents need the flow that leads visitors to binding, open to everyone. */
function checkAudience(flows: ReadonlyMap<string, Flow>, gateFlow: string, problems: FlowProblem[]): void {
  const gated = [...flows.values()].filter((flow) => flow.audience === 'resident');
  if (gated.length === 0) return;
  const gate = flows.get(gateFlow);
  if (!gate) {
    problems.push({
      file: gated[0]!.file,
      message: `is for residents, but there is no flow "${gateFlow}" to lead visitors to binding`,
    });
  } else if (gate.audience !== 'everyone') {
    problems.push({ file: gate.file, message: 'leads visitors to binding, so its audience must be everyone' });
  }
}

/** Every `{{name}}` in a template. */
function placeholders(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) names.push(match[1]!);
  return names;
}

function knownVariable(name: string, saved: ReadonlySet<string>, serviceVars: ReadonlySet<string>): boolean {
  return serviceVars.has(name) || saved.has(name.split('.')[0]!);
}

/** Steps a step can lead to inside its own flow. */
function successors(step: Step): string[] {
  switch (step.kind) {
    case 'goto':
      return [];
    case 'branch':
      return [...Object.values(step.cases), step.default];
    case 'choice':
      return [step.next, ...step.choices.map((c) => c.next ?? step.next)];
    case 'confirm':
      if (typeof step.edit === 'string') return [step.next, step.edit];
      return [step.next, ...(step.edit ?? []).map((t) => t.step)];
    default:
      return [step.next];
  }
}

function unreachableSteps(flow: Flow): string[] {
  const reached = new Set<string>([flow.start]);
  const queue = [flow.start];
  while (queue.length > 0) {
    const step = flow.steps.get(queue.pop()!);
    if (!step) continue;
    for (const next of successors(step)) {
      if (next !== END && flow.steps.has(next) && !reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  return [...flow.steps.keys()].filter((id) => !reached.has(id));
}

/**
 * Finds paths that come back to where they started without a question in between (say → goto →
 * say…): the engine would spin without ever waiting for the person.
 */
function checkLoops(flows: ReadonlyMap<string, Flow>, problems: FlowProblem[]): void {
  const done = new Set<string>();
  const onPath: string[] = [];
  const onPathSet = new Set<string>();
  const reported = new Set<string>();

  const visit = (flow: Flow, step: Step): void => {
    const node = `${flow.id}/${step.id}`;
    if (done.has(node) || isAskStep(step)) return;
    if (onPathSet.has(node)) {
      const cycle = onPath.slice(onPath.indexOf(node));
      const key = [...cycle].sort().join(' ');
      if (!reported.has(key)) {
        reported.add(key);
        problems.push({
          file: flow.file,
          step: step.id,
          message: `goes round in a loop without asking anything (${[...cycle, node].join(' → ')})`,
        });
      }
      return;
    }
    onPath.push(node);
    onPathSet.add(node);
    if (step.kind === 'goto') {
      const target = flows.get(step.flow);
      const first = target?.steps.get(target.start);
      if (target && first) visit(target, first);
    } else {
      for (const next of successors(step)) {
        const nextStep = next === END ? undefined : flow.steps.get(next);
        if (nextStep) visit(flow, nextStep);
      }
    }
    onPath.pop();
    onPathSet.delete(node);
    done.add(node);
  };

  for (const flow of flows.values()) for (const step of flow.steps.values()) visit(flow, step);
}
