/**
 * The one check a folder of flows passes before anything runs it. `npm run flows:check` and
 * start-up both call `checkFlowFolder`, against the effects declared in `known-effects.ts` (names
 * and the arguments each takes), so start-up refuses exactly what the check refuses, in the same
 * words. Start-up also holds the effects it registers to those declarations
 * (`effectRegistryProblems`): a flow that passes the check then calls effects that exist, with
 * the arguments they take.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { EffectRegistry } from './effects.js';
import { FlowProblemsError, loadFlows, type FlowLoadResult, type LocaleCatalogs } from './flow-loader.js';
import { MENU_FLOW, type FlowRegistry } from './flow-schema.js';
import { KNOWN_EFFECTS, type EffectSignature } from './known-effects.js';

const DECLARATIONS_FILE = 'src/conversation/known-effects.ts';

/** A folder as problems show it: relative to where the command runs (`flows` in the project). */
export function shownFolder(dir: string): string {
  return relative(process.cwd(), dir) || '.';
}

/** Checks every flow in `dir` against itself, the locales and the declared effects. */
export function checkFlowFolder(dir: string, locales: LocaleCatalogs): FlowLoadResult {
  const shown = shownFolder(dir);
  const empty: FlowRegistry = { get: () => undefined, ids: () => [] };
  if (!existsSync(dir)) return { registry: empty, problems: [{ file: `${shown}/`, message: 'folder not found' }] };
  const result = loadFlows(dir, { effects: KNOWN_EFFECTS, locales }, shown);
  if (result.problems.length === 0 && result.registry.ids().length === 0) {
    return { ...result, problems: [{ file: `${shown}/`, message: 'no flow files (*.yaml)' }] };
  }
  // The engine cannot start without it; the other cross-file checks are the loader's.
  if (result.registry.ids().length > 0 && !result.registry.get(MENU_FLOW)) {
    result.problems.push({ file: `${shown}/`, message: `no flow "${MENU_FLOW}": every conversation starts at the menu (${MENU_FLOW}.yaml)` });
  }
  return result;
}

/** Start-up's use of the check: the flows, or a `FlowProblemsError` whose first line names the first problem. */
export function loadCheckedFlows(dir: string, locales: LocaleCatalogs): FlowRegistry {
  const { registry, problems } = checkFlowFolder(dir, locales);
  if (problems.length > 0) throw new FlowProblemsError(problems);
  return registry;
}

/**
 * Where the registered effects and their declarations disagree: an effect registered without a
 * declaration (no check knows its arguments), one declared but not registered (a flow could call
 * it), or one registered as writing that is declared read-only, or the other way round (the
 * declaration is what a flow's author reads).
 */
export function effectRegistryProblems(
  effects: EffectRegistry,
  declared: Readonly<Record<string, EffectSignature>> = KNOWN_EFFECTS,
): string[] {
  const problems: string[] = [];
  for (const [name, entry] of effects) {
    const signature = declared[name];
    if (!signature) {
      problems.push(`effect "${name}" is registered but not declared in ${DECLARATIONS_FILE}, so no check knows its arguments`);
      continue;
    }
    const registeredReadOnly = typeof entry !== 'function' && entry.readOnly;
    if (registeredReadOnly !== (signature.readOnly ?? false)) {
      problems.push(
        `effect "${name}" is declared ${signature.readOnly ? 'read-only' : 'as writing'} in ${DECLARATIONS_FILE} but registered ${registeredReadOnly ? 'read-only' : 'as writing'}`,
      );
    }
  }
  for (const name of Object.keys(declared)) {
    if (!effects.has(name)) problems.push(`effect "${name}" is declared in ${DECLARATIONS_FILE} but not registered`);
  }
  return problems;
}

/** Thrown at start when the registered effects and their declarations disagree; the first line names the first problem. */
export class EffectRegistryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'EffectRegistryError';
  }
}

/** Start-up's use of `effectRegistryProblems`: throws when there is any. */
export function assertEffectsDeclared(effects: EffectRegistry): void {
  const problems = effectRegistryProblems(effects);
  if (problems.length > 0) throw new EffectRegistryError(problems);
}
